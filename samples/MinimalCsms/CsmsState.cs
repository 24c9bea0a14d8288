using System.Collections.Concurrent;
using Ocpp16.Messages;

namespace MinimalCsms;

/// <summary>What the sample CSMS remembers: charge points seen and transactions. In memory only.</summary>
internal sealed class CsmsState
{
    private int _nextTransactionId;

    public ConcurrentDictionary<string, ChargePointInfo> ChargePoints { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<int, TransactionRecord> Transactions { get; } = new();

    public ChargePointInfo Get(string id) => ChargePoints.GetOrAdd(id, static i => new ChargePointInfo(i));

    public int NextTransactionId() => Interlocked.Increment(ref _nextTransactionId);
}

internal sealed class ChargePointInfo(string id)
{
    public string Id { get; } = id;

    public BootNotificationRequest? Boot { get; set; }

    public DateTimeOffset? BootTime { get; set; }

    public DateTimeOffset? LastHeartbeat { get; set; }

    public ConcurrentDictionary<int, StatusNotificationRequest> Connectors { get; } = new();
}

internal sealed class TransactionRecord
{
    public required int TransactionId { get; init; }

    public required string ChargePointId { get; init; }

    public required int ConnectorId { get; init; }

    public required string IdTag { get; init; }

    public required AuthorizationStatus Status { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required int MeterStartWh { get; init; }

    public int? MeterStopWh { get; set; }

    public DateTimeOffset? StopTime { get; set; }

    public Reason? StopReason { get; set; }

    public decimal? LastEnergyWh { get; set; }

    public int MeterValuesCount { get; set; }
}
