using System.Text.Json.Nodes;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.EndToEnd;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// Interoperability with a third-party OCPP implementation: the npm package ocpp-rpc in strict mode, which validates
/// every message it sends and receives against the official OCPP 1.6 schemas.
/// </summary>
public sealed class OcppRpcInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OurChargePoint_AgainstOcppRpcCentralSystem_RunsACoreSessionThatStrictModeAccepts()
    {
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        await using (csms)
        {
            var options = new ChargePointOptions
            {
                Identity = "LIB-CP-1",
                CentralSystemUri = new Uri($"ws://127.0.0.1:{port}/ocpp"),
                ChargePointVendor = "Ocpp16",
                ChargePointModel = "Interop-DC",
                ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            };
            options.Configuration["MeterValueSampleInterval"] = "1";
            var hw = new SimulatedChargePointHardware(2, fixedCable: false);
            await using var cp = new ChargePointClient(options, hw);
            await cp.StartAsync();

            var boot = await csms.WaitForEventAsync("call", "BootNotification", Timeout);
            Assert.Equal("LIB-CP-1", boot.GetString("identity"));
            Assert.Equal("Ocpp16", boot["params"]!["chargePointVendor"]!.GetValue<string>());
            await csms.WaitForAsync(l => l.IsEvent("call", "StatusNotification") && l["params"]!["connectorId"]!.GetValue<int>() == 2, Timeout);

            hw.Connector(1).Plug();
            hw.RfidReader.Present("TAG-1");
            var authorize = await csms.WaitForEventAsync("call", "Authorize", Timeout);
            Assert.Equal("TAG-1", authorize["params"]!["idTag"]!.GetValue<string>());
            var start = await csms.WaitForEventAsync("call", "StartTransaction", Timeout);
            Assert.Equal(1, start["params"]!["connectorId"]!.GetValue<int>());
            await Wait.UntilAsync(() => cp.GetTransactionId(1) is not null, Timeout, "StartTransaction.conf from ocpp-rpc");
            var transactionId = cp.GetTransactionId(1)!.Value;
            var meter = await csms.WaitForAsync(l => l.IsEvent("call", "MeterValues") && l["params"]!["transactionId"]?.GetValue<int>() == transactionId, Timeout);
            Assert.NotEmpty(meter["params"]!["meterValue"]![0]!["sampledValue"]!.AsArray());

            hw.RfidReader.Present("TAG-1");
            var stop = await csms.WaitForEventAsync("call", "StopTransaction", Timeout);
            Assert.Equal(transactionId, stop["params"]!["transactionId"]!.GetValue<int>());
            Assert.Equal("Local", stop["params"]!["reason"]!.GetValue<string>());
            hw.Connector(1).Unplug();
            await csms.WaitForAsync(l => l.IsEvent("call", "StatusNotification") && l["params"]!["connectorId"]!.GetValue<int>() == 1 && l["params"]!["status"]!.GetValue<string>() == "Available", Timeout);

            // CS → CP: ocpp-rpc validates our answers in strict mode; an invalid answer would come back as an error line.
            await AssertResultAsync(csms, "GetConfiguration", new { key = new[] { "HeartbeatInterval", "NoSuchKey" } }, r => Assert.Equal("NoSuchKey", r["unknownKey"]![0]!.GetValue<string>()));
            await AssertResultAsync(csms, "GetConfiguration", new { }, r => Assert.True(r["configurationKey"]!.AsArray().Count > 20));
            await AssertResultAsync(csms, "ChangeConfiguration", new { key = "MeterValueSampleInterval", value = "30" }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            hw.Connector(2).Plug();
            await AssertResultAsync(csms, "RemoteStartTransaction", new { idTag = "TAG-2", connectorId = 2 }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await csms.WaitForAsync(l => l.IsEvent("call", "StartTransaction") && l["params"]!["idTag"]!.GetValue<string>() == "TAG-2", Timeout);
            await Wait.UntilAsync(() => cp.GetTransactionId(2) is not null, Timeout, "remote transaction id");
            await AssertResultAsync(csms, "RemoteStopTransaction", new { transactionId = cp.GetTransactionId(2)!.Value }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await csms.WaitForAsync(l => l.IsEvent("call", "StopTransaction") && l["params"]!["reason"]?.GetValue<string>() == "Remote", Timeout);
            await AssertResultAsync(csms, "UnlockConnector", new { connectorId = 2 }, r => Assert.Equal("Unlocked", r["status"]!.GetValue<string>()));
            await AssertResultAsync(csms, "ChangeAvailability", new { connectorId = 0, type = "Operative" }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await AssertResultAsync(csms, "ClearCache", new { }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await AssertResultAsync(csms, "DataTransfer", new { vendorId = "com.example" }, r => Assert.Equal("UnknownVendorId", r["status"]!.GetValue<string>()));

            // Remote Trigger: the Heartbeat follows the answer.
            var heartbeats = csms.Lines.Count(l => l.IsEvent("call", "Heartbeat"));
            await AssertResultAsync(csms, "TriggerMessage", new { requestedMessage = "Heartbeat" }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await Wait.UntilAsync(() => csms.Lines.Count(l => l.IsEvent("call", "Heartbeat")) > heartbeats, Timeout, "the triggered Heartbeat");

            // A known action this charge point leaves out (the Security extension is opt-in): a CALLERROR NotSupported.
            var log = await csms.CallAsync("GetLog", new { logType = "SecurityLog", requestId = 1, log = new { remoteLocation = "ftp://example.com/logs/" } }, identity: "LIB-CP-1", timeout: Timeout);
            Assert.True(log.IsEvent("error"), csms.Transcript());
            Assert.Equal("NotSupported", log.GetString("code"));

            await AssertResultAsync(csms, "Reset", new { type = "Soft" }, r => Assert.Equal("Accepted", r["status"]!.GetValue<string>()));
            await csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "LIB-CP-1", Timeout);
            await csms.WaitForAsync(l => l.IsEvent("call", "BootNotification"), Timeout);

            Assert.DoesNotContain(csms.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));
        }
    }

    [Fact]
    public async Task OcppRpcChargePoint_AgainstOurCentralSystem_CoreSessionAndCallsBothWays()
    {
        await NodeInterop.EnsureInstalledAsync();
        await using var csms = await TestCentralSystem.StartAsync();
        await using var cp = await NodeInterop.StartChargePointAsync(csms.BaseUri.ToString(), "NODE-CP-9", password: null, script: "core", idTag: "TAG-9");
        var done = await cp.WaitForEventAsync("done", timeout: Timeout);
        Assert.True(done["ok"]!.GetValue<bool>(), cp.Transcript());

        var start = await csms.Handler.WaitForAsync<StartTransactionRequest>("NODE-CP-9", _ => true, Timeout);
        Assert.Equal("TAG-9", start.IdTag);
        var stop = await csms.Handler.WaitForAsync<StopTransactionRequest>("NODE-CP-9", _ => true, Timeout);
        Assert.Equal(done["transactionId"]!.GetValue<int>(), stop.TransactionId);
        Assert.Equal(1000, stop.MeterStop);
        await csms.Handler.WaitForAsync<MeterValuesRequest>("NODE-CP-9", m => m.TransactionId == stop.TransactionId, Timeout);
        await csms.Handler.WaitForAsync<HeartbeatRequest>("NODE-CP-9", _ => true, Timeout);

        // Our typed CS → CP calls, answered by ocpp-rpc in strict mode.
        var remote = await csms.WaitForChargePointAsync("NODE-CP-9", Timeout);
        var config = await remote.GetConfigurationAsync(["HeartbeatInterval"]).WaitAsync(Timeout);
        Assert.Equal("HeartbeatInterval", Assert.Single(config.ConfigurationKey!).Key);
        Assert.Equal(RemoteStartStopStatus.Accepted, (await remote.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "TAG-9" }).WaitAsync(Timeout)).Status);
        Assert.Equal(ResetStatus.Accepted, (await remote.ResetAsync(ResetType.Hard).WaitAsync(Timeout)).Status);
        Assert.Equal(UnlockStatus.Unlocked, (await remote.UnlockConnectorAsync(1).WaitAsync(Timeout)).Status);

        // Our answers passed ocpp-rpc's strict validation: it reported no failure and no error for its own calls.
        Assert.DoesNotContain(cp.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage") || l.IsEvent("error"));
    }

    [Fact]
    public async Task ErrorAnswers_BothWays_ReachTheOtherSideWithTheirCodes()
    {
        await NodeInterop.EnsureInstalledAsync();
        await using var csms = await TestCentralSystem.StartAsync();
        await using var cp = await NodeInterop.StartChargePointAsync(csms.BaseUri.ToString(), "NODE-ERR", password: null, script: "none");
        await cp.WaitForEventAsync("connected", timeout: Timeout);
        var remote = await csms.WaitForChargePointAsync("NODE-ERR", Timeout);

        // Our handler throws OcppCallErrorException: ocpp-rpc (strict) receives the CALLERROR with our code.
        var error = await cp.CallAsync("Authorize", new { idTag = "CALLERROR" }, timeout: Timeout);
        Assert.True(error.IsEvent("error"), cp.Transcript());
        Assert.Equal("SecurityError", error.GetString("code"));

        // A CALL ocpp-rpc does not know: its NotImplemented comes back to our typed result.
        var unknown = await remote.Connection.CallAsync("Foo", new BootNotificationRequest { ChargePointVendor = "x", ChargePointModel = "y" }).AsTask().WaitAsync(Timeout);
        Assert.Equal(OcppCallStatus.Error, unknown.Status);
        Assert.Equal(OcppErrorCode.NotImplemented, unknown.ErrorCode);

        // And the connection still works both ways.
        var ok = await cp.CallAsync("Heartbeat", new { }, timeout: Timeout);
        Assert.True(ok.IsEvent("result"), cp.Transcript());
        Assert.Equal(UnlockStatus.Unlocked, (await remote.UnlockConnectorAsync(1).WaitAsync(Timeout)).Status);
    }

    [Fact]
    public async Task Reconnect_OurChargePointReconnectsToOcppRpc_AndDeliversTheStopTransactionQueuedMeanwhile()
    {
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        await using (csms)
        {
            var options = new ChargePointOptions
            {
                Identity = "LIB-RECON",
                CentralSystemUri = new Uri($"ws://127.0.0.1:{port}/ocpp"),
                ReconnectMinDelay = TimeSpan.FromMilliseconds(500),
                ReconnectRandomRange = TimeSpan.Zero,
            };
            var hw = new SimulatedChargePointHardware(1);
            await using var cp = new ChargePointClient(options, hw);
            await cp.StartAsync();
            await csms.WaitForAsync(l => l.IsEvent("call", "StatusNotification") && l["params"]!["connectorId"]!.GetValue<int>() == 1, Timeout);
            hw.Connector(1).Plug();
            hw.RfidReader.Present("TAG-R");
            await Wait.UntilAsync(() => cp.GetTransactionId(1) is not null, Timeout, "transaction id");
            var transactionId = cp.GetTransactionId(1)!.Value;

            // ocpp-rpc drops the connection; the driver stops while the charge point is offline.
            await csms.SendAsync(new { cmd = "close", identity = "LIB-RECON" });
            await Wait.UntilAsync(() => cp.ConnectionState == ChargePointConnectionState.Reconnecting, Timeout, "the charge point to notice the close");
            hw.RfidReader.Present("TAG-R");

            await csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "LIB-RECON" && csms.Lines.Count(x => x.IsEvent("connected")) >= 2, Timeout);
            var stop = await csms.WaitForEventAsync("call", "StopTransaction", Timeout);
            Assert.Equal(transactionId, stop["params"]!["transactionId"]!.GetValue<int>());

            // Already registered: reconnecting does not send a second BootNotification.
            Assert.Single(csms.Lines, l => l.IsEvent("call", "BootNotification"));
            Assert.DoesNotContain(csms.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));
        }
    }

    private static async Task AssertResultAsync(NodeProcess csms, string action, object parameters, Action<JsonNode> check)
    {
        var reply = await csms.CallAsync(action, parameters, identity: "LIB-CP-1", timeout: Timeout);
        Assert.True(reply.IsEvent("result"), $"{action}: {reply.ToJsonString()}\n{csms.Transcript()}");
        check(reply["result"]!);
    }
}
