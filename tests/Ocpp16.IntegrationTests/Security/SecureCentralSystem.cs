using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.IntegrationTests.EndToEnd;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>
/// The library's CentralSystem on real Kestrel with two listeners on 127.0.0.1 (free ports): plain HTTP (ws://) and
/// HTTPS (wss://, TLS 1.2/1.3, client certificates allowed and validated by the credential store), authenticating
/// with <see cref="ChargePointCredentialAuthenticator"/>.
/// </summary>
internal sealed class SecureCentralSystem : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecureCentralSystem(WebApplication app, Uri wsUri, Uri wssUri)
    {
        _app = app;
        WsUri = wsUri;
        WssUri = wssUri;
    }

    /// <summary>ws://127.0.0.1:PORT/ocpp.</summary>
    public Uri WsUri { get; }

    /// <summary>wss://127.0.0.1:PORT/ocpp.</summary>
    public Uri WssUri { get; }

    public OcppCentralSystem CentralSystem => _app.Services.GetRequiredService<OcppCentralSystem>();

    public RecordingCoreHandler Handler => (RecordingCoreHandler)_app.Services.GetRequiredService<ICentralSystemCoreHandler>();

    public ChargePointCredentialStore Store => _app.Services.GetRequiredService<ChargePointCredentialStore>();

    public static async Task<SecureCentralSystem> StartAsync(X509Certificate2 serverCertificate, ChargePointCredentialStore store, SslProtocols sslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13, ILoggerProvider? loggerProvider = null, Action<Ocpp16CentralSystemBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerProvider is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(loggerProvider);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.SslProtocols = sslProtocols;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate(); // the credential store validates against its own roots
            }));
        });
        var ocpp = builder.Services.AddOcpp16CentralSystem(o => o.CallTimeout = TimeSpan.FromSeconds(10))
            .AddCoreHandler<RecordingCoreHandler>(ServiceLifetime.Singleton)
            .AddCredentialStore(store);
        configure?.Invoke(ocpp);
        var app = builder.Build();
        app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var http = addresses.Single(a => a.Scheme == "http");
        var https = addresses.Single(a => a.Scheme == "https");
        return new SecureCentralSystem(app, new Uri($"ws://127.0.0.1:{http.Port}/ocpp"), new Uri($"wss://127.0.0.1:{https.Port}/ocpp"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
