using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests;

internal static class Timeouts
{
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(10);
}

/// <summary>An <see cref="IOcppJsonWritable"/> that writes a given raw JSON value (for exact or invalid payloads).</summary>
internal sealed class RawJson(string json) : IOcppJsonWritable
{
    public string Json { get; } = json;

    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(Json, skipInputValidation: true);
}

/// <summary>One CALL the fake Central System received: which connection (1-based), action and payload.</summary>
internal sealed record RecordedCall(int Connection, string Action, JsonElement Payload)
{
    public string Str(string property) => Payload.GetProperty(property).GetString()!;

    public int Int(string property) => Payload.GetProperty(property).GetInt32();

    public bool Has(string property) => Payload.TryGetProperty(property, out _);

    public bool IsStatus(int connectorId, string status) =>
        Action == "StatusNotification" && Int("connectorId") == connectorId && Str("status") == status;

    public override string ToString() => $"#{Connection} {Action} {Payload.GetRawText()}";
}

/// <summary>
/// The Central System end of in-memory transport pairs, created by the charge point's transport factory. Records every
/// CALL and answers from a configurable table; can send CS→CP CALLs and drop the connection or refuse new ones.
/// </summary>
internal sealed class FakeCentralSystem : IOcppRequestHandler, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<(OcppRpcConnection Connection, Task Run)> _connections = [];
    private int _nextTransactionId = 1000;
    private int _bootCount;

    public FakeCentralSystem()
    {
        Answers["BootNotification"] = _ => Result($"{{\"status\":\"Accepted\",\"currentTime\":\"{Now}\",\"interval\":300}}");
        Answers["StatusNotification"] = _ => Result("{}");
        Answers["Heartbeat"] = _ => Result($"{{\"currentTime\":\"{Now}\"}}");
        Answers["MeterValues"] = _ => Result("{}");
        Answers["Authorize"] = _ => Result("{\"idTagInfo\":{\"status\":\"Accepted\"}}");
        Answers["StartTransaction"] = _ => Result($"{{\"transactionId\":{Interlocked.Increment(ref _nextTransactionId)},\"idTagInfo\":{{\"status\":\"Accepted\"}}}}");
        Answers["StopTransaction"] = _ => Result("{}");
        Answers["DataTransfer"] = _ => Result("{\"status\":\"Accepted\"}");
    }

    private static string Now => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Answer per action; the default table accepts everything. TransactionIds start at 1001.</summary>
    public Dictionary<string, Func<RecordedCall, OcppResponse>> Answers { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the transport factory throws (the Central System is unreachable).</summary>
    private volatile bool _unreachable;

    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    public int FactoryCalls;

    public int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    public OcppRpcConnection Current
    {
        get
        {
            lock (_gate)
            {
                return _connections[^1].Connection;
            }
        }
    }

    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public int BootCount => Volatile.Read(ref _bootCount);

    public static OcppResponse Result(string json) => OcppResponse.Result(new RawJson(json));

    public ChargePointOptions Options(Action<IDictionary<string, string>>? configure = null)
    {
        var options = new ChargePointOptions
        {
            Identity = "CP-TEST",
            ChargePointVendor = "TestVendor",
            ChargePointModel = "TestModel",
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            CallTimeout = TimeSpan.FromSeconds(5),
            TransportFactory = ConnectAsync,
        };
        configure?.Invoke(options.Configuration);
        return options;
    }

    private ValueTask<IOcppTransport> ConnectAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref FactoryCalls);
        if (_unreachable)
        {
            throw new IOException("Central System unreachable (test).");
        }

        var (chargePoint, centralSystem) = InMemoryOcppTransport.CreatePair();
        var connection = new OcppRpcConnection(centralSystem, this, new OcppRpcOptions { DefaultCallTimeout = Timeouts.Await });
        lock (_gate)
        {
            _connections.Add((connection, connection.RunAsync()));
        }

        return ValueTask.FromResult(chargePoint);
    }

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
    {
        RecordedCall recorded;
        Func<RecordedCall, OcppResponse>? answer;
        using (var doc = JsonDocument.Parse(call.Payload))
        {
            lock (_gate)
            {
                recorded = new RecordedCall(_connections.Count, call.Action, doc.RootElement.Clone());
                _calls.Add(recorded);
                Answers.TryGetValue(call.Action, out answer);
            }
        }

        if (call.Action == "BootNotification")
        {
            Interlocked.Increment(ref _bootCount);
        }

        return ValueTask.FromResult(answer is null ? OcppResponse.Error(OcppErrorCode.NotImplemented, "test: no answer") : answer(recorded));
    }

    /// <summary>Waits until a recorded call at index ≥ <paramref name="from"/> matches; returns it with its index.</summary>
    public async Task<(RecordedCall Call, int Index)> WaitForAsync(Func<RecordedCall, bool> match, int from = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeouts.Await);
        while (true)
        {
            var calls = Calls;
            for (var i = from; i < calls.Count; i++)
            {
                if (match(calls[i]))
                {
                    return (calls[i], i);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No matching CALL arrived. Received:\n" + string.Join("\n", calls));
            }

            await Task.Delay(20);
        }
    }

    public Task<(RecordedCall Call, int Index)> WaitForAsync(string action, int from = 0, TimeSpan? timeout = null)
        => WaitForAsync(c => c.Action == action, from, timeout);

    public Task<(RecordedCall Call, int Index)> WaitForStatusAsync(int connectorId, string status, int from = 0)
        => WaitForAsync(c => c.IsStatus(connectorId, status), from);

    /// <summary>Sends a CS→CP CALL on the current connection and returns the raw result.</summary>
    public async Task<OcppCallResult> CallAsync(string action, IOcppJsonWritable payload)
        => await Current.CallAsync(action, payload, Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);

    /// <summary>Sends a typed CS→CP CALL and reads (and validates) the typed response.</summary>
    public async Task<TResponse> CallAsync<TResponse>(IOcppRequest<TResponse> request)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        var result = await CallAsync(request.Action, request);
        var payload = result.EnsureSuccess();
        Assert.True(TResponse.TryRead(payload.Span, null, out var response, out var violation), $"invalid {request.Action} response: {violation}");
        return response;
    }

    /// <summary>Closes the current connection from the Central System side.</summary>
    public async Task DropAsync()
    {
        Task run;
        OcppRpcConnection connection;
        lock (_gate)
        {
            (connection, run) = _connections[^1];
        }

        await connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "test drop").WaitAsync(Timeouts.Await);
        await run.WaitAsync(Timeouts.Await);
    }

    public async ValueTask DisposeAsync()
    {
        List<(OcppRpcConnection Connection, Task Run)> connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        foreach (var (connection, _) in connections)
        {
            await connection.DisposeAsync().AsTask().WaitAsync(Timeouts.Await);
        }
    }
}

