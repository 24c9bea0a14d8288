using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>Local transactions (OCPP 1.6 §3.6, §4.1, §4.8, §4.10), modelled on the OCA test tool's charge point cases.</summary>
public sealed class TransactionScenarioTests
{
    [Fact]
    public async Task TC_003_CS_RegularChargingSession_PluginFirst()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "10");
        var from = rig.Cs.Calls.Count;
        var transactionId = await rig.StartTransactionAsync("TAG1");
        await rig.AdvanceAsync(21);
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        rig.Hardware.Connector(1).Unplug();
        await rig.SettleAsync();

        Assert.Equal(
            ["StatusNotification:1:Preparing", "Authorize", "StartTransaction", "StatusNotification:1:Charging", "MeterValues", "MeterValues",
                "StopTransaction", "StatusNotification:1:Finishing", "StatusNotification:1:Available"],
            rig.Trace(from));
        var meterValues = rig.Cs.CallsOf("MeterValues");
        Assert.All(meterValues, m => Assert.Equal(transactionId, m.Int("transactionId")));
        Assert.All(meterValues, m => Assert.Equal("Sample.Periodic", m.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("context").GetString()));
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal(transactionId, stop.Int("transactionId"));
        Assert.Equal("Local", stop.Str("reason"));
        Assert.Equal("TAG1", stop.Str("idTag"));
        Assert.True(stop.Int("meterStop") > rig.Cs.CallsOf("StartTransaction").Single().Int("meterStart"));
    }

    [Fact]
    public async Task TC_004_1_CS_RegularChargingSession_IdentificationFirst()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal(["Authorize", "StatusNotification:1:Preparing", "StatusNotification:2:Preparing"], rig.Trace(from));

        await rig.AdvanceAsync(10);
        rig.Hardware.Connector(2).Plug();
        await rig.SettleAsync();
        Assert.Equal(["StartTransaction", "StatusNotification:2:Charging", "StatusNotification:1:Available"], rig.Trace(from + 3));
        Assert.Equal(2, rig.Cs.CallsOf("StartTransaction").Single().Int("connectorId"));
    }

    [Fact]
    public async Task TC_004_2_CS_RegularChargingSession_ConnectionTimeOut()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ConnectionTimeOut"] = "30");
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceAsync(29);
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
        await rig.AdvanceAsync(1);
        Assert.Equal(["Authorize", "StatusNotification:1:Preparing", "StatusNotification:2:Preparing", "StatusNotification:1:Available", "StatusNotification:2:Available"], rig.Trace(from));

        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("StartTransaction"));
    }

    [Fact]
    public async Task TC_005_1_CS_EvSideDisconnected_StopsWithReasonEVDisconnected()
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Unplug();
        await rig.SettleAsync();
        Assert.Equal(["StopTransaction", "StatusNotification:1:Available"], rig.Trace(from));
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal("EVDisconnected", stop.Str("reason"));
        Assert.Equal(transactionId, stop.Int("transactionId"));
    }

    [Fact]
    public async Task StopTransactionOnEVSideDisconnectFalse_TheTransactionGoesOnSuspendedEV_AndResumesWhenReplugged()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["StopTransactionOnEVSideDisconnect"] = "false");
        await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Unplug();
        await rig.AdvanceAsync(5);
        Assert.Equal(ChargePointStatus.SuspendedEV, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:SuspendedEV", "StatusNotification:1:Charging"], rig.Trace(from));
        Assert.Empty(rig.Cs.CallsOf("StopTransaction"));
    }

    [Fact]
    public async Task SuspendedEV_FromTheHardware_Sticks_UntilTheEvResumes()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "5");
        await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).SuspendByEv();
        await rig.AdvanceAsync(12);
        Assert.Equal(ChargePointStatus.SuspendedEV, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.Connector(1).ResumeByEv();
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:SuspendedEV", "MeterValues", "MeterValues", "StatusNotification:1:Charging"], rig.Trace(from));
    }

    [Fact]
    public async Task TC_007_CS_StartWithCachedId_LocalPreAuthorize_StartsWithoutAuthorize()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["LocalPreAuthorize"] = "true");
        await rig.StartTransactionAsync("TAG1");
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        rig.Hardware.Connector(1).Unplug();
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("Authorize"));

        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        rig.Hardware.RfidReader.Present("tag1"); // IdTags compare case-insensitively
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"], rig.Trace(from));
    }

    [Theory]
    [InlineData("Invalid")]
    [InlineData("Expired")]
    [InlineData("Blocked")]
    public async Task TC_023_CS_StartChargingSession_AuthorizeNotAccepted_StartsNothing(string status)
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["Authorize"] = _ => FakeCentralSystem.Result($"{{\"idTagInfo\":{{\"status\":\"{status}\"}}}}"));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        rig.Hardware.RfidReader.Present("BAD");
        await rig.AdvanceAsync(5);
        Assert.Equal(["StatusNotification:1:Preparing", "Authorize"], rig.Trace(from));
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task StartTransactionConf_Invalid_WithStopTransactionOnInvalidId_StopsDeAuthorized()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["StartTransaction"] = call =>
            FakeCentralSystem.Result($"{{\"transactionId\":{cs.TransactionIdFor(call)},\"idTagInfo\":{{\"status\":\"Invalid\"}}}}"));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Preparing", "Authorize", "StartTransaction", "StatusNotification:1:Charging", "StopTransaction", "StatusNotification:1:Finishing"], rig.Trace(from));
        Assert.Equal("DeAuthorized", rig.Cs.CallsOf("StopTransaction").Single().Str("reason"));
    }

    [Fact]
    public async Task StartTransactionConf_Invalid_WithoutStopTransactionOnInvalidId_SuspendsEnergy_SuspendedEVSE()
    {
        await using var rig = await Rig.StartAsync(
            o => o.Configuration["StopTransactionOnInvalidId"] = "false",
            cs => cs.Answers["StartTransaction"] = call => FakeCentralSystem.Result($"{{\"transactionId\":{cs.TransactionIdFor(call)},\"idTagInfo\":{{\"status\":\"Blocked\"}}}}"));
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.SuspendedEVSE, rig.ChargePoint.GetConnectorStatus(1));
        Assert.False(rig.Hardware.Connector(1).IsEnergized);
        Assert.Empty(rig.Cs.CallsOf("StopTransaction"));

        // The holder may still stop it.
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal("Local", rig.Cs.CallsOf("StopTransaction").Single().Str("reason"));
    }

    [Fact]
    public async Task ATagOfTheSameGroup_ParentIdTag_StopsTheTransaction()
    {
        await using var rig = await Rig.StartAsync(setup: cs =>
        {
            cs.Answers["Authorize"] = _ => FakeCentralSystem.Result("{\"idTagInfo\":{\"status\":\"Accepted\",\"parentIdTag\":\"FLEET-7\"}}");
        });
        await rig.StartTransactionAsync("DRIVER-A");
        rig.Hardware.RfidReader.Present("DRIVER-B");
        await rig.SettleAsync();
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal("DRIVER-B", stop.Str("idTag"));
        Assert.Equal("Local", stop.Str("reason"));
    }

    [Fact]
    public async Task FaultDuringTransaction_StopsWithReasonOther_ReportsFaultedWithVendorCodes_ClearedBackToAvailable()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Fault(ChargePointErrorCode.GroundFailure, "RCD tripped", "E-42");
        await rig.SettleAsync();
        Assert.Equal(["StopTransaction", "StatusNotification:1:Faulted"], rig.Trace(from));
        Assert.Equal("Other", rig.Cs.CallsOf("StopTransaction").Single().Str("reason"));
        var faulted = rig.Cs.Calls.Last();
        Assert.Equal("GroundFailure", faulted.Str("errorCode"));
        Assert.Equal("RCD tripped", faulted.Str("info"));
        Assert.Equal("E-42", faulted.Str("vendorErrorCode"));
        Assert.Equal("Ocpp16.Simulation", faulted.Str("vendorId"));

        rig.Hardware.Connector(1).ClearFault();
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Finishing"], rig.Trace(from + 2));
    }

    [Fact]
    public async Task MinimumStatusDuration_ShortStatusesAreNotReported()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MinimumStatusDuration"] = "5");
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        await rig.AdvanceAsync(2);
        rig.Hardware.Connector(1).Unplug();
        await rig.AdvanceAsync(10);
        Assert.Empty(rig.Trace(from));

        rig.Hardware.Connector(2).Plug();
        await rig.AdvanceAsync(4);
        Assert.Empty(rig.Trace(from));
        await rig.AdvanceAsync(1);
        Assert.Equal(["StatusNotification:2:Preparing"], rig.Trace(from));
    }

    [Fact]
    public async Task StopTxnSampledData_IsKeptInTransactionData_WithBeginAndEnd()
    {
        await using var rig = await Rig.StartAsync(o =>
        {
            o.Configuration["MeterValueSampleInterval"] = "10";
            o.Configuration["StopTxnSampledData"] = "Energy.Active.Import.Register,Power.Active.Import";
        });
        await rig.StartTransactionAsync();
        await rig.AdvanceAsync(25);
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        var data = rig.Cs.CallsOf("StopTransaction").Single().Payload.GetProperty("transactionData");
        var contexts = data.EnumerateArray().Select(v => v.GetProperty("sampledValue")[0].GetProperty("context").GetString()).ToList();
        Assert.Equal(["Transaction.Begin", "Sample.Periodic", "Sample.Periodic", "Transaction.End"], contexts);
        Assert.All(data.EnumerateArray(), v => Assert.Equal(2, v.GetProperty("sampledValue").GetArrayLength()));
    }

    [Fact]
    public async Task ClockAlignedData_IsSentAtTheBoundaries_WithAndWithoutATransaction_AndKeptForStopTxnAlignedData()
    {
        await using var rig = await Rig.StartAsync(o =>
        {
            o.Configuration["ClockAlignedDataInterval"] = "900";
            o.Configuration["MeterValueSampleInterval"] = "0";
        });

        // The rig starts at 08:00:00; the next quarter of an hour is 08:15.
        await rig.StartTransactionAsync(connectorId: 1);
        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(840, stepSeconds: 60);
        await rig.AdvanceAsync(59);
        Assert.DoesNotContain(rig.Cs.Calls.Skip(from), c => c.Action == "MeterValues");
        await rig.AdvanceAsync(1);
        var aligned = rig.Cs.Calls.Skip(from).Where(c => c.Action == "MeterValues").ToList();
        Assert.Equal(2, aligned.Count);
        Assert.All(aligned, m => Assert.Equal("Sample.Clock", m.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("context").GetString()));
        Assert.All(aligned, m => Assert.EndsWith("08:15:00.000Z", m.Payload.GetProperty("meterValue")[0].GetProperty("timestamp").GetString(), StringComparison.Ordinal));
        Assert.True(aligned.Single(m => m.Int("connectorId") == 1).Has("transactionId"));
        Assert.False(aligned.Single(m => m.Int("connectorId") == 2).Has("transactionId"));

        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        var data = rig.Cs.CallsOf("StopTransaction").Single().Payload.GetProperty("transactionData");
        Assert.Contains(data.EnumerateArray(), v => v.GetProperty("sampledValue")[0].GetProperty("context").GetString() == "Sample.Clock");
    }

    [Fact]
    public async Task EnergyRegisterBeyondInt32_MeterStartAndMeterStopStayExactAndOrdered()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "60");
        rig.Hardware.Connector(1).EnergyWh = 3_000_000_123m; // 3 GWh: beyond the 32-bit meterStart of StartTransaction
        await rig.StartTransactionAsync();
        await rig.AdvanceAsync(120);
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        var meterStart = rig.Cs.CallsOf("StartTransaction").Single().Int("meterStart");
        var meterStop = rig.Cs.CallsOf("StopTransaction").Single().Int("meterStop");
        var delivered = rig.Hardware.Connector(1).EnergyWh - 3_000_000_123m;
        Assert.Equal(123, meterStart); // the register modulo 1,000,000,000 Wh
        Assert.Equal((int)decimal.Floor(delivered), meterStop - meterStart);
        var sampled = rig.Cs.CallsOf("MeterValues")[0].Payload.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("value").GetString();
        Assert.StartsWith("3000", sampled, StringComparison.Ordinal); // the full register in the sampled value
    }
}
