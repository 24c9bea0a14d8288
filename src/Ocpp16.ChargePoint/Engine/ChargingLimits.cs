using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Features.SmartCharging;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>
/// Pushes the effective charging limits to the hardware (OCPP 1.6 §3.13): asks every <see cref="IChargingLimitSource"/>
/// for the limit of the station (connector 0) and of each connector now, applies the lower of them through
/// <see cref="IChargingLimitSink.ApplyAsync"/> when it differs from what was applied last, and sets a timer on the loop
/// for the next period boundary. It runs again whenever a source reports a change. A connector whose limit (or the
/// station's) is 0 is SuspendedEVSE while it has a transaction. Owned by the loop.
/// </summary>
internal sealed class ChargingLimitController : IConnectorStatusContributor
{
    private readonly ChargePointEngine _engine;
    private readonly List<IChargingLimitSource> _sources = [];
    private readonly Dictionary<int, ChargingLimit?> _applied = [];
    private EngineLoop.LoopTimer? _timer;
    private bool _started;
    private bool _queued;

    public ChargingLimitController(ChargePointEngine engine) => _engine = engine;

    /// <summary>Adds a source (before the engine starts).</summary>
    public void AddSource(IChargingLimitSource source)
    {
        _sources.Add(source);
        source.Changed += Refresh;
    }

    /// <summary>The limit applied last to connector <paramref name="connectorId"/> (0 = the station), or <see langword="null"/> for none.</summary>
    public ChargingLimit? Applied(int connectorId) => _applied.GetValueOrDefault(connectorId);

    /// <summary>Applies the limits for the first time (on the loop, once the modules have loaded their state).</summary>
    public void Start()
    {
        _started = true;
        Refresh();
    }

    /// <summary>Re-evaluates the limits soon (on the loop, after the current work item).</summary>
    public void Refresh()
    {
        if (!_started || _sources.Count == 0 || _queued)
        {
            return;
        }

        _queued = true;
        _engine.Loop.Post(ApplyAsync);
    }

    /// <inheritdoc/>
    public ConnectorStatusHint GetHint(int connectorId)
        => IsZero(Applied(connectorId)) || IsZero(Applied(0)) ? ConnectorStatusHint.SuspendedEvse : ConnectorStatusHint.None;

    private async ValueTask ApplyAsync()
    {
        _queued = false;
        _timer?.Dispose();
        _timer = null;
        var now = _engine.Now;
        var sink = _engine.Hardware.ChargingLimitSink;
        for (var id = 0; id <= _engine.Connectors.All.Count; id++)
        {
            ChargingLimit? limit = null;
            foreach (var source in _sources)
            {
                limit = Lower(limit, source.GetLimit(id, now), sink);
            }

            if (_applied.TryGetValue(id, out var applied) && applied == limit)
            {
                continue;
            }

            _applied[id] = limit;
            ChargePointLog.ChargingLimitApplied(_engine.Logger, _engine.Identity, id, limit?.LimitAmperes, limit?.LimitWatts);
            if (sink is null)
            {
                continue;
            }

            try
            {
                await sink.ApplyAsync(id, limit).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, id, "apply the charging limit", e);
            }
        }

        _engine.Connectors.UpdateAll();
        DateTimeOffset? next = null;
        foreach (var source in _sources)
        {
            if (source.NextChange(now) is { } change && (next is null || change < next))
            {
                next = change;
            }
        }

        if (next is { } due)
        {
            var delay = due - now;
            _timer = _engine.Loop.Schedule(delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(1), Refresh);
        }
    }

    private static bool IsZero(ChargingLimit? limit) => limit is { } l && (l.LimitAmperes == 0m || l.LimitWatts == 0m);

    /// <summary>The lower of two limits (a limit in W compared in A at the sink's nominal voltage and phases).</summary>
    private static ChargingLimit? Lower(ChargingLimit? a, ChargingLimit? b, IChargingLimitSink? sink)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        return Amperes(a, sink) <= Amperes(b, sink) ? a : b;
    }

    private static decimal Amperes(ChargingLimit limit, IChargingLimitSink? sink)
    {
        if (limit.LimitAmperes is { } amperes)
        {
            return amperes;
        }

        return ChargingSupply.Of(sink).Convert(limit.LimitWatts ?? 0m, ChargingRateUnitType.W, ChargingRateUnitType.A, limit.NumberPhases);
    }
}
