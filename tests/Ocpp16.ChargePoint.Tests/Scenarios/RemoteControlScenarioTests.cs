using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>Remote start and stop, unlock and reset (OCPP 1.6 §5.11, §5.12, §5.14, §5.18), after the OCA test tool's cases.</summary>
public sealed class RemoteControlScenarioTests
{
    [Fact]
    public async Task TC_010_CS_RemoteStartChargingSession_CablePluggedInFirst()
    {
        await using var rig = await Rig.StartAsync();
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;
        var answer = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE-1", ConnectorId = 1 });
        Assert.Equal(RemoteStartStopStatus.Accepted, answer.Status);
        await rig.SettleAsync();
        Assert.Equal(["StartTransaction", "StatusNotification:1:Charging"], rig.Trace(from));
        Assert.Equal("REMOTE-1", rig.Cs.CallsOf("StartTransaction").Single().Str("idTag"));
    }

    [Fact]
    public async Task TC_011_1_CS_RemoteStartChargingSession_RemoteStartFirst_AuthorizeRemoteTxRequests()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["AuthorizeRemoteTxRequests"] = "true");
        var from = rig.Cs.Calls.Count;
        var answer = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE-1", ConnectorId = 2 });
        Assert.Equal(RemoteStartStopStatus.Accepted, answer.Status);
        await rig.SettleAsync();
        Assert.Equal(["Authorize", "StatusNotification:2:Preparing"], rig.Trace(from));
        rig.Hardware.Connector(2).Plug();
        await rig.SettleAsync();
        Assert.Equal(["StartTransaction", "StatusNotification:2:Charging"], rig.Trace(from + 2));
    }

    [Fact]
    public async Task TC_011_2_CS_RemoteStartChargingSession_TimeOut()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ConnectionTimeOut"] = "20");
        var from = rig.Cs.Calls.Count;
        await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE-1", ConnectorId = 1 });
        await rig.AdvanceAsync(20);
        Assert.Equal(["StatusNotification:1:Preparing", "StatusNotification:1:Available"], rig.Trace(from));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("StartTransaction"));
    }

    [Fact]
    public async Task TC_012_CS_RemoteStopChargingSession()
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        var answer = await rig.Cs.CallAsync(new RemoteStopTransactionRequest { TransactionId = transactionId });
        Assert.Equal(RemoteStartStopStatus.Accepted, answer.Status);
        await rig.SettleAsync();
        Assert.Equal(["StopTransaction", "StatusNotification:1:Finishing"], rig.Trace(from));
        Assert.Equal("Remote", rig.Cs.CallsOf("StopTransaction").Single().Str("reason"));
    }

    [Fact]
    public async Task TC_026_CS_RemoteStart_ConnectorBusyOrUnknownOrZero_IsRejected()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync(connectorId: 1);
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 1 })).Status);
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 3 })).Status);
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 0 })).Status);
        var notTx = new ChargingProfile
        {
            ChargingProfileId = 1,
            StackLevel = 0,
            ChargingProfilePurpose = ChargingProfilePurposeType.TxDefaultProfile,
            ChargingProfileKind = ChargingProfileKindType.Relative,
            ChargingSchedule = new ChargingSchedule { ChargingRateUnit = ChargingRateUnitType.A, ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 16 }] },
        };
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 2, ChargingProfile = notTx })).Status);
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));
    }

    [Fact]
    public async Task TC_028_CS_RemoteStop_UnknownTransaction_IsRejected()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync();
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStopTransactionRequest { TransactionId = 424242 })).Status);
        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("StopTransaction"));
    }

    [Fact]
    public async Task RemoteStop_ForTheIdJustAssigned_WhileStartTransactionConfIsOnItsWay_IsAccepted()
    {
        var release = new TaskCompletionSource();
        await using var rig = await Rig.StartAsync(setup: cs => cs.HeldAnswersByAction["StartTransaction"] = async call =>
        {
            await release.Task;
            return FakeCentralSystem.Result($"{{\"transactionId\":777,\"idTagInfo\":{{\"status\":\"Accepted\"}}}}");
        });
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));

        // The Central System has assigned 777 and asks to stop it before the charge point has the answer.
        var stop = rig.Cs.CallAsync(new RemoteStopTransactionRequest { TransactionId = 777 });
        await rig.SettleAsync();
        Assert.False(stop.IsCompleted);
        release.SetResult();
        Assert.Equal(RemoteStartStopStatus.Accepted, (await stop).Status);
        await rig.SettleAsync();
        var stopTransaction = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal(777, stopTransaction.Int("transactionId"));
        Assert.Equal("Remote", stopTransaction.Str("reason"));
    }

    [Fact]
    public async Task RemoteStartConf_IsOnTheWireBeforeTheStartTransaction()
    {
        var sent = new List<string>();
        await using var rig = await Rig.StartAsync(setup: cs => cs.WrapTransport = t => new RecordingTransport(t, sent));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "R", ConnectorId = 1 });
        await rig.SettleAsync();
        List<string> frames;
        lock (sent)
        {
            frames = [.. sent];
        }

        var conf = frames.FindIndex(f => f.StartsWith("[3,", StringComparison.Ordinal) && f.Contains("\"status\":\"Accepted\"", StringComparison.Ordinal));
        var start = frames.FindIndex(f => f.Contains("\"StartTransaction\"", StringComparison.Ordinal));
        Assert.True(conf >= 0 && start > conf, string.Join("\n", frames));
    }

    [Fact]
    public async Task TC_017_2_CS_UnlockConnector_FixedCable_NotSupported_AndUnknownConnector_NotSupported()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(UnlockStatus.NotSupported, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 1 })).Status);
        Assert.Equal(UnlockStatus.NotSupported, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 3 })).Status);
    }

    [Fact]
    public async Task TC_017_1_And_TC_018_1_CS_UnlockConnector_Socket_StopsTheTransactionThenUnlocks()
    {
        await using var rig = await Rig.StartAsync(fixedCable: false);
        Assert.Equal(UnlockStatus.Unlocked, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 2 })).Status);
        var transactionId = await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(UnlockStatus.Unlocked, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 1 })).Status);
        await rig.SettleAsync();
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal("UnlockCommand", stop.Str("reason"));
        Assert.Equal(transactionId, stop.Int("transactionId"));
        Assert.Equal(["StopTransaction", "StatusNotification:1:Finishing"], rig.Trace(from));
    }

    [Fact]
    public async Task TC_030_CS_UnlockConnector_UnlockFailure()
    {
        await using var rig = await Rig.StartAsync(fixedCable: false);
        rig.Hardware.Connector(1).LockFailure = true;
        Assert.Equal(UnlockStatus.UnlockFailed, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 1 })).Status);
    }

    [Theory]
    [InlineData(ResetType.Soft, "SoftReset")]
    [InlineData(ResetType.Hard, "HardReset")]
    public async Task TC_013_To_TC_016_CS_Reset_StopsTransactions_ThenRebootsWithANewBootNotification(ResetType type, string reason)
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync();
        var from = rig.Cs.Calls.Count;
        var answer = await rig.Cs.CallAsync(new ResetRequest { Type = type });
        Assert.Equal(ResetStatus.Accepted, answer.Status);
        await rig.AdvanceAsync(3);
        var trace = rig.Trace(from);
        // A Soft reset lets the queued messages go first; a Hard one reboots at once (the StopTransaction is journaled and
        // delivered exactly once, the Finishing status is not). After the reboot the EV is still plugged in: Preparing.
        string[] beforeReboot = type == ResetType.Soft ? ["StopTransaction", "StatusNotification:1:Finishing"] : ["StopTransaction"];
        Assert.Equal([.. beforeReboot, "BootNotification", "StatusNotification:0:Available", "StatusNotification:1:Preparing", "StatusNotification:2:Available"], trace);
        var stop = rig.Cs.CallsOf("StopTransaction").Single();
        Assert.Equal(reason, stop.Str("reason"));
        Assert.Equal(transactionId, stop.Int("transactionId"));
        Assert.Equal(1, rig.Hardware.ResetCount);
        Assert.Equal(2, rig.Cs.ConnectionCount);
    }

    [Fact]
    public async Task Reset_WhenTheHardwareFails_IsRetriedResetRetriesTimes()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ResetRetries"] = "2");
        rig.Hardware.ResetOutcome = Hardware.ResetOutcome.Failed;
        await rig.Cs.CallAsync(new ResetRequest { Type = ResetType.Hard });
        await rig.AdvanceAsync(30);
        Assert.Equal(3, rig.Hardware.ResetCount);
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3025);
    }

    [Fact]
    public async Task TC_062_CS_DataTransfer_UnknownVendor_AndARegisteredHandler()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(DataTransferStatus.UnknownVendorId, (await rig.Cs.CallAsync(new DataTransferRequest { VendorId = "com.example" })).Status);
        rig.ChargePoint.RegisterDataTransferHandler("com.example", (request, _) => ValueTask.FromResult(new DataTransferResponse
        {
            Status = request.MessageId == "ping" ? DataTransferStatus.Accepted : DataTransferStatus.UnknownMessageId,
            Data = request.Data?.ToUpperInvariant(),
        }));
        var answer = await rig.Cs.CallAsync(new DataTransferRequest { VendorId = "com.example", MessageId = "ping", Data = "hello" });
        Assert.Equal(DataTransferStatus.Accepted, answer.Status);
        Assert.Equal("HELLO", answer.Data);
        Assert.Equal(DataTransferStatus.UnknownMessageId, (await rig.Cs.CallAsync(new DataTransferRequest { VendorId = "com.example", MessageId = "other" })).Status);
    }

    [Fact]
    public async Task DataTransfer_ToTheCentralSystem_ReturnsItsAnswer_AndFailsFastWhileOffline()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["DataTransfer"] = call => FakeCentralSystem.Result($"{{\"status\":\"Accepted\",\"data\":\"{call.Str("data")}!\"}}"));
        var answer = await rig.ChargePoint.SendDataTransferAsync("com.example", "greet", "hi").WaitAsync(Timeouts.Await);
        Assert.Equal(DataTransferStatus.Accepted, answer.Status);
        Assert.Equal("hi!", answer.Data);

        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.SettleAsync();
        await Assert.ThrowsAsync<OcppConnectionClosedException>(() => rig.ChargePoint.SendDataTransferAsync("com.example", null, null).WaitAsync(Timeouts.Await));
    }
}

/// <summary>Records the frames the charge point sends, in wire order.</summary>
internal sealed class RecordingTransport(IOcppTransport inner, List<string> sent) : IOcppTransport
{
    public string? RemoteAddress => inner.RemoteAddress;

    public ValueTask<OcppReceiveResult> ReceiveAsync(System.Buffers.IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
        => inner.ReceiveAsync(destination, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
    {
        lock (sent)
        {
            sent.Add(System.Text.Encoding.UTF8.GetString(utf8Message.Span));
        }

        await inner.SendAsync(utf8Message, cancellationToken);
    }

    public ValueTask CloseAsync(System.Net.WebSockets.WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default)
        => inner.CloseAsync(status, description, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
