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
