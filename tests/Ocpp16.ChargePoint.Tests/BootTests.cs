using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests;

public sealed class BootTests
{
    [Fact]
    public async Task Start_WhenAccepted_SendsBootThenStatusForEveryConnectorAndAppliesInterval()
    {
        await using var rig = await Rig.StartAsync(setup: cs =>
            cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result("{\"status\":\"Accepted\",\"currentTime\":\"2026-01-01T00:00:00Z\",\"interval\":277}"));

        var calls = rig.Cs.Calls;
        Assert.Equal("BootNotification", calls[0].Action);
        Assert.Equal("TestVendor", calls[0].Str("chargePointVendor"));
        Assert.Equal("TestModel", calls[0].Str("chargePointModel"));
        Assert.True(calls[1].IsStatus(0, "Available"), calls[1].ToString());
        Assert.True(calls[2].IsStatus(1, "Available"), calls[2].ToString());
        Assert.True(calls[3].IsStatus(2, "Available"), calls[3].ToString());
        Assert.All(calls.Skip(1).Take(3), c => Assert.Equal("NoError", c.Str("errorCode")));
        Assert.Equal(1, rig.Cs.BootCount);

        Assert.True(rig.ChargePoint.Configuration.TryGet("HeartbeatInterval", out var interval, out _));
        Assert.Equal("277", interval);
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
        Assert.Equal(ChargePointConnectionState.Connected, rig.ChargePoint.ConnectionState);
        Assert.Empty(rig.Logs.Errors);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Rejected")]
    public async Task Start_WhenNotAccepted_RetriesBootAfterIntervalAndSendsNothingElse(string status)
    {
        var answered = 0;
        await using var rig = await Rig.StartAsync(
            waitForBoot: false,
            setup: cs => cs.Answers["BootNotification"] = _ => Interlocked.Increment(ref answered) <= 2
                ? FakeCentralSystem.Result($"{{\"status\":\"{status}\",\"currentTime\":\"2026-01-01T00:00:00Z\",\"interval\":1}}")
                : FakeCentralSystem.Result("{\"status\":\"Accepted\",\"currentTime\":\"2026-01-01T00:00:00Z\",\"interval\":300}"));

        var first = DateTime.UtcNow;
        await rig.Cs.WaitForAsync("BootNotification");
        var (_, second) = await rig.Cs.WaitForAsync("BootNotification", 1);
        var secondAt = DateTime.UtcNow;
        var (_, third) = await rig.Cs.WaitForAsync("BootNotification", second + 1);
        var thirdAt = DateTime.UtcNow;

        // Nothing but BootNotification while not accepted, and each retry waits the interval (1 s).
        Assert.Equal(1, second);
        Assert.Equal(2, third);
        Assert.True(thirdAt - secondAt >= TimeSpan.FromMilliseconds(800), $"retry after {(thirdAt - secondAt).TotalMilliseconds} ms");
        Assert.True(secondAt - first >= TimeSpan.FromMilliseconds(800), $"retry after {(secondAt - first).TotalMilliseconds} ms");

        // Once accepted: the statuses follow.
        await rig.Cs.WaitForStatusAsync(0, "Available", third);
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
        Assert.Equal(3, rig.Cs.BootCount);
    }

    [Fact]
    public async Task Start_WhenPendingForever_DoesNotSendStatusOrTransactions()
    {
        await using var rig = await Rig.StartAsync(
            waitForBoot: false,
            setup: cs => cs.Answers["BootNotification"] = _ =>
                FakeCentralSystem.Result("{\"status\":\"Pending\",\"currentTime\":\"2026-01-01T00:00:00Z\",\"interval\":1}"));
        await rig.Cs.WaitForAsync("BootNotification");
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await Task.Delay(1500);
        Assert.All(rig.Cs.Calls, c => Assert.Equal("BootNotification", c.Action));
        Assert.Equal(RegistrationStatus.Pending, rig.ChargePoint.RegistrationStatus);
    }

    [Fact]
    public async Task Accepted_WithHeartbeatInterval_SendsHeartbeats()
    {
        await using var rig = await Rig.StartAsync(setup: cs =>
            cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result("{\"status\":\"Accepted\",\"currentTime\":\"2026-01-01T00:00:00Z\",\"interval\":1}"));
        var (_, first) = await rig.Cs.WaitForAsync("Heartbeat");
        await rig.Cs.WaitForAsync("Heartbeat", first + 1);
    }
}
