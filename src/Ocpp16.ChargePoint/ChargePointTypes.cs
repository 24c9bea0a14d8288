using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>The state of the Charge Point's connection to the Central System.</summary>
public enum ChargePointConnectionState
{
    /// <summary>Not started, or stopped.</summary>
    Disconnected,

    /// <summary>Opening the first WebSocket connection.</summary>
    Connecting,

    /// <summary>The WebSocket is open.</summary>
    Connected,

    /// <summary>The connection was lost or refused; waiting (exponential backoff) before the next attempt.</summary>
    Reconnecting,
}

/// <summary>A connector's status changed (and a StatusNotification was queued, OCPP 1.6 §4.9).</summary>
/// <param name="ConnectorId">0 for the Charge Point as a whole, 1..n for connectors.</param>
/// <param name="Status">The new status.</param>
/// <param name="ErrorCode">The error code reported with it.</param>
public sealed record ConnectorStatusChange(int ConnectorId, ChargePointStatus Status, ChargePointErrorCode ErrorCode);

/// <summary>A transaction started or stopped on a connector.</summary>
/// <param name="ConnectorId">The connector number (1..n).</param>
/// <param name="TransactionId">The TransactionId from the Central System, or <see langword="null"/> while StartTransaction.conf has not arrived.</param>
/// <param name="MeterWh">The meter value in Wh (meterStart or meterStop).</param>
/// <param name="Reason">For a stop: why it stopped; <see langword="null"/> for a start.</param>
public sealed record TransactionChange(int ConnectorId, int? TransactionId, long MeterWh, Reason? Reason);

/// <summary>A picture of the charge point taken on its loop (<see cref="OcppChargePoint.GetSnapshotAsync"/>).</summary>
/// <param name="ConnectionState">The connection state.</param>
/// <param name="Registration">The last BootNotification answer, or <see langword="null"/>.</param>
/// <param name="StationStatus">The status of connector 0.</param>
/// <param name="Connectors">Connectors 1..n.</param>
/// <param name="QueuedTransactionMessages">Transaction messages in the journal not yet delivered.</param>
public sealed record ChargePointSnapshot(
    ChargePointConnectionState ConnectionState,
    RegistrationStatus? Registration,
    ChargePointStatus StationStatus,
    IReadOnlyList<ConnectorSnapshot> Connectors,
    int QueuedTransactionMessages);

/// <summary>One connector in a <see cref="ChargePointSnapshot"/>.</summary>
/// <param name="ConnectorId">1..n.</param>
/// <param name="Status">Its status.</param>
/// <param name="ErrorCode">The error code reported with it.</param>
/// <param name="Plugged">Whether an EV is connected.</param>
/// <param name="Transaction">The running transaction, or <see langword="null"/>.</param>
public sealed record ConnectorSnapshot(int ConnectorId, ChargePointStatus Status, ChargePointErrorCode ErrorCode, bool Plugged, TransactionSnapshot? Transaction);

/// <summary>A running transaction in a <see cref="ConnectorSnapshot"/>.</summary>
/// <param name="TransactionId">The Central System's id, or <see langword="null"/> until StartTransaction.conf.</param>
/// <param name="IdTag">The IdTag that started it.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="MeterStartWh">The energy register at the start, in Wh.</param>
/// <param name="LastMeterWh">The last journaled energy register reading, in Wh.</param>
public sealed record TransactionSnapshot(int? TransactionId, string IdTag, DateTimeOffset StartTime, long MeterStartWh, long LastMeterWh);
