using System.Globalization;
using System.Text.Json.Nodes;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// The charge point's Local Auth List Management, Reservation, Remote Trigger and Smart Charging sessions (the OCA test
/// tool's cases, as in the ChargePoint tests on virtual time) against ocpp-rpc in strict mode as the Central System:
/// ocpp-rpc validates every answer and every message of ours against the official schemas, and each test ends by
/// checking that it reported no validation failure.
/// </summary>
public sealed class ProfileScenarioInteropTests
{
    private static string Status(JsonNode result) => result["status"]!.GetValue<string>();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TC_042_And_TC_043_CS_LocalAuthorizationList_VersionsAndUpdates_And_TC_008_StartWithoutAuthorize()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-LIST", o => o.Configuration["LocalPreAuthorize"] = "true");
        Assert.Equal(0, (await s.CallAsync("GetLocalListVersion", new { }))["listVersion"]!.GetValue<int>());
        Assert.Equal("Accepted", Status(await s.CallAsync("SendLocalList", new
        {
            listVersion = 1,
            updateType = "Full",
            localAuthorizationList = new object[]
            {
                new { idTag = "LIST-1", idTagInfo = new { status = "Accepted", parentIdTag = "FLEET" } },
                new { idTag = "LIST-2", idTagInfo = new { status = "Blocked", expiryDate = "2030-01-01T00:00:00.000Z" } },
            },
        })));
        Assert.Equal("Accepted", Status(await s.CallAsync("SendLocalList", new { listVersion = 2, updateType = "Differential", localAuthorizationList = new object[] { new { idTag = "LIST-3", idTagInfo = new { status = "Accepted" } }, new { idTag = "LIST-2" } } })));
        Assert.Equal("VersionMismatch", Status(await s.CallAsync("SendLocalList", new { listVersion = 2, updateType = "Differential", localAuthorizationList = new object[] { new { idTag = "LIST-4", idTagInfo = new { status = "Accepted" } } } })));
        Assert.Equal("Failed", Status(await s.CallAsync("SendLocalList", new { listVersion = 3, updateType = "Full", localAuthorizationList = new object[] { new { idTag = "LIST-4" } } })));
        Assert.Equal(2, (await s.CallAsync("GetLocalListVersion", new { }))["listVersion"]!.GetValue<int>());

