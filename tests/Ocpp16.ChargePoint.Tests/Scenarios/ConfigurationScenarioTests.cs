using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>GetConfiguration, ChangeConfiguration (OCPP 1.6 §5.3, §5.8, §9), availability (§5.2) and the authorization cache (§3.4.1, §5.4).</summary>
public sealed class ConfigurationScenarioTests
{
    [Fact]
    public async Task TC_019_1_CS_RetrieveAllConfigurationKeys_ListsEveryReadableKeyWithItsAccess()
    {
        await using var rig = await Rig.StartAsync(o => o.ConfigurationKeys.Add(new ConfigurationKeyDefinition
        {
            Name = "VendorSecret", Type = ConfigurationKeyType.String, Access = ConfigurationKeyAccess.WriteOnly, DefaultValue = "s3cret",
        }));
        var answer = await rig.Cs.CallAsync(new GetConfigurationRequest());
        var keys = answer.ConfigurationKey!.ToDictionary(k => k.Key);
        Assert.Null(answer.UnknownKey);
        Assert.Equal(rig.ChargePoint.Configuration.Definitions.Count - 1, keys.Count);
        Assert.DoesNotContain("VendorSecret", keys.Keys);
        Assert.True(keys["NumberOfConnectors"].Readonly);
        Assert.Equal("2", keys["NumberOfConnectors"].Value);
        Assert.False(keys["HeartbeatInterval"].Readonly);
        Assert.Equal("Core,FirmwareManagement,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging", keys["SupportedFeatureProfiles"].Value);
    }

