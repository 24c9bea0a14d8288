using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>A Kestrel Central System on 127.0.0.1 configured freely by a test (services, options, route pattern).</summary>
internal sealed class CentralSystemHost : IAsyncDisposable
{
    private CentralSystemHost(WebApplication app, string root)
    {
        App = app;
        Root = root;
        CentralSystem = app.Services.GetRequiredService<OcppCentralSystem>();
    }

    public WebApplication App { get; }

    /// <summary><c>ws://127.0.0.1:port</c>.</summary>
    public string Root { get; }

    public OcppCentralSystem CentralSystem { get; }

    public static async Task<CentralSystemHost> StartAsync(Action<Ocpp16CentralSystemBuilder>? configure = null, Action<CentralSystemOptions>? options = null, string pattern = "/ocpp/{chargePointId}", Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        var cs = builder.Services.AddOcpp16CentralSystem(options);
        configure?.Invoke(cs);
        var app = builder.Build();
        app.MapOcpp16CentralSystem(pattern);
        await app.StartAsync().WaitAsync(Timeouts.Await);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CentralSystemHost(app, address.Replace("http://", "ws://", StringComparison.Ordinal));
    }

    public Uri Uri(string path) => new(Root + path);

    /// <summary>Opens a raw WebSocket and returns the HTTP status of the handshake (101 when upgraded, the socket then stays open in <paramref name="open"/>).</summary>
    public static async Task<(HttpStatusCode Status, ClientWebSocket? Open)> HandshakeAsync(Uri uri, string? authorization = null, bool keepOpen = false)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol("ocpp1.6");
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(Timeouts.Await);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }

        if (keepOpen)
        {
            return (socket.HttpStatusCode, socket);
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeouts.Await);
        var result = socket.HttpStatusCode;
        socket.Dispose();
        return (result, null);
    }

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>Polls <paramref name="condition"/> until it holds or the await timeout passes (then fails).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Timeouts.Await);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("Timed out waiting until " + what);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await App.StopAsync(stop.Token).WaitAsync(Timeouts.Await);
        await App.DisposeAsync();
    }
}
