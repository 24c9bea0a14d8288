using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MinimalCsms;
using MinimalCsms.Handlers;
using MinimalCsms.Live;
using MinimalCsms.Persistence;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;

// A minimal CSMS on the Ocpp16 library: charge points connect to ws://HOST:PORT/ocpp/{chargePointId}; the dashboard is
// at http://HOST:PORT/, the HTTP API under /api, its OpenAPI document at /openapi/v1.json.
// Usage: dotnet run --project samples/MinimalCsms -- [--urls http://127.0.0.1:8180] [--data-dir DIR] [--simulate N]
//        [--ChargePoints:CP1:Password=secret | --ChargePoints:CP1:PasswordHash=HASH] [--IdTags:TAG=Accepted]
//        [--ScaleOut:RabbitMq=amqp://guest:guest@localhost/ --ScaleOut:NodeId=a]   (one node of a cluster)
//        dotnet run --project samples/MinimalCsms -- --hash-password SECRET   (prints a PasswordHash and exits)
//        dotnet run --project samples/MinimalCsms -- --create-pki DIR [--Csms:CertificateAuthority:Organization CPO]
//          (writes a demo CA, TLS and firmware signing PKI as PEM files and exits; security profiles 2 and 3: README)
// The content root is the build output, so appsettings.json and the dashboard are found whatever the working directory is.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });

if (builder.Configuration["hash-password"] is { Length: > 0 } secret)
{
    Console.WriteLine(ChargePointCredentialStore.HashPassword(secret));
    return;
}

if (builder.Configuration["create-pki"] is { Length: > 0 } pkiDirectory)
{
    CsmsSecurity.CreatePki(pkiDirectory, builder.Configuration["Csms:CertificateAuthority:Organization"] ?? "MinimalCsms CPO", Console.Out);
    return;
}

// Fail at start on a malformed PasswordHash rather than refusing that charge point at every handshake.
foreach (var chargePoint in builder.Configuration.GetSection("ChargePoints").GetChildren())
{
    if (chargePoint["PasswordHash"] is { Length: > 0 } hash)
    {
        new ChargePointCredentialStore().SetPasswordHash(chargePoint.Key, hash, securityProfile: 1);
    }
}