    [Fact]
    public async Task TC_019_2_CS_RetrieveSpecificKeys_UnknownAndWriteOnlyKeysAreUnknown_MoreThanTheMaximumIsACallError()
    {
        await using var rig = await Rig.StartAsync(o =>
        {
            o.Configuration["GetConfigurationMaxKeys"] = "3";
            o.ConfigurationKeys.Add(new ConfigurationKeyDefinition { Name = "VendorSecret", Type = ConfigurationKeyType.String, Access = ConfigurationKeyAccess.WriteOnly, DefaultValue = "x" });
        });
        var answer = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["heartbeatinterval", "NoSuchKey", "VendorSecret"] });
        Assert.Equal("HeartbeatInterval", Assert.Single(answer.ConfigurationKey!).Key);
        Assert.Equal(["NoSuchKey", "VendorSecret"], answer.UnknownKey);

        var tooMany = await rig.Cs.CallRawAsync("GetConfiguration", new GetConfigurationRequest { Key = ["A", "B", "C", "D"] });
        Assert.Equal(OcppCallStatus.Error, tooMany.Status);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, tooMany.ErrorCode);
    }

    [Fact]
    public async Task TC_021_And_TC_040_CS_ChangeConfiguration_EveryOutcome_AndTheChangeTakesEffect()
    {
        await using var rig = await Rig.StartAsync(o => o.ConfigurationKeys.Add(new ConfigurationKeyDefinition
        {
            Name = "VendorMode", Type = ConfigurationKeyType.String, DefaultValue = "a", AllowedValues = ["a", "b"], RebootRequired = true,
        }));
        async Task<ConfigurationStatus> Change(string key, string value) => (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = key, Value = value })).Status;

        Assert.Equal(ConfigurationStatus.NotSupported, await Change("NoSuchKey", "1"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("NumberOfConnectors", "3"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("HeartbeatInterval", "soon"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("HeartbeatInterval", "-5"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("MeterValuesSampledData", "Energy.Active.Import.Register,NotAMeasurand"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("MeterValuesSampledData", string.Join(',', Enumerable.Repeat("Voltage", 9))));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("VendorMode", "c"));
        Assert.Equal(ConfigurationStatus.RebootRequired, await Change("VendorMode", "b"));
        Assert.Equal(ConfigurationStatus.Accepted, await Change("HeartbeatInterval", "30"));

        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(30);
        Assert.Equal(["Heartbeat"], rig.Trace(from));
    }

    [Fact]
    public async Task TC_021_CS_ChangeConfiguration_OutsideARangeTheEmbedderNarrowed_IsRejected()
    {
        // The reference DC station: HeartbeatInterval 0–60 s, MeterValueSampleInterval 0–300 s.
        await using var rig = await Rig.StartAsync(o =>
        {
            o.ConfigurationKeyRanges["HeartbeatInterval"] = new() { Minimum = 0, Maximum = 60 };
            o.ConfigurationKeyRanges["meterValueSampleInterval"] = new() { Maximum = 300 };
            o.Configuration["HeartbeatInterval"] = "45";
        });
        async Task<ConfigurationStatus> Change(string key, string value) => (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = key, Value = value })).Status;
        string Value(string key) => rig.ChargePoint.Configuration.TryGetValue(key, out var value) ? value : "(none)";

        Assert.True(rig.ChargePoint.Configuration.TryGetDefinition("HeartbeatInterval", out var heartbeat));
        Assert.Equal((0L, 60L, "s"), (heartbeat.Minimum, heartbeat.Maximum, heartbeat.Unit));
        Assert.True(rig.ChargePoint.Configuration.TryGetDefinition("MeterValueSampleInterval", out var sample));
        Assert.Equal((0L, 300L), (sample.Minimum, sample.Maximum));

        Assert.Equal(ConfigurationStatus.Rejected, await Change("HeartbeatInterval", "120"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("HeartbeatInterval", "61"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("MeterValueSampleInterval", "301"));
        Assert.Equal("60", Value("HeartbeatInterval")); // BootNotification.conf's 300 s, clamped to the range
        Assert.Equal("60", Value("MeterValueSampleInterval"));

        Assert.Equal(ConfigurationStatus.Accepted, await Change("HeartbeatInterval", "30"));
        Assert.Equal(ConfigurationStatus.Accepted, await Change("MeterValueSampleInterval", "300"));
        Assert.Equal(("30", "300"), (Value("HeartbeatInterval"), Value("MeterValueSampleInterval")));
        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(30);
        Assert.Equal(["Heartbeat"], rig.Trace(from));

        // Other keys keep their declared ranges.
        Assert.Equal(ConfigurationStatus.Accepted, await Change("ClockAlignedDataInterval", "900"));
    }

    [Fact]
    public async Task BootNotificationInterval_BeyondANarrowedHeartbeatInterval_IsClampedToItsMaximum()
    {
        await using var rig = await Rig.StartAsync(
            o => o.ConfigurationKeyRanges["HeartbeatInterval"] = new() { Maximum = 60 },
            cs => cs.BootInterval = 3600);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("HeartbeatInterval", out var value));
        Assert.Equal("60", value);
        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(60);
        Assert.Equal(["Heartbeat"], rig.Trace(from));
    }

    [Fact]
    public async Task ChangedValues_ArePersistedBeforeTheAnswer_AndWinOverTheOptionsAfterARestart()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "60");
        await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "15" });
        await rig.RestartAsync();
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("MeterValueSampleInterval", out var value));
        Assert.Equal("15", value);
    }

    [Fact]
    public async Task ChangeConfiguration_WhenTheStorageFails_IsAnInternalError_AndChangesNothing()
    {
        var storage = new FaultyStorage(new Ocpp16.ChargePoint.Persistence.InMemoryChargePointStorage());
        await using var rig = await Rig.StartAsync(storage: storage);
        storage.FailWrites = true;
        var result = await rig.Cs.CallRawAsync("ChangeConfiguration", new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "42" });
        Assert.Equal(OcppErrorCode.InternalError, result.ErrorCode);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("HeartbeatInterval", out var value));
        Assert.NotEqual("42", value);
    }

    [Fact]
    public async Task ChangeAvailability_IdleConnectorInoperative_IsAccepted_PersistsAcrossARestart_AndRefusesRemoteStart()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Inoperative })).Status);
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:2:Unavailable"], rig.Trace(from));

        await rig.RestartAsync();
        Assert.Equal(ChargePointStatus.Unavailable, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Contains("StatusNotification:2:Unavailable", rig.Trace(from));
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 2 })).Status);
        Assert.Equal(AvailabilityStatus.Rejected, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 3, Type = AvailabilityType.Operative })).Status);
    }

    [Fact]
    public async Task ChangeAvailability_WithATransaction_IsScheduled_AndAppliedWhenItEnds()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync();
        Assert.Equal(AvailabilityStatus.Scheduled, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Inoperative })).Status);
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(ChargePointStatus.Unavailable, rig.ChargePoint.GetConnectorStatus(2));

        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal(["StopTransaction", "StatusNotification:0:Unavailable", "StatusNotification:1:Unavailable"], rig.Trace(from));

        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Operative })).Status);
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Finishing, rig.ChargePoint.GetConnectorStatus(1)); // the transaction ended, the EV is still plugged in
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(0));
    }

    [Fact]
    public async Task TC_034_CS_PowerFailureWithUnavailableStatus_IsUnavailableAfterTheBoot()
    {
        await using var rig = await Rig.StartAsync();
        await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Inoperative });
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;
        await rig.RestartAsync();
        Assert.Equal(["BootNotification", "StatusNotification:0:Unavailable", "StatusNotification:1:Unavailable", "StatusNotification:2:Unavailable"], rig.Trace(from));
    }

    [Fact]
    public async Task AuthorizationCache_IsPersisted_HonoursExpiry_AndIsUsedOffline_TC_061_ClearCacheEmptiesIt()
    {
        await using var rig = await Rig.StartAsync(
            o => o.Configuration["AllowOfflineTxForUnknownId"] = "false",
            cs => cs.Answers["Authorize"] = call => FakeCentralSystem.Result(call.Str("idTag") == "SHORT"
                ? $"{{\"idTagInfo\":{{\"status\":\"Accepted\",\"expiryDate\":\"{Rig.Epoch.AddMinutes(10):yyyy-MM-ddTHH:mm:ssZ}\"}}}}"
                : "{\"idTagInfo\":{\"status\":\"Accepted\"}}"));
        rig.Hardware.RfidReader.Present("LONG");
        rig.Hardware.RfidReader.Present("SHORT");
        await rig.SettleAsync();
        await rig.RestartAsync();

        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.AdvanceAsync(TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(1));
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("short"); // expired in the cache: refused offline
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.RfidReader.Present("long"); // cached (after the restart), case-insensitively: starts offline
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.RfidReader.Present("LONG");
        await rig.SettleAsync();

        rig.Cs.Unreachable = false;
        await rig.AdvanceAsync(5);
        Assert.Equal(ClearCacheStatus.Accepted, (await rig.Cs.CallAsync(new ClearCacheRequest())).Status);
        await rig.Cs.DropAsync();
        rig.Cs.Unreachable = true;
        await rig.SettleAsync();
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("LONG");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(2));
    }

    [Fact]
    public async Task AuthorizationCache_IsBoundedToItsCapacity()
    {
        await using var rig = await Rig.StartAsync(o => o.AuthorizationCacheCapacity = 3);
        foreach (var tag in new[] { "A", "B", "C", "D" })
        {
            rig.Hardware.RfidReader.Present(tag);
            await rig.AdvanceAsync(1);
        }

        Assert.Equal(3, rig.ChargePoint.Engine.Core.Cache.Count);
        Assert.Null(rig.ChargePoint.Engine.Core.Cache.Find("A"));
        Assert.NotNull(rig.ChargePoint.Engine.Core.Cache.Find("d"));
    }
}
