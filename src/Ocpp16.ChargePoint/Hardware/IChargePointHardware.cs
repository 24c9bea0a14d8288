using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Hardware;

/// <summary>
/// The hardware a <see cref="ChargePoint"/> drives: its connectors (each with a meter) and an optional RFID reader.
/// Embedders implement these interfaces over their drivers; <c>Ocpp16.ChargePoint.Simulation</c> has a simulated
/// implementation used by the samples and tests.
/// </summary>
public interface IChargePointHardware
{
    /// <summary>The connectors, numbered 1..n in order (OCPP 1.6 §3.5: connector 0 is the Charge Point itself).</summary>
    IReadOnlyList<IConnector> Connectors { get; }

    /// <summary>The RFID reader, or <see langword="null"/> when the Charge Point has none.</summary>
    IRfidReader? RfidReader { get; }
}

/// <summary>What happened on a connector, reported by the hardware.</summary>
public enum ConnectorEventKind
{
    /// <summary>An EV (cable) was plugged in.</summary>
    Plugged,

    /// <summary>The EV (cable) was unplugged.</summary>
    Unplugged,

    /// <summary>A fault occurred; see <see cref="ConnectorEvent.ErrorCode"/>.</summary>
    Faulted,

    /// <summary>The fault was cleared.</summary>
    FaultCleared,
}

/// <summary>An event reported by a connector's hardware.</summary>
/// <param name="ConnectorId">The connector number (1..n).</param>
/// <param name="Kind">What happened.</param>
/// <param name="ErrorCode">For <see cref="ConnectorEventKind.Faulted"/>: the OCPP error code to report (OCPP 1.6 §7.6).</param>
/// <param name="Info">Optional free text (at most 50 characters) for StatusNotification.info.</param>
public sealed record ConnectorEvent(int ConnectorId, ConnectorEventKind Kind, ChargePointErrorCode ErrorCode = ChargePointErrorCode.NoError, string? Info = null);

/// <summary>One connector (EVSE outlet or fixed cable) with its meter and lock.</summary>
public interface IConnector
{
    /// <summary>The connector number, 1..n.</summary>
    int ConnectorId { get; }

    /// <summary>Whether an EV is plugged in now.</summary>
    bool IsPluggedIn { get; }

    /// <summary>Raised (on any thread) when the connector's state changes. The Charge Point serializes handling.</summary>
    event EventHandler<ConnectorEvent>? StateChanged;

    /// <summary>The meter measuring this connector.</summary>
    IMeter Meter { get; }

    /// <summary>Switches energy delivery on or off (relay/contactor or DC power module).</summary>
    /// <param name="energized"><see langword="true"/> to deliver energy.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the hardware has switched.</returns>
    ValueTask SetEnergizedAsync(bool energized, CancellationToken cancellationToken = default);

    /// <summary>Unlocks the connector (releases the cable), for UnlockConnector (OCPP 1.6 §5.18).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when unlocked; <see langword="false"/> when the lock failed to release.</returns>
    ValueTask<bool> UnlockAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the maximum current the connector may deliver, in A (from Smart Charging limits), or <see langword="null"/> for no limit.</summary>
    /// <param name="limitAmperes">The limit in A, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when applied.</returns>
    ValueTask SetCurrentLimitAsync(decimal? limitAmperes, CancellationToken cancellationToken = default);
}

/// <summary>A meter reading. Values not measured by the meter are <see langword="null"/>.</summary>
/// <param name="EnergyActiveImportRegisterWh">Energy.Active.Import.Register, in Wh (cumulative).</param>
/// <param name="PowerActiveImportW">Power.Active.Import, in W.</param>
/// <param name="CurrentImportA">Current.Import, in A.</param>
/// <param name="CurrentOfferedA">Current.Offered, in A.</param>
/// <param name="PowerOfferedW">Power.Offered, in W.</param>
/// <param name="VoltageV">Voltage, in V.</param>
/// <param name="StateOfChargePercent">SoC, in percent (0–100).</param>
public sealed record MeterReading(
    decimal EnergyActiveImportRegisterWh,
    decimal? PowerActiveImportW = null,
    decimal? CurrentImportA = null,
    decimal? CurrentOfferedA = null,
    decimal? PowerOfferedW = null,
    decimal? VoltageV = null,
    decimal? StateOfChargePercent = null);

/// <summary>An energy meter.</summary>
public interface IMeter
{
    /// <summary>Reads the meter now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reading; energy in Wh, power in W, current in A.</returns>
    ValueTask<MeterReading> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>An RFID reader.</summary>
public interface IRfidReader
{
    /// <summary>Raised (on any thread) when a card is presented; the argument is its IdTag (at most 20 characters).</summary>
    event EventHandler<string>? IdTagPresented;
}
