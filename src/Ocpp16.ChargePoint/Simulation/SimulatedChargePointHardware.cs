using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Simulation;

/// <summary>
/// Simulated hardware for samples and tests: connectors that can be plugged, unplugged and faulted, meters that
/// integrate power over time while energized, and an RFID reader whose cards are presented in code.
/// </summary>
public sealed class SimulatedChargePointHardware : IChargePointHardware
{
    /// <summary>Creates simulated hardware.</summary>
    /// <param name="connectorCount">Number of connectors (1..n), at least 1.</param>
    /// <param name="maxPowerW">Maximum power each connector delivers while energized, in W (default 50 kW DC).</param>
    /// <param name="timeProvider">Clock used by the meters; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectorCount"/> is less than 1 or <paramref name="maxPowerW"/> is negative.</exception>
    public SimulatedChargePointHardware(int connectorCount, decimal maxPowerW = 50_000m, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connectorCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPowerW);
        var connectors = new SimulatedConnector[connectorCount];
        for (var i = 0; i < connectorCount; i++)
        {
            connectors[i] = new SimulatedConnector(i + 1, maxPowerW, timeProvider ?? TimeProvider.System);
        }

        SimulatedConnectors = connectors;
        RfidReader = new SimulatedRfidReader();
    }

    /// <summary>The simulated connectors, 1..n.</summary>
    public IReadOnlyList<SimulatedConnector> SimulatedConnectors { get; }

    /// <inheritdoc/>
    public IReadOnlyList<IConnector> Connectors => SimulatedConnectors;

    /// <summary>The simulated RFID reader.</summary>
    public SimulatedRfidReader RfidReader { get; }

    IRfidReader? IChargePointHardware.RfidReader => RfidReader;

    /// <summary>Returns connector <paramref name="connectorId"/> (1..n).</summary>
    /// <param name="connectorId">The connector number.</param>
    /// <returns>The connector.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such connector.</exception>
    public SimulatedConnector Connector(int connectorId)
    {
        if (connectorId < 1 || connectorId > SimulatedConnectors.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"Connectors are numbered 1..{SimulatedConnectors.Count}.");
        }

        return SimulatedConnectors[connectorId - 1];
    }
}

/// <summary>A simulated RFID reader.</summary>
public sealed class SimulatedRfidReader : IRfidReader
{
    /// <inheritdoc/>
    public event EventHandler<string>? IdTagPresented;

    /// <summary>Simulates presenting a card.</summary>
    /// <param name="idTag">The IdTag, at most 20 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="idTag"/> is empty or longer than 20 characters.</exception>
    public void Present(string idTag)
    {
        ArgumentException.ThrowIfNullOrEmpty(idTag);
        if (idTag.Length > 20)
        {
            throw new ArgumentException("An IdTag has at most 20 characters (OCPP 1.6 §7.20 IdToken).", nameof(idTag));
        }

        IdTagPresented?.Invoke(this, idTag);
    }
}

/// <summary>
/// A simulated DC connector with a fixed cable: plug/unplug/fault in code; its meter integrates the delivered power
/// over time (energy in Wh) and simulates an EV's state of charge rising from 20 %.
/// </summary>
public sealed class SimulatedConnector : IConnector, IMeter
{
    private readonly Lock _gate = new();
    private readonly decimal _maxPowerW;
    private readonly TimeProvider _time;
    private decimal _energyWh;
    private decimal? _limitA;
    private bool _energized;
    private bool _plugged;
    private long _lastTimestamp;
    private decimal _soc = 20m;
    private const decimal NominalVoltage = 400m;

    internal SimulatedConnector(int connectorId, decimal maxPowerW, TimeProvider time)
    {
        ConnectorId = connectorId;
        _maxPowerW = maxPowerW;
        _time = time;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <inheritdoc/>
    public int ConnectorId { get; }

    /// <inheritdoc/>
    public bool IsPluggedIn
    {
        get
        {
            lock (_gate)
            {
                return _plugged;
            }
        }
    }

    /// <summary>Whether energy is being delivered now.</summary>
    public bool IsEnergized
    {
        get
        {
            lock (_gate)
            {
                return _energized;
            }
        }
    }

    /// <summary>Whether the lock fails to release on <see cref="UnlockAsync"/> (to simulate UnlockFailed). Default <see langword="false"/>.</summary>
    public bool LockFailure { get; set; }

    /// <inheritdoc/>
    public IMeter Meter => this;

    /// <inheritdoc/>
    public event EventHandler<ConnectorEvent>? StateChanged;

    /// <summary>Simulates plugging an EV in; a new EV starts at 20 % SoC.</summary>
    public void Plug()
    {
        lock (_gate)
        {
            Integrate();
            _plugged = true;
            _soc = 20m;
        }

        StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.Plugged));
    }

    /// <summary>Simulates unplugging the EV.</summary>
    public void Unplug()
    {
        lock (_gate)
        {
            Integrate();
            _plugged = false;
        }

        StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.Unplugged));
    }

    /// <summary>Simulates a fault.</summary>
    /// <param name="errorCode">The OCPP error code to report; default OtherError.</param>
    /// <param name="info">Optional text, at most 50 characters.</param>
    public void Fault(ChargePointErrorCode errorCode = ChargePointErrorCode.OtherError, string? info = null)
        => StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.Faulted, errorCode, info));

    /// <summary>Simulates the fault being cleared.</summary>
    public void ClearFault() => StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.FaultCleared));

    /// <inheritdoc/>
    public ValueTask SetEnergizedAsync(bool energized, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Integrate();
            _energized = energized;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> UnlockAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(!LockFailure);

    /// <inheritdoc/>
    public ValueTask SetCurrentLimitAsync(decimal? limitAmperes, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Integrate();
            _limitA = limitAmperes;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<MeterReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Integrate();
            var power = CurrentPower();
            var offeredA = OfferedCurrent();
            return ValueTask.FromResult(new MeterReading(
                EnergyActiveImportRegisterWh: decimal.Round(_energyWh, 0),
                PowerActiveImportW: decimal.Round(power, 0),
                CurrentImportA: decimal.Round(power / NominalVoltage, 1),
                CurrentOfferedA: decimal.Round(offeredA, 1),
                PowerOfferedW: decimal.Round(offeredA * NominalVoltage, 0),
                VoltageV: NominalVoltage,
                StateOfChargePercent: _plugged ? decimal.Round(_soc, 0) : null));
        }
    }

    private decimal OfferedCurrent()
    {
        var max = _maxPowerW / NominalVoltage;
        return _limitA is { } limit ? Math.Min(max, limit) : max;
    }

    private decimal CurrentPower() => _energized && _plugged && _soc < 100m ? OfferedCurrent() * NominalVoltage : 0m;

    private void Integrate()
    {
        var now = _time.GetTimestamp();
        var seconds = (decimal)_time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        _lastTimestamp = now;
        var energy = CurrentPower() * seconds / 3600m;
        _energyWh += energy;

        // A 60 kWh battery.
        _soc = Math.Min(100m, _soc + (energy / 600m));
    }
}
