using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// Remote Trigger (OCPP 1.6 §5.17) after the OCA test tool's charge point cases TC_054 and TC_055, on virtual time:
/// every triggerable message, with and without connectorId, TriggerMessage.conf on the wire before the triggered CALL,
/// Rejected for a connector that does not exist.
/// </summary>
public sealed class RemoteTriggerScenarioTests
{
    private static Task<Rig> StartAsync(List<string> frames, Action<ChargePointOptions>? configure = null, Action<FakeCentralSystem>? setup = null)
        => Rig.StartAsync(configure, cs =>
        {
            cs.WrapTransport = t => new RecordingTransport(t, frames);
            cs.Answers["DiagnosticsStatusNotification"] = _ => FakeCentralSystem.Result("{}");
            cs.Answers["FirmwareStatusNotification"] = _ => FakeCentralSystem.Result("{}");
            setup?.Invoke(cs);
        });

    /// <summary>Triggers <paramref name="message"/> and returns the CALLs it caused; asserts Accepted and that the answer went on the wire first.</summary>
    private static async Task<IReadOnlyList<RecordedCall>> TriggerAsync(Rig rig, List<string> frames, MessageTrigger message, int? connectorId = null)
    {
        var fromCall = rig.Cs.Calls.Count;
        var fromFrame = Snapshot(frames).Count;
        var answer = await rig.Cs.CallAsync(new TriggerMessageRequest { RequestedMessage = message, ConnectorId = connectorId });
        Assert.Equal(TriggerMessageStatus.Accepted, answer.Status);
        await rig.SettleAsync();
        var calls = rig.Cs.Calls.Skip(fromCall).ToList();
        Assert.NotEmpty(calls);
        var sent = Snapshot(frames);
        var conf = sent.FindIndex(fromFrame, f => f.Contains("{\"status\":\"Accepted\"}", StringComparison.Ordinal));
        var triggered = sent.FindIndex(fromFrame, f => f.Contains($"\"{calls[0].Action}\"", StringComparison.Ordinal));
        Assert.True(conf >= 0 && triggered > conf, $"TriggerMessage.conf (frame {conf}) must precede {calls[0].Action} (frame {triggered}):\n{string.Join("\n", sent.Skip(fromFrame))}");
        return calls;
    }

    private static List<string> Snapshot(List<string> frames)
    {
        lock (frames)
        {
            return [.. frames];
        }
    }

