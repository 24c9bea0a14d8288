using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Hosting;

/// <summary>AddOcpp16ChargePoint: options bound from configuration and validated at start, a hosted service, systemd.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task AddOcpp16ChargePoint_BindsTheOptions_StartsWithTheHost_AndStopsWithIt()
    {
        var time = new FakeTimeProvider(Rig.Epoch);
        var cs = new FakeCentralSystem(time);
        await using var _ = cs;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChargePoint:Identity"] = "HOSTED-1",
            ["ChargePoint:CentralSystemUri"] = "ws://127.0.0.1:1/ocpp",
            ["ChargePoint:ChargePointModel"] = "Hosted",
            ["ChargePoint:CallTimeout"] = "00:00:07",
            ["ChargePoint:Configuration:MeterValueSampleInterval"] = "17",
            ["ChargePoint:Configuration:LocalPreAuthorize"] = "true",
            ["ChargePoint:ConfigurationKeyRanges:HeartbeatInterval:Minimum"] = "10",
            ["ChargePoint:ConfigurationKeyRanges:HeartbeatInterval:Maximum"] = "60",
        });
        builder.Services.AddSystemd();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IChargePointHardware>(new SimulatedChargePointHardware(2, timeProvider: time));
        builder.Services.AddOcpp16ChargePoint(builder.Configuration.GetSection("ChargePoint"))
            .PostConfigure(o => o.TransportFactory = cs.ConnectAsync);
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(Timeouts.Await);
        var chargePoint = host.Services.GetRequiredService<OcppChargePoint>();
        var options = host.Services.GetRequiredService<IOptions<ChargePointOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), options.CallTimeout);
        var deadline = DateTime.UtcNow + Timeouts.Await;
        while (chargePoint.RegistrationStatus != RegistrationStatus.Accepted)
        {
            Assert.True(DateTime.UtcNow < deadline, "no BootNotification answer");
            await Task.Delay(20);
        }

        var boot = cs.CallsOf("BootNotification").Single();
        Assert.Equal("Hosted", boot.Str("chargePointModel"));
        Assert.True(chargePoint.Configuration.TryGetValue("MeterValueSampleInterval", out var interval));
        Assert.Equal("17", interval);
        Assert.True(chargePoint.Configuration.TryGetDefinition("HeartbeatInterval", out var heartbeat));
        Assert.Equal((10L, 60L), (heartbeat.Minimum, heartbeat.Maximum));

        await host.StopAsync().WaitAsync(Timeouts.Await);
        Assert.Equal(ChargePointConnectionState.Disconnected, chargePoint.ConnectionState);
    }

    [Fact]
    public async Task InvalidOptions_FailTheHostStart_WithEveryProblemNamed()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChargePoint:ChargePointVendor"] = "A vendor name that is much too long",
        });
        builder.Services.AddSingleton<IChargePointHardware>(new SimulatedChargePointHardware(1));
        builder.Services.AddOcpp16ChargePoint(builder.Configuration.GetSection("ChargePoint"));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(e.Failures, f => f.Contains("Identity", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("CentralSystemUri", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("ChargePointVendor", StringComparison.Ordinal));
    }
}
