using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.EndToEnd;

/// <summary>The library's ChargePoint against the library's CentralSystem over real Kestrel WebSockets on 127.0.0.1.</summary>
public sealed class CoreSessionEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static (ChargePointClient ChargePoint, SimulatedChargePointHardware Hardware) CreateChargePoint(Uri csms, string id, string? password = null)
    {
        var options = new ChargePointOptions
        {
            Identity = id,
            CentralSystemUri = csms,
            Password = password,
            ChargePointVendor = "Ocpp16",
            ChargePointModel = "E2E-DC",
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        options.Configuration["MeterValueSampleInterval"] = "1";
        options.Configuration["StopTxnSampledData"] = "Energy.Active.Import.Register";
        var hardware = new SimulatedChargePointHardware(2, fixedCable: false); // sockets: UnlockConnector answers Unlocked
        return (new ChargePointClient(options, hardware), hardware);
    }

    [Fact]
    public async Task FullCoreSession_BootChargeStopUnplug_EveryMessageReachesTheCentralSystemInOrder()
    {
        await using var csms = await TestCentralSystem.StartAsync();
        var (cp, hw) = CreateChargePoint(csms.BaseUri, "E2E-1");
        await using (cp)
        {
            await cp.StartAsync();
            var boot = await csms.Handler.WaitForAsync<BootNotificationRequest>("E2E-1", _ => true, Timeout);
            Assert.Equal("Ocpp16", boot.ChargePointVendor);
            Assert.Equal("E2E-DC", boot.ChargePointModel);
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-1", s => s.ConnectorId == 2, Timeout);
            Assert.Equal("300", GetKey(cp, "HeartbeatInterval"));

            hw.Connector(1).Plug();
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-1", s => s.ConnectorId == 1 && s.Status == ChargePointStatus.Preparing, Timeout);
            hw.RfidReader.Present("TAG-E2E");
            var start = await csms.Handler.WaitForAsync<StartTransactionRequest>("E2E-1", _ => true, Timeout);
            Assert.Equal(1, start.ConnectorId);
            Assert.Equal("TAG-E2E", start.IdTag);
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-1", s => s.ConnectorId == 1 && s.Status == ChargePointStatus.Charging, Timeout);
            await Wait.UntilAsync(() => cp.GetTransactionId(1) is not null, Timeout, "StartTransaction.conf");
            var transactionId = cp.GetTransactionId(1)!.Value;

            var meterValues = await csms.Handler.WaitForAsync<MeterValuesRequest>("E2E-1", m => m.TransactionId == transactionId, Timeout);
            Assert.Equal(1, meterValues.ConnectorId);
            var measurands = meterValues.MeterValue[0].SampledValue.Select(s => s.Measurand).ToHashSet();
            Assert.Contains(Measurand.EnergyActiveImportRegister, measurands);
            Assert.Contains(Measurand.PowerActiveImport, measurands);
            Assert.Contains(Measurand.SoC, measurands);

            await Task.Delay(1200);
            hw.RfidReader.Present("TAG-E2E");
            var stop = await csms.Handler.WaitForAsync<StopTransactionRequest>("E2E-1", _ => true, Timeout);
            Assert.Equal(transactionId, stop.TransactionId);
            Assert.Equal(Reason.Local, stop.Reason);
            Assert.True(stop.MeterStop > start.MeterStart, $"meterStop {stop.MeterStop} should exceed meterStart {start.MeterStart} after charging at 50 kW");
            Assert.NotNull(stop.TransactionData);
            Assert.Contains(stop.TransactionData!, mv => mv.SampledValue.Any(s => s.Context == ReadingContext.TransactionEnd));
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-1", s => s.ConnectorId == 1 && s.Status == ChargePointStatus.Finishing, Timeout);

            hw.Connector(1).Unplug();
            await Wait.UntilAsync(
                () => csms.Handler.Received<StatusNotificationRequest>("E2E-1").LastOrDefault(s => s.ConnectorId == 1)?.Status == ChargePointStatus.Available,
                Timeout,
                "connector 1 Available after unplug");

            // The order of the session on the wire: Authorize before StartTransaction before the first MeterValues before StopTransaction.
            var actions = csms.Handler.Calls.Where(c => c.ChargePointId == "E2E-1").Select(c => c.Request.Action).ToList();
            Assert.Equal(BootNotificationRequest.ActionName, actions[0]);
            Assert.True(actions.IndexOf("Authorize") < actions.IndexOf("StartTransaction"));
            Assert.True(actions.IndexOf("StartTransaction") < actions.IndexOf("MeterValues"));
            Assert.True(actions.LastIndexOf("MeterValues") < actions.IndexOf("StopTransaction"));
        }
    }

    [Fact]
    public async Task CentralSystemToChargePoint_CoreActions_AreAnsweredOverKestrel()
    {
        await using var csms = await TestCentralSystem.StartAsync();
        var (cp, hw) = CreateChargePoint(csms.BaseUri, "E2E-2");
        await using (cp)
        {
            await cp.StartAsync();
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-2", s => s.ConnectorId == 2, Timeout);
            var remote = await csms.WaitForChargePointAsync("E2E-2", Timeout);

            var config = await remote.GetConfigurationAsync(["HeartbeatInterval", "NoSuchKey"]).WaitAsync(Timeout);
            Assert.Equal("300", Assert.Single(config.ConfigurationKey!).Value);
            Assert.Equal(["NoSuchKey"], config.UnknownKey!);

            Assert.Equal(ConfigurationStatus.Accepted, (await remote.ChangeConfigurationAsync("MeterValueSampleInterval", "2").WaitAsync(Timeout)).Status);
            Assert.Equal(ConfigurationStatus.Rejected, (await remote.ChangeConfigurationAsync("NumberOfConnectors", "5").WaitAsync(Timeout)).Status);
            Assert.Equal(ConfigurationStatus.NotSupported, (await remote.ChangeConfigurationAsync("NoSuchKey", "1").WaitAsync(Timeout)).Status);

            hw.Connector(2).Plug();
            var started = await remote.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE-1", ConnectorId = 2 }).WaitAsync(Timeout);
            Assert.Equal(RemoteStartStopStatus.Accepted, started.Status);
            var start = await csms.Handler.WaitForAsync<StartTransactionRequest>("E2E-2", s => s.IdTag == "REMOTE-1", Timeout);
            Assert.Equal(2, start.ConnectorId);
            await Wait.UntilAsync(() => cp.GetTransactionId(2) is not null, Timeout, "transaction id on connector 2");

            Assert.Equal(RemoteStartStopStatus.Rejected, (await remote.RemoteStopTransactionAsync(999_999).WaitAsync(Timeout)).Status);
            Assert.Equal(RemoteStartStopStatus.Accepted, (await remote.RemoteStopTransactionAsync(cp.GetTransactionId(2)!.Value).WaitAsync(Timeout)).Status);
            var stop = await csms.Handler.WaitForAsync<StopTransactionRequest>("E2E-2", _ => true, Timeout);
            Assert.Equal(Reason.Remote, stop.Reason);

            Assert.Equal(UnlockStatus.Unlocked, (await remote.UnlockConnectorAsync(2).WaitAsync(Timeout)).Status);
            Assert.Equal(UnlockStatus.NotSupported, (await remote.UnlockConnectorAsync(7).WaitAsync(Timeout)).Status);

            Assert.Equal(AvailabilityStatus.Accepted, (await remote.ChangeAvailabilityAsync(1, AvailabilityType.Inoperative).WaitAsync(Timeout)).Status);
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("E2E-2", s => s.ConnectorId == 1 && s.Status == ChargePointStatus.Unavailable, Timeout);
            Assert.Equal(AvailabilityStatus.Accepted, (await remote.ChangeAvailabilityAsync(1, AvailabilityType.Operative).WaitAsync(Timeout)).Status);

            Assert.Equal(ClearCacheStatus.Accepted, (await remote.ClearCacheAsync().WaitAsync(Timeout)).Status);
            Assert.Equal(DataTransferStatus.UnknownVendorId, (await remote.DataTransferAsync(new DataTransferRequest { VendorId = "com.example" }).WaitAsync(Timeout)).Status);

            // Known but left out of this charge point (the Security extension is opt-in) → NotSupported; not defined → NotImplemented.
            var log = await Assert.ThrowsAsync<OcppCallErrorException>(() => remote.CallAsync(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 1, Log = new LogParameters { RemoteLocation = "ftp://example.com/logs/" } }).WaitAsync(Timeout));
            Assert.Equal(OcppErrorCode.NotSupported, log.ErrorCode);
            var unknown = await remote.Connection.CallAsync("Foo", new EmptyPayload()).AsTask().WaitAsync(Timeout);
            Assert.Equal(OcppCallStatus.Error, unknown.Status);
            Assert.Equal(OcppErrorCode.NotImplemented, unknown.ErrorCode);

            // Reset: the charge point reboots and registers again with a new BootNotification.
            Assert.Equal(ResetStatus.Accepted, (await remote.ResetAsync(ResetType.Soft).WaitAsync(Timeout)).Status);
            await Wait.UntilAsync(() => csms.Handler.Received<BootNotificationRequest>("E2E-2").Count >= 2, Timeout, "a second BootNotification after Reset");
        }
    }

    [Fact]
    public async Task BasicAuth_CorrectPasswordConnects_WrongPasswordIsRefused()
    {
        await using var csms = await TestCentralSystem.StartAsync(new Dictionary<string, string> { ["E2E-AUTH"] = "s3cret", ["E2E-BAD"] = "right" });
        var (good, _) = CreateChargePoint(csms.BaseUri, "E2E-AUTH", "s3cret");
        var (bad, _) = CreateChargePoint(csms.BaseUri, "E2E-BAD", "wrong");
        await using (good)
        await using (bad)
        {
            await good.StartAsync();
            await bad.StartAsync();
            await csms.Handler.WaitForAsync<BootNotificationRequest>("E2E-AUTH", _ => true, Timeout);
            await Wait.UntilAsync(() => good.RegistrationStatus == RegistrationStatus.Accepted, Timeout, "the authenticated charge point to be accepted");

            await Wait.UntilAsync(() => bad.ConnectionState == ChargePointConnectionState.Reconnecting, Timeout, "the refused charge point to be reconnecting");
            await Task.Delay(1000);
            Assert.False(csms.CentralSystem.TryGetChargePoint("E2E-BAD", out _));
            Assert.Empty(csms.Handler.Received<BootNotificationRequest>("E2E-BAD"));
            Assert.Null(bad.RegistrationStatus);
        }
    }

    private static string GetKey(ChargePointClient cp, string key) => cp.Configuration.TryGetValue(key, out var v) ? v : "(missing)";

    private sealed class EmptyPayload : IOcppJsonWritable
    {
        public void WriteTo(System.Text.Json.Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
    }
}
