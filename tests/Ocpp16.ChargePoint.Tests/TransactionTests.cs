using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests;

public sealed class TransactionTests
{
    [Fact]
    public async Task LocalSession_PlugSwipeChargeSwipeUnplug_SendsCallsInOrder()
    {
        await using var rig = await Rig.StartAsync(c => c["MeterValueSampleInterval"] = "1");
        var from = rig.Cs.Calls.Count;

        rig.Hardware.Connector(1).Plug();
        await rig.Cs.WaitForStatusAsync(1, "Preparing", from);
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));

        rig.Hardware.RfidReader.Present("TAG1");
        var (authorize, _) = await rig.Cs.WaitForAsync("Authorize", from);
        Assert.Equal("TAG1", authorize.Str("idTag"));
        var (start, _) = await rig.Cs.WaitForAsync("StartTransaction", from);
        Assert.Equal(1, start.Int("connectorId"));
        Assert.Equal("TAG1", start.Str("idTag"));
        var meterStart = start.Int("meterStart");
        await rig.Cs.WaitForStatusAsync(1, "Charging", from);
        await Rig.WaitUntilAsync(() => rig.ChargePoint.GetTransactionId(1) == 1001);

        // Periodic MeterValues carry the TransactionId from StartTransaction.conf.
        var (meter, meterIndex) = await rig.Cs.WaitForAsync("MeterValues", from);
        Assert.Equal(1, meter.Int("connectorId"));
        Assert.Equal(1001, meter.Int("transactionId"));
        var sample = meter.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue");
        Assert.Contains(sample.EnumerateArray(), v => v.GetProperty("measurand").GetString() == "Energy.Active.Import.Register");
        await rig.Cs.WaitForAsync("MeterValues", meterIndex + 1);

        rig.Hardware.RfidReader.Present("TAG1");
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal(1001, stop.Int("transactionId"));
        Assert.Equal("Local", stop.Str("reason"));
        Assert.True(stop.Int("meterStop") >= meterStart, $"meterStop {stop.Int("meterStop")} < meterStart {meterStart}");
        Assert.True(stop.Int("meterStop") > meterStart, "the simulated meter charges at 50 kW for more than a second");
        await rig.Cs.WaitForStatusAsync(1, "Finishing", from);
        Assert.Null(rig.ChargePoint.GetTransactionId(1));

        rig.Hardware.Connector(1).Unplug();
        var (_, availableIndex) = await rig.Cs.WaitForStatusAsync(1, "Available", from);

        var sequence = rig.Cs.Calls.Take(availableIndex + 1).Skip(from)
            .Where(c => c.Action is not "MeterValues" and not "Heartbeat")
            .Select(c => c.Action == "StatusNotification" ? $"Status{c.Int("connectorId")}:{c.Str("status")}" : c.Action)
            .ToArray();
        Assert.Equal(
            ["Status1:Preparing", "Authorize", "StartTransaction", "Status1:Charging", "StopTransaction", "Status1:Finishing", "Status1:Available"],
            sequence);

        // All MeterValues of the transaction sit between StartTransaction and StopTransaction.
        var calls = rig.Cs.Calls;
        var startIndex = calls.ToList().FindIndex(c => c.Action == "StartTransaction");
        var stopIndex = calls.ToList().FindIndex(c => c.Action == "StopTransaction");
        Assert.All(calls.Where(c => c.Action == "MeterValues"), m => Assert.Equal(1001, m.Int("transactionId")));
        Assert.All(calls.Select((c, i) => (c, i)).Where(x => x.c.Action == "MeterValues"), x => Assert.InRange(x.i, startIndex + 1, stopIndex - 1));
        Assert.Empty(rig.Logs.Errors);
    }

    [Theory]
    [InlineData("Invalid")]
    [InlineData("Blocked")]
    public async Task Authorize_WhenNotAccepted_DoesNotStartTransaction(string status)
    {
        await using var rig = await Rig.StartAsync(setup: cs =>
            cs.Answers["Authorize"] = _ => FakeCentralSystem.Result($"{{\"idTagInfo\":{{\"status\":\"{status}\"}}}}"));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        await rig.Cs.WaitForStatusAsync(1, "Preparing", from);
        rig.Hardware.RfidReader.Present("BADTAG");
        await rig.Cs.WaitForAsync("Authorize", from);

        await rig.AssertNoneAsync(c => c.Action == "StartTransaction" || c.IsStatus(1, "Charging"), TimeSpan.FromMilliseconds(700), from);
        Assert.Null(rig.ChargePoint.GetTransactionId(1));
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task StartTransactionConf_WithInvalidIdTag_StopsWithDeAuthorized()
    {
        await using var rig = await Rig.StartAsync(
            c => c["StopTransactionOnInvalidId"] = "true",
            cs => cs.Answers["StartTransaction"] = _ => FakeCentralSystem.Result("{\"transactionId\":77,\"idTagInfo\":{\"status\":\"Invalid\"}}"));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        var (_, startIndex) = await rig.Cs.WaitForAsync("StartTransaction", from);
        var (stop, stopIndex) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.True(stopIndex > startIndex);
        Assert.Equal(77, stop.Int("transactionId"));
        Assert.Equal("DeAuthorized", stop.Str("reason"));
        await Rig.WaitUntilAsync(() => rig.ChargePoint.GetTransactionId(1) is null);
    }

    [Fact]
    public async Task StartTransactionConf_WithInvalidIdTagAndStopOnInvalidIdFalse_SuspendsInsteadOfStopping()
    {
        await using var rig = await Rig.StartAsync(
            c => c["StopTransactionOnInvalidId"] = "false",
            cs => cs.Answers["StartTransaction"] = _ => FakeCentralSystem.Result("{\"transactionId\":78,\"idTagInfo\":{\"status\":\"Invalid\"}}"));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.Cs.WaitForStatusAsync(1, "SuspendedEVSE", from);
        await rig.AssertNoneAsync(c => c.Action == "StopTransaction", TimeSpan.FromMilliseconds(300), from);
        Assert.False(rig.Hardware.Connector(1).IsEnergized);
    }

    [Fact]
    public async Task Unplug_DuringTransaction_StopsWithEVDisconnected()
    {
        await using var rig = await Rig.StartAsync(c => c["StopTransactionOnEVSideDisconnect"] = "true");
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Unplug();
        var (stop, stopIndex) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal("EVDisconnected", stop.Str("reason"));
        Assert.Equal(1001, stop.Int("transactionId"));
        await rig.Cs.WaitForStatusAsync(1, "Available", stopIndex);
        Assert.False(rig.Hardware.Connector(1).IsEnergized);
    }

    [Fact]
    public async Task Fault_DuringTransaction_ReportsFaultedWithErrorCodeAndStopsTransaction_ClearFaultRecovers()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;

        rig.Hardware.Connector(1).Fault(ChargePointErrorCode.GroundFailure, "ground");
        var (faulted, _) = await rig.Cs.WaitForStatusAsync(1, "Faulted", from);
        Assert.Equal("GroundFailure", faulted.Str("errorCode"));
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal(1001, stop.Int("transactionId"));
        Assert.Null(rig.ChargePoint.GetTransactionId(1));
        Assert.False(rig.Hardware.Connector(1).IsEnergized);
        Assert.Equal(ChargePointStatus.Faulted, rig.ChargePoint.GetConnectorStatus(1));

        var cleared = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).ClearFault();
        var (back, _) = await rig.Cs.WaitForAsync(c => c.Action == "StatusNotification" && c.Int("connectorId") == 1, cleared);
        Assert.Equal("Finishing", back.Str("status"));
        Assert.Equal("NoError", back.Str("errorCode"));
        rig.Hardware.Connector(1).Unplug();
        await rig.Cs.WaitForStatusAsync(1, "Available", cleared);
    }

    [Fact]
    public async Task Fault_DuringTransaction_ReportsFaultedExactlyOnce()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Fault(ChargePointErrorCode.GroundFailure);
        await rig.Cs.WaitForStatusAsync(1, "Faulted", from);
        await Task.Delay(500);
        Assert.Single(rig.Cs.Calls.Skip(from), c => c.IsStatus(1, "Faulted"));
    }

    [Fact]
    public async Task Fault_WithoutTransaction_ReportsFaultedAndClearFaultReturnsToAvailable()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(2).Fault(ChargePointErrorCode.HighTemperature);
        var (faulted, _) = await rig.Cs.WaitForStatusAsync(2, "Faulted", from);
        Assert.Equal("HighTemperature", faulted.Str("errorCode"));
        rig.Hardware.Connector(2).ClearFault();
        var (available, _) = await rig.Cs.WaitForStatusAsync(2, "Available", from);
        Assert.Equal("NoError", available.Str("errorCode"));
    }

    [Fact]
    public async Task SecondConnector_RunsItsOwnTransaction()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync("TAG1", 1);
        var (start2, _) = await rig.StartLocalTransactionAsync("TAG2", 2);
        Assert.Equal(2, start2.Int("connectorId"));
        Assert.Equal(1001, rig.ChargePoint.GetTransactionId(1));
        Assert.Equal(1002, rig.ChargePoint.GetTransactionId(2));

        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG2");
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal(1002, stop.Int("transactionId"));
        Assert.Equal(1001, rig.ChargePoint.GetTransactionId(1));
    }
}
