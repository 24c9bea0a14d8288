using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>Registration and heartbeat (OCPP 1.6 §4.2, §4.6), modelled on the OCA test tool's charge point cases.</summary>
public sealed class BootScenarioTests
{
    [Fact]
    public async Task TC_001_CS_ColdBoot_SendsBootNotificationThenStatusOfEveryConnectorThenHeartbeats()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.BootInterval = 60);

        Assert.Equal(
            ["BootNotification", "StatusNotification:0:Available", "StatusNotification:1:Available", "StatusNotification:2:Available"],
            rig.Trace());
        var boot = rig.Cs.Calls[0];
        Assert.Equal("TestVendor", boot.Str("chargePointVendor"));
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("HeartbeatInterval", out var interval));
        Assert.Equal("60", interval);

        await rig.AdvanceAsync(59);
        Assert.Empty(rig.Cs.CallsOf("Heartbeat"));
        await rig.AdvanceAsync(1);
        Assert.Single(rig.Cs.CallsOf("Heartbeat"));
        await rig.AdvanceAsync(120);
        Assert.Equal(3, rig.Cs.CallsOf("Heartbeat").Count);
    }

    [Fact]
    public async Task BootPending_SendsNothingElse_AnswersCentralSystemCalls_AndBootsAgainAfterTheInterval()
    {
        var pending = true;
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["BootNotification"] = _ =>
            FakeCentralSystem.Result($"{{\"status\":\"{(pending ? "Pending" : "Accepted")}\",\"currentTime\":\"{cs.Now}\",\"interval\":20}}"));
        Assert.Equal(["BootNotification"], rig.Trace());
        Assert.Equal(RegistrationStatus.Pending, rig.ChargePoint.RegistrationStatus);

        // While Pending the Central System may call; the charge point answers but sends nothing itself.
        var configuration = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.Single(configuration.ConfigurationKey!);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceAsync(19);
        Assert.Equal(["BootNotification"], rig.Trace());

        pending = false;
        await rig.AdvanceAsync(1);
        var trace = rig.Trace();
        Assert.Equal(["BootNotification", "BootNotification"], trace.Take(2));
        Assert.Contains("StatusNotification:1:Charging", trace);
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
    }

    [Fact]
    public async Task BootRejected_SendsNothingAtAll_UntilTheNextBootNotificationIsAccepted()
    {
        var rejected = true;
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["BootNotification"] = _ =>
            FakeCentralSystem.Result($"{{\"status\":\"{(rejected ? "Rejected" : "Accepted")}\",\"currentTime\":\"{cs.Now}\",\"interval\":30}}"));
        Assert.Equal(RegistrationStatus.Rejected, rig.ChargePoint.RegistrationStatus);
        rig.Hardware.Connector(2).Plug();
        await rig.AdvanceAsync(29);
        Assert.Equal(["BootNotification"], rig.Trace());
        await rig.AdvanceAsync(1);
        Assert.Equal(["BootNotification", "BootNotification"], rig.Trace());

        rejected = false;
        await rig.AdvanceAsync(30);
        Assert.Equal(
            ["BootNotification", "BootNotification", "BootNotification", "StatusNotification:0:Available", "StatusNotification:1:Available", "StatusNotification:2:Preparing"],
            rig.Trace());
    }

    [Fact]
    public async Task Reconnect_WithoutReboot_SendsNoNewBootNotification_AndOnlyTheStatusesThatChangedOffline()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        await rig.Cs.DropAsync();
        await rig.SettleAsync();
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.Connector(1).Unplug();
        rig.Hardware.Connector(2).Plug();
        await rig.SettleAsync();
        await rig.AdvanceAsync(2);

        // Offline, connector 1 went Preparing and back to Available: its latest status is what it was, so only
        // connector 2's latest status is sent after the reconnect, and no BootNotification.
        Assert.Equal(2, rig.Cs.ConnectionCount);
        Assert.Equal(["StatusNotification:1:Available", "StatusNotification:2:Preparing"], rig.Trace(from));
    }

    [Fact]
    public async Task Offline_NoHeartbeatIsQueued_AndNoBurstFollowsTheReconnect()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.BootInterval = 10);
        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.AdvanceAsync(95);
        var from = rig.Cs.Calls.Count;
        rig.Cs.Unreachable = false;
        await rig.AdvanceAsync(9);
        Assert.True(rig.Trace(from).Count(a => a == "Heartbeat") <= 1, string.Join(",", rig.Trace(from)));
    }
}