        s.Hardware.Connector(1).Plug();
        s.Hardware.RfidReader.Present("LIST-3");
        var start = await s.WaitForCallAsync("StartTransaction");
        Assert.Equal("LIST-3", start["params"]!["idTag"]!.GetValue<string>());
        await s.WaitForStatusAsync(1, "Charging");
        Assert.DoesNotContain(s.Csms.Lines, l => l.IsEvent("call", "Authorize"));
    }

    [Fact]
    public async Task TC_046_1_And_TC_047_And_TC_051_And_TC_052_CS_Reservation()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-RESERVE");

        // TC_046_1: reserved for one tag, the transaction carries the reservationId.
        Assert.Equal("Accepted", Status(await s.CallAsync("ReserveNow", new { connectorId = 1, expiryDate = Iso(DateTimeOffset.UtcNow.AddHours(1)), idTag = "RESERVED", reservationId = 46 })));
        await s.WaitForStatusAsync(1, "Reserved");
        Assert.Equal("Occupied", Status(await s.CallAsync("ReserveNow", new { connectorId = 1, expiryDate = Iso(DateTimeOffset.UtcNow.AddHours(1)), idTag = "OTHER", reservationId = 47 })));
        Assert.Equal("Rejected", Status(await s.CallAsync("ReserveNow", new { connectorId = 0, expiryDate = Iso(DateTimeOffset.UtcNow.AddHours(1)), idTag = "OTHER", reservationId = 48 })));
        Assert.Equal("Rejected", Status(await s.CallAsync("CancelReservation", new { reservationId = 99 }))); // TC_052
        s.Hardware.Connector(1).Plug();
        s.Hardware.RfidReader.Present("RESERVED");
        var start = await s.WaitForCallAsync("StartTransaction");
        Assert.Equal(46, start["params"]!["reservationId"]!.GetValue<int>());
        await s.WaitForStatusAsync(1, "Charging");

        // TC_047: a reservation that expires; TC_051: one that is cancelled.
        Assert.Equal("Accepted", Status(await s.CallAsync("ReserveNow", new { connectorId = 2, expiryDate = Iso(DateTimeOffset.UtcNow.AddSeconds(2)), idTag = "LATE", reservationId = 47 })));
        await s.WaitForStatusAsync(2, "Reserved");
        await s.WaitForStatusAsync(2, "Available");
        Assert.Equal("Accepted", Status(await s.CallAsync("ReserveNow", new { connectorId = 2, expiryDate = Iso(DateTimeOffset.UtcNow.AddHours(1)), idTag = "CANCELLED", reservationId = 51 })));
        await s.WaitForStatusAsync(2, "Reserved");
        Assert.Equal("Accepted", Status(await s.CallAsync("CancelReservation", new { reservationId = 51 })));
        await s.WaitForStatusAsync(2, "Available");
    }

    [Fact]
    public async Task TC_054_And_TC_055_CS_TriggerMessage_EveryMessage_AndRejected()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-TRIGGER");
        foreach (var (message, action) in new[]
        {
            ("MeterValues", "MeterValues"),
            ("Heartbeat", "Heartbeat"),
            ("StatusNotification", "StatusNotification"),
            ("DiagnosticsStatusNotification", "DiagnosticsStatusNotification"),
            ("FirmwareStatusNotification", "FirmwareStatusNotification"),
            ("BootNotification", "BootNotification"),
        })
        {
            var before = s.Csms.Lines.Count(l => l.IsEvent("call", action));
            Assert.Equal("Accepted", Status(await s.CallAsync("TriggerMessage", new { requestedMessage = message, connectorId = 1 })));
            await Wait.UntilAsync(() => s.Csms.Lines.Count(l => l.IsEvent("call", action)) > before, InteropSession.Timeout, $"the triggered {action}");
            var call = s.Csms.Lines.Where(l => l.IsEvent("call", action)).ElementAt(before);
            if (action == "MeterValues")
            {
                Assert.Equal("Trigger", call["params"]!["meterValue"]![0]!["sampledValue"]![0]!["context"]!.GetValue<string>());
            }
        }

        Assert.Equal("Rejected", Status(await s.CallAsync("TriggerMessage", new { requestedMessage = "MeterValues", connectorId = 3 })));
    }

    [Fact]
    public async Task TC_056_And_TC_059_And_TC_066_And_TC_067_CS_SmartCharging()
    {
        await using var s = await InteropSession.StartAsync("INTEROP-SMART");
        var now = DateTimeOffset.UtcNow;

        // TC_056 and TC_066: a ChargePointMaxProfile and a TxDefaultProfile.
        Assert.Equal("Accepted", Status(await s.CallAsync("SetChargingProfile", new
        {
            connectorId = 0,
            csChargingProfiles = new
            {
                chargingProfileId = 1, stackLevel = 0, chargingProfilePurpose = "ChargePointMaxProfile", chargingProfileKind = "Absolute",
                chargingSchedule = new { startSchedule = Iso(now.AddMinutes(-1)), duration = 86_400, chargingRateUnit = "A", chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 32.0 } } },
            },
        })));
        Assert.Equal("Accepted", Status(await s.CallAsync("SetChargingProfile", new
        {
            connectorId = 1,
            csChargingProfiles = new
            {
                chargingProfileId = 2, stackLevel = 1, chargingProfilePurpose = "TxDefaultProfile", chargingProfileKind = "Relative",
                chargingSchedule = new { chargingRateUnit = "A", chargingSchedulePeriod = new object[] { new { startPeriod = 0, limit = 16.0 }, new { startPeriod = 3600, limit = 40.0, numberPhases = 1 } } },
            },
        })));
        Assert.Equal("Rejected", Status(await s.CallAsync("SetChargingProfile", new
        {
            connectorId = 1,
            csChargingProfiles = new
            {
                chargingProfileId = 3, stackLevel = 6, chargingProfilePurpose = "TxDefaultProfile", chargingProfileKind = "Relative",
                chargingSchedule = new { chargingRateUnit = "W", chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 1000.0 } } },
            },
        })));

        // TC_059: RemoteStartTransaction with a TxProfile; the composite follows it.
        s.Hardware.Connector(1).Plug();
        Assert.Equal("Accepted", Status(await s.CallAsync("RemoteStartTransaction", new
        {
            connectorId = 1,
            idTag = "SMART",
            chargingProfile = new
            {
                chargingProfileId = 4, stackLevel = 0, chargingProfilePurpose = "TxProfile", chargingProfileKind = "Relative",
                chargingSchedule = new { chargingRateUnit = "A", minChargingRate = 6.0, chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 12.5 } } },
            },
        })));
        await s.WaitForStatusAsync(1, "Charging");
        var composite = await s.CallAsync("GetCompositeSchedule", new { connectorId = 1, duration = 7200, chargingRateUnit = "A" });
        Assert.Equal("Accepted", Status(composite));
        var periods = composite["chargingSchedule"]!["chargingSchedulePeriod"]!.AsArray();
        Assert.Equal(12.5m, Assert.Single(periods)!["limit"]!.GetValue<decimal>());
        Assert.Equal(6.0m, composite["chargingSchedule"]!["minChargingRate"]!.GetValue<decimal>());
        Assert.InRange(DateTimeOffset.Parse(composite["scheduleStart"]!.GetValue<string>(), CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(12.5m, s.Hardware.Connector(1).OfferedCurrentAmperes);

        // Connector 2 (no transaction): the TxDefaultProfile is connector 1's; the station's limit.
        var other = await s.CallAsync("GetCompositeSchedule", new { connectorId = 2, duration = 600 });
        Assert.Equal(32m, Assert.Single(other["chargingSchedule"]!["chargingSchedulePeriod"]!.AsArray())!["limit"]!.GetValue<decimal>());
        Assert.Equal("Rejected", Status(await s.CallAsync("GetCompositeSchedule", new { connectorId = 1, duration = 600, chargingRateUnit = "W" })));

        // TC_067: clear by id, by criteria, Unknown.
        Assert.Equal("Accepted", Status(await s.CallAsync("ClearChargingProfile", new { id = 1 })));
        Assert.Equal("Unknown", Status(await s.CallAsync("ClearChargingProfile", new { id = 1 })));
        Assert.Equal("Accepted", Status(await s.CallAsync("ClearChargingProfile", new { connectorId = 1, chargingProfilePurpose = "TxDefaultProfile", stackLevel = 1 })));
        s.Hardware.RfidReader.Present("SMART");
        await s.WaitForCallAsync("StopTransaction");
        await s.WaitForStatusAsync(1, "Finishing");
        Assert.Equal("Unknown", Status(await s.CallAsync("ClearChargingProfile", new { })));
    }
}
