using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// Contract (issue 13): MinimalCsms with <c>--ScaleOut:RabbitMq=amqp://…</c> is one node of a cluster. Three nodes on
/// loopback with a real RabbitMQ behind a load balancer: charge points spread over them; a command through one node's
/// HTTP API to a charge point on another answers as a local one would; a charge point that moves is reachable at once
/// through any node; a node killed with SIGKILL loses its charge points to the others when they reconnect, and calls in
/// flight to it end with a clear error, never hang.
/// </summary>
public sealed class ScaleOutTests(RabbitMqBroker broker, ITestOutputHelper output) : IClassFixture<RabbitMqBroker>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ocpp16-scaleout-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held by a dying process.
        }
    }

    [Fact]
    public async Task Three_nodes_route_commands_follow_moving_stations_and_survive_a_killed_node()
    {
        var exchange = "ocpp16-test-" + Guid.NewGuid().ToString("N")[..8];
        var nodes = await Task.WhenAll(StartNodeAsync("a", exchange), StartNodeAsync("b", exchange), StartNodeAsync("c", exchange));
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        var all = nodes.Select(n => n.Process).ToArray();
        foreach (var node in nodes)
        {
            await node.Api.WaitForAsync("/api/cluster", j => j.GetProperty("nodes").GetArrayLength() == 3, TimeSpan.FromSeconds(30), $"node {node.Id} sees three nodes", all);
        }

        // Charge points spread over the nodes through the load balancer.
        var balancer = new TcpLoadBalancer(a.Port, b.Port, c.Port);
        _owned.Add(balancer);
        balancer.Prefer("SCALE-1", a.Port);
        balancer.Prefer("SCALE-2", b.Port);
        balancer.Prefer("SCALE-3", c.Port);
        var chargers = new[] { StartCharger(balancer, "SCALE-1"), StartCharger(balancer, "SCALE-2"), StartCharger(balancer, "SCALE-3") };
        var everything = all.Concat(chargers).ToArray();
        foreach (var node in nodes)
        {
            await node.Api.WaitForChargePointsAsync(
                list => NodeOf(list, "SCALE-1") == "a" && NodeOf(list, "SCALE-2") == "b" && NodeOf(list, "SCALE-3") == "c"
                    && Api.ChargePoint(list, "SCALE-3") is { } cp && Api.ConnectorStatus(cp, 2) == "Available",
                $"node {node.Id} lists SCALE-1 on a, SCALE-2 on b, SCALE-3 on c with their session state",
                everything);
        }

        // A command through node A to a charge point on node C answers as a local one would.
        var (localStatus, local, localText) = await a.Api.PostCommandAsync("SCALE-1", "GetConfiguration", """{"key":["HeartbeatInterval","Nope"]}""");
        var (routedStatus, routed, routedText) = await a.Api.PostCommandAsync("SCALE-3", "GetConfiguration", """{"key":["HeartbeatInterval","Nope"]}""");
        Assert.True(localStatus == HttpStatusCode.OK, localText);
        Assert.True(routedStatus == HttpStatusCode.OK, routedText);
        Assert.Equal(local!.Value.GetRawText(), routed!.Value.GetRawText());
        var (schemaStatus, schema, _) = await a.Api.PostCommandAsync("SCALE-3", "Reset", """{"type":"Sometimes"}""");
        Assert.Equal(HttpStatusCode.BadRequest, schemaStatus);
        Assert.Equal("SchemaViolation", Api.String(schema!.Value, "error"));
        var (triggerStatus, trigger, triggerText) = await b.Api.PostCommandAsync("SCALE-3", "TriggerMessage", """{"requestedMessage":"StatusNotification","connectorId":1}""");
        Assert.True(triggerStatus == HttpStatusCode.OK, triggerText);
        Assert.Equal("Accepted", Api.String(trigger!.Value, "status"));

        // SCALE-2 moves from node B to node C: its route is lost (B keeps a stale connection), it reconnects to C;
        // B closes the stale connection, and node A reaches SCALE-2 on C at once.
        balancer.Prefer("SCALE-2", c.Port);
        var staleClosed = balancer.Abandon("SCALE-2");
        await a.Api.WaitForChargePointsAsync(list => NodeOf(list, "SCALE-2") == "c", "node A sees SCALE-2 on C", everything);
        var (movedStatus, moved, movedText) = await a.Api.PostCommandAsync("SCALE-2", "GetConfiguration", """{"key":["HeartbeatInterval"]}""");
        Assert.True(movedStatus == HttpStatusCode.OK, movedText);
        Assert.Equal("HeartbeatInterval", Api.String(moved!.Value.GetProperty("configurationKey")[0], "key"));
        await staleClosed.WaitAsync(TimeSpan.FromSeconds(10));
        await b.Api.WaitForChargePointsAsync(list => NodeOf(list, "SCALE-2") == "c", "node B sees SCALE-2 on C", everything);

        // A station that never answers, on node C, with a command in flight through node A when C is killed.
        using var silent = await ConnectSilentStationAsync(c.Port, "SCALE-SILENT");
        await a.Api.WaitForChargePointsAsync(list => NodeOf(list, "SCALE-SILENT") == "c", "node A sees SCALE-SILENT on C", everything);
        var inFlight = a.Api.PostCommandAsync("SCALE-SILENT", "Reset", """{"type":"Soft"}""");
        var call = await ReceiveTextAsync(silent);
        Assert.StartsWith("[2,", call, StringComparison.Ordinal);
        Assert.Contains("\"Reset\"", call, StringComparison.Ordinal);

        var killed = Stopwatch.StartNew();
        await c.Process.DisposeAsync(); // SIGKILL
        var (deadStatus, dead, deadText) = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        var callEnded = killed.Elapsed;
        Assert.True(deadStatus == HttpStatusCode.BadGateway, $"{(int)deadStatus}: {deadText}");
        Assert.Equal("Disconnected", Api.String(dead!.Value, "error"));
        Assert.Contains("node c", Api.String(dead.Value, "detail"), StringComparison.Ordinal);
        await a.Api.WaitForAsync("/api/cluster", j => j.GetProperty("nodes").GetArrayLength() == 2, TimeSpan.FromSeconds(15), "node A takes C for gone", everything);
        await a.Api.WaitForChargePointsAsync(list => NodeOf(list, "SCALE-SILENT") is null, "node A forgets SCALE-SILENT", everything);
        var gone = killed.Elapsed;

        // Its charge points reconnect through the load balancer to the nodes left, and are reachable from any of them.
        await a.Api.WaitForChargePointsAsync(
            list => NodeOf(list, "SCALE-2") is "a" or "b" && NodeOf(list, "SCALE-3") is "a" or "b",
            "SCALE-2 and SCALE-3 back on A or B",
            everything);
        var back = killed.Elapsed;
        foreach (var (via, id) in new[] { (a, "SCALE-3"), (b, "SCALE-3"), (a, "SCALE-2"), (b, "SCALE-2") })
        {
            var (status, body, text) = await via.Api.PostCommandAsync(id, "GetConfiguration", """{"key":["HeartbeatInterval"]}""");
            Assert.True(status == HttpStatusCode.OK, $"{id} through node {via.Id}: {(int)status} {text}");
            Assert.Equal("HeartbeatInterval", Api.String(body!.Value.GetProperty("configurationKey")[0], "key"));
        }

        output.WriteLine($"After SIGKILL of node C: the call in flight ended after {callEnded.TotalSeconds:F2} s, node A forgot C's charge points after {gone.TotalSeconds:F2} s, they were back on A/B after {back.TotalSeconds:F2} s.");
    }

    [Fact]
    public async Task A_broker_that_cannot_be_reached_or_read_fails_the_start_with_a_clear_message()
    {
        var unreadable = SampleProcess.StartMinimalCsms(Samples.FreePort(), "--ScaleOut:RabbitMq=not a uri");
        _owned.Add(unreadable);
        Assert.True(await unreadable.WaitForExitAsync(TimeSpan.FromSeconds(30)) is { } unreadableExit && unreadableExit != 0, unreadable.Output);
        Assert.Contains("RabbitMqScaleOutOptions.Broker", unreadable.Output, StringComparison.Ordinal);

        var unreachable = SampleProcess.StartMinimalCsms(Samples.FreePort(), $"--ScaleOut:RabbitMq=amqp://guest:guest@127.0.0.1:{Samples.FreePort()}/");
        _owned.Add(unreachable);
        Assert.True(await unreachable.WaitForExitAsync(TimeSpan.FromSeconds(60)) is { } unreachableExit && unreachableExit != 0, unreachable.Output);
        Assert.Contains("127.0.0.1", unreachable.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", unreachable.Output, StringComparison.Ordinal);
    }

    private async Task<Node> StartNodeAsync(string id, string exchange)
    {
        var port = Samples.FreePort();
        var process = SampleProcess.StartMinimalCsms(port, "--data-dir", Path.Combine(_directory, "csms"), "--ScaleOut:RabbitMq=" + broker.Uri, "--ScaleOut:NodeId=" + id, "--ScaleOut:Exchange=" + exchange);
        _owned.Add(process);
        var api = new CsmsClient(port);
        _owned.Add(new Disposer(api.Dispose));
        await api.WaitUntilReadyAsync(process, TimeSpan.FromSeconds(60));
        return new Node(id, port, process, api);
    }

    private SampleProcess StartCharger(TcpLoadBalancer balancer, string id)
    {
        var charger = SampleProcess.StartDcCharger(balancer.Port, id, "--data-dir", Path.Combine(_directory, id));
        _owned.Add(charger);
        return charger;
    }

    /// <summary>A charge point that boots, then reads CALLs and never answers them (raw OCPP-J over a WebSocket).</summary>
    private static async Task<ClientWebSocket> ConnectSilentStationAsync(int port, string id)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{id}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var boot = """[2,"boot-1","BootNotification",{"chargePointVendor":"Test","chargePointModel":"Silent"}]""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(boot), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await ReceiveTextAsync(socket);
        Assert.StartsWith("[3,\"boot-1\"", answer, StringComparison.Ordinal);
        return socket;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string? NodeOf(JsonElement list, string id) => Api.ChargePoint(list, id) is { } cp ? Api.String(cp, "node") : null;

    private sealed record Node(string Id, int Port, SampleProcess Process, CsmsClient Api);

    private sealed class Disposer(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
