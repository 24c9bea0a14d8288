using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

public sealed class ConnectionTests
{
    /// <summary>Opens a raw WebSocket and returns the HTTP status of the handshake (101 when upgraded).</summary>
    private static async Task<HttpStatusCode> HandshakeAsync(Uri uri, string? subProtocol = "ocpp1.6", string? authorization = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

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
            return socket.HttpStatusCode;
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeouts.Await);
        return socket.HttpStatusCode;
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public async Task Close_PeerThatNeverAnswersTheCloseFrame_IsCutOffAndUnregistered()
    {
        await using var server = await TestServer.StartAsync();
        var connected = new TaskCompletionSource<ConnectedChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<ChargePointDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointConnected += (_, cp) => connected.TrySetResult(cp);
        server.CentralSystem.ChargePointDisconnected += (_, e) => disconnected.TrySetResult(e);

        // A raw client that never reads: it never echoes the close frame (a dead route, a half-open connection).
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(server.BaseUri, "STALE"), CancellationToken.None).WaitAsync(Timeouts.Await);
        var chargePoint = await connected.Task.WaitAsync(Timeouts.Await);

        await chargePoint.CloseAsync("replaced").WaitAsync(Timeouts.Await);

        // Cut off after the close-echo wait (5 s), not kept until a ping timeout.
        var closed = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("STALE", closed.ChargePoint.Id);
        Assert.False(server.CentralSystem.TryGetChargePoint("STALE", out _));
        Assert.True(chargePoint.IsDisconnected);
    }

    [Fact]
    public async Task BootNotification_ReachesHandlerWithIdentity_AndAnswerIsReturned_RegistryAndEventsTrackConnection()
    {
        await using var server = await TestServer.StartAsync();
        var disconnected = new TaskCompletionSource<ChargePointDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointDisconnected += (_, e) => disconnected.TrySetResult(e);

        var client = await server.ConnectAsync("CP-1");
        await using (client)
        {
            var result = await client.CallAsync("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
            Assert.Equal(OcppCallStatus.Result, result.Status);
            using var payload = JsonDocument.Parse(result.Payload);
            Assert.Equal("Accepted", payload.RootElement.GetProperty("status").GetString());
            Assert.Equal(300, payload.RootElement.GetProperty("interval").GetInt32());

            var (id, action, request) = Assert.Single(server.Behaviour.Received);
            Assert.Equal("CP-1", id);
            Assert.Equal("BootNotification", action);
            Assert.Equal("V", ((BootNotificationRequest)request).ChargePointVendor);

            Assert.Same(client.Server, Assert.Single(server.CentralSystem.ChargePoints));
            Assert.True(server.CentralSystem.TryGetChargePoint("CP-1", out var found));
            Assert.Same(client.Server, found);
            Assert.False(server.CentralSystem.TryGetChargePoint("cp-1", out _));
            Assert.False(found.IsDisconnected);
            Assert.Equal("127.0.0.1", found.RemoteAddress);
        }

        var e = await disconnected.Task.WaitAsync(Timeouts.Await);
        Assert.Same(client.Server, e.ChargePoint);
        Assert.True(e.ChargePoint.IsDisconnected);
        Assert.Empty(server.CentralSystem.ChargePoints);
        Assert.False(server.CentralSystem.TryGetChargePoint("CP-1", out _));
    }

    [Fact]
    public async Task Identity_IsTheUrlDecodedLastSegment()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync("CP 1 ä");
        Assert.Equal("CP 1 ä", client.Server.Id);
        await client.CallAsync("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
        Assert.Equal("CP 1 ä", Assert.Single(server.Behaviour.Received).ChargePointId);
    }

    [Fact]
    public async Task Identity_WithSpaceEscapedInRawUrl_IsDecoded()
    {
        await using var server = await TestServer.StartAsync();
        var connected = new TaskCompletionSource<ConnectedChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointConnected += (_, cp) => connected.TrySetResult(cp);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(server.BaseUri, "CP%201"), CancellationToken.None).WaitAsync(Timeouts.Await);
        Assert.Equal("CP 1", (await connected.Task.WaitAsync(Timeouts.Await)).Id);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeouts.Await);
    }

    [Fact]
    public async Task Identity_ContainingAPercentSign_IsDecodedOnlyOnce()
    {
        // The client escapes "A%41" as "A%2541"; decoding once gives back "A%41", decoding twice gives "AA".
        await using var server = await TestServer.StartAsync();
        var connected = new TaskCompletionSource<ConnectedChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointConnected += (_, cp) => connected.TrySetResult(cp);
        await using var transport = await OcppWebSocketClient.ConnectAsync(server.BaseUri, "A%41").WaitAsync(Timeouts.Await);
        var chargePoint = await connected.Task.WaitAsync(Timeouts.Await);
        await transport.CloseAsync(WebSocketCloseStatus.NormalClosure, null).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal("A%41", chargePoint.Id);
    }

    [Fact]
    public async Task Identity_TooLong_IsRefusedWith400_MaxLengthAccepted()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, await HandshakeAsync(new Uri(server.BaseUri, new string('x', 49))));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(new Uri(server.BaseUri, new string('x', 48))));
        Assert.DoesNotContain(server.CentralSystem.ChargePoints, c => c.Id.Length > 48);
    }

    [Fact]
    public async Task Handshake_WithoutOcpp16Subprotocol_IsRefusedWith400()
    {
        await using var server = await TestServer.StartAsync();
        var connected = 0;
        server.CentralSystem.ChargePointConnected += (_, _) => Interlocked.Increment(ref connected);
        Assert.Equal(HttpStatusCode.BadRequest, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), subProtocol: null));
        Assert.Equal(HttpStatusCode.BadRequest, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), subProtocol: "ocpp2.0.1"));
        Assert.Equal(0, connected);
        Assert.Empty(server.CentralSystem.ChargePoints);
    }

    [Fact]
    public async Task Authenticator_ReturningFalse_Refuses401_AndSeesThePassword()
    {
        await using var server = await TestServer.StartAsync(authenticator: true);
        server.Behaviour.Authenticate = ctx => ctx.Password == "right-secret";

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), authorization: Basic("CP-1", "wrong")));
        Assert.True(server.Behaviour.AuthenticationContexts.TryDequeue(out var refused));
        Assert.Equal("CP-1", refused.ChargePointId);
        Assert.Equal("wrong", refused.Password);
        Assert.DoesNotContain("wrong", refused.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync(new Uri(server.BaseUri, "CP-1")));
        Assert.True(server.Behaviour.AuthenticationContexts.TryDequeue(out var none));
        Assert.Null(none.Password);

        await using var client = await server.ConnectAsync("CP-1", password: "right-secret");
        Assert.Equal("CP-1", client.Server.Id);
        Assert.True(server.Behaviour.AuthenticationContexts.TryDequeue(out var accepted));
        Assert.Equal("right-secret", accepted.Password);
    }

    [Fact]
    public async Task BasicUserDifferentFromIdentity_IsRefused401_WithoutAskingTheAuthenticator()
    {
        await using var server = await TestServer.StartAsync(authenticator: true);
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), authorization: Basic("CP-2", "secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), authorization: "Basic !!!notbase64"));
        Assert.Empty(server.Behaviour.AuthenticationContexts);
    }

    [Fact]
    public async Task BasicUserDifferentFromIdentity_IsRefused401_EvenWithoutAuthenticator()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeAsync(new Uri(server.BaseUri, "CP-1"), authorization: Basic("CP-2", "secret")));
    }

    [Fact]
    public async Task NoAuthenticator_AcceptsAnyCharge_PointWithOrWithoutPassword()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(new Uri(server.BaseUri, "CP-1")));
        await using var client = await server.ConnectAsync("CP-2", password: "anything");
        await client.AssertHeartbeatAnsweredAsync();
    }

    [Fact]
    public async Task SecondConnectionWithSameIdentity_ReplacesTheFirst()
    {
        await using var server = await TestServer.StartAsync();
        var first = await server.ConnectAsync("CP-1");
        await using (first)
        {
            await using var second = await server.ConnectAsync("CP-1");
            var closed = await first.Run.WaitAsync(Timeouts.Await);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, closed.CloseStatus);
            Assert.True(first.Server.IsDisconnected);

            // Wait for the old connection's clean-up: it must not remove the new registration.
            await Task.Delay(200);
            Assert.True(server.CentralSystem.TryGetChargePoint("CP-1", out var current));
            Assert.Same(second.Server, current);
            Assert.Same(second.Server, Assert.Single(server.CentralSystem.ChargePoints));
            await second.AssertHeartbeatAnsweredAsync();
        }
    }

    [Fact]
    public void RegisteringTwoCoreHandlers_Throws()
    {
        var services = new ServiceCollection();
        var builder = services.AddOcpp16CentralSystem().AddCoreHandler<TestCoreHandler>();
        Assert.Throws<InvalidOperationException>(() => builder.AddCoreHandler<TestCoreHandler>());
        Assert.Throws<InvalidOperationException>(() => services.AddOcpp16CentralSystem().AddCoreHandler<TestCoreHandler>());
        Assert.Single(services, d => d.ServiceType == typeof(ICentralSystemCoreHandler));
    }

    [Fact]
    public void RegisteringTwoAuthenticators_Throws()
    {
        var builder = new ServiceCollection().AddOcpp16CentralSystem().AddAuthenticator<TestAuthenticator>();
        Assert.Throws<InvalidOperationException>(() => builder.AddAuthenticator<TestAuthenticator>());
    }

    [Fact]
    public void MapPattern_WithoutChargePointId_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddOcpp16CentralSystem();
        var app = builder.Build();
        Assert.Throws<ArgumentException>(() => app.MapOcpp16CentralSystem("/ocpp/{id}"));
    }

    [Fact]
    public async Task ApplicationStop_ClosesEveryConnection_With1001_WithoutWaitingForChargePointsToHangUp()
    {
        // Two live connections under one identity (AllowBoth) and one under another: all must be closed by the server.
        var server = await TestServer.StartAsync(configure: o => o.DuplicateConnections = DuplicateConnectionPolicy.AllowBoth);
        var first = await server.ConnectAsync("CP-STOP");
        var second = await server.ConnectAsync("CP-STOP");
        var other = await server.ConnectAsync("CP-OTHER");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await server.App.StopAsync().WaitAsync(Timeouts.Await);
        stopwatch.Stop();

        foreach (var client in new[] { first, second, other })
        {
            var info = await client.Run.WaitAsync(Timeouts.Await);
            Assert.True(info.CloseStatus == WebSocketCloseStatus.EndpointUnavailable, $"{client.Server.Id}: {info}");
            Assert.True(client.Server.IsDisconnected);
            await client.DisposeAsync();
        }

        Assert.Empty(server.CentralSystem.ChargePoints);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
        await server.App.DisposeAsync();
    }
}
