using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ocpp16.CentralSystem.Cluster;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>
/// Scale-out (<see cref="OcppCluster"/>) with real Kestrel nodes on loopback joined by an
/// <see cref="InMemoryOcppClusterNetwork"/>: routed calls, ownership moves, node loss, shared session state.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    // A node process that dies is seen at the next heartbeat (its address is refused); NodeTimeout only matters for a
    // silent node, and is generous here so that a loaded test machine never takes a live node for dead.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(3);

    private readonly InMemoryOcppClusterNetwork _network = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            try
            {
                await owned.DisposeAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // A node the test already stopped.
            }
        }
    }

    [Fact]
    public async Task RoutedCall_ReachesTheChargePointOnItsNode_AndAnswersTypedAsALocalCall()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var station = new ScriptedChargePoint();
        await ConnectAsync(b, "CP-1", station);
        await WaitOwnedAsync(a, "CP-1", "b");

        Assert.True(a.CentralSystem.TryGetChargePoint("CP-1", out var remote));
        Assert.True(remote.IsRemote);
        Assert.Equal("b", remote.NodeId);
        Assert.False(remote.IsDisconnected);

        var reset = await remote.ResetAsync(ResetType.Hard).WaitAsync(Timeouts.Await);
        Assert.Equal(ResetStatus.Accepted, reset.Status);
        var config = await remote.GetConfigurationAsync(["HeartbeatInterval", "Nope"]).WaitAsync(Timeouts.Await);
        Assert.Equal("60", Assert.Single(config.ConfigurationKey!).Value);
        Assert.Equal(["Nope"], config.UnknownKey);

        Assert.Equal(["Reset", "GetConfiguration"], station.Received.Select(r => r.Action));
        Assert.Equal("{\"type\":\"Hard\"}", station.Received.First().Payload);

        // The owner's own view is local.
        Assert.True(b.CentralSystem.TryGetChargePoint("CP-1", out var local));
        Assert.False(local.IsRemote);
        Assert.Equal("b", local.NodeId);
    }

    [Fact]
    public async Task RoutedCall_CallErrorOfTheChargePoint_ThrowsTheSameExceptionAsLocally()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var station = new ScriptedChargePoint();
        station.Answers["Reset"] = OcppResponse.Error(OcppErrorCode.NotSupported, "no reset here", new RawJson("{\"why\":\"fixed\"}"));
        await ConnectAsync(b, "CP-1", station);
        var remote = await RemoteAsync(a, "CP-1", "b");

        var e = await Assert.ThrowsAsync<OcppCallErrorException>(() => remote.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
        Assert.Equal(OcppErrorCode.NotSupported, e.ErrorCode);
        Assert.Equal("no reset here", e.ErrorDescription);
        Assert.Equal("{\"why\":\"fixed\"}", e.ErrorDetailsJson);

        // The connection lives on.
        Assert.Equal(ClearCacheStatus.Accepted, (await remote.ClearCacheAsync().WaitAsync(Timeouts.Await)).Status);
    }

    [Fact]
    public async Task RoutedCall_ChargePointSilent_ThrowsTimeout_WithTheCallersTimeout()
    {
        // A grace far longer than the call's timeout: only the owner applying the carried timeout ends the call early.
        var a = await NodeAsync("a", routingGrace: TimeSpan.FromSeconds(20));
        var b = await NodeAsync("b", routingGrace: TimeSpan.FromSeconds(20));
        var station = new SilentChargePoint();
        await ConnectAsync(b, "CP-1", station);
        var remote = await RemoteAsync(a, "CP-1", "b");

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OcppTimeoutException>(() => remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, TimeSpan.FromMilliseconds(300)).WaitAsync(Timeouts.Await));
        Assert.Equal("Reset", e.Action);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"the owner timed the CALL out, not the caller's grace ({elapsed.Elapsed})");

        // The owner ran the CALL with the caller's timeout: the charge point saw it once.
        Assert.Equal(1, station.Calls);
    }

    [Fact]
    public async Task RoutedCall_WithAnInfiniteTimeout_WaitsForTheAnswer()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var station = new SlowChargePoint(TimeSpan.FromMilliseconds(300));
        await ConnectAsync(b, "CP-1", station);
        var remote = await RemoteAsync(a, "CP-1", "b");

        // Valid for a local call; the owner must not turn it into a 1 ms timeout.
        var reset = await remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, Timeout.InfiniteTimeSpan).WaitAsync(Timeouts.Await);
        Assert.Equal(ResetStatus.Accepted, reset.Status);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public async Task RoutedCall_SendStuckOnTheBus_EndsWithTimeoutAfterTheGrace()
    {
        var a = await NodeAsync("a", stuckCalls: true);
        var b = await NodeAsync("b");
        await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        var remote = await RemoteAsync(a, "CP-1", "b");

        // The bus never completes the send of the CALL (a publish waiting for a broker confirm): the call does not hang.
        var e = await Assert.ThrowsAsync<OcppTimeoutException>(() => remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, TimeSpan.FromMilliseconds(200)).WaitAsync(Timeouts.Await));
        Assert.Equal("Reset", e.Action);
    }

    [Fact]
    public async Task RoutedCall_AfterTheChargePointLeft_ThrowsConnectionClosed()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var client = await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        var remote = await RemoteAsync(a, "CP-1", "b");

        await client.DisposeAsync();
        await WaitUntilAsync(() => !b.CentralSystem.TryGetChargePoint("CP-1", out _), "B lets CP-1 go");

        await Assert.ThrowsAsync<OcppConnectionClosedException>(() => remote.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));
        await WaitUntilAsync(() => !a.CentralSystem.TryGetChargePoint("CP-1", out _), "A forgets CP-1");
        Assert.True(remote.IsDisconnected);
    }

    [Fact]
    public async Task ChargePointMovingToAnotherNode_ClosesTheStaleConnection_AndIsReachableAtOnce()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var c = await NodeAsync("c");
        var first = new ScriptedChargePoint();
        var onB = await ConnectAsync(b, "CP-1", first);
        var before = await RemoteAsync(a, "CP-1", "b");

        var second = new ScriptedChargePoint();
        await ConnectAsync(c, "CP-1", second);

        // B closes its stale connection (ReplaceExisting applies cluster-wide).
        var closed = await onB.Run.WaitAsync(Timeouts.Await);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, closed.CloseStatus);
        Assert.Contains("another node", closed.CloseDescription, StringComparison.Ordinal);
        await WaitUntilAsync(() => !b.CentralSystem.TryGetChargePoint("CP-1", out var cp) || cp.IsRemote, "B no longer holds CP-1");

        // A proxy taken before the move follows the charge point; a new one points at C.
        Assert.Equal(ResetStatus.Accepted, (await before.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await)).Status);
        var after = await RemoteAsync(a, "CP-1", "c");
        Assert.Equal(ClearCacheStatus.Accepted, (await after.ClearCacheAsync().WaitAsync(Timeouts.Await)).Status);
        Assert.Equal(["Reset", "ClearCache"], second.Received.Select(r => r.Action));
        Assert.Empty(first.Received);
        Assert.Equal("c", Assert.Single(b.CentralSystem.Cluster!.ChargePoints, cp => cp.Id == "CP-1").NodeId);
    }

    [Fact]
    public async Task NodeLostMidCall_CallEndsWithConnectionClosed_AndItsChargePointsAreGone()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var station = new SilentChargePoint();
        await ConnectAsync(b, "CP-1", station);
        var remote = await RemoteAsync(a, "CP-1", "b");
        var gone = new TaskCompletionSource<ClusterChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.CentralSystem.Cluster!.ChargePointDisconnected += (_, cp) => gone.TrySetResult(cp);

        var call = remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => station.Calls == 1, "the CALL reached the charge point");
        var isolated = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(_network.Isolate("b"));

        // At the next heartbeat (a message to B is refused), not after NodeTimeout or the 30 s timeout of the call.
        await Assert.ThrowsAsync<OcppConnectionClosedException>(() => call.WaitAsync(Timeouts.Await));
        Assert.True(isolated.Elapsed < NodeTimeout, $"the refused address ended the call, not NodeTimeout ({isolated.Elapsed})");
        Assert.Equal("CP-1", (await gone.Task.WaitAsync(Timeouts.Await)).Id);
        Assert.False(a.CentralSystem.TryGetChargePoint("CP-1", out _));
        Assert.DoesNotContain("b", a.CentralSystem.Cluster.Nodes);
    }

    [Fact]
    public async Task NodeGoneSilentMidCall_CallEndsWithConnectionClosed_AfterNodeTimeout()
    {
        var a = await NodeAsync("a", nodeTimeout: TimeSpan.FromSeconds(1.5));
        var b = await NodeAsync("b", nodeTimeout: TimeSpan.FromSeconds(1.5));
        var station = new SilentChargePoint();
        await ConnectAsync(b, "CP-1", station);
        var remote = await RemoteAsync(a, "CP-1", "b");

        var call = remote.ResetAsync(new ResetRequest { Type = ResetType.Soft }, TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => station.Calls == 1, "the CALL reached the charge point");
        var silenced = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(_network.Silence("b"));

        await Assert.ThrowsAsync<OcppConnectionClosedException>(() => call.WaitAsync(Timeouts.Await));
        Assert.True(silenced.Elapsed >= TimeSpan.FromSeconds(1.3), $"a silent node is given NodeTimeout, not taken for dead at once ({silenced.Elapsed})");
        Assert.False(a.CentralSystem.TryGetChargePoint("CP-1", out _));
    }

    [Fact]
    public async Task NodeStopping_TheOthersForgetItsChargePointsAtOnce()
    {
        var a = await NodeAsync("a", nodeTimeout: TimeSpan.FromMinutes(5));
        var b = await NodeAsync("b", nodeTimeout: TimeSpan.FromMinutes(5));
        await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        await WaitOwnedAsync(a, "CP-1", "b");

        await b.DisposeAsync();

        // NodeTimeout is 5 minutes: only the node's goodbye explains this.
        await WaitUntilAsync(() => !a.CentralSystem.TryGetChargePoint("CP-1", out _), "A forgets the stations of the stopped node");
        Assert.Equal(["a"], a.CentralSystem.Cluster!.Nodes);
    }

    [Fact]
    public async Task RejectNew_AppliesClusterWide()
    {
        var b = await NodeAsync("b", o => o.DuplicateConnections = DuplicateConnectionPolicy.RejectNew);
        var c = await NodeAsync("c", o => o.DuplicateConnections = DuplicateConnectionPolicy.RejectNew);
        await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        await WaitOwnedAsync(c, "CP-1", "b");

        var (status, _) = await CentralSystemHost.HandshakeAsync(c.Uri("/ocpp/CP-1"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        var (other, _) = await CentralSystemHost.HandshakeAsync(c.Uri("/ocpp/CP-2"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, other);
    }

    [Fact]
    public async Task SessionStateAndConnectionEvents_AreVisibleOnEveryNode()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var connected = new TaskCompletionSource<ClusterChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.CentralSystem.Cluster!.ChargePointConnected += (_, cp) => connected.TrySetResult(cp);

        var client = await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        var seen = await connected.Task.WaitAsync(Timeouts.Await);
        Assert.Equal(("CP-1", "b", false), (seen.Id, seen.NodeId, seen.IsLocal));

        var boot = await client.Connection.CallAsync("BootNotification", new RawJson("{\"chargePointVendor\":\"Acme\",\"chargePointModel\":\"DC-2\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, boot.Status);
        var status = await client.Connection.CallAsync("StatusNotification", new RawJson("{\"connectorId\":2,\"errorCode\":\"NoError\",\"status\":\"Charging\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, status.Status);

        var firmware = await client.Connection.CallAsync("FirmwareStatusNotification", new RawJson("{\"status\":\"Downloading\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, firmware.Status);
        var security = await client.Connection.CallAsync("SecurityEventNotification", new RawJson("{\"type\":\"FirmwareUpdated\",\"timestamp\":\"2026-12-02T08:00:00Z\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, security.Status);

        await WaitUntilAsync(() => a.CentralSystem.TryGetSession("CP-1", out var s) && s.GetConnector(2)?.Status == ChargePointStatus.Charging, "A sees the connector status");
        await WaitUntilAsync(() => a.CentralSystem.TryGetSession("CP-1", out var s) && s.SecurityEvents.Count == 1, "A sees the security event");
        Assert.True(a.CentralSystem.TryGetSession("CP-1", out var shared));
        Assert.Equal("Downloading", shared.FirmwareStatus?.Status);
        Assert.Equal("FirmwareUpdated", Assert.Single(shared.SecurityEvents).Type);

        // A later change that does not carry the security events keeps them.
        await client.Connection.CallAsync("Heartbeat", new RawJson("{}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.True(b.CentralSystem.TryGetSession("CP-1", out var ownersAfterHeartbeat));
        await WaitUntilAsync(() => a.CentralSystem.TryGetSession("CP-1", out var s) && s.LastHeartbeat == ownersAfterHeartbeat.LastHeartbeat, "A sees the heartbeat");
        Assert.Equal("FirmwareUpdated", Assert.Single(shared.SecurityEvents).Type);
        Assert.True(a.CentralSystem.TryGetSession("CP-1", out var session));
        Assert.Equal("Acme", session.BootNotification?.ChargePointVendor);
        Assert.Equal(RegistrationStatus.Accepted, session.RegistrationStatus);
        Assert.True(b.CentralSystem.TryGetSession("CP-1", out var owners));
        Assert.NotNull(owners.Interval);
        Assert.Equal(owners.Interval, session.Interval);
        Assert.Equal(owners.BootedAt, session.BootedAt);
    }

    [Fact]
    public async Task ConnectionEvents_FireForThisNodesOwnChargePoints_Once()
    {
        var b = await NodeAsync("b");
        var connected = new System.Collections.Concurrent.ConcurrentQueue<ClusterChargePoint>();
        var disconnected = new System.Collections.Concurrent.ConcurrentQueue<ClusterChargePoint>();
        b.CentralSystem.Cluster!.ChargePointConnected += (_, cp) => connected.Enqueue(cp);
        b.CentralSystem.Cluster.ChargePointDisconnected += (_, cp) => disconnected.Enqueue(cp);

        var client = await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        await WaitUntilAsync(() => !connected.IsEmpty, "B raises ChargePointConnected for its own charge point");
        await client.DisposeAsync();
        await WaitUntilAsync(() => !disconnected.IsEmpty, "B raises ChargePointDisconnected for its own charge point");

        // Give an echo of B's own broadcasts time to arrive: it must not raise the events a second time.
        await Task.Delay(Heartbeat * 3);
        Assert.Equal(("CP-1", "b", true), Assert.Single(connected) is var c ? (c.Id, c.NodeId, c.IsLocal) : default);
        Assert.Equal(("CP-1", "b", true), Assert.Single(disconnected) is var d ? (d.Id, d.NodeId, d.IsLocal) : default);
    }

    [Fact]
    public async Task SessionChange_FromANodeThatNoLongerOwnsTheChargePoint_IsIgnored()
    {
        var a = await NodeAsync("a");
        var b = await NodeAsync("b");
        var client = await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        await WaitOwnedAsync(a, "CP-1", "b");
        await client.Connection.CallAsync("StatusNotification", new RawJson("{\"connectorId\":2,\"errorCode\":\"NoError\",\"status\":\"Available\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        Assert.True(b.CentralSystem.TryGetSession("CP-1", out var owners));
        var stale = owners.ToSnapshot(withSecurityEvents: false);
        await client.Connection.CallAsync("StatusNotification", new RawJson("{\"connectorId\":2,\"errorCode\":\"NoError\",\"status\":\"Charging\"}"), Timeouts.Await).AsTask().WaitAsync(Timeouts.Await);
        await WaitUntilAsync(() => a.CentralSystem.TryGetSession("CP-1", out var s) && s.GetConnector(2)?.Status == ChargePointStatus.Charging, "A sees Charging");

        // A late session change of CP-1 from another node (its previous owner), then a marker from that node.
        await using var old = _network.CreateBus();
        await old.StartAsync("old", new IgnoringReceiver(), CancellationToken.None);
        await old.BroadcastAsync(ClusterJson.Serialize(new ClusterMessage { Kind = ClusterKinds.Session, Node = "old", ChargePoint = "CP-1", Session = stale }), CancellationToken.None);
        await old.BroadcastAsync(ClusterJson.Serialize(new ClusterMessage { Kind = ClusterKinds.Owned, Node = "old", ChargePoint = "CP-MARK", ConnectedAt = DateTimeOffset.UtcNow }), CancellationToken.None);
        await WaitOwnedAsync(a, "CP-MARK", "old");

        Assert.True(a.CentralSystem.TryGetSession("CP-1", out var shared));
        Assert.Equal(ChargePointStatus.Charging, shared.GetConnector(2)?.Status);
    }

    [Fact]
    public async Task NodeJoiningLater_LearnsWhatTheOthersHold()
    {
        var b = await NodeAsync("b");
        await ConnectAsync(b, "CP-1", new ScriptedChargePoint());
        await ConnectAsync(b, "CP-2", new ScriptedChargePoint());

        var a = await NodeAsync("a");
        await WaitOwnedAsync(a, "CP-1", "b");
        await WaitOwnedAsync(a, "CP-2", "b");
        Assert.Equal(["a", "b"], a.CentralSystem.Cluster!.Nodes);
    }

    [Theory]
    [InlineData("bad id", 1000, 3000)]
    [InlineData("a", 0, 3000)]
    [InlineData("a", 1000, 1500)]
    public async Task InvalidClusterOptions_FailTheStart(string nodeId, int heartbeatMs, int nodeTimeoutMs)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => CentralSystemHost.StartAsync(cs => cs.AddScaleOut(_ => _network.CreateBus(), o =>
        {
            o.NodeId = nodeId;
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs);
            o.NodeTimeout = TimeSpan.FromMilliseconds(nodeTimeoutMs);
        })));
        Assert.Contains("OcppClusterOptions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddScaleOut_Twice_Throws()
    {
        var cs = new ServiceCollection().AddOcpp16CentralSystem();
        cs.AddScaleOut(_ => _network.CreateBus());
        Assert.Throws<InvalidOperationException>(() => cs.AddScaleOut(_ => _network.CreateBus()));
    }

    // ------------------------------------------------------------------ support

    private async Task<CentralSystemHost> NodeAsync(string id, Action<CentralSystemOptions>? options = null, TimeSpan? nodeTimeout = null, TimeSpan? routingGrace = null, bool stuckCalls = false)
    {
        var host = await CentralSystemHost.StartAsync(
            cs =>
            {
                cs.AddScaleOut(_ => stuckCalls ? new StuckCallsBus(_network.CreateBus()) : _network.CreateBus(), o =>
                {
                    o.NodeId = id;
                    o.HeartbeatInterval = Heartbeat;
                    o.NodeTimeout = nodeTimeout ?? NodeTimeout;
                    o.RoutingGrace = routingGrace ?? TimeSpan.FromMilliseconds(500);
                });
            },
            options);
        _owned.Add(host);
        return host;
    }

    private async Task<TestClient> ConnectAsync(CentralSystemHost node, string identity, IOcppRequestHandler handler)
    {
        var connected = new TaskCompletionSource<ConnectedChargePoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnConnected(object? sender, ConnectedChargePoint cp)
        {
            if (cp.Id == identity)
            {
                connected.TrySetResult(cp);
            }
        }

        node.CentralSystem.ChargePointConnected += OnConnected;
        try
        {
            var transport = await OcppWebSocketClient.ConnectAsync(node.Uri("/ocpp/"), identity).WaitAsync(Timeouts.Await);
            var client = new TestClient(transport, handler, await connected.Task.WaitAsync(Timeouts.Await));
            _owned.Add(client);
            return client;
        }
        finally
        {
            node.CentralSystem.ChargePointConnected -= OnConnected;
        }
    }

    private static Task WaitOwnedAsync(CentralSystemHost node, string id, string owner)
        => WaitUntilAsync(() => node.CentralSystem.Cluster!.TryGetChargePoint(id, out var cp) && cp.NodeId == owner, $"{node.CentralSystem.Cluster!.NodeId} sees {id} on {owner}");

    private static async Task<ConnectedChargePoint> RemoteAsync(CentralSystemHost node, string id, string owner)
    {
        await WaitOwnedAsync(node, id, owner);
        Assert.True(node.CentralSystem.TryGetChargePoint(id, out var cp));
        Assert.True(cp.IsRemote);
        return cp;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => CentralSystemHost.WaitUntilAsync(condition, what);

    /// <summary>A charge point that never answers (counts the CALLs it got).</summary>
    private sealed class SilentChargePoint : IOcppRequestHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return OcppResponse.Error(OcppErrorCode.InternalError, "unreachable");
        }
    }

    /// <summary>A charge point that answers Reset Accepted after a delay.</summary>
    private sealed class SlowChargePoint(TimeSpan delay) : IOcppRequestHandler
    {
        public async ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}"));
        }
    }

    /// <summary>A bus whose sends of routed CALLs never complete and ignore their token; everything else passes.</summary>
    private sealed class StuckCallsBus(IOcppClusterBus inner) : IOcppClusterBus
    {
        public Task StartAsync(string nodeId, IOcppClusterReceiver receiver, CancellationToken cancellationToken) => inner.StartAsync(nodeId, receiver, cancellationToken);

        public Task BroadcastAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => inner.BroadcastAsync(message, cancellationToken);

        public Task<bool> SendAsync(string nodeId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
            => Encoding.UTF8.GetString(message.Span).Contains("\"kind\":\"call\"", StringComparison.Ordinal)
                ? new TaskCompletionSource<bool>().Task
                : inner.SendAsync(nodeId, message, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class IgnoringReceiver : IOcppClusterReceiver
    {
        public void OnMessage(ReadOnlySpan<byte> message)
        {
        }

        public void OnBusLost(Exception? reason)
        {
        }

        public void OnBusRestored()
        {
        }
    }
}
