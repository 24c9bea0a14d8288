using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>The transport over real Kestrel on 127.0.0.1 with a free port: <see cref="OcppWebSocketServer"/> (moved here from Ocpp16.Transport) with a bare <see cref="OcppRpcConnection"/>.</summary>
public sealed class KestrelTransportTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _baseUri = null!;

    public TaskCompletionSource<(string Identity, OcppCallResult Reset)> ServerSaw { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<OcppReceiveResult> ServerReceiveResult { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/ocpp/{id}", async (HttpContext context, string id) =>
        {
            await using var transport = await OcppWebSocketServer.AcceptAsync(context);
            if (transport is null)
            {
                return;
            }

            var handler = new DelegateHandler((call, _) =>
                ValueTask.FromResult(OcppResponse.Result(new RawJson("{\"status\":\"Accepted\",\"currentTime\":\"2026-01-01T00:00:00.000Z\",\"interval\":300,\"for\":\"" + call.Action + "\"}"))));
            await using var connection = new OcppRpcConnection(transport, handler) { Identity = id };
            var run = connection.RunAsync(context.RequestAborted);
            var reset = await connection.CallAsync("Reset", new RawJson("{\"type\":\"Soft\"}"));
            ServerSaw.TrySetResult((id, reset));
            await run;
        });
        _app.Map("/small/{id}", async (HttpContext context) =>
        {
            await using var transport = await OcppWebSocketServer.AcceptAsync(context, new OcppTransportOptions { MaxMessageSize = 64 });
            if (transport is null)
            {
                return;
            }

            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            ServerReceiveResult.TrySetResult(await transport.ReceiveAsync(buffer));
        });
        await _app.StartAsync();
        var address = _app.Urls.First();
        _baseUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ClientAndServer_ExchangeCallsBothWays()
    {
        await using var transport = await OcppWebSocketClient.ConnectAsync(_baseUri, "CP 1/ä", cancellationToken: CancellationToken.None).WaitAsync(Timeouts.Await);
        Assert.Equal("ocpp1.6", transport.SubProtocol);
        var handler = new DelegateHandler((call, _) => ValueTask.FromResult(OcppResponse.Result(new RawJson("{\"status\":\"Accepted\",\"for\":\"" + call.Action + "\"}"))));
        await using var connection = new OcppRpcConnection(transport, handler);
        var run = connection.RunAsync();

        var boot = await connection.CallAsync("BootNotification", new RawJson("{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}")).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, boot.Status);
        Assert.Contains("\"for\":\"BootNotification\"", Encoding.UTF8.GetString(boot.Payload.Span), StringComparison.Ordinal);

        var (identity, reset) = await ServerSaw.Task.WaitAsync(Timeouts.Await);
        // ASP.NET Core routing decodes the segment except for %2F; the facade completes the decoding.
        Assert.Equal("CP 1/ä", Uri.UnescapeDataString(identity));
        Assert.Equal(OcppCallStatus.Result, reset.Status);
        Assert.Equal("{\"status\":\"Accepted\",\"for\":\"Reset\"}", Encoding.UTF8.GetString(reset.Payload.Span));

        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        var info = await run.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, info.CloseStatus);
    }

    [Fact]
    public async Task Handshake_WithoutOcpp16Subprotocol_IsRefused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp2.0.1");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(_baseUri, "CP1"), CancellationToken.None).WaitAsync(Timeouts.Await));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Handshake_WithoutAnySubprotocol_IsRefused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(_baseUri, "CP1"), CancellationToken.None).WaitAsync(Timeouts.Await));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task PlainHttpRequest_GetsBadRequest()
    {
        using var http = new HttpClient();
        var httpUri = new Uri(_baseUri.ToString().Replace("ws://", "http://", StringComparison.Ordinal) + "CP1");
        using var response = await http.GetAsync(httpUri).WaitAsync(Timeouts.Await);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BinaryMessage_ClosesWith1003()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(_baseUri.ToString().Replace("/ocpp/", "/small/", StringComparison.Ordinal) + "CP1"), CancellationToken.None).WaitAsync(Timeouts.Await);
        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var result = await ServerReceiveResult.Task.WaitAsync(Timeouts.Await);
        Assert.True(result.IsClose);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, result.CloseStatus);
        var received = await socket.ReceiveAsync(new byte[16], CancellationToken.None).WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, socket.CloseStatus);
    }

    [Fact]
    public async Task OversizeMessage_ClosesWith1009()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(_baseUri.ToString().Replace("/ocpp/", "/small/", StringComparison.Ordinal) + "CP1"), CancellationToken.None).WaitAsync(Timeouts.Await);
        var big = Encoding.UTF8.GetBytes("[2,\"1\",\"DataTransfer\",{\"data\":\"" + new string('x', 100) + "\"}]");
        await socket.SendAsync(big, WebSocketMessageType.Text, true, CancellationToken.None);
        var result = await ServerReceiveResult.Task.WaitAsync(Timeouts.Await);
        Assert.True(result.IsClose);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, result.CloseStatus);
        var received = await socket.ReceiveAsync(new byte[16], CancellationToken.None).WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }

    [Fact]
    public async Task Client_SendsBasicAuthorization()
    {
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ocpp/{id}", async (HttpContext context) =>
        {
            seen.TrySetResult(context.Request.Headers.Authorization.ToString());
            await using var transport = await OcppWebSocketServer.AcceptAsync(context);
            if (transport is not null)
            {
                await transport.ReceiveAsync(new System.Buffers.ArrayBufferWriter<byte>());
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();

        await using var transport = await OcppWebSocketClient.ConnectAsync(
            new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp"),
            "CP1",
            new OcppWebSocketClientOptions { BasicAuthPassword = "s3cret" }).WaitAsync(Timeouts.Await);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("CP1:s3cret")), await seen.Task.WaitAsync(Timeouts.Await));
        await transport.CloseAsync(WebSocketCloseStatus.NormalClosure, null);
        await app.StopAsync();
    }

    [Fact]
    public async Task Client_WhenServerSelectsNoSubprotocol_ThrowsOcppProtocolException()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ocpp/{id}", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                await socket.ReceiveAsync(new byte[16], context.RequestAborted);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        });
        await app.StartAsync();
        var address = app.Urls.First();

        var ex = await Assert.ThrowsAsync<OcppProtocolException>(() => OcppWebSocketClient.ConnectAsync(
            new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp"), "CP1").WaitAsync(Timeouts.Await));
        Assert.Contains("ocpp1.6", ex.Message, StringComparison.Ordinal);
        await app.StopAsync();
    }

    private sealed class DelegateHandler(Func<OcppIncomingCall, CancellationToken, ValueTask<OcppResponse>> handle) : IOcppRequestHandler
    {
        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken) => handle(call, cancellationToken);
    }
}
