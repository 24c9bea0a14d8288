using System.Text.Json.Nodes;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// Proves the node side of the harness on its own: the ocpp-rpc CSMS against the ocpp-rpc charge point,
/// both in strict mode. If these fail, interop failures elsewhere are not our library's fault.
/// </summary>
public sealed class NodeHarnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task NodeChargePoint_CoreScript_AgainstNodeCsms_Completes()
    {
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        await using (csms)
        {
            await using var cp = await NodeInterop.StartChargePointAsync($"ws://127.0.0.1:{port}/ocpp", "NODE-CP-1", password: null, script: "core");

            var done = await cp.WaitForEventAsync("done", timeout: Timeout);
            Assert.True(done["ok"]?.GetValue<bool>() == true, cp.Transcript());

            var connected = await csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "NODE-CP-1", Timeout);
            Assert.Equal("ocpp1.6", connected.GetString("protocol"));

            var start = await csms.WaitForEventAsync("call", "StartTransaction", Timeout);
            Assert.Equal("NODE-CP-1", start.GetString("identity"));
            Assert.Equal(1, start["params"]?["connectorId"]?.GetValue<int>());
            Assert.Equal("TAG-1", start["params"]?["idTag"]?.GetValue<string>());

            var stop = await csms.WaitForEventAsync("call", "StopTransaction", Timeout);
            Assert.Equal(done["transactionId"]?.GetValue<int>(), stop["params"]?["transactionId"]?.GetValue<int>());
            Assert.Equal(1000, stop["params"]?["meterStop"]?.GetValue<int>());

            Assert.DoesNotContain(csms.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));
            Assert.DoesNotContain(cp.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage") || l.IsEvent("error"));

            // CS -> CP through the CSMS' stdin.
            var reply = await csms.CallAsync("GetConfiguration", new { key = new[] { "HeartbeatInterval", "NoSuchKey" } }, identity: "NODE-CP-1");
            Assert.True(reply.IsEvent("result"), csms.Transcript());
            var key = Assert.Single(reply["result"]!["configurationKey"]!.AsArray());
            Assert.Equal("HeartbeatInterval", key!["key"]!.GetValue<string>());
            Assert.Equal("300", key["value"]!.GetValue<string>());
            Assert.Equal("NoSuchKey", reply["result"]!["unknownKey"]![0]!.GetValue<string>());

            var seen = await cp.WaitForEventAsync("call", "GetConfiguration", Timeout);
            Assert.NotNull(seen["params"]);
        }
    }

    [Fact]
    public async Task NodeCsms_StrictMode_RejectsInvalidCalls_AndBasicAuth()
    {
        var (csms, port) = await NodeInterop.StartCsmsAsync(password: "pw-123");
        await using (csms)
        {
            // Wrong password -> HTTP 401, the charge point gives up.
            await using (var rejected = await NodeInterop.StartChargePointAsync($"ws://127.0.0.1:{port}/ocpp", "NODE-CP-2", "wrong", "none"))
            {
                var failed = await rejected.WaitForEventAsync("connectFailed", timeout: Timeout);
                Assert.Equal(401, failed["status"]?.GetValue<int>());
                await csms.WaitForAsync(l => l.IsEvent("rejected") && l.GetString("reason") == "badCredentials", Timeout);
            }

            await using var cp = await NodeInterop.StartChargePointAsync($"ws://127.0.0.1:{port}/ocpp", "NODE-CP-2", "pw-123", "none");
            await cp.WaitForEventAsync("connected", timeout: Timeout);
            var connected = await csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "NODE-CP-2", Timeout);
            Assert.True(connected["authenticated"]?.GetValue<bool>());

            // A schema-invalid CALL sent raw by the CSMS is refused by the charge point's strict mode.
            await csms.SendAsync(new { cmd = "raw", identity = "NODE-CP-2", text = """[2,"bad-1","Reset",{"type":"Sideways"}]""" });
            var failure = await cp.WaitForEventAsync("strictValidationFailure", "Reset", Timeout);
            Assert.False(failure["outbound"]?.GetValue<bool>());

            // ...and the same through ocpp-rpc's own call path is rejected locally, never sent.
            var reply = await csms.CallAsync("Reset", new JsonObject { ["type"] = "Sideways" }, identity: "NODE-CP-2");
            Assert.True(reply.IsEvent("error"), csms.Transcript());
            Assert.Equal("FormatViolation", reply.GetString("code"));

            // A valid one goes through.
            var ok = await csms.CallAsync("Reset", new { type = "Soft" }, identity: "NODE-CP-2");
            Assert.Equal("Accepted", ok["result"]?["status"]?.GetValue<string>());

            // Closing from the CSMS makes the charge point reconnect.
            await csms.SendAsync(new { cmd = "close", identity = "NODE-CP-2" });
            await cp.WaitForEventAsync("disconnected", timeout: Timeout);
            await cp.WaitForEventAsync("connected", timeout: Timeout);
            await csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "NODE-CP-2", Timeout);
        }
    }
}