var dataDirectory = builder.Configuration["data-dir"] ?? builder.Configuration["Csms:DataDirectory"] ?? Path.Combine(Environment.CurrentDirectory, "csms-data");
var database = new CsmsDatabase(dataDirectory);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton<CsmsWriter>();
builder.Services.AddSingleton<CsmsStore>();
builder.Services.AddSingleton<IIdTagStore>(sp => sp.GetRequiredService<CsmsStore>());
builder.Services.AddSingleton<IIdTagEvaluator>(sp => new IdTagEvaluator(sp.GetRequiredService<IIdTagStore>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<LiveFeed>();
builder.Services.AddOpenApi();
builder.Services.AddProblemDetails();
var ocpp = builder.Services.AddOcpp16CentralSystem(builder.Configuration.GetSection("Ocpp"))
    .AddCoreHandler<CsmsCoreHandler>()
    .AddFirmwareManagementHandler<CsmsFirmwareHandler>()
    .AddSecurityHandler<CsmsSecurityHandler>();
CsmsSecurity.Configure(builder, ocpp); // TLS (Csms:Tls), the certificate authority (Csms:CertificateAuthority), the authenticator

// --ScaleOut:RabbitMq=amqp://user:password@host/ makes this process one node of a cluster (README: "Scale-out"); the
// nodes share the database of --data-dir (same host) and route commands to the node that holds each charge point.
if (builder.Configuration.GetSection("ScaleOut") is var scaleOut && scaleOut["RabbitMq"] is { Length: > 0 })
{
    ocpp.AddRabbitMqScaleOut(scaleOut);
}

var app = builder.Build();
CsmsLog.Database(app.Services.GetRequiredService<ILogger<CsmsDatabase>>(), database.Path, database.SchemaVersion);
var store = app.Services.GetRequiredService<CsmsStore>();
await store.SeedIdTagsAsync(app.Configuration.GetSection("IdTags").GetChildren()
    .Select(c => (c.Key, OcppEnums.TryParse(c.Value, out AuthorizationStatus s) ? s : AuthorizationStatus.Invalid)));

var centralSystem = app.Services.GetRequiredService<OcppCentralSystem>();
var live = app.Services.GetRequiredService<LiveFeed>();
centralSystem.ChargePointConnected += (_, cp) =>
{
    _ = store.SeenAsync(cp.Id, cp.ConnectedAt);
    live.Publish("connected", cp.Id, cp.RemoteAddress ?? string.Empty);
};
centralSystem.ChargePointDisconnected += (_, e) => live.Publish("disconnected", e.ChargePoint.Id, e.CloseInfo.CloseStatus?.ToString() ?? "connection lost");
if (centralSystem.Cluster is { } cluster)
{
    // The dashboard of every node shows the whole cluster: the other nodes' charge points as they come and go.
    cluster.ChargePointConnected += (_, cp) =>
    {
        if (!cp.IsLocal)
        {
            live.Publish("connected", cp.Id, $"on node {cp.NodeId}");
        }
    };
    cluster.ChargePointDisconnected += (_, cp) =>
    {
        if (!cp.IsLocal)
        {
            live.Publish("disconnected", cp.Id, $"from node {cp.NodeId}");
        }
    };
    cluster.SessionChanged += (_, session) => live.Publish("status", session.ChargePointId, "on another node");
}

app.UseDefaultFiles();
app.UseStaticFiles();
app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
app.MapOpenApi();
CsmsApi.Map(app);

var simulate = app.Configuration.GetValue("simulate", 0);
if (simulate > 0)
{
    app.Lifetime.ApplicationStarted.Register(() => Simulation.Start(app, simulate));
}

app.Lifetime.ApplicationStopped.Register(() => app.Services.GetRequiredService<CsmsWriter>().DisposeAsync().AsTask().GetAwaiter().GetResult());
await app.RunAsync();

/// <summary>
/// In-process simulated DC chargers SIM-1…SIM-N (for <c>--simulate N</c>): by default they charge in a loop (plug, RFID,
/// charge with meter values, stop, unplug); with <c>--Simulation:AutoCharge=false</c> they only plug every connector
/// and wait for a RemoteStartTransaction.
/// </summary>
internal static class Simulation
{
    public static void Start(WebApplication app, int count)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address) { Scheme = address.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws", Path = "/ocpp" }.Uri;
        if (uri.Host is "0.0.0.0" or "[::]" or "+" or "*")
        {
            uri = new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
        }

        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var configuration = app.Configuration;
        var autoCharge = configuration.GetValue("Simulation:AutoCharge", true);
        var tags = configuration.GetSection("IdTags").GetChildren().Where(c => c.Value == "Accepted").Select(c => c.Key).ToArray();
        if (tags.Length == 0)
        {
            tags = ["SIM-TAG"];
        }

        var stopping = app.Lifetime.ApplicationStopping;
        for (var i = 1; i <= count; i++)
        {
            var id = $"SIM-{i}";
            var options = DcStation.CreateOptions(id, uri, configuration[$"ChargePoints:{id}:Password"]);
            options.Configuration["MeterValueSampleInterval"] = configuration.GetValue("Csms:MeterValueSampleInterval", 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var hardware = new SimulatedChargePointHardware(2, 50_000m);
            var chargePoint = new OcppChargePoint(options, hardware, loggerFactory);
            var simulator = new ChargingSessionSimulator(chargePoint, hardware, new ChargingSessionSimulatorOptions { IdTags = tags });
            _ = Task.Run(async () =>
            {
                await chargePoint.StartAsync(stopping).ConfigureAwait(false);
                try
                {
                    if (autoCharge)
                    {
                        await simulator.RunAsync(stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        hardware.Connector(1).Plug();
                        hardware.Connector(2).Plug();
                        await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                }
                finally
                {
                    await chargePoint.DisposeAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }
    }
}

/// <summary>The BootNotification identity of the simulated DC stations (modeled on the certified 2-connector DC station).</summary>
internal static class DcStation
{
    public static ChargePointOptions CreateOptions(string id, Uri csms, string? password) => new()
    {
        Identity = id,
        CentralSystemUri = csms,
        Password = password,
        ChargePointVendor = "Ocpp16",
        ChargePointModel = "DC-2xCCS-100",
        ChargePointSerialNumber = id,
        FirmwareVersion = "0.1.0",
        MeterType = "DC meter",
    };
}

/// <summary>Entry point type, visible to the integration tests (WebApplicationFactory-style hosting).</summary>
public partial class Program;
