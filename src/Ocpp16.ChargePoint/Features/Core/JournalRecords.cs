using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>A transaction as journaled (collection <c>tx</c>, key = local id).</summary>
internal sealed record TransactionRecord
{
    public required int LocalId { get; init; }

    public required int ConnectorId { get; init; }

    public required string IdTag { get; init; }

    public string? ParentIdTag { get; init; }

    /// <summary>The energy register at the start, in Wh.</summary>
    public required long MeterStart { get; init; }

    /// <summary>The meterStart sent in StartTransaction (see <see cref="MeterRegister.Reported"/>).</summary>
    public required int MeterStartReported { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public int? ReservationId { get; init; }

    /// <summary>The Central System's id, once StartTransaction.conf arrived.</summary>
    public int? TransactionId { get; init; }

    /// <summary>StartTransaction was given up after TransactionMessageAttempts: the transaction's later messages cannot be sent.</summary>
    public bool StartDiscarded { get; init; }

    /// <summary>The charge point suspended energy because the IdTag is no longer valid (StopTransactionOnInvalidId false).</summary>
    public bool Deauthorized { get; init; }

    public bool Stopped { get; init; }

    public Reason? StopReason { get; init; }

    public long? MeterStop { get; init; }

    public DateTimeOffset? StopTime { get; init; }

    /// <summary>The last persisted energy register reading and its time (meterStop after a power loss).</summary>
    public required long LastMeter { get; init; }

    public required DateTimeOffset LastMeterTime { get; init; }

    /// <summary>How many samples of transactionData were written (the next txdata key).</summary>
    public int DataCount { get; init; }
}

/// <summary>A queued transaction message as journaled (collection <c>txmsg</c>, key = sequence).</summary>
/// <param name="Sequence">Delivery order.</param>
/// <param name="LocalTransactionId">The transaction it belongs to.</param>
/// <param name="Action">StartTransaction, MeterValues or StopTransaction.</param>
/// <param name="Payload">The OCPP request payload (the TransactionId is filled in when sent).</param>
/// <param name="Attempts">Failed attempts so far (CALLERROR or timeout).</param>
internal sealed record MessageRecord(long Sequence, int LocalTransactionId, string Action, string Payload, int Attempts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TransactionRecord))]
[JsonSerializable(typeof(MessageRecord))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;

/// <summary>Energy register arithmetic: registers are <see langword="long"/> Wh; meterStart/meterStop are 32-bit on the wire.</summary>
internal static class MeterRegister
{
    private const long Rollover = 1_000_000_000;

    /// <summary>
    /// The meterStart to report for a register of <paramref name="registerWh"/>: the register itself while it leaves at
    /// least 1 GWh of headroom below <see cref="int.MaxValue"/>, else the register modulo 1,000,000,000 Wh (as an
    /// odometer rolls over), so that meterStop = meterStart + the energy delivered always fits and is exact.
    /// </summary>
    public static int Reported(long registerWh)
        => registerWh <= int.MaxValue - Rollover ? (int)registerWh : (int)(registerWh % Rollover);

    /// <summary>meterStop: meterStart plus the energy delivered (never less than meterStart, never overflowing).</summary>
    public static int Stop(int meterStartReported, long meterStartWh, long meterStopWh)
        => (int)Math.Min(int.MaxValue, meterStartReported + Math.Max(0, meterStopWh - meterStartWh));

    /// <summary>A register reading in whole Wh (rounded down, so meterStop never exceeds the energy measured).</summary>
    public static long Wh(decimal registerWh) => (long)decimal.Floor(registerWh);
}

/// <summary>OCPP payloads to and from UTF-8 JSON (the journal keeps them as the wire format).</summary>
internal static class OcppPayload
{
    public static byte[] ToUtf8(IOcppJsonWritable payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            payload.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string ToJson(IOcppJsonWritable payload) => System.Text.Encoding.UTF8.GetString(ToUtf8(payload));
}