    [Fact]
    public async Task TC_054_CS_TriggerMessage_EveryMessage_FollowsItsAnswer()
    {
        var frames = new List<string>();
        await using var rig = await StartAsync(frames);

        var meterValues = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.MeterValues, 1));
        Assert.Equal(("MeterValues", 1), (meterValues.Action, meterValues.Int("connectorId")));
        Assert.All(meterValues.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray(), v => Assert.Equal("Trigger", v.GetProperty("context").GetString()));
        Assert.False(meterValues.Has("transactionId"));

        Assert.Equal(["Heartbeat"], (await TriggerAsync(rig, frames, MessageTrigger.Heartbeat)).Select(c => c.Action));

        var status = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.StatusNotification, 1));
        Assert.True(status.IsStatus(1, "Available"));

        var diagnostics = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.DiagnosticsStatusNotification));
        Assert.Equal(("DiagnosticsStatusNotification", "Idle"), (diagnostics.Action, diagnostics.Str("status")));

        var firmware = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.FirmwareStatusNotification));
        Assert.Equal(("FirmwareStatusNotification", "Idle"), (firmware.Action, firmware.Str("status")));

        var boot = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.BootNotification));
        Assert.Equal("BootNotification", boot.Action);
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
    }

    [Fact]
    public async Task TC_054_CS_TriggerMessage_WithoutConnectorId_StatusNotificationOfEveryConnector_MeterValuesOfEachDuringATransaction()
    {
        var frames = new List<string>();
        await using var rig = await StartAsync(frames);
        var transactionId = await rig.StartTransactionAsync("TAG", 2);

        var statuses = await TriggerAsync(rig, frames, MessageTrigger.StatusNotification);
        Assert.Equal(["StatusNotification:0:Available", "StatusNotification:1:Available", "StatusNotification:2:Charging"], statuses.Select(c => $"StatusNotification:{c.Int("connectorId")}:{c.Str("status")}"));
        Assert.Equal(["StatusNotification:0:Available"], (await TriggerAsync(rig, frames, MessageTrigger.StatusNotification, 0)).Select(c => $"StatusNotification:{c.Int("connectorId")}:{c.Str("status")}"));

        var meterValues = await TriggerAsync(rig, frames, MessageTrigger.MeterValues);
        Assert.Equal([1, 2], meterValues.Select(c => c.Int("connectorId")));
        Assert.Equal(transactionId, meterValues[1].Int("transactionId"));
        Assert.Contains(meterValues[1].Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray(), v => v.GetProperty("measurand").GetString() == "Current.Offered");
    }

    [Fact]
    public async Task TC_054_CS_TriggerMessage_MeterValuesOfConnectorZero_TheMainMeterIsTheSumOfTheConnectors()
    {
        var frames = new List<string>();
        await using var rig = await StartAsync(frames);
        await rig.StartTransactionAsync("TAG", 2);
        rig.Hardware.Connector(1).EnergyWh = 12_345m;
        rig.Hardware.Connector(2).EnergyWh = 67_890m;
        var power = 0m;
        foreach (var c in rig.Hardware.SimulatedConnectors)
        {
            power += (await c.ReadAsync()).Samples.Single(s => s.Measurand == Measurand.PowerActiveImport).Value;
        }

        Assert.True(power > 0);

        // Accepted, the conf on the wire first, then one MeterValues of connector 0 without a transactionId.
        var meterValues = Assert.Single(await TriggerAsync(rig, frames, MessageTrigger.MeterValues, 0));
        Assert.Equal(("MeterValues", 0), (meterValues.Action, meterValues.Int("connectorId")));
        Assert.False(meterValues.Has("transactionId"));

        // Only what adds up: the energy register and the active power, summed; not SoC, Power.Offered, Current.Offered.
        var sampled = meterValues.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray()
            .Select(v => (Measurand: v.GetProperty("measurand").GetString(), Value: v.GetProperty("value").GetString(), Unit: v.GetProperty("unit").GetString(), Context: v.GetProperty("context").GetString()))
            .ToList();
        Assert.Equal(
            [("Energy.Active.Import.Register", "80235", "Wh", "Trigger"), ("Power.Active.Import", power.ToString(System.Globalization.CultureInfo.InvariantCulture), "W", "Trigger")],
            sampled);
    }

    [Fact]
    public void MainMeter_SumsOnlyWhatEveryConnectorsMeterGives_InTheSameUnitPhaseAndLocation()
    {
        var sum = Ocpp16.ChargePoint.Features.Core.Metering.Sum(
        [
            new(100m, new MeterSample(Measurand.PowerActiveImport, 10m, UnitOfMeasure.W), new MeterSample(Measurand.EnergyActiveExportRegister, 1m, UnitOfMeasure.KWh), new MeterSample(Measurand.SoC, 50m, UnitOfMeasure.Percent)),
            new(250m, new MeterSample(Measurand.PowerActiveImport, 20m, UnitOfMeasure.W), new MeterSample(Measurand.EnergyActiveExportRegister, 2m, UnitOfMeasure.Wh), new MeterSample(Measurand.SoC, 70m, UnitOfMeasure.Percent)),
        ]);
        Assert.Equal(350m, sum.EnergyActiveImportRegisterWh);
        var power = Assert.Single(sum.Samples);
        Assert.Equal(new MeterSample(Measurand.PowerActiveImport, 30m, UnitOfMeasure.W, null, Location.Outlet), power);
    }

    [Fact]
    public async Task TC_055_CS_TriggerMessage_ForAConnectorThatDoesNotExist_IsRejected_AndNothingIsSent()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(TriggerMessageStatus.Rejected, (await rig.Cs.CallAsync(new TriggerMessageRequest { RequestedMessage = MessageTrigger.MeterValues, ConnectorId = 3 })).Status);
        Assert.Equal(TriggerMessageStatus.Rejected, (await rig.Cs.CallAsync(new TriggerMessageRequest { RequestedMessage = MessageTrigger.StatusNotification, ConnectorId = -1 })).Status);
        await rig.AdvanceAsync(5);
        Assert.Empty(rig.Cs.Calls.Skip(from));
    }

    [Fact]
    public async Task TriggerMessage_WhileTheBootIsPending_TheTriggeredMessageGoesOut_OtherMessagesWait()
    {
        var pending = true;
        var frames = new List<string>();
        await using var rig = await StartAsync(frames, setup: cs => cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result(
            $"{{\"status\":\"{(pending ? "Pending" : "Accepted")}\",\"currentTime\":\"{cs.Now}\",\"interval\":60}}"));
        Assert.Equal(RegistrationStatus.Pending, rig.ChargePoint.RegistrationStatus);
        Assert.Equal(["Heartbeat"], (await TriggerAsync(rig, frames, MessageTrigger.Heartbeat)).Select(c => c.Action));
        Assert.Equal(["StatusNotification"], (await TriggerAsync(rig, frames, MessageTrigger.StatusNotification, 2)).Select(c => c.Action));

        pending = false;
        // Accepted at last: the BootNotification, then the statuses that waited.
        var calls = await TriggerAsync(rig, frames, MessageTrigger.BootNotification);
        Assert.Equal("BootNotification", calls[0].Action);
        Assert.Equal(RegistrationStatus.Accepted, rig.ChargePoint.RegistrationStatus);
        Assert.Contains(calls, c => c.IsStatus(1, "Available"));
    }
}
