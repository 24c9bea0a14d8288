using Microsoft.Extensions.Time.Testing;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Simulation;

/// <summary>The simulation implements every hardware hook the engine declares.</summary>
public sealed class SimulatedHardwareTests
{
    [Fact]
    public async Task Meter_IntegratesPowerWhileEnergyIsPermitted_AndFollowsTheChargingLimit()
    {
        var time = new FakeTimeProvider();
        var hardware = new SimulatedChargePointHardware(2, 40_000m, time);
        IChargePointHardware hw = hardware;
        var connector = hardware.Connector(1);
        connector.Plug();
        await connector.SetEnergyPermittedAsync(true);
        time.Advance(TimeSpan.FromHours(0.5));
        var reading = await connector.ReadAsync();
        Assert.Equal(20_000m, reading.EnergyActiveImportRegisterWh);
        Assert.Contains(reading.Samples, s => s.Measurand == Measurand.PowerActiveImport && s.Value == 40_000m);

        await hw.ChargingLimitSink!.ApplyAsync(1, new ChargingLimit(25m, null, null));
        reading = await connector.ReadAsync();
        Assert.Contains(reading.Samples, s => s.Measurand == Measurand.CurrentOffered && s.Value == 25m);
        Assert.Contains(reading.Samples, s => s.Measurand == Measurand.PowerOffered && s.Value == 10_000m);

        connector.SuspendByEv();
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(20_000m, (await connector.ReadAsync()).EnergyActiveImportRegisterWh);
    }

    [Fact]
    public async Task FirmwareInstaller_DiagnosticsProvider_And_Reset_Work()
    {
        var hardware = new SimulatedChargePointHardware(1);
        IChargePointHardware hw = hardware;
        var directory = Directory.CreateTempSubdirectory("ocpp16-sim-");
        try
        {
            hardware.DiagnosticsDirectory = directory.FullName;
            var log = await hw.DiagnosticsProvider!.CollectAsync(null, null);
            Assert.True(File.Exists(log));
            Assert.Contains("connector 1", await File.ReadAllTextAsync(log!), StringComparison.Ordinal);

            Assert.Equal(FirmwareInstallationResult.Installed, await hw.FirmwareInstaller!.InstallAsync(log!));
            Assert.Equal([log!], hardware.InstalledFirmware);
            Assert.Equal(await File.ReadAllBytesAsync(log!), hardware.InstalledFirmwareContents[0]);
            hardware.FirmwareInstallationResult = FirmwareInstallationResult.VerificationFailed;
            Assert.Equal(FirmwareInstallationResult.VerificationFailed, await hw.FirmwareInstaller.InstallAsync(log!));
            Assert.Single(hardware.InstalledFirmware);

            // No certificate store: the charge point keeps its key pair in its own storage.
            Assert.Null(hw.CertificateStore);
            Assert.Equal(ResetOutcome.RestartInProcess, await hw.ResetAsync(ResetType.Soft));
            Assert.Equal(1, hardware.ResetCount);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
