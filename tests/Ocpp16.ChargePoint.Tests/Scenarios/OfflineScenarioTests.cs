using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>Connection loss, offline transactions, power loss and retries (OCPP 1.6 §4.10), after the OCA test tool's cases.</summary>
public sealed class OfflineScenarioTests
{
    private static async Task GoOfflineAsync(Rig rig)
    {
        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.SettleAsync();
    }

    private static async Task ComeBackAsync(Rig rig)
    {
        rig.Cs.Unreachable = false;
        await rig.AdvanceAsync(5);
    }

    [Fact]
    public async Task TC_036_CS_ConnectionLossDuringTransaction_OfflineMeterValuesAreDeliveredAfterTheReconnect_20TimesInARow()
    {
        for (var run = 0; run < 20; run++)
        {
            await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "2");
            var transactionId = await rig.StartTransactionAsync();
            await GoOfflineAsync(rig);
            var offlineFrom = rig.Time.GetUtcNow();
            await rig.AdvanceAsync(9);
            var from = rig.Cs.Calls.Count;
            await ComeBackAsync(rig);

            var delivered = rig.Cs.Calls.Skip(from).Where(c => c.Action == "MeterValues").ToList();
            var takenOffline = delivered.Where(m => DateTimeOffset.Parse(m.Payload.GetProperty("meterValue")[0].GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < offlineFrom + TimeSpan.FromSeconds(9)).ToList();
            Assert.True(takenOffline.Count >= 4, $"run {run}: {takenOffline.Count} offline meter values delivered");
            Assert.All(delivered, m => Assert.Equal(transactionId, m.Int("transactionId")));
            Assert.Equal(0, (await rig.ChargePoint.GetSnapshotAsync()).QueuedTransactionMessages);
        }
    }

