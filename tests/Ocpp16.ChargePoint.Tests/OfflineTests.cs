using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests;

/// <summary>Transaction messages survive disconnects and are retried (OCPP 1.6 §4.10).</summary>
public sealed class OfflineTests
{
    private static async Task GoOfflineAsync(Rig rig)
    {
        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await Rig.WaitUntilAsync(() => rig.ChargePoint.ConnectionState == ChargePointConnectionState.Reconnecting, "reconnecting");
        var factoryCalls = rig.Cs.FactoryCalls;
        await Rig.WaitUntilAsync(() => rig.Cs.FactoryCalls > factoryCalls, "a failed reconnection attempt");
    }

    [Fact]
    public async Task StopTransaction_WhileDisconnected_IsDeliveredAfterReconnectWithoutNewBoot()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        await GoOfflineAsync(rig);
        var offlineFrom = rig.Cs.Calls.Count;

        rig.Hardware.RfidReader.Present("TAG1");
        await Rig.WaitUntilAsync(() => rig.ChargePoint.GetTransactionId(1) is null, "transaction stopped locally");
        await Task.Delay(300);
        Assert.Equal(offlineFrom, rig.Cs.Calls.Count);
        Assert.Equal(1, rig.Cs.ConnectionCount);

        rig.Cs.Unreachable = false;
        var (stop, stopIndex) = await rig.Cs.WaitForAsync("StopTransaction", offlineFrom);
        Assert.Equal(2, stop.Connection);
        Assert.Equal(1001, stop.Int("transactionId"));
        Assert.Equal("Local", stop.Str("reason"));
        Assert.Equal("TAG1", stop.Str("idTag"));

        // The current statuses are reported again, but no second BootNotification: the charge point was already accepted.
        await rig.Cs.WaitForStatusAsync(0, "Available", offlineFrom);
        await rig.Cs.WaitForStatusAsync(1, "Finishing", offlineFrom);
        await Task.Delay(200);
        Assert.Equal(1, rig.Cs.BootCount);
        Assert.Single(rig.Cs.Calls, c => c.Action == "StopTransaction");
        Assert.True(stopIndex >= offlineFrom);
    }

    [Fact]
    public async Task WholeTransactionOffline_IsDeliveredInOrderWithTheAssignedTransactionId()
    {
        await using var rig = await Rig.StartAsync(c =>
        {
            c["AllowOfflineTxForUnknownId"] = "true";
            c["MeterValueSampleInterval"] = "1";
        });
        await GoOfflineAsync(rig);
        var offlineFrom = rig.Cs.Calls.Count;

        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("OFFLINE");
        await Rig.WaitUntilAsync(() => rig.ChargePoint.GetConnectorStatus(1) == ChargePointStatus.Charging, "charging offline");
        await Task.Delay(1500);
        rig.Hardware.RfidReader.Present("OFFLINE");
        await Rig.WaitUntilAsync(() => rig.ChargePoint.GetConnectorStatus(1) == ChargePointStatus.Finishing, "stopped offline");
        Assert.Equal(offlineFrom, rig.Cs.Calls.Count);

        rig.Cs.Unreachable = false;
        var (start, startIndex) = await rig.Cs.WaitForAsync("StartTransaction", offlineFrom);
        var (stop, stopIndex) = await rig.Cs.WaitForAsync("StopTransaction", offlineFrom);
        Assert.True(stopIndex > startIndex);
        Assert.Equal("OFFLINE", start.Str("idTag"));
        Assert.Equal(1001, stop.Int("transactionId"));
        Assert.True(stop.Int("meterStop") >= start.Int("meterStart"));

        // MeterValues sampled offline were queued too, and carry the TransactionId assigned after the reconnect.
        var meterValues = rig.Cs.Calls.Where(c => c.Action == "MeterValues").ToList();
        Assert.NotEmpty(meterValues);
        Assert.All(meterValues, m => Assert.Equal(1001, m.Int("transactionId")));
        Assert.Equal(1, rig.Cs.BootCount);
    }

    [Fact]
    public async Task StopTransaction_AnsweredWithCallError_IsTriedTransactionMessageAttemptsTimesThenDropped()
    {
        await using var rig = await Rig.StartAsync(
            c =>
            {
                c["TransactionMessageAttempts"] = "2";
                c["TransactionMessageRetryInterval"] = "1";
            },
            cs => cs.Answers["StopTransaction"] = _ => OcppResponse.Error(OcppErrorCode.InternalError, "database down"));
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;

        rig.Hardware.RfidReader.Present("TAG1");
        var (_, first) = await rig.Cs.WaitForAsync("StopTransaction", from);
        var firstAt = DateTime.UtcNow;
        var (_, second) = await rig.Cs.WaitForAsync("StopTransaction", first + 1);
        Assert.True(DateTime.UtcNow - firstAt >= TimeSpan.FromMilliseconds(800), "the retry waits TransactionMessageRetryInterval");

        // Messages queued behind it are not lost once it is given up.
        await rig.Cs.WaitForStatusAsync(1, "Finishing", second);
        await Task.Delay(2500);
        Assert.Equal(2, rig.Cs.Calls.Count(c => c.Action == "StopTransaction"));
    }

    [Fact]
    public async Task StopTransaction_AnsweredWithCallErrorOnce_IsRetriedAndDeliveredOnce()
    {
        var stops = 0;
        await using var rig = await Rig.StartAsync(
            c => c["TransactionMessageRetryInterval"] = "1",
            cs => cs.Answers["StopTransaction"] = _ => Interlocked.Increment(ref stops) == 1
                ? OcppResponse.Error(OcppErrorCode.InternalError, "try again")
                : FakeCentralSystem.Result("{}"));
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("TAG1");
        var (_, first) = await rig.Cs.WaitForAsync("StopTransaction", from);
        var (retry, _) = await rig.Cs.WaitForAsync("StopTransaction", first + 1);
        Assert.Equal(1001, retry.Int("transactionId"));
        await rig.Cs.WaitForStatusAsync(1, "Finishing", first);
        await Task.Delay(1500);
        Assert.Equal(2, rig.Cs.Calls.Count(c => c.Action == "StopTransaction"));
    }

    [Fact]
    public async Task Reconnect_AfterDrop_CallsTransportFactoryAgain()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        await rig.Cs.DropAsync();
        await rig.Cs.WaitForStatusAsync(0, "Available", from);
        Assert.Equal(2, rig.Cs.ConnectionCount);
        Assert.Equal(1, rig.Cs.BootCount);
        Assert.Equal(ChargePointConnectionState.Connected, rig.ChargePoint.ConnectionState);
    }

    [Fact]
    public async Task Authorize_WhileOffline_UsesOfflineRulesWithoutSendingAuthorize()
    {
        await using var rig = await Rig.StartAsync(c => c["AllowOfflineTxForUnknownId"] = "false");
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("UNKNOWN");
        await Task.Delay(500);
        Assert.Null(rig.ChargePoint.GetTransactionId(1));
        Assert.NotEqual(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
    }
}
