using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.Messages;

namespace Ocpp16.IntegrationTests.CentralSystem;

/// <summary>
/// The Central System a backend team would write in an afternoon with this library: delegate handlers for the actions
/// that need a decision (Authorize and StartTransaction through the toolkit's idTag evaluation and durable transaction
/// ids), the library's defaults and session state for the rest. Kestrel on 127.0.0.1.
/// </summary>
internal sealed class ScenarioCentralSystem : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ScenarioCentralSystem(WebApplication app, int port, string dataDirectory, InMemoryIdTagStore idTags, FileTransactionIdAllocator transactionIds, Func<RegistrationStatus> registration)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Port = port;
        IdTags = idTags;
        TransactionIds = transactionIds;
        Registration = registration;
    }

    public int Port { get; }

    /// <summary>ws://127.0.0.1:PORT/ocpp — charge points connect to BaseUri + "/" + id.</summary>
    public Uri BaseUri => new($"ws://127.0.0.1:{Port}/ocpp");

    public OcppCentralSystem CentralSystem => _app.Services.GetRequiredService<OcppCentralSystem>();

    public InMemoryIdTagStore IdTags { get; }

    public FileTransactionIdAllocator TransactionIds { get; }

    public Func<RegistrationStatus> Registration { get; }

    /// <summary>Every CALL received, in order, per charge point.</summary>
    public ConcurrentQueue<(string ChargePointId, IOcppRequest Request, IOcppResponse Response)> Received { get; } = new();

    public static async Task<ScenarioCentralSystem> StartAsync(Func<RegistrationStatus>? registration = null, TimeSpan? heartbeatInterval = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-scenario-" + Guid.NewGuid().ToString("N"));
        var idTags = new InMemoryIdTagStore();
        idTags.Set(new IdTagRecord("TAG-1", AuthorizationStatus.Accepted));
        idTags.Set(new IdTagRecord("TAG-E2E", AuthorizationStatus.Accepted));
        idTags.Set(new IdTagRecord("BLOCKED", AuthorizationStatus.Blocked));
        var transactionIds = new FileTransactionIdAllocator(Path.Combine(dataDirectory, "transaction-ids"), blockSize: 10);
        var evaluator = new IdTagEvaluator(idTags);
        registration ??= () => RegistrationStatus.Accepted;
        ScenarioCentralSystem? self = null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var status = registration;
        builder.Services.AddOcpp16CentralSystem(o =>
            {
                o.CallTimeout = TimeSpan.FromSeconds(15);
                o.HeartbeatInterval = heartbeatInterval ?? TimeSpan.FromSeconds(300);
            })
            .Handle((OcppCallContext c, BootNotificationRequest r, CancellationToken ct) => Record(self!, c, r, new BootNotificationResponse
            {
                Status = status(),
                CurrentTime = c.ReceivedAt,
                Interval = status() == RegistrationStatus.Accepted ? (int)(heartbeatInterval ?? TimeSpan.FromSeconds(300)).TotalSeconds : 1,
            }))
            .Handle(async (OcppCallContext c, AuthorizeRequest r, CancellationToken ct) =>
                await Record(self!, c, r, new AuthorizeResponse { IdTagInfo = await evaluator.EvaluateAsync(r.IdTag, IdTagUse.Authorize, ct) }))
            .Handle(async (OcppCallContext c, StartTransactionRequest r, CancellationToken ct) =>
            {
                var info = await evaluator.EvaluateAsync(r.IdTag, IdTagUse.StartTransaction, ct);
                var id = await transactionIds.NextAsync(ct);
                if (info.Status == AuthorizationStatus.Accepted)
                {
                    idTags.TransactionStarted(r.IdTag);
                }

                return await Record(self!, c, r, new StartTransactionResponse { TransactionId = id, IdTagInfo = info });
            })
            .Handle((OcppCallContext c, StopTransactionRequest r, CancellationToken ct) =>
            {
                if (r.IdTag is { } tag)
                {
                    idTags.TransactionStopped(tag);
                }

                return Record(self!, c, r, new StopTransactionResponse());
            })
            .Handle((OcppCallContext c, StatusNotificationRequest r, CancellationToken ct) => Record(self!, c, r, new StatusNotificationResponse()))
            .Handle((OcppCallContext c, MeterValuesRequest r, CancellationToken ct) => Record(self!, c, r, new MeterValuesResponse()))
            .Handle((OcppCallContext c, HeartbeatRequest r, CancellationToken ct) => Record(self!, c, r, new HeartbeatResponse { CurrentTime = c.ReceivedAt }));
        var app = builder.Build();
        app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ScenarioCentralSystem(app, new Uri(address).Port, dataDirectory, idTags, transactionIds, registration);
        return self;
    }

    private static ValueTask<TResponse> Record<TRequest, TResponse>(ScenarioCentralSystem self, OcppCallContext context, TRequest request, TResponse response)
        where TRequest : IOcppRequest
        where TResponse : IOcppResponse
    {
        self.Received.Enqueue((context.ChargePoint.Id, request, response));
        return ValueTask.FromResult(response);
    }

    public IEnumerable<T> ReceivedFrom<T>(string chargePointId) => Received.Where(r => r.ChargePointId == chargePointId).Select(r => r.Request).OfType<T>();

    public IEnumerable<(T Request, TResponse Response)> AnsweredTo<T, TResponse>(string chargePointId)
        => Received.Where(r => r.ChargePointId == chargePointId && r.Request is T).Select(r => ((T)r.Request, (TResponse)r.Response));

    /// <summary>Waits until the charge point is connected.</summary>
    public async Task<ConnectedChargePoint> ChargePointAsync(string id, TimeSpan timeout)
    {
        ConnectedChargePoint? cp = null;
        await UntilAsync(() => CentralSystem.TryGetChargePoint(id, out cp), timeout, id + " connected");
        return cp!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(25, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting for: " + what);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        TransactionIds.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
