using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Simulation;

/// <summary>Timing of a simulated driver's sessions.</summary>
public sealed class ChargingSessionSimulatorOptions
{
    /// <summary>IdTags the simulated drivers present, used round-robin. Required, at least one.</summary>
    public IReadOnlyList<string> IdTags { get; set; } = [];

    /// <summary>How long the EV charges before the driver stops. Default 20 s.</summary>
    public TimeSpan ChargingDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Pause between the driver's steps (plug, swipe, unplug). Default 1 s.</summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause between two sessions on a connector. Default 3 s.</summary>
    public TimeSpan IdleDuration { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Drives simulated EV drivers at a <see cref="OcppChargePoint"/> with <see cref="SimulatedChargePointHardware"/>:
/// on each connector, over and over, plug in, present an RFID card, charge, present the card again to stop,
/// unplug. Used by the samples (<c>MinimalCsms --simulate N</c>) and for soak tests.
/// </summary>
public sealed class ChargingSessionSimulator
{
    private readonly OcppChargePoint _chargePoint;
    private readonly SimulatedChargePointHardware _hardware;
    private readonly ChargingSessionSimulatorOptions _options;
    private readonly TimeProvider _time;
    private int _nextTag;

    /// <summary>Creates a simulator.</summary>
    /// <param name="chargePoint">The charge point (started separately).</param>
    /// <param name="hardware">Its simulated hardware.</param>
    /// <param name="options">IdTags and timing.</param>
    /// <param name="timeProvider">Clock for the delays; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> has no IdTags.</exception>
    public ChargingSessionSimulator(OcppChargePoint chargePoint, SimulatedChargePointHardware hardware, ChargingSessionSimulatorOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(chargePoint);
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IdTags.Count == 0)
        {
            throw new ArgumentException("At least one IdTag is needed.", nameof(options));
        }

        _chargePoint = chargePoint;
        _hardware = hardware;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs sessions on every connector until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops the simulation.</param>
    /// <returns>A task that completes when cancelled.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lanes = _hardware.SimulatedConnectors.Select((c, i) => RunConnectorAsync(c, TimeSpan.FromSeconds(i * 2), cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RunConnectorAsync(SimulatedConnector connector, TimeSpan offset, CancellationToken ct)
    {
        await Task.Delay(offset, _time, ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            if (_chargePoint.RegistrationStatus != RegistrationStatus.Accepted)
            {
                await Task.Delay(_options.StepDelay, _time, ct).ConfigureAwait(false);
                continue;
            }

            var tag = _options.IdTags[Interlocked.Increment(ref _nextTag) % _options.IdTags.Count];
            connector.Plug();
            await Task.Delay(_options.StepDelay, _time, ct).ConfigureAwait(false);
            _hardware.RfidReader.Present(tag);
            await WaitForAsync(() => _chargePoint.GetConnectorStatus(connector.ConnectorId) == ChargePointStatus.Charging, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            if (_chargePoint.GetConnectorStatus(connector.ConnectorId) == ChargePointStatus.Charging)
            {
                await Task.Delay(_options.ChargingDuration, _time, ct).ConfigureAwait(false);
                if (_chargePoint.GetConnectorStatus(connector.ConnectorId) == ChargePointStatus.Charging)
                {
                    _hardware.RfidReader.Present(tag);
                    await Task.Delay(_options.StepDelay, _time, ct).ConfigureAwait(false);
                }
            }

            connector.Unplug();
            await Task.Delay(_options.IdleDuration, _time, ct).ConfigureAwait(false);
        }
    }

    private async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (!condition() && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, ct).ConfigureAwait(false);
        }
    }
}
