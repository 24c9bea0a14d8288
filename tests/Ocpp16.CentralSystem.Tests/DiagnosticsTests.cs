using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>The meter is process-wide: the tests that count its measurements run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiagnosticsCollection
{
    public const string Name = "Ocpp16 diagnostics";
}

[Collection(DiagnosticsCollection.Name)]
public sealed class DiagnosticsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = new();

    public DiagnosticsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Ocpp16")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ConnectedChargePoints_GoesUpOnConnect_AndDownWhenTheConnectionEnds()
    {
        await using var server = await TestServer.StartAsync();
        var disconnected = new ConcurrentQueue<string>();
        server.CentralSystem.ChargePointDisconnected += (_, e) => disconnected.Enqueue(e.ChargePoint.Id);

        var first = await server.ConnectAsync("CP-A");
        var second = await server.ConnectAsync("CP-B");
        Assert.Equal([1L, 1L], Connected());

        await first.DisposeAsync();
        await WaitUntilAsync(() => disconnected.Contains("CP-A"));
        Assert.Equal([1L, 1L, -1L], Connected());
        Assert.Single(server.CentralSystem.ChargePoints);

        await second.DisposeAsync();
        await WaitUntilAsync(() => disconnected.Contains("CP-B"));
        Assert.Equal([1L, 1L, -1L, -1L], Connected());
        Assert.Equal(0, Connected().Sum());
    }

    [Fact]
    public async Task ValidationFailures_AreCountedByActionAndDirection()
    {
        await using var server = await TestServer.StartAsync();
        var cp = new ScriptedChargePoint();
        cp.Answers["Reset"] = OcppResponse.Result(new RawJson("{\"status\":\"Maybe\"}"));
        await using var client = await server.ConnectAsync("CP-V", cp);

        // Received request: BootNotification without chargePointModel, answered with a CALLERROR.
        var boot = await client.CallAsync("BootNotification", "{\"chargePointVendor\":\"V\"}");
        Assert.Equal(OcppCallStatus.Error, boot.Status);

        // Received response: Reset answered with an unknown status.
        await Assert.ThrowsAsync<OcppProtocolException>(() => client.Server.ResetAsync(ResetType.Soft).WaitAsync(Timeouts.Await));

        // Our own request: a key longer than 50 characters is not sent.
        await Assert.ThrowsAsync<ArgumentException>(() => client.Server.ChangeConfigurationAsync(new string('k', 51), "v").WaitAsync(Timeouts.Await));
        await client.AssertHeartbeatAnsweredAsync();

        var failures = _measurements.Where(m => m.Instrument == "ocpp16.validation.failures").ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(1, f.Value));
        Assert.Equal(
            ["BootNotification/inbound", "ChangeConfiguration/outbound", "Reset/inbound"],
            failures.Select(f => f.Tags["ocpp.action"] + "/" + f.Tags["ocpp.direction"]).Order());

        // The BootNotification was answered with a CALLERROR, the Heartbeat with a CALLRESULT.
        var inbound = _measurements.Where(m => m.Instrument == "ocpp16.calls" && m.Tags["ocpp.direction"] == "inbound").ToList();
        Assert.Contains(inbound, m => m.Tags["ocpp.action"] == "BootNotification" && m.Tags["ocpp.outcome"] == "call_error");
        Assert.Contains(inbound, m => m.Tags["ocpp.action"] == "Heartbeat" && m.Tags["ocpp.outcome"] == "result");
    }

    private List<long> Connected() => [.. _measurements.Where(m => m.Instrument == "ocpp16.connected_charge_points").Select(m => m.Value)];

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeouts.Await;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
