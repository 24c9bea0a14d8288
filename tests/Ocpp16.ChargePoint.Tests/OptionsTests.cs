using Ocpp16.ChargePoint.Simulation;

namespace Ocpp16.ChargePoint.Tests;

public sealed class OptionsTests
{
    private static ChargePointOptions Valid() => new FakeCentralSystem().Options();

    [Fact]
    public void Constructor_WithValidOptions_ExposesIdentityAndDefaults()
    {
        var cp = new ChargePoint(Valid(), new SimulatedChargePointHardware(3));
        Assert.Equal("CP-TEST", cp.Identity);
        Assert.Equal(ChargePointConnectionState.Disconnected, cp.ConnectionState);
        Assert.Null(cp.RegistrationStatus);
        Assert.True(cp.Configuration.TryGet("NumberOfConnectors", out var n, out var readOnly));
        Assert.Equal("3", n);
        Assert.True(readOnly);
        Assert.Throws<ArgumentOutOfRangeException>(() => cp.GetConnectorStatus(4));
    }

    public static TheoryData<string> InvalidCases => new() { "identity", "vendor", "model", "timeout", "reconnect", "unknownKey", "badValue", "noUri" };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Constructor_WithInvalidOptions_ThrowsArgumentException(string which)
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
            case "noUri": options.TransportFactory = null; options.CentralSystemUri = null; break;
        }

        Assert.Throws<ArgumentException>(() => new ChargePoint(options, new SimulatedChargePointHardware(1)));
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        var cs = new FakeCentralSystem();
        await using var _ = cs;
        var cp = new ChargePoint(cs.Options(), new SimulatedChargePointHardware(1));
        await using (cp)
        {
            await cp.StartAsync().WaitAsync(Timeouts.Await);
            await Assert.ThrowsAsync<InvalidOperationException>(() => cp.StartAsync());
        }
    }
}
