using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Simulation;

/// <summary>
/// Simulated hardware for samples and tests: DC connectors with a fixed cable (or sockets) that can be plugged,
/// unplugged, suspended by the EV and faulted, meters that integrate power over time while energy is permitted, an
/// RFID reader whose cards are presented in code, and a reset that restarts the charge point in process.
/// </summary>
public sealed class SimulatedChargePointHardware : IChargePointHardware, IChargingLimitSink, IFirmwareInstaller, IDiagnosticsProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _installedFirmware = [];
    private readonly List<byte[]> _installedContents = [];
    private int _resets;

    /// <summary>Creates simulated hardware.</summary>
    /// <param name="connectorCount">Number of connectors (1..n), at least 1.</param>
    /// <param name="maxPowerW">Maximum power each connector delivers while energy is permitted, in W (default 50 kW DC).</param>
    /// <param name="timeProvider">Clock used by the meters; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="fixedCable">Whether the connectors have a fixed cable (UnlockConnector is then NotSupported); default <see langword="true"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectorCount"/> is less than 1 or <paramref name="maxPowerW"/> is negative.</exception>
    public SimulatedChargePointHardware(int connectorCount, decimal maxPowerW = 50_000m, TimeProvider? timeProvider = null, bool fixedCable = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connectorCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPowerW);
        var connectors = new SimulatedConnector[connectorCount];
        for (var i = 0; i < connectorCount; i++)
        {
            connectors[i] = new SimulatedConnector(i + 1, maxPowerW, timeProvider ?? TimeProvider.System, fixedCable);
        }

        SimulatedConnectors = connectors;
        RfidReader = new SimulatedRfidReader();
    }

    /// <summary>What <see cref="ResetAsync"/> answers. Default <see cref="Hardware.ResetOutcome.RestartInProcess"/>.</summary>
    public ResetOutcome ResetOutcome { get; set; } = ResetOutcome.RestartInProcess;

    /// <summary>How many resets were asked for.</summary>
    public int ResetCount => Volatile.Read(ref _resets);

    /// <summary>The simulated connectors, 1..n.</summary>
    public IReadOnlyList<SimulatedConnector> SimulatedConnectors { get; }

    /// <inheritdoc/>
    public IReadOnlyList<IConnector> Connectors => SimulatedConnectors;

    /// <summary>The simulated RFID reader.</summary>
    public SimulatedRfidReader RfidReader { get; }

    IIdTokenReader? IChargePointHardware.IdTokenReader => RfidReader;

    IChargingLimitSink? IChargePointHardware.ChargingLimitSink => this;

    IFirmwareInstaller? IChargePointHardware.FirmwareInstaller => this;

    IDiagnosticsProvider? IChargePointHardware.DiagnosticsProvider => this;

    /// <summary>What firmware installations answer. Default <see cref="FirmwareInstallationResult.Installed"/>.</summary>
    public FirmwareInstallationResult FirmwareInstallationResult { get; set; } = FirmwareInstallationResult.Installed;

    /// <summary>The content of each firmware file installed (read at installation, before the charge point deletes the file).</summary>
    public IReadOnlyList<byte[]> InstalledFirmwareContents
    {
        get
        {
            lock (_gate)
            {
                return [.. _installedContents];
            }
        }
    }

    /// <summary>The firmware files installed so far, in order.</summary>
    public IReadOnlyList<string> InstalledFirmware
    {
        get
        {
            lock (_gate)
            {
                return [.. _installedFirmware];
            }
        }
    }

    /// <summary>The folder where <see cref="CollectAsync"/> writes its files. Default: the temporary folder.</summary>
    public string DiagnosticsDirectory { get; set; } = Path.GetTempPath();

    /// <summary>The simulation's DC output voltage: 400 V.</summary>
    public decimal NominalVoltage => SimulatedConnector.NominalVoltage;

    /// <summary>DC: 1.</summary>
    public int NumberOfPhases => 1;

    /// <summary>The maximum power of a connector at <see cref="NominalVoltage"/>, in A.</summary>
    public decimal MaximumCurrent => SimulatedConnectors[0].MaximumCurrent;

    /// <inheritdoc/>
    public ValueTask ApplyAsync(int connectorId, ChargingLimit? limit, CancellationToken cancellationToken = default)
    {
        // A limit in W is turned into amperes at the simulation's nominal 400 V DC. The station's limit (connector 0)
        // caps every connector; a connector's own limit caps that connector.
        var amperes = limit is null ? (decimal?)null : limit.LimitAmperes ?? limit.LimitWatts / SimulatedConnector.NominalVoltage;
        foreach (var connector in SimulatedConnectors.Where(c => connectorId == 0 || c.ConnectorId == connectorId))
        {
            if (connectorId == 0)
            {
                connector.SetStationCurrentLimit(amperes);
            }
            else
            {
                connector.SetCurrentLimit(amperes);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<FirmwareInstallationResult> InstallAsync(string firmwareFile, CancellationToken cancellationToken = default)
    {
        var result = FirmwareInstallationResult;
        if (!File.Exists(firmwareFile))
        {
            return FirmwareInstallationResult.Failed;
        }

        var content = await File.ReadAllBytesAsync(firmwareFile, cancellationToken).ConfigureAwait(false);
        if (result == FirmwareInstallationResult.Installed)
        {
            lock (_gate)
            {
                _installedFirmware.Add(firmwareFile);
                _installedContents.Add(content);
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask<string?> CollectAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(DiagnosticsDirectory);
        var path = Path.Combine(DiagnosticsDirectory, $"diagnostics-{Guid.NewGuid():N}.log");
        var lines = SimulatedConnectors.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"connector {c.ConnectorId}: plugged={c.IsPluggedIn} energized={c.IsEnergized} energy={c.EnergyWh} Wh"));
        await File.WriteAllLinesAsync(path, [$"diagnostics from {from:O} to {to:O}", .. lines], cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <inheritdoc/>
    public ValueTask<ResetOutcome> ResetAsync(ResetType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _resets);
        foreach (var connector in SimulatedConnectors)
        {
            _ = connector.SetEnergyPermittedAsync(false, cancellationToken);
        }

        return ValueTask.FromResult(ResetOutcome);
    }

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
public sealed class SimulatedRfidReader : IIdTokenReader
{
    /// <inheritdoc/>
    public event EventHandler<string>? IdTokenPresented;

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

        IdTokenPresented?.Invoke(this, idTag);
    }
}

/// <summary>
/// A simulated DC connector (a fixed cable by default): plug, unplug, EV suspend and resume, faults in code; its meter
/// integrates the delivered power over time (energy in Wh) and simulates an EV's state of charge rising from 20 %.
/// </summary>
public sealed class SimulatedConnector : IConnector, IMeter
{
    private readonly Lock _gate = new();
    private readonly decimal _maxPowerW;
    private readonly TimeProvider _time;
    private decimal _energyWh;
    private decimal? _limitA;
    private decimal? _stationLimitA;
    private bool _energized;
    private bool _plugged;
    private long _lastTimestamp;
    private decimal _soc = 20m;
    internal const decimal NominalVoltage = 400m;

    internal SimulatedConnector(int connectorId, decimal maxPowerW, TimeProvider time, bool fixedCable)
    {
        ConnectorId = connectorId;
        HasFixedCable = fixedCable;
        _maxPowerW = maxPowerW;
        _time = time;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <inheritdoc/>
    public bool HasFixedCable { get; }

    /// <summary>Whether the simulated EV takes energy (false after <see cref="SuspendByEv"/>).</summary>
    public bool EvCharging { get; private set; } = true;

    /// <summary>Whether a transaction interrupted by a restart resumes; default <see langword="false"/>.</summary>
    public bool ResumeTransactions { get; set; }

    /// <summary>The energy register in Wh (settable, e.g. to test large registers).</summary>
    public decimal EnergyWh
    {
        get
        {
            lock (_gate)
            {
                Integrate();
                return _energyWh;
            }
        }

        set
        {
            lock (_gate)
            {
                Integrate();
                _energyWh = value;
            }
        }
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

    /// <summary>Whether energy delivery is permitted now.</summary>
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

    /// <summary>Simulates the EV pausing (full battery, or its own limit): SuspendedEV.</summary>
    public void SuspendByEv()
    {
        lock (_gate)
        {
            Integrate();
            EvCharging = false;
        }

        StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.EvSuspended));
    }

    /// <summary>Simulates the EV taking energy again.</summary>
    public void ResumeByEv()
    {
        lock (_gate)
        {
            Integrate();
            EvCharging = true;
        }

        StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.EvResumed));
    }

    /// <summary>Simulates a fault.</summary>
    /// <param name="errorCode">The OCPP error code to report; default OtherError.</param>
    /// <param name="info">Optional text, at most 50 characters.</param>
    /// <param name="vendorErrorCode">Optional vendor error code, at most 50 characters.</param>
    public void Fault(ChargePointErrorCode errorCode = ChargePointErrorCode.OtherError, string? info = null, string? vendorErrorCode = null)
        => StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.Faulted, errorCode, info, vendorErrorCode is null ? null : "Ocpp16.Simulation", vendorErrorCode));

    /// <summary>Simulates the fault being cleared.</summary>
    public void ClearFault() => StateChanged?.Invoke(this, new ConnectorEvent(ConnectorId, ConnectorEventKind.FaultCleared));

    /// <inheritdoc/>
    public ValueTask SetEnergyPermittedAsync(bool permitted, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Integrate();
            _energized = permitted;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> UnlockAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(!LockFailure);

    /// <inheritdoc/>
    public ValueTask<bool> CanResumeTransactionAsync(InterruptedTransaction transaction, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ResumeTransactions && IsPluggedIn);

    /// <summary>Limits the current the connector offers, in A (Smart Charging), or <see langword="null"/> for none.</summary>
    /// <param name="limitAmperes">The limit in A, or <see langword="null"/>.</param>
    public void SetCurrentLimit(decimal? limitAmperes)
    {
        lock (_gate)
        {
            Integrate();
            _limitA = limitAmperes;
        }
    }

    /// <summary>The current the station as a whole may offer, in A (the Smart Charging limit of connector 0), or <see langword="null"/> for none.</summary>
    /// <param name="limitAmperes">The limit in A, or <see langword="null"/>.</param>
    public void SetStationCurrentLimit(decimal? limitAmperes)
    {
        lock (_gate)
        {
            Integrate();
            _stationLimitA = limitAmperes;
        }
    }

    /// <summary>The current this connector offers at full power, in A.</summary>
    public decimal MaximumCurrent => _maxPowerW / NominalVoltage;

    /// <summary>The current this connector offers now (Current.Offered), in A: the maximum, capped by the limits applied.</summary>
    public decimal OfferedCurrentAmperes
    {
        get
        {
            lock (_gate)
            {
                return OfferedCurrent();
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<MeterReading> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Integrate();
            var power = CurrentPower();
            var offeredA = OfferedCurrent();
            var samples = new List<MeterSample>(6)
            {
                new(Measurand.PowerActiveImport, decimal.Round(power, 0), UnitOfMeasure.W),
                new(Measurand.CurrentImport, decimal.Round(power / NominalVoltage, 1), UnitOfMeasure.A),
                new(Measurand.CurrentOffered, decimal.Round(offeredA, 1), UnitOfMeasure.A),
                new(Measurand.PowerOffered, decimal.Round(offeredA * NominalVoltage, 0), UnitOfMeasure.W),
                new(Measurand.Voltage, NominalVoltage, UnitOfMeasure.V),
            };
            if (_plugged)
            {
                samples.Add(new MeterSample(Measurand.SoC, decimal.Round(_soc, 0), UnitOfMeasure.Percent, Location: Location.EV));
            }

            return ValueTask.FromResult(new MeterReading(decimal.Floor(_energyWh), samples));
        }
    }

    private decimal OfferedCurrent()
    {
        var offered = _maxPowerW / NominalVoltage;
        if (_limitA is { } limit)
        {
            offered = Math.Min(offered, limit);
        }

        return _stationLimitA is { } station ? Math.Min(offered, station) : offered;
    }

    private decimal CurrentPower() => _energized && _plugged && EvCharging && _soc < 100m ? OfferedCurrent() * NominalVoltage : 0m;

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
