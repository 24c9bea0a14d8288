using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem;
using Ocpp16.Messages;

namespace Ocpp16.IntegrationTests.EndToEnd;

/// <summary>A library CentralSystem on real Kestrel bound to a free port on 127.0.0.1, recording every CALL it handles.</summary>
internal sealed class TestCentralSystem : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestCentralSystem(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>ws://127.0.0.1:PORT/ocpp — charge points connect to BaseUri + "/" + id.</summary>
    public Uri BaseUri { get; }

    public OcppCentralSystem CentralSystem => _app.Services.GetRequiredService<OcppCentralSystem>();

    public RecordingCoreHandler Handler => _app.Services.GetRequiredService<RecordingCoreHandler>();

    public static async Task<TestCentralSystem> StartAsync(Dictionary<string, string>? passwords = null, Action<CentralSystemOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<RecordingCoreHandler>();
        builder.Services.AddSingleton(new PasswordTable(passwords ?? []));
        builder.Services.AddOcpp16CentralSystem(o =>
            {
                o.CallTimeout = TimeSpan.FromSeconds(10);
                configure?.Invoke(o);
            })
            .AddCoreHandler<ForwardingCoreHandler>()
            .AddAuthenticator<TablePasswordAuthenticator>();
        var app = builder.Build();
        app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new TestCentralSystem(app, new Uri($"ws://127.0.0.1:{port}/ocpp"));
    }

    public async Task<ConnectedChargePoint> WaitForChargePointAsync(string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (CentralSystem.TryGetChargePoint(id, out var cp))
            {
                return cp;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{id} did not connect within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private sealed class PasswordTable(Dictionary<string, string> passwords)
    {
        public Dictionary<string, string> Passwords { get; } = passwords;
    }

    private sealed class TablePasswordAuthenticator(PasswordTable table) : IChargePointAuthenticator
    {
        public ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(!table.Passwords.TryGetValue(context.ChargePointId, out var expected) || OcppCentralSystem.SecretEquals(expected, context.Password));
    }

    private sealed class ForwardingCoreHandler(RecordingCoreHandler inner) : ICentralSystemCoreHandler
    {
        public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken) => inner.OnAuthorizeAsync(chargePoint, request, cancellationToken);

        public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken) => inner.OnBootNotificationAsync(chargePoint, request, cancellationToken);

        public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken) => inner.OnDataTransferAsync(chargePoint, request, cancellationToken);

        public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken) => inner.OnHeartbeatAsync(chargePoint, request, cancellationToken);

        public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken) => inner.OnMeterValuesAsync(chargePoint, request, cancellationToken);

        public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken) => inner.OnStartTransactionAsync(chargePoint, request, cancellationToken);

        public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken) => inner.OnStatusNotificationAsync(chargePoint, request, cancellationToken);

        public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken) => inner.OnStopTransactionAsync(chargePoint, request, cancellationToken);
    }
}

/// <summary>Records every CP→CS Core CALL in arrival order and answers like a simple CSMS.</summary>
internal sealed class RecordingCoreHandler : ICentralSystemCoreHandler
{
    private int _nextTransactionId = 100;

    public ConcurrentQueue<(string ChargePointId, IOcppRequest Request)> Calls { get; } = new();

    /// <summary>IdTags answered with a status other than Accepted.</summary>
    public ConcurrentDictionary<string, AuthorizationStatus> IdTagStatus { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<T> Received<T>(string chargePointId)
        where T : IOcppRequest
        => [.. Calls.Where(c => c.ChargePointId == chargePointId && c.Request is T).Select(c => (T)c.Request)];

    public async Task<T> WaitForAsync<T>(string chargePointId, Func<T, bool> predicate, TimeSpan timeout)
        where T : IOcppRequest
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = Received<T>(chargePointId).FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching {typeof(T).Name} from {chargePointId} within {timeout}; received: {string.Join(", ", Calls.Where(c => c.ChargePointId == chargePointId).Select(c => c.Request.Action))}");
    }

    public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        if (request.IdTag == "CALLERROR")
        {
            // Lets tests see a chosen CALLERROR go out to the charge point.
            throw new Ocpp16.Transport.OcppCallErrorException(OcppErrorCode.SecurityError, "refused by the test Central System");
        }

        return ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = Info(request.IdTag) });
    }

    public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = DateTimeOffset.UtcNow, Interval = 300 });
    }

    public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.Accepted, Data = request.Data });
    }

    public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
    }

    public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new MeterValuesResponse());
    }

    public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new StartTransactionResponse { TransactionId = Interlocked.Increment(ref _nextTransactionId), IdTagInfo = Info(request.IdTag) });
    }

    public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new StatusNotificationResponse());
    }

    public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken)
    {
        Calls.Enqueue((chargePoint.Id, request));
        return ValueTask.FromResult(new StopTransactionResponse { IdTagInfo = request.IdTag is { } tag ? Info(tag) : null });
    }

    private IdTagInfo Info(string idTag) => new() { Status = IdTagStatus.TryGetValue(idTag, out var s) ? s : AuthorizationStatus.Accepted };
}
