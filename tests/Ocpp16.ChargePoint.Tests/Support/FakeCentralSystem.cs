using System.Globalization;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Support;

internal static class Timeouts
{
    /// <summary>The longest a test waits, in real time, for something that should happen at once.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(10);
}

/// <summary>An <see cref="IOcppJsonWritable"/> that writes a given raw JSON value.</summary>
internal sealed class RawJson(string json) : IOcppJsonWritable
{
    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
}

/// <summary>One CALL the fake Central System received: which connection (1-based), action, payload and raw text.</summary>
internal sealed record RecordedCall(int Connection, string Action, JsonElement Payload, string Raw)
{
    public string Str(string property) => Payload.GetProperty(property).GetString()!;

    public int Int(string property) => Payload.GetProperty(property).GetInt32();

    public bool Has(string property) => Payload.TryGetProperty(property, out _);

    public bool IsStatus(int connectorId, string status) =>
        Action == "StatusNotification" && Int("connectorId") == connectorId && Str("status") == status;

    public override string ToString() => $"#{Connection} {Action} {Raw}";
}

/// <summary>
/// The Central System end of in-memory transport pairs, created by the charge point's transport factory. Records every
/// CALL, answers from a configurable table (StartTransaction gets ids from 1001, the same id again for an identical
/// StartTransaction, as a Central System that recognises a message resent after a crash), can call the charge point,
/// drop the connection, refuse new ones, or hold answers back.
/// </summary>
internal sealed class FakeCentralSystem : IOcppRequestHandler, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<(OcppRpcConnection Connection, Task Run)> _connections = [];
    private readonly Dictionary<string, int> _startIds = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _nextTransactionId = 1000;
    private int _heldAnswers;
    private volatile bool _unreachable;

    public FakeCentralSystem(TimeProvider time)
    {
        _time = time;
        Answers["BootNotification"] = _ => Result($"{{\"status\":\"Accepted\",\"currentTime\":\"{Now}\",\"interval\":{BootInterval}}}");
        Answers["StatusNotification"] = _ => Result("{}");
        Answers["Heartbeat"] = _ => Result($"{{\"currentTime\":\"{Now}\"}}");
        Answers["MeterValues"] = _ => Result("{}");
        Answers["Authorize"] = _ => Result("{\"idTagInfo\":{\"status\":\"Accepted\"}}");
        Answers["StartTransaction"] = call => Result($"{{\"transactionId\":{TransactionIdFor(call)},\"idTagInfo\":{{\"status\":\"Accepted\"}}}}");
        Answers["StopTransaction"] = _ => Result("{}");
        Answers["DataTransfer"] = _ => Result("{\"status\":\"Accepted\"}");
        foreach (var notification in (string[])["DiagnosticsStatusNotification", "FirmwareStatusNotification", "LogStatusNotification", "SecurityEventNotification", "SignedFirmwareStatusNotification"])
        {
            Answers[notification] = _ => Result("{}");
        }

        Answers["SignCertificate"] = _ => Result("{\"status\":\"Accepted\"}");
    }

    /// <summary>The heartbeat interval BootNotification.conf gives. Default 300 s.</summary>
    public int BootInterval { get; set; } = 300;

    public string Now => _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Answer per action; the default table accepts everything.</summary>
    public Dictionary<string, Func<RecordedCall, OcppResponse>> Answers { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers given as a task that has not completed yet (a CALL the charge point waits for).</summary>
    public int HeldAnswers => Volatile.Read(ref _heldAnswers);

    /// <summary>Answers per action that come later, or never (a timeout): a held answer keeps the CALL in flight.</summary>
    public Dictionary<string, Func<RecordedCall, Task<OcppResponse>>> HeldAnswersByAction { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the transport factory throws (the Central System is unreachable).</summary>
    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>Wraps each charge point transport the factory creates (a fault seam for kill tests).</summary>
    public Func<IOcppTransport, IOcppTransport>? WrapTransport { get; set; }

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

    public IReadOnlyList<RecordedCall> CallsOf(string action) => [.. Calls.Where(c => c.Action == action)];

    public static OcppResponse Result(string json) => OcppResponse.Result(new RawJson(json));

    /// <summary>The id answered to a StartTransaction: a new one, or the earlier one for an identical payload.</summary>
    public int TransactionIdFor(RecordedCall call)
    {
        lock (_gate)
        {
            if (!_startIds.TryGetValue(call.Raw, out var id))
            {
                id = ++_nextTransactionId;
                _startIds[call.Raw] = id;
            }

            return id;
        }
    }

    /// <summary>The charge point's transport factory.</summary>
    public ValueTask<IOcppTransport> ConnectAsync(CancellationToken cancellationToken)
    {
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

        return ValueTask.FromResult(WrapTransport is { } wrap ? wrap(chargePoint) : chargePoint);
    }

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
    {
        RecordedCall recorded;
        Func<RecordedCall, OcppResponse>? answer;
        Func<RecordedCall, Task<OcppResponse>>? held;
        using (var doc = JsonDocument.Parse(call.Payload))
        {
            lock (_gate)
            {
                recorded = new RecordedCall(_connections.Count, call.Action, doc.RootElement.Clone(), Encoding.UTF8.GetString(call.Payload.Span));
                _calls.Add(recorded);
                Answers.TryGetValue(call.Action, out answer);
                HeldAnswersByAction.TryGetValue(call.Action, out held);
            }
        }

        if (held is not null)
        {
            return new ValueTask<OcppResponse>(HoldAsync(held(recorded)));
        }

        return ValueTask.FromResult(answer is null ? OcppResponse.Error(OcppErrorCode.NotImplemented, "test: no answer") : answer(recorded));
    }

    private async Task<OcppResponse> HoldAsync(Task<OcppResponse> answer)
    {
        Interlocked.Increment(ref _heldAnswers);
        try
        {
            return await answer;
        }
        finally
        {
            Interlocked.Decrement(ref _heldAnswers);
        }
    }

    /// <summary>Sends a typed CS→CP CALL on the current connection and reads the typed response.</summary>
    public async Task<TResponse> CallAsync<TResponse>(IOcppRequest<TResponse> request)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        var result = await CallRawAsync(request.Action, request);
        var payload = result.EnsureSuccess();
        Assert.True(TResponse.TryRead(payload.Span, null, out var response, out var violation), $"invalid {request.Action} response: {violation}");
        return response;
    }

    /// <summary>Sends a CS→CP CALL and returns the raw result (CALLRESULT or CALLERROR).</summary>
    public Task<OcppCallResult> CallRawAsync(string action, IOcppJsonWritable payload)
    {
        OcppRpcConnection connection;
        lock (_gate)
        {
            connection = _connections[^1].Connection;
        }

        return connection.CallAsync(action, payload, Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
    }

    /// <summary>Closes the current connection from the Central System side.</summary>
    public async Task DropAsync()
    {
        OcppRpcConnection connection;
        Task run;
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