/// <summary>A charge point over simulated hardware talking to a <see cref="FakeCentralSystem"/>.</summary>
internal sealed class Rig : IAsyncDisposable
{
    private Rig(FakeCentralSystem cs, SimulatedChargePointHardware hardware, ChargePoint chargePoint, CollectingLoggerFactory logs)
    {
        Cs = cs;
        Hardware = hardware;
        ChargePoint = chargePoint;
        Logs = logs;
    }

    public FakeCentralSystem Cs { get; }

    public SimulatedChargePointHardware Hardware { get; }

    public ChargePoint ChargePoint { get; }

    public CollectingLoggerFactory Logs { get; }

    /// <summary>
    /// Creates and starts a 2-connector charge point (with <paramref name="dataDirectory"/>: its SQLite store there);
    /// optionally waits for the boot's three StatusNotifications.
    /// </summary>
    public static async Task<Rig> StartAsync(Action<IDictionary<string, string>>? configure = null, Action<FakeCentralSystem>? setup = null, bool waitForBoot = true, string? dataDirectory = null)
    {
        var cs = new FakeCentralSystem();
        setup?.Invoke(cs);
        var hardware = new SimulatedChargePointHardware(2);
        var logs = new CollectingLoggerFactory();
        var options = cs.Options(configure);
        options.DataDirectory = dataDirectory;
        var chargePoint = new ChargePoint(options, hardware, logs);
        await chargePoint.StartAsync().WaitAsync(Timeouts.Await);
        var rig = new Rig(cs, hardware, chargePoint, logs);
        if (waitForBoot)
        {
            await cs.WaitForStatusAsync(0, "Available");
            await cs.WaitForStatusAsync(1, "Available");
            await cs.WaitForStatusAsync(2, "Available");
        }

        return rig;
    }

    /// <summary>Plugs connector 1, presents <paramref name="idTag"/> and waits for the StartTransaction and Charging.</summary>
    public async Task<(RecordedCall Start, int Index)> StartLocalTransactionAsync(string idTag = "TAG1", int connectorId = 1)
    {
        var from = Cs.Calls.Count;
        Hardware.Connector(connectorId).Plug();
        await Cs.WaitForStatusAsync(connectorId, "Preparing", from);
        Hardware.RfidReader.Present(idTag);
        var start = await Cs.WaitForAsync("StartTransaction", from);
        await Cs.WaitForStatusAsync(connectorId, "Charging", from);
        await WaitUntilAsync(() => ChargePoint.GetTransactionId(connectorId) is not null);
        return start;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + Timeouts.Await;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met: " + what);
            }

            await Task.Delay(20);
        }
    }

    /// <summary>No CALL matching <paramref name="match"/> arrives within <paramref name="window"/>.</summary>
    public async Task AssertNoneAsync(Func<RecordedCall, bool> match, TimeSpan window, int from = 0)
    {
        await Task.Delay(window);
        Assert.DoesNotContain(Cs.Calls.Skip(from).ToList(), c => match(c));
    }

    public async ValueTask DisposeAsync()
    {
        await ChargePoint.DisposeAsync().AsTask().WaitAsync(Timeouts.Await);
        await Cs.DisposeAsync();
    }
}

/// <summary>Collects Error logs so a test can assert the charge point logged no unexpected error.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

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

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                lock (owner._gate)
                {
                    owner._errors.Add($"{category} [{eventId.Id}] {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}

internal static class JsonText
{
    public static string Of(ReadOnlyMemory<byte> payload) => Encoding.UTF8.GetString(payload.Span);
}
