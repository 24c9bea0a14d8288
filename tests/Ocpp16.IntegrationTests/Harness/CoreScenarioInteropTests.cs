using System.Text.Json.Nodes;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.EndToEnd;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// The charge point's Core scenarios (the OCA test tool's cases, as in the ChargePoint tests on virtual time) against
/// ocpp-rpc in strict mode as the Central System: every message is validated against the official schemas on the
/// other side, and each test ends by checking that ocpp-rpc reported no validation failure.
/// </summary>
public sealed class CoreScenarioInteropTests
{
    private static readonly TimeSpan Timeout = InteropSession.Timeout;

    [Fact]
    public async Task TC_004_1_CS_IdentificationFirst_ThenPlug()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-4");
        s.Hardware.RfidReader.Present("TAG-4");
        await s.WaitForCallAsync("Authorize");
        await s.WaitForStatusAsync(1, "Preparing");
        s.Hardware.Connector(1).Plug();
        var start = await s.WaitForCallAsync("StartTransaction");
        Assert.Equal("TAG-4", start["params"]!["idTag"]!.GetValue<string>());
        await s.WaitForStatusAsync(1, "Charging");
    }

    [Fact]
    public async Task TC_011_2_CS_RemoteStart_ConnectionTimeOut_BackToAvailable()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-11", o => o.Configuration["ConnectionTimeOut"] = "1");
        Assert.Equal("Accepted", (await s.CallAsync("RemoteStartTransaction", new { idTag = "R-11", connectorId = 1 }))["status"]!.GetValue<string>());
        await s.WaitForStatusAsync(1, "Preparing");
        await s.WaitForStatusAsync(1, "Available");
        Assert.DoesNotContain(s.Csms.Lines, l => l.IsEvent("call", "StartTransaction"));
    }

    [Fact]
    public async Task TC_023_3_CS_BlockedIdTag_StartsNothing_And_TC_017_2_FixedCableUnlock_IsNotSupported()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-23");
        s.Hardware.Connector(1).Plug();
        s.Hardware.RfidReader.Present("BLOCKED");
        await s.WaitForCallAsync("Authorize", p => p["idTag"]!.GetValue<string>() == "BLOCKED");
        Assert.Equal("NotSupported", (await s.CallAsync("UnlockConnector", new { connectorId = 1 }))["status"]!.GetValue<string>());
        Assert.DoesNotContain(s.Csms.Lines, l => l.IsEvent("call", "StartTransaction"));
    }

    [Fact]
    public async Task TC_015_CS_HardResetWithTransaction_StopsItThenBootsAgain()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-15");
        s.Hardware.Connector(2).Plug();
        s.Hardware.RfidReader.Present("TAG-15");
        await s.WaitForStatusAsync(2, "Charging");
        Assert.Equal("Accepted", (await s.CallAsync("Reset", new { type = "Hard" }))["status"]!.GetValue<string>());
        var stop = await s.WaitForCallAsync("StopTransaction");
        Assert.Equal("HardReset", stop["params"]!["reason"]!.GetValue<string>());
        await s.Csms.WaitForAsync(l => l.IsEvent("connected") && l.GetString("identity") == "INTEROP-15", Timeout);
        await s.WaitForCallAsync("BootNotification");
    }

    [Fact]
    public async Task TC_019_2_And_TC_021_And_TC_040_CS_Configuration_And_ChangeAvailabilityScheduled()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-19", o => o.Configuration["GetConfigurationMaxKeys"] = "2");
        var get = await s.CallAsync("GetConfiguration", new { key = new[] { "MeterValueSampleInterval", "Nope" } });
        Assert.Equal("Nope", get["unknownKey"]![0]!.GetValue<string>());
        Assert.Equal("Rejected", (await s.CallAsync("ChangeConfiguration", new { key = "MeterValueSampleInterval", value = "-1" }))["status"]!.GetValue<string>());
        Assert.Equal("NotSupported", (await s.CallAsync("ChangeConfiguration", new { key = "Nope", value = "1" }))["status"]!.GetValue<string>());
        Assert.Equal("Accepted", (await s.CallAsync("ChangeConfiguration", new { key = "MeterValueSampleInterval", value = "5" }))["status"]!.GetValue<string>());
        var tooMany = await s.Csms.CallAsync("GetConfiguration", new { key = new[] { "A", "B", "C" } }, s.Identity, Timeout);
        Assert.Equal("PropertyConstraintViolation", tooMany.GetString("code"));

        s.Hardware.Connector(1).Plug();
        s.Hardware.RfidReader.Present("TAG-19");
        await s.WaitForStatusAsync(1, "Charging");
        Assert.Equal("Scheduled", (await s.CallAsync("ChangeAvailability", new { connectorId = 1, type = "Inoperative" }))["status"]!.GetValue<string>());
        s.Hardware.RfidReader.Present("TAG-19");
        await s.WaitForCallAsync("StopTransaction");
        await s.WaitForStatusAsync(1, "Unavailable");
    }

    [Fact]
    public async Task TC_039_CS_OfflineTransaction_IsDeliveredInOrderAfterTheReconnect()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-39", o =>
        {
            o.Configuration["MeterValueSampleInterval"] = "1";
            o.ReconnectMinDelay = TimeSpan.FromSeconds(3);
            o.ReconnectMaxDelay = TimeSpan.FromSeconds(3);
        });
        await s.Csms.SendAsync(new { cmd = "close", identity = s.Identity, code = 1001 });
        await s.Csms.WaitForAsync(l => l.IsEvent("disconnected") && l.GetString("identity") == s.Identity, Timeout);

        // Offline for the 3 s before the reconnect: start, two samples, stop.
        s.Hardware.Connector(1).Plug();
        s.Hardware.RfidReader.Present("OFFLINE-39");
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        s.Hardware.RfidReader.Present("OFFLINE-39");

        var start = await s.WaitForCallAsync("StartTransaction");
        var stop = await s.WaitForCallAsync("StopTransaction");
        var transactionId = stop["params"]!["transactionId"]!.GetValue<int>();
        var calls = s.Csms.Lines.Where(l => l.IsEvent("call")).ToList();
        var meterValues = calls.Where(l => l.GetString("action") == "MeterValues").ToList();
        Assert.True(meterValues.Count >= 1, s.Csms.Transcript());
        Assert.All(meterValues, m => Assert.Equal(transactionId, m["params"]!["transactionId"]!.GetValue<int>()));
        Assert.True(calls.IndexOf(start) < calls.IndexOf(meterValues[0]) && calls.IndexOf(meterValues[^1]) < calls.IndexOf(stop));
        Assert.Equal("OFFLINE-39", start["params"]!["idTag"]!.GetValue<string>());
    }
}
