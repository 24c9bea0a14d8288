using System.Net.WebSockets;
using Ocpp16.CentralSystem;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.EndToEnd;

/// <summary>Duplicate-identity policies and WebSocket keep-alive, over real Kestrel.</summary>
public sealed class ConnectionPolicyEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(OcppRpcConnection Connection, Task<OcppCloseInfo> Run)> ConnectAsync(TestCentralSystem csms, string id)
    {
        var transport = await OcppWebSocketClient.ConnectAsync(csms.BaseUri, id).WaitAsync(Timeout);
        var connection = new OcppRpcConnection(transport, new AnswerNothing());
        return (connection, connection.RunAsync());
    }

    private static Task<OcppCallResult> HeartbeatAsync(OcppRpcConnection connection) => connection.CallAsync("Heartbeat", new HeartbeatRequest()).AsTask().WaitAsync(Timeout);

    [Fact]
    public async Task RejectNew_SecondConnectionIsRefusedWith409_FirstKeepsWorking()
    {
        await using var csms = await TestCentralSystem.StartAsync(configure: o => o.DuplicateConnections = DuplicateConnectionPolicy.RejectNew);
        var (first, _) = await ConnectAsync(csms, "DUP-1");
        await using (first)
        {
            await csms.WaitForChargePointAsync("DUP-1", Timeout);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => OcppWebSocketClient.ConnectAsync(csms.BaseUri, "DUP-1").WaitAsync(Timeout));
            Assert.Contains("409", refused.ToString(), StringComparison.Ordinal);
            Assert.Equal(OcppCallStatus.Result, (await HeartbeatAsync(first)).Status);
            Assert.Single(csms.CentralSystem.ChargePoints, c => c.Id == "DUP-1");
        }
    }

    [Fact]
    public async Task AllowBoth_BothStayOpen_RegistryUsesTheNewest_AndFallsBackWhenItCloses()
    {
        await using var csms = await TestCentralSystem.StartAsync(configure: o => o.DuplicateConnections = DuplicateConnectionPolicy.AllowBoth);
        var (first, _) = await ConnectAsync(csms, "DUP-2");
        await using (first)
        {
            var firstRemote = await csms.WaitForChargePointAsync("DUP-2", Timeout);
            var (second, secondRun) = await ConnectAsync(csms, "DUP-2");
            await Wait.UntilAsync(() => csms.CentralSystem.TryGetChargePoint("DUP-2", out var cp) && !ReferenceEquals(cp, firstRemote), Timeout, "the newest connection in the registry");
            Assert.Equal(OcppCallStatus.Result, (await HeartbeatAsync(first)).Status);
            Assert.Equal(OcppCallStatus.Result, (await HeartbeatAsync(second)).Status);

            await second.CloseAsync();
            await secondRun.WaitAsync(Timeout);
            await Wait.UntilAsync(() => csms.CentralSystem.TryGetChargePoint("DUP-2", out var cp) && ReferenceEquals(cp, firstRemote), Timeout, "the older connection back in the registry");
            Assert.Equal(OcppCallStatus.Result, (await HeartbeatAsync(first)).Status);
        }
    }

    [Fact]
    public async Task ReplaceExisting_IsTheDefault_OldConnectionIsClosed()
    {
        await using var csms = await TestCentralSystem.StartAsync();
        var (first, firstRun) = await ConnectAsync(csms, "DUP-3");
        await using (first)
        {
            var firstRemote = await csms.WaitForChargePointAsync("DUP-3", Timeout);
            var (second, _) = await ConnectAsync(csms, "DUP-3");
            await using (second)
            {
                var closed = await firstRun.WaitAsync(Timeout);
                Assert.Equal(WebSocketCloseStatus.PolicyViolation, closed.CloseStatus);
                Assert.True(csms.CentralSystem.TryGetChargePoint("DUP-3", out var current));
                Assert.NotSame(firstRemote, current);
                Assert.Equal(OcppCallStatus.Result, (await HeartbeatAsync(second)).Status);
            }
        }
    }

    [Fact]
    public async Task PingsBothWays_WithPongDeadlines_KeepAHealthyConnectionOpen()
    {
        await using var csms = await TestCentralSystem.StartAsync(configure: o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromSeconds(2);
        });
        var options = new ChargePointOptions { Identity = "PING-1", CentralSystemUri = csms.BaseUri, PongTimeout = TimeSpan.FromSeconds(2) };
        options.Configuration["WebSocketPingInterval"] = "1";
        await using var cp = new ChargePointClient(options, new SimulatedChargePointHardware(1));
        var states = new List<ChargePointConnectionState>();
        cp.ConnectionStateChanged += (_, s) =>
        {
            lock (states)
            {
                states.Add(s);
            }
        };
        await cp.StartAsync();
        await csms.Handler.WaitForAsync<BootNotificationRequest>("PING-1", _ => true, Timeout);

        // Several ping/pong rounds in both directions: the connection must neither drop nor be replaced.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.Equal(ChargePointConnectionState.Connected, cp.ConnectionState);
        lock (states)
        {
            Assert.Equal([ChargePointConnectionState.Connecting, ChargePointConnectionState.Connected], states);
        }

        Assert.Single(csms.Handler.Received<BootNotificationRequest>("PING-1"));
    }

    private sealed class AnswerNothing : IOcppRequestHandler
    {
        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
            => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotSupported, "test client"));
    }
}