    [Fact]
    public async Task TC_039_CS_OfflineTransaction_StartAndStopOffline_AreSentInOrderWithTheAssignedId()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "10");
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("OFFLINE-1"); // unknown: AllowOfflineTxForUnknownId
        await rig.AdvanceAsync(25);
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Null(rig.ChargePoint.GetTransactionId(1));
        rig.Hardware.RfidReader.Present("OFFLINE-1");
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;
        await ComeBackAsync(rig);

        var trace = rig.Trace(from).Where(a => a is "StartTransaction" or "MeterValues" or "StopTransaction").ToList();
        Assert.Equal(["StartTransaction", "MeterValues", "MeterValues", "StopTransaction"], trace);
        var transactionId = rig.Cs.TransactionIdFor(rig.Cs.CallsOf("StartTransaction").Single());
        Assert.All(rig.Cs.CallsOf("MeterValues"), m => Assert.Equal(transactionId, m.Int("transactionId")));
        Assert.Equal(transactionId, rig.Cs.CallsOf("StopTransaction").Single().Int("transactionId"));
    }

    [Fact]
    public async Task TC_037_3_CS_OfflineStart_InvalidWhenBackOnline_StopTransactionOnInvalidId_StopsDeAuthorized()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["StartTransaction"] = call =>
            FakeCentralSystem.Result($"{{\"transactionId\":{cs.TransactionIdFor(call)},\"idTagInfo\":{{\"status\":\"Invalid\"}}}}"));
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("STOLEN");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        await ComeBackAsync(rig);
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal("DeAuthorized", stop.Str("reason"));
        Assert.Equal(rig.Cs.TransactionIdFor(rig.Cs.CallsOf("StartTransaction").Single()), stop.Int("transactionId"));
    }

    [Fact]
    public async Task TC_038_CS_OfflineStop_IsDeliveredWithTheTransactionId_AfterTheReconnect()
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync();
        await GoOfflineAsync(rig);
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Finishing, rig.ChargePoint.GetConnectorStatus(1));
        await ComeBackAsync(rig);
        Assert.Equal(transactionId, rig.Cs.CallsOf("StopTransaction").Single().Int("transactionId"));
    }

    [Fact]
    public async Task OfflineTransaction_AcrossARestartBeforeTheReconnect_KeepsItsLocalIdUntilTheStartIsAnswered()
    {
        await using var rig = await Rig.StartAsync();
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("TAG-R");
        await rig.AdvanceAsync(30);
        rig.Hardware.RfidReader.Present("TAG-R");
        await rig.SettleAsync();
        await rig.RestartAsync(); // still unreachable: both messages wait in the journal
        Assert.Equal(2, (await rig.ChargePoint.GetSnapshotAsync()).QueuedTransactionMessages);
        await ComeBackAsync(rig);
        var start = rig.Cs.CallsOf("StartTransaction").Single();
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal(rig.Cs.TransactionIdFor(start), stop.Int("transactionId"));
        Assert.Equal("Local", stop.Str("reason"));
    }

    [Fact]
    public async Task TC_032_1_CS_PowerFailure_TheTransactionIsStoppedWithPowerLoss_FromTheLastJournaledReading_OnceBackOnline()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "10");
        var transactionId = await rig.StartTransactionAsync();
        await rig.AdvanceAsync(25);
        var lastSample = rig.Cs.CallsOf("MeterValues")[^1].Payload.GetProperty("meterValue")[0];
        var lastEnergy = int.Parse(lastSample.GetProperty("sampledValue")[0].GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var from = rig.Cs.Calls.Count;
        await rig.RestartAsync();

        var trace = rig.Trace(from).ToList();
        Assert.Equal("BootNotification", trace[0]);
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal(transactionId, stop.Int("transactionId"));
        Assert.Equal("PowerLoss", stop.Str("reason"));
        Assert.Equal(lastEnergy, stop.Int("meterStop"));
        Assert.Equal(lastSample.GetProperty("timestamp").GetString(), stop.Str("timestamp"));
        Assert.False(stop.Has("idTag"));
        Assert.True(trace.IndexOf("StopTransaction") > trace.IndexOf("BootNotification"));
    }

    [Fact]
    public async Task AfterARestart_WhereTheHardwareSaysTheSessionStillRuns_TheTransactionIsResumed()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "10");
        var transactionId = await rig.StartTransactionAsync();
        rig.Hardware.Connector(1).ResumeTransactions = true;
        await rig.RestartAsync();
        Assert.Empty(rig.Cs.CallsOf("StopTransaction"));
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(transactionId, rig.ChargePoint.GetTransactionId(1));
        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(10);
        Assert.Equal(transactionId, rig.Cs.Calls.Skip(from).Single(c => c.Action == "MeterValues").Int("transactionId"));
    }

    [Fact]
    public async Task TransactionMessageRetry_CallErrors_AreRetriedAfterIntervalTimesAttempts_ThenGivenUp_WhileOtherMessagesGoOn()
    {
        await using var rig = await Rig.StartAsync(
            o =>
            {
                o.Configuration["TransactionMessageAttempts"] = "3";
                o.Configuration["TransactionMessageRetryInterval"] = "20";
                o.Configuration["MeterValueSampleInterval"] = "0";
            },
            cs =>
            {
                cs.BootInterval = 15;
                cs.Answers["StopTransaction"] = _ => OcppResponse.Error(OcppErrorCode.InternalError, "test: database down");
            });
        await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceAsync(19);
        Assert.Single(rig.Cs.CallsOf("StopTransaction"));

        // Waiting for the retry does not hold back StatusNotification and Heartbeat.
        Assert.Contains("StatusNotification:1:Finishing", rig.Trace(from));
        Assert.Contains("Heartbeat", rig.Trace(from));

        await rig.AdvanceAsync(1);
        Assert.Equal(2, rig.Cs.CallsOf("StopTransaction").Count); // after 20 s × 1
        await rig.AdvanceAsync(39);
        Assert.Equal(2, rig.Cs.CallsOf("StopTransaction").Count);
        await rig.AdvanceAsync(1);
        Assert.Equal(3, rig.Cs.CallsOf("StopTransaction").Count); // after 20 s × 2, the third and last attempt
        await rig.AdvanceAsync(120);
        Assert.Equal(3, rig.Cs.CallsOf("StopTransaction").Count);
        Assert.Equal(0, (await rig.ChargePoint.GetSnapshotAsync()).QueuedTransactionMessages);
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3019);
    }

    [Fact]
    public async Task TransactionMessageRetry_TimeoutsCount_AndAttemptsSurviveARestart()
    {
        await using var rig = await Rig.StartAsync(
            o =>
            {
                o.Configuration["TransactionMessageAttempts"] = "2";
                o.Configuration["TransactionMessageRetryInterval"] = "10";
                o.CallTimeout = TimeSpan.FromSeconds(5);
            },
            cs => cs.HeldAnswersByAction["StartTransaction"] = _ => new TaskCompletionSource<OcppResponse>().Task);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceAsync(5); // the first attempt times out
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));
        await rig.RestartAsync();

        // After the restart the one attempt left is made at once: a timeout again, and the StartTransaction is given up.
        await rig.AdvanceAsync(30);
        Assert.Equal(2, rig.Cs.CallsOf("StartTransaction").Count);
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3019);
    }

    [Fact]
    public async Task AStorageFailureAtTheStart_StartsNoTransaction_AndEnergyStaysOff()
    {
        var storage = new FaultyStorage(new Ocpp16.ChargePoint.Persistence.InMemoryChargePointStorage());
        await using var rig = await Rig.StartAsync(storage: storage);
        storage.FailWrites = true;
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("StartTransaction"));
        Assert.False(rig.Hardware.Connector(1).IsEnergized);
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3022);
    }
}
