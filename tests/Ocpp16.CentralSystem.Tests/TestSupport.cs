using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

internal static class Timeouts
{
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(10);
}

internal sealed class RawJson(string json) : IOcppJsonWritable
{
    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
}

/// <summary>What the test handlers do, shared through DI so each test configures its own.</summary>
internal sealed class Behaviour
{
    public ConcurrentQueue<(string ChargePointId, string Action, object Request)> Received { get; } = new();

    public Func<ConnectedChargePoint, BootNotificationRequest, ValueTask<BootNotificationResponse>> Boot { get; set; } =
        (_, _) => ValueTask.FromResult(new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = DateTimeOffset.UtcNow, Interval = 300 });

    public Func<AuthorizeRequest, AuthorizeResponse> Authorize { get; set; } =
        _ => new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } };

    public Func<ChargePointAuthenticationContext, bool> Authenticate { get; set; } = _ => true;

    public ConcurrentQueue<ChargePointAuthenticationContext> AuthenticationContexts { get; } = new();
}

internal sealed class TestCoreHandler(Behaviour behaviour) : ICentralSystemCoreHandler
{
    private T Record<T>(ConnectedChargePoint cp, string action, T request)
        where T : notnull
    {
        behaviour.Received.Enqueue((cp.Id, action, request));
        return request;
    }

    public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(behaviour.Authorize(Record(chargePoint, "Authorize", request)));

    public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken)
        => behaviour.Boot(chargePoint, Record(chargePoint, "BootNotification", request));

    public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken)
    {
        Record(chargePoint, "DataTransfer", request);
        return request.MessageId switch
        {
            "throw" => throw new InvalidOperationException("secret internal detail"),
            "throw-async" => ThrowLaterAsync(),
            "security" => throw new OcppCallErrorException(OcppErrorCode.SecurityError, "not allowed"),
            _ => ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.Accepted, Data = request.Data }),
        };

        static async ValueTask<DataTransferResponse> ThrowLaterAsync()
        {
            await Task.Yield();
            throw new InvalidOperationException("secret async detail");
        }
    }

    public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new HeartbeatResponse { CurrentTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) });

    public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new MeterValuesResponse());

    public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new StartTransactionResponse { TransactionId = 1, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });

    public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        Record(chargePoint, "StatusNotification", request);
        return ValueTask.FromResult(new StatusNotificationResponse());
    }

    public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new StopTransactionResponse());
}

internal sealed class TestAuthenticator(Behaviour behaviour) : IChargePointAuthenticator
{
    public ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken)
    {
        behaviour.AuthenticationContexts.Enqueue(context);
        return ValueTask.FromResult(behaviour.Authenticate(context));
    }
}

/// <summary>A real Kestrel Central System on 127.0.0.1 with a free port.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, Behaviour behaviour, Uri baseUri)
    {
        App = app;
        Behaviour = behaviour;
        BaseUri = baseUri;
        CentralSystem = app.Services.GetRequiredService<OcppCentralSystem>();
    }

    public WebApplication App { get; }

    public Behaviour Behaviour { get; }

    /// <summary><c>ws://127.0.0.1:port/ocpp/</c>.</summary>
    public Uri BaseUri { get; }

    public OcppCentralSystem CentralSystem { get; }

    public static async Task<TestServer> StartAsync(bool coreHandler = true, bool authenticator = false, Action<CentralSystemOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var behaviour = new Behaviour();
        builder.Services.AddSingleton(behaviour);
        var cs = builder.Services.AddOcpp16CentralSystem(configure);
        if (coreHandler)
        {
            cs.AddCoreHandler<TestCoreHandler>();
        }

        if (authenticator)
        {
            cs.AddAuthenticator<TestAuthenticator>();
        }

        var app = builder.Build();
        app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
        await app.StartAsync().WaitAsync(Timeouts.Await);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, behaviour, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp/"));
    }

    /// <summary>Connects a charge point and waits until the registry lists it.</summary>
    public async Task<TestClient> ConnectAsync(string identity, IOcppRequestHandler? handler = null, string? password = null)
    {
        var connected = new TaskCompletionSource<ConnectedChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnConnected(object? sender, ConnectedChargePoint cp)
        {
            if (cp.Id == identity)
            {
                connected.TrySetResult(cp);
            }
        }

        CentralSystem.ChargePointConnected += OnConnected;
        try
        {
            var transport = await OcppWebSocketClient.ConnectAsync(BaseUri, identity, new OcppWebSocketClientOptions { BasicAuthPassword = password }).WaitAsync(Timeouts.Await);
            var server = await connected.Task.WaitAsync(Timeouts.Await);
            return new TestClient(transport, handler ?? new ScriptedChargePoint(), server);
        }
        finally
        {
            CentralSystem.ChargePointConnected -= OnConnected;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A connection a failed test left open must not hold the shutdown: cancel the graceful part after 2 s.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await App.StopAsync(stop.Token).WaitAsync(Timeouts.Await);
        await App.DisposeAsync();
    }
}

