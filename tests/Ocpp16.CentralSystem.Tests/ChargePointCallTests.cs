using System.Text;
using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>Typed CS→CP calls through <see cref="ConnectedChargePoint"/>.</summary>
public sealed class ChargePointCallTests
{
    [Fact]
    public async Task TypedCalls_ReachTheChargePointAndReturnTypedResponses()
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        await using var client = await server.ConnectAsync("CP-1", cp);

        var reset = await client.Server.ResetAsync(ResetType.Hard).WaitAsync(Timeouts.Await);
        Assert.Equal(ResetStatus.Accepted, reset.Status);

        var config = await client.Server.GetConfigurationAsync(["HeartbeatInterval", "Nope"]).WaitAsync(Timeouts.Await);
        var key = Assert.Single(config.ConfigurationKey!);
        Assert.Equal("HeartbeatInterval", key.Key);
        Assert.Equal("60", key.Value);
        Assert.False(key.Readonly);
        Assert.Equal(["Nope"], config.UnknownKey);

        var change = await client.Server.ChangeConfigurationAsync("HeartbeatInterval", "30").WaitAsync(Timeouts.Await);
        Assert.Equal(ConfigurationStatus.Rejected, change.Status);

        var unlock = await client.Server.UnlockConnectorAsync(2).WaitAsync(Timeouts.Await);
        Assert.Equal(UnlockStatus.Unlocked, unlock.Status);

        var start = await client.Server.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "TAG1", ConnectorId = 1 }).WaitAsync(Timeouts.Await);
        Assert.Equal(RemoteStartStopStatus.Accepted, start.Status);

        var clear = await client.Server.ClearCacheAsync().WaitAsync(Timeouts.Await);
        Assert.Equal(ClearCacheStatus.Accepted, clear.Status);

        var received = cp.Received.ToArray();
        Assert.Equal(["Reset", "GetConfiguration", "ChangeConfiguration", "UnlockConnector", "RemoteStartTransaction", "ClearCache"], received.Select(r => r.Action));
        Assert.Equal("{\"type\":\"Hard\"}", received[0].Payload);
        Assert.Equal("{\"key\":[\"HeartbeatInterval\",\"Nope\"]}", received[1].Payload);
        Assert.Equal("{\"key\":\"HeartbeatInterval\",\"value\":\"30\"}", received[2].Payload);
        Assert.Equal("{\"connectorId\":2}", received[3].Payload);
        using var remoteStart = JsonDocument.Parse(received[4].Payload);
        Assert.Equal("TAG1", remoteStart.RootElement.GetProperty("idTag").GetString());
        Assert.Equal(1, remoteStart.RootElement.GetProperty("connectorId").GetInt32());
    }

    [Fact]
    public async Task CallErrorFromChargePoint_ThrowsOcppCallErrorException()
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        cp.Answers["Reset"] = OcppResponse.Error(OcppErrorCode.NotSupported, "no reset here");
        await using var client = await server.ConnectAsync("CP-1", cp);

        var e = await Assert.ThrowsAsync<OcppCallErrorException>(() => client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
        Assert.Equal(OcppErrorCode.NotSupported, e.ErrorCode);
        Assert.Equal("no reset here", e.ErrorDescription);

        // The next call works.
        Assert.Equal(ClearCacheStatus.Accepted, (await client.Server.ClearCacheAsync().WaitAsync(Timeouts.Await)).Status);
    }

    [Theory]
    [InlineData("{\"status\":\"Maybe\"}")]
    [InlineData("{}")]
    [InlineData("{\"status\":\"Accepted\",\"extra\":1}")]
    public async Task ResponseViolatingSchema_ThrowsOcppProtocolException_AndNoReplyIsSent(string payload)
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        cp.Answers["Reset"] = OcppResponse.Result(new RawJson(payload));
        await using var client = await server.ConnectAsync("CP-1", cp);

        var e = await Assert.ThrowsAsync<OcppProtocolException>(() => client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
        Assert.NotNull(e.Violation);
        Assert.Equal(ClearCacheStatus.Accepted, (await client.Server.ClearCacheAsync().WaitAsync(Timeouts.Await)).Status);
        Assert.Equal(0, client.Connection.BadMessageCount);
    }

    [Fact]
    public async Task SendAsync_ReturnsTheRawCallResult()
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        cp.Answers["Reset"] = OcppResponse.Result(new RawJson("{\"status\":\"Maybe\"}"));
        cp.Answers["UnlockConnector"] = OcppResponse.Error(OcppErrorCode.GenericError, "jammed");
        await using var client = await server.ConnectAsync("CP-1", cp);

        // Not validated: the raw payload comes back as is.
        var raw = await client.Server.SendAsync(new ResetRequest { Type = ResetType.Soft }).WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, raw.Status);
        Assert.Equal("Reset", raw.Action);
        Assert.Equal("{\"status\":\"Maybe\"}", Encoding.UTF8.GetString(raw.Payload.Span));

        var error = await client.Server.SendAsync(new UnlockConnectorRequest { ConnectorId = 1 }).WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Error, error.Status);
        Assert.Equal(OcppErrorCode.GenericError, error.ErrorCode);
        Assert.Equal("jammed", error.ErrorDescription);
    }

    [Fact]
    public async Task InvalidRequest_ThrowsArgumentExceptionBeforeSending()
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        await using var client = await server.ConnectAsync("CP-1", cp);

        await Assert.ThrowsAsync<ArgumentException>(() => client.Server.ChangeConfigurationAsync(new string('k', 51), "1").WaitAsync(Timeouts.Await));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Server.SendAsync(new RemoteStartTransactionRequest { IdTag = new string('t', 21) }).WaitAsync(Timeouts.Await));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Server.DataTransferAsync(new DataTransferRequest { VendorId = new string('v', 256) }).WaitAsync(Timeouts.Await));

        // Nothing reached the charge point; the connection still works.
        Assert.Equal(ResetStatus.Accepted, (await client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await)).Status);
        Assert.Equal("Reset", Assert.Single(cp.Received).Action);
    }

    [Fact]
    public async Task CallAfterDisconnect_ThrowsOcppConnectionClosedException()
    {
        await using var server = await TestServer.StartAsync();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointDisconnected += (_, _) => disconnected.TrySetResult();
        var client = await server.ConnectAsync("CP-1");
        await client.DisposeAsync();
        await disconnected.Task.WaitAsync(Timeouts.Await);
        await Assert.ThrowsAsync<OcppConnectionClosedException>(() => client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
    }

    [Fact]
    public async Task CallTimeout_ThrowsOcppTimeoutException()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.CallTimeout = TimeSpan.FromMilliseconds(300));
        var cp = new SilentChargePoint();
        await using var client = await server.ConnectAsync("CP-1", cp);
        var e = await Assert.ThrowsAsync<OcppTimeoutException>(() => client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
        Assert.Equal("Reset", e.Action);
    }

    private sealed class SilentChargePoint : IOcppRequestHandler
    {
        public async ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return OcppResponse.Error(OcppErrorCode.InternalError, "unreachable");
        }
    }
}
