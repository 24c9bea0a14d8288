using System.Buffers;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Tests;

/// <summary>An IOcppJsonWritable that writes a given raw JSON value.</summary>
internal sealed class RawJson : IOcppJsonWritable
{
    public RawJson(string json) => Json = json;

    public string Json { get; }

    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(Json);
}

/// <summary>A payload whose WriteTo throws, to simulate a broken response.</summary>
internal sealed class ThrowingJson : IOcppJsonWritable
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        throw new InvalidOperationException("broken payload");
    }
}

internal sealed class DelegateHandler : IOcppRequestHandler
{
    private readonly Func<OcppIncomingCall, CancellationToken, ValueTask<OcppResponse>> _handle;

    public DelegateHandler(Func<OcppIncomingCall, CancellationToken, ValueTask<OcppResponse>> handle) => _handle = handle;

    /// <summary>Answers every CALL with its own payload.</summary>
    public static DelegateHandler Echo { get; } = new((call, _) =>
        ValueTask.FromResult(OcppResponse.Result(new RawJson(Encoding.UTF8.GetString(call.Payload.Span)))));

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken) => _handle(call, cancellationToken);
}

internal static class Timeouts
{
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(10);
}

/// <summary>A manual clock: timers fire only in <see cref="Advance"/>.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _sync = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_sync)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public int ActiveTimers
    {
        get
        {
            lock (_sync)
            {
                return _timers.Count;
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due = [];
        lock (_sync)
        {
            _now += by;
            foreach (var t in _timers)
            {
                if (t.DueAt <= _now)
                {
                    due.Add(t);
                }
            }

            foreach (var t in due)
            {
                _timers.Remove(t);
            }
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTimeProvider _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_owner._sync)
            {
                _owner._timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = _owner._now + dueTime;
                    _owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose()
        {
            lock (_owner._sync)
            {
                _owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// An OcppRpcConnection (the system under test, on the Central System end of an in-memory pair) and the raw
/// transport of its peer, through which tests send exact frames and read exact answers.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly ArrayBufferWriter<byte> _receiveBuffer = new();
    private int _probe;

    public Harness(IOcppRequestHandler? handler = null, OcppRpcOptions? options = null, TimeProvider? timeProvider = null)
    {
        var (chargePoint, centralSystem) = InMemoryOcppTransport.CreatePair();
        Peer = chargePoint;
        Connection = new OcppRpcConnection(centralSystem, handler ?? DelegateHandler.Echo, options, timeProvider: timeProvider)
        {
            Identity = "CP-TEST",
        };
        Connection.BadMessage += (_, info) =>
        {
            lock (BadMessages)
            {
                BadMessages.Add(info);
            }
        };
        Run = Connection.RunAsync();
    }

    public IOcppTransport Peer { get; }

    public OcppRpcConnection Connection { get; }

    public Task<OcppCloseInfo> Run { get; }

    public List<OcppBadMessage> BadMessages { get; } = [];

    public ValueTask SendAsync(string frame) => Peer.SendAsync(Encoding.UTF8.GetBytes(frame));

    /// <summary>Starts a receive; the returned task completes when the connection sends a frame (or closes: null).</summary>
    public async Task<string?> ReceiveAsync()
    {
        _receiveBuffer.Clear();
        var result = await Peer.ReceiveAsync(_receiveBuffer).AsTask().WaitAsync(Timeouts.Await);
        return result.IsClose ? null : Encoding.UTF8.GetString(_receiveBuffer.WrittenSpan);
    }

    public async Task<OcppReceiveResult> ReceiveRawAsync()
    {
        _receiveBuffer.Clear();
        return await Peer.ReceiveAsync(_receiveBuffer).AsTask().WaitAsync(Timeouts.Await);
    }

    /// <summary>
    /// Sends a valid CALL and asserts that the very next frame from the connection is its CALLRESULT: proves both that
    /// nothing was sent in between (e.g. no reply to a preceding bad frame) and that the connection still works.
    /// </summary>
    public async Task ProbeAsync()
    {
        var id = "probe-" + (++_probe).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync("[2,\"" + id + "\",\"Heartbeat\",{\"n\":" + _probe.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}]");
        Assert.Equal("[3,\"" + id + "\",{\"n\":" + _probe.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}]", await ReceiveAsync());
    }

    /// <summary>Reads the unique id of a CALL frame sent by the connection.</summary>
    public static (string UniqueId, string Action, string Payload) ParseCall(string frame)
    {
        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        Assert.Equal(2, root[0].GetInt32());
        return (root[1].GetString()!, root[2].GetString()!, root[3].GetRawText());
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
