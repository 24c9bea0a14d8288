using Ocpp16.ChargePoint.Simulation;
using Ocpp16.ChargePoint.Tests.Support;

namespace Ocpp16.ChargePoint.Tests;

public sealed class OptionsTests
{
    private static ChargePointOptions Valid() => new()
    {
        Identity = "CP-TEST",
        CentralSystemUri = new Uri("ws://127.0.0.1:1/ocpp"),
    };

    [Fact]
    public async Task Constructor_WithValidOptions_ExposesIdentityAndDefaults()
    {
        await using var cp = new OcppChargePoint(Valid(), new SimulatedChargePointHardware(3));
        Assert.Equal("CP-TEST", cp.Identity);
        Assert.Equal(ChargePointConnectionState.Disconnected, cp.ConnectionState);
        Assert.Null(cp.RegistrationStatus);
        Assert.True(cp.Configuration.TryGetValue("NumberOfConnectors", out var n));
        Assert.Equal("3", n);
        Assert.True(cp.Configuration.TryGetDefinition("NumberOfConnectors", out var definition));
        Assert.Equal(ConfigurationKeyAccess.ReadOnly, definition.Access);
        Assert.Throws<ArgumentOutOfRangeException>(() => cp.GetConnectorStatus(4));
    }

    public static TheoryData<string, string> InvalidCases => new()
    {
        { "identity", "Identity" },
        { "vendor", "ChargePointVendor" },
        { "model", "ChargePointModel" },
        { "timeout", "CallTimeout" },
        { "reconnect", "ReconnectMaxDelay" },
        { "unknownKey", "NoSuchKey" },
        { "badValue", "HeartbeatInterval" },
        { "noUri", "CentralSystemUri" },
        { "httpUri", "CentralSystemUri" },
        { "serial", "ChargePointSerialNumber" },
        { "cache", "AuthorizationCacheCapacity" },
        { "profile", "FeatureProfiles" },
        { "rangeUnknownKey", "ConfigurationKeyRanges" },
        { "rangeNotInteger", "ConfigurationKeyRanges" },
        { "rangeWider", "ConfigurationKeyRanges" },
        { "rangeEmpty", "ConfigurationKeyRanges" },
        { "rangeExcludesTheDefault", "MeterValueSampleInterval" },
        { "valueOutsideTheRange", "HeartbeatInterval" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Constructor_WithInvalidOptions_ThrowsArgumentExceptionNamingTheOption(string which, string named)
    {
        var options = Valid();
        switch (which)
        {
            case "identity": options.Identity = " "; break;
            case "vendor": options.ChargePointVendor = new string('v', 21); break;
            case "model": options.ChargePointModel = string.Empty; break;
            case "timeout": options.CallTimeout = TimeSpan.Zero; break;
            case "reconnect": options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(1); break;
            case "unknownKey": options.Configuration["NoSuchKey"] = "1"; break;
            case "badValue": options.Configuration["HeartbeatInterval"] = "soon"; break;
            case "noUri": options.CentralSystemUri = null; break;
            case "httpUri": options.CentralSystemUri = new Uri("http://127.0.0.1/ocpp"); break;
            case "serial": options.ChargePointSerialNumber = new string('s', 26); break;
            case "cache": options.AuthorizationCacheCapacity = 0; break;
            case "profile": options.FeatureProfiles.Remove(Messages.OcppFeatureProfile.Core); break;
            case "rangeUnknownKey": options.ConfigurationKeyRanges["NoSuchKey"] = new() { Maximum = 1 }; break;
            case "rangeNotInteger": options.ConfigurationKeyRanges["LocalPreAuthorize"] = new() { Maximum = 1 }; break;
            case "rangeWider": options.ConfigurationKeyRanges["HeartbeatInterval"] = new() { Maximum = 100_000 }; break;
            case "rangeEmpty": options.ConfigurationKeyRanges["HeartbeatInterval"] = new() { Minimum = 30, Maximum = 20 }; break;
            case "rangeExcludesTheDefault": options.ConfigurationKeyRanges["MeterValueSampleInterval"] = new() { Maximum = 30 }; break; // default 60
            case "valueOutsideTheRange":
                options.ConfigurationKeyRanges["HeartbeatInterval"] = new() { Maximum = 60 };
                options.Configuration["HeartbeatInterval"] = "120";
                break;
        }

        var e = Assert.Throws<ArgumentException>(() => new OcppChargePoint(options, new SimulatedChargePointHardware(1)));
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var rig = await Rig.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.ChargePoint.StartAsync());
    }
}