/// <summary>A charge point: an RPC connection over a real WebSocket, plus the server-side view of it.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    public TestClient(WebSocketOcppTransport transport, IOcppRequestHandler handler, ConnectedChargePoint server)
    {
        Transport = transport;
        Server = server;
        Connection = new OcppRpcConnection(transport, handler);
        Run = Connection.RunAsync();
    }

    public WebSocketOcppTransport Transport { get; }

    public OcppRpcConnection Connection { get; }

    public Task<OcppCloseInfo> Run { get; }

    public ConnectedChargePoint Server { get; }

    public async Task<OcppCallResult> CallAsync(string action, string payload)
        => await Connection.CallAsync(action, new RawJson(payload), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);

    public async Task AssertHeartbeatAnsweredAsync()
    {
        var result = await CallAsync("Heartbeat", "{}");
        Assert.Equal(OcppCallStatus.Result, result.Status);
        Assert.Equal("{\"currentTime\":\"2026-01-02T03:04:05.000Z\"}", Encoding.UTF8.GetString(result.Payload.Span));
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync().AsTask().WaitAsync(Timeouts.Await);
}

/// <summary>A charge point that answers CS→CP CALLs from a table of raw JSON (or CALLERRORs) and records them.</summary>
internal sealed class ScriptedChargePoint : IOcppRequestHandler
{
    public ConcurrentQueue<(string Action, string Payload)> Received { get; } = new();

    public Dictionary<string, OcppResponse> Answers { get; } = new(StringComparer.Ordinal)
    {
        ["Reset"] = OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}")),
        ["GetConfiguration"] = OcppResponse.Result(new RawJson("{\"configurationKey\":[{\"key\":\"HeartbeatInterval\",\"readonly\":false,\"value\":\"60\"}],\"unknownKey\":[\"Nope\"]}")),
        ["ChangeConfiguration"] = OcppResponse.Result(new RawJson("{\"status\":\"Rejected\"}")),
        ["UnlockConnector"] = OcppResponse.Result(new RawJson("{\"status\":\"Unlocked\"}")),
        ["RemoteStartTransaction"] = OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}")),
        ["ClearCache"] = OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}")),
    };

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
    {
        Received.Enqueue((call.Action, Encoding.UTF8.GetString(call.Payload.Span)));
        return ValueTask.FromResult(Answers.TryGetValue(call.Action, out var answer) ? answer : OcppResponse.Error(OcppErrorCode.NotImplemented, "test"));
    }
}

internal static class Frames
{
    /// <summary>Sends an exact frame on a raw transport and returns the next frame received.</summary>
    public static async Task<JsonElement> ExchangeAsync(IOcppTransport transport, string frame)
    {
        await transport.SendAsync(Encoding.UTF8.GetBytes(frame)).AsTask().WaitAsync(Timeouts.Await);
        var buffer = new ArrayBufferWriter<byte>();
        var result = await transport.ReceiveAsync(buffer).AsTask().WaitAsync(Timeouts.Await);
        Assert.False(result.IsClose, "the Central System closed the connection");
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    public static string Str(this JsonElement e, int index) => e[index].GetString()!;

    public static string Id(int n) => "id-" + n.ToString(CultureInfo.InvariantCulture);
}
