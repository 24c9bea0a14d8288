using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>Contract: <c>MinimalCsms --simulate N</c> runs N simulated DC chargers SIM-1…SIM-N that charge in a loop.</summary>
public sealed class MinimalCsmsSimulateTests
{
    [Fact]
    public async Task Simulate_2_connects_SIM_1_and_SIM_2_and_completes_charging_sessions()
    {
        await using var rig = await Rig.StartAsync("--simulate", "2", "--Csms:MeterValueSampleInterval=1");

        var list = await rig.Api.WaitForChargePointsAsync(
            l => new[] { "SIM-1", "SIM-2" }.All(id => Api.ChargePoint(l, id) is { } cp
                && cp.GetProperty("bootNotification").ValueKind == JsonValueKind.Object
                && Api.ConnectorStatus(cp, 0) is not null && Api.ConnectorStatus(cp, 1) is not null && Api.ConnectorStatus(cp, 2) is not null),
            "SIM-1 and SIM-2 listed with bootNotification and statuses of connectors 0, 1, 2",
            rig.All);
        foreach (var id in new[] { "SIM-1", "SIM-2" })
        {
            var cp = Api.ChargePoint(list, id)!.Value;
            Assert.False(string.IsNullOrEmpty(Api.String(cp.GetProperty("bootNotification"), "chargePointVendor")));
            Assert.False(string.IsNullOrEmpty(Api.String(cp.GetProperty("bootNotification"), "chargePointModel")));
        }

        Assert.DoesNotContain(list.EnumerateArray(), cp => Api.String(cp, "id") == "SIM-3");

        // A session is plug, swipe, ~20 s of charging, swipe, unplug: the first one completes well within 45 s.
        var transactions = await rig.Api.WaitForAsync(
            "/api/transactions",
            l => l.EnumerateArray().Any(IsCompleted),
            TimeSpan.FromSeconds(45),
            "a completed transaction of a simulated charger",
            rig.All);
        var completed = transactions.EnumerateArray().First(IsCompleted);
        Assert.StartsWith("SIM-", Api.String(completed, "chargePointId"), StringComparison.Ordinal);
        Assert.InRange(Api.Int(completed, "connectorId"), 1, 2);
        Assert.True(Api.Int(completed, "meterStop") >= Api.Int(completed, "meterStart"), completed.GetRawText());
        Assert.False(string.IsNullOrEmpty(Api.String(completed, "stopReason")), completed.GetRawText());
        Assert.Equal("Accepted", Api.String(completed, "idTagStatus"));
        Assert.True(Api.Int(completed, "meterValuesCount") > 0, $"MeterValues were sampled every second while charging: {completed.GetRawText()}");

        // The sessions are visible in the log.
        await rig.Csms.WaitForOutputAsync("StartTransaction", TimeSpan.FromSeconds(5));
        await rig.Csms.WaitForOutputAsync("StopTransaction", TimeSpan.FromSeconds(5));
    }

    private static bool IsCompleted(JsonElement transaction)
        => !Api.IsActive(transaction)
            && transaction.TryGetProperty("stopTime", out _)
            && transaction.TryGetProperty("meterStop", out _)
            && transaction.TryGetProperty("stopReason", out _);
}
