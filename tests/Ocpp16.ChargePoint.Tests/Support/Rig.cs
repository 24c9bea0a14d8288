using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>
/// A charge point over simulated hardware talking to a <see cref="FakeCentralSystem"/> through in-memory transports, on
/// virtual time: nothing happens with the clock unless the test advances it, and <see cref="SettleAsync"/> waits until
/// the charge point's loop and the Central System are idle.
/// </summary>
internal sealed class Rig : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly Action<ChargePointOptions>? _configure;

    private Rig(FakeTimeProvider time, FakeCentralSystem cs, SimulatedChargePointHardware hardware, IChargePointStorage storage, CollectingLoggerFactory logs, Action<ChargePointOptions>? configure)
    {
        Time = time;
        Cs = cs;
        Hardware = hardware;
        Storage = storage;
        Logs = logs;
        _configure = configure;
        ChargePoint = Create();
    }

    public FakeTimeProvider Time { get; }

    public FakeCentralSystem Cs { get; }

    public SimulatedChargePointHardware Hardware { get; }

    /// <summary>The storage the charge point uses (survives <see cref="RestartAsync"/>).</summary>
    public IChargePointStorage Storage { get; private set; }

    public CollectingLoggerFactory Logs { get; }

    public OcppChargePoint ChargePoint { get; private set; }

    /// <summary>
    /// Creates a 2-connector charge point (fixed cables unless <paramref name="fixedCable"/> is false) and, when
    /// <paramref name="start"/>, starts it and waits for the boot (BootNotification and the three StatusNotifications).
    /// </summary>
    public static async Task<Rig> StartAsync(
        Action<ChargePointOptions>? configure = null,
        Action<FakeCentralSystem>? setup = null,
        bool start = true,
        bool fixedCable = true,
        IChargePointStorage? storage = null,
        int connectors = 2)
    {
        var time = new FakeTimeProvider(Epoch);
        var cs = new FakeCentralSystem(time);
        setup?.Invoke(cs);
        var rig = new Rig(time, cs, new SimulatedChargePointHardware(connectors, 50_000m, time, fixedCable), storage ?? new InMemoryChargePointStorage(), new CollectingLoggerFactory(), configure);
        if (start)
        {
            await rig.ChargePoint.StartAsync().WaitAsync(Timeouts.Await);
            await rig.SettleAsync();
        }

        return rig;
    }

    private OcppChargePoint Create()
    {
        var options = new ChargePointOptions
        {
            Identity = "CP-TEST",
            ChargePointVendor = "TestVendor",
            ChargePointModel = "TestModel",
            ReconnectMinDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(4),
            ReconnectRandomRange = TimeSpan.Zero,
            CallTimeout = TimeSpan.FromSeconds(30),
            TransportFactory = Cs.ConnectAsync,
        };
        _configure?.Invoke(options);
        return new OcppChargePoint(options, Hardware, Logs, Time, Storage);
    }

    /// <summary>
    /// Waits (in real time, bounded) until the charge point's loop has no work, no CALL awaits an answer that the Central
    /// System is about to give, and nothing changed for a few rounds.
    /// </summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + Timeouts.Await;
        var stableRounds = 0;
        (long Processed, int Calls, int Connections, bool Busy) last = default;
        while (stableRounds < 3)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The charge point did not settle. Last calls:\n" + string.Join("\n", Cs.Calls.TakeLast(20)));
            }

            var engine = ChargePoint.Engine;
            var inFlight = false;
            if (!engine.Loop.IsStopped)
            {
                // A probe posted just before the loop stops (an in-process reboot) is never run: stop waiting for it then.
                var probe = engine.Loop.InvokeAsync(() => engine.Outbox.InFlight is not null && engine.Outbox.IsConnected);
                var probeDeadline = DateTime.UtcNow + Timeouts.Await;
                while (!probe.IsCompleted && !engine.Loop.IsStopped && DateTime.UtcNow < probeDeadline)
                {
                    await Task.WhenAny(probe, Task.Delay(20));
                }

                if (probe.IsCompletedSuccessfully)
                {
                    inFlight = probe.Result;
                }
                else if (!probe.IsCompleted && !engine.Loop.IsStopped)
                {
                    throw new TimeoutException("The charge point's loop did not run a probe. Last calls:\n" + string.Join("\n", Cs.Calls.TakeLast(20)));
                }
            }

            await Task.Delay(2);
            var busy = !engine.Loop.IsIdle || (inFlight && Cs.HeldAnswers == 0);
            var now = (engine.Loop.ProcessedCount, Cs.Calls.Count, Cs.ConnectionCount, busy);

            // Only this method's own probe ran on the loop since the last round, and nothing else changed.
            stableRounds = now == (last.Processed + 1, last.Calls, last.Connections, false) ? stableRounds + 1 : 0;
            last = now;
        }
    }

    /// <summary>
    /// Advances virtual time by <paramref name="duration"/> in steps of <paramref name="step"/> (default one second),
    /// settling after each (a timer due within a step fires at its end).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan duration, TimeSpan? step = null)
    {
        // What the test just did (a plug, a swipe) happens at the current instant, before the clock moves.
        await SettleAsync();
        var stepSize = step ?? TimeSpan.FromSeconds(1);
        while (duration > TimeSpan.Zero)
        {
            var next = duration < stepSize ? duration : stepSize;
            Time.Advance(next);
            duration -= next;
            await SettleAsync();
        }
    }

    public Task AdvanceAsync(int seconds, int stepSeconds = 1) => AdvanceAsync(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(stepSeconds));

    /// <summary>Stops the charge point gracefully and starts a new one on the same storage and hardware.</summary>
    public async Task RestartAsync(IChargePointStorage? storage = null, Action? beforeStart = null)
    {
        await DisposeChargePointAsync();
        beforeStart?.Invoke();
        Storage = storage ?? Storage;
        ChargePoint = Create();
        await ChargePoint.StartAsync().WaitAsync(Timeouts.Await);
        await SettleAsync();
    }

    /// <summary>Plugs a connector, presents <paramref name="idTag"/> and waits for StartTransaction, its answer and Charging.</summary>
    public async Task<int> StartTransactionAsync(string idTag = "TAG1", int connectorId = 1)
    {
        var from = Cs.Calls.Count;
        Hardware.Connector(connectorId).Plug();
        await SettleAsync();
        Hardware.RfidReader.Present(idTag);
        await SettleAsync();
        var start = Cs.Calls.Skip(from).Single(c => c.Action == "StartTransaction");
        Assert.Equal(connectorId, start.Int("connectorId"));
        Assert.Equal(ChargePointStatus.Charging, ChargePoint.GetConnectorStatus(connectorId));
        return ChargePoint.GetTransactionId(connectorId) ?? throw new InvalidOperationException("No TransactionId yet.");
    }

    /// <summary>The CALLs received from index <paramref name="from"/> on, as "Action" or "StatusNotification:connector:status".</summary>
    public IReadOnlyList<string> Trace(int from = 0)
        => [.. Cs.Calls.Skip(from).Select(c => c.Action == "StatusNotification" ? $"StatusNotification:{c.Int("connectorId")}:{c.Str("status")}" : c.Action)];

    public async ValueTask DisposeAsync()
    {
        // The Central System goes first, so a CALL it holds an answer to fails instead of waiting out the graceful stop.
        await Cs.DisposeAsync();
        await DisposeChargePointAsync();
        Storage.Dispose();
    }

    /// <summary>Disposes the charge point, moving the clock on meanwhile so a graceful stop that waits for an answer ends.</summary>
    private async Task DisposeChargePointAsync()
    {
        var disposing = ChargePoint.DisposeAsync().AsTask();
        var deadline = DateTime.UtcNow + Timeouts.Await;
        while (!disposing.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(disposing, Task.Delay(50));
            if (!disposing.IsCompleted)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await disposing.WaitAsync(Timeouts.Await);
    }
}

/// <summary>Collects Warning and Error logs so a test can assert what the charge point logged.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, int EventId, string Text)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Text)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<string> Errors => [.. Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Text)];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._gate)
            {
                owner._entries.Add((logLevel, eventId.Id, $"{category} [{eventId.Id}] {formatter(state, exception)} {exception}"));
            }
        }
    }
}
