using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests;

/// <summary>The Core CS→CP actions as the charge point answers them.</summary>
public sealed class CentralSystemCallTests
{
    [Fact]
    public async Task RemoteStartTransaction_WhenPlugged_StartsWithThatIdTag()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(2).Plug();
        await rig.Cs.WaitForStatusAsync(2, "Preparing", from);

        var response = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { ConnectorId = 2, IdTag = "REMOTE1" });
        Assert.Equal(RemoteStartStopStatus.Accepted, response.Status);
        var (start, startIndex) = await rig.Cs.WaitForAsync("StartTransaction", from);
        Assert.Equal(2, start.Int("connectorId"));
        Assert.Equal("REMOTE1", start.Str("idTag"));
        await rig.Cs.WaitForStatusAsync(2, "Charging", startIndex);
        Assert.DoesNotContain(rig.Cs.Calls.Skip(from), c => c.Action == "Authorize");
    }

    [Fact]
    public async Task RemoteStartTransaction_WhenNotPlugged_GoesPreparingThenStartsAfterPlug()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        var response = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "REMOTE2" });
        Assert.Equal(RemoteStartStopStatus.Accepted, response.Status);
        var (_, preparing) = await rig.Cs.WaitForStatusAsync(1, "Preparing", from);
        await rig.AssertNoneAsync(c => c.Action == "StartTransaction", TimeSpan.FromMilliseconds(300), from);

        rig.Hardware.Connector(1).Plug();
        var (start, startIndex) = await rig.Cs.WaitForAsync("StartTransaction", preparing);
        Assert.Equal("REMOTE2", start.Str("idTag"));
        Assert.Equal(1, start.Int("connectorId"));
        await rig.Cs.WaitForStatusAsync(1, "Charging", startIndex);
    }

    [Fact]
    public async Task RemoteStartTransaction_OnBusyConnector_IsRejected()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var response = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "REMOTE3" });
        Assert.Equal(RemoteStartStopStatus.Rejected, response.Status);
        var unknownConnector = await rig.Cs.CallAsync(new RemoteStartTransactionRequest { ConnectorId = 9, IdTag = "REMOTE3" });
        Assert.Equal(RemoteStartStopStatus.Rejected, unknownConnector.Status);
    }

    [Fact]
    public async Task RemoteStopTransaction_KnownId_AcceptsAndStopsWithRemote_UnknownIdRejected()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;

        var unknown = await rig.Cs.CallAsync(new RemoteStopTransactionRequest { TransactionId = 4242 });
        Assert.Equal(RemoteStartStopStatus.Rejected, unknown.Status);

        var known = await rig.Cs.CallAsync(new RemoteStopTransactionRequest { TransactionId = 1001 });
        Assert.Equal(RemoteStartStopStatus.Accepted, known.Status);
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal(1001, stop.Int("transactionId"));
        Assert.Equal("Remote", stop.Str("reason"));
        await rig.Cs.WaitForStatusAsync(1, "Finishing", from);
    }

    [Fact]
    public async Task GetConfiguration_WithoutKeys_ReturnsAllKeys()
    {
        await using var rig = await Rig.StartAsync();
        var response = await rig.Cs.CallAsync(new GetConfigurationRequest());
        Assert.Null(response.UnknownKey);
        Assert.NotNull(response.ConfigurationKey);
        Assert.Equal(rig.ChargePoint.Configuration.Keys, response.ConfigurationKey.Select(k => k.Key));
        var connectors = Assert.Single(response.ConfigurationKey, k => k.Key == "NumberOfConnectors");
        Assert.Equal("2", connectors.Value);
        Assert.True(connectors.Readonly);
        var heartbeat = Assert.Single(response.ConfigurationKey, k => k.Key == "HeartbeatInterval");
        Assert.False(heartbeat.Readonly);
        Assert.Equal("300", heartbeat.Value);
    }

    [Fact]
    public async Task GetConfiguration_ByName_ReturnsKnownAndUnknownKeys()
    {
        await using var rig = await Rig.StartAsync();
        var response = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["MeterValueSampleInterval", "NoSuchKey"] });
        var key = Assert.Single(response.ConfigurationKey!);
        Assert.Equal("MeterValueSampleInterval", key.Key);
        Assert.Equal("60", key.Value);
        Assert.Equal(["NoSuchKey"], response.UnknownKey);
    }

    [Fact]
    public async Task ChangeConfiguration_AcceptsRejectsAndReportsNotSupported()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "15" })).Status);
        Assert.Equal(ConfigurationStatus.Rejected, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "NumberOfConnectors", Value = "5" })).Status);
        Assert.Equal(ConfigurationStatus.Rejected, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "often" })).Status);
        Assert.Equal(ConfigurationStatus.Rejected, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "StopTransactionOnInvalidId", Value = "maybe" })).Status);
        Assert.Equal(ConfigurationStatus.NotSupported, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "NoSuchKey", Value = "1" })).Status);

        var read = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["MeterValueSampleInterval", "NumberOfConnectors", "HeartbeatInterval"] });
        Assert.Equal(["15", "2", "300"], read.ConfigurationKey!.Select(k => k.Value));
    }

    [Fact]
    public async Task ChangeConfiguration_HeartbeatInterval_ReschedulesHeartbeats()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "1" })).Status);
        await rig.Cs.WaitForAsync("Heartbeat", from);
    }

    [Fact]
    public async Task ResetSoft_StopsTransactionsWithSoftResetAndBootsAgainOnNewConnection()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(1, rig.Cs.FactoryCalls);

        var response = await rig.Cs.CallAsync(new ResetRequest { Type = ResetType.Soft });
        Assert.Equal(ResetStatus.Accepted, response.Status);

        var (boot, bootIndex) = await rig.Cs.WaitForAsync("BootNotification", from);
        Assert.Equal(2, boot.Connection);
        Assert.True(rig.Cs.FactoryCalls >= 2);
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal("SoftReset", stop.Str("reason"));
        Assert.Equal(1001, stop.Int("transactionId"));
        await rig.Cs.WaitForStatusAsync(0, "Available", bootIndex);
        Assert.Null(rig.ChargePoint.GetTransactionId(1));
        Assert.Equal(2, rig.Cs.BootCount);
    }

    [Fact]
    public async Task UnlockConnector_StopsRunningTransactionWithUnlockCommand()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        var response = await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 1 });
        Assert.Equal(UnlockStatus.Unlocked, response.Status);
        var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction", from);
        Assert.Equal("UnlockCommand", stop.Str("reason"));
        Assert.Equal(1001, stop.Int("transactionId"));
    }

    [Fact]
    public async Task UnlockConnector_UnknownConnectorIsNotSupported_LockFailureIsUnlockFailed()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(UnlockStatus.NotSupported, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 9 })).Status);
        Assert.Equal(UnlockStatus.Unlocked, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 2 })).Status);
        rig.Hardware.Connector(2).LockFailure = true;
        Assert.Equal(UnlockStatus.UnlockFailed, (await rig.Cs.CallAsync(new UnlockConnectorRequest { ConnectorId = 2 })).Status);
    }

    [Fact]
    public async Task ChangeAvailability_InoperativeThenOperative_ReportsUnavailableThenAvailable()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        var response = await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Inoperative });
        Assert.Equal(AvailabilityStatus.Accepted, response.Status);
        var (_, unavailable) = await rig.Cs.WaitForStatusAsync(2, "Unavailable", from);
        Assert.Equal(ChargePointStatus.Unavailable, rig.ChargePoint.GetConnectorStatus(2));

        // An inoperative connector does not start a transaction.
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AssertNoneAsync(c => c.Action == "StartTransaction", TimeSpan.FromMilliseconds(500), from);

        var back = await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Operative });
        Assert.Equal(AvailabilityStatus.Accepted, back.Status);
        await rig.Cs.WaitForAsync(c => c.Action == "StatusNotification" && c.Int("connectorId") == 2 && c.Str("status") != "Unavailable", unavailable);
    }

    [Fact]
    public async Task ChangeAvailability_DuringTransaction_IsScheduledAndAppliedAfterStop()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartLocalTransactionAsync();
        var from = rig.Cs.Calls.Count;
        var response = await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Inoperative });
        Assert.Equal(AvailabilityStatus.Scheduled, response.Status);
        await rig.AssertNoneAsync(c => c.IsStatus(1, "Unavailable") || c.Action == "StopTransaction", TimeSpan.FromMilliseconds(300), from);
        Assert.Equal(1001, rig.ChargePoint.GetTransactionId(1));

        rig.Hardware.RfidReader.Present("TAG1");
        var (_, stopIndex) = await rig.Cs.WaitForAsync("StopTransaction", from);
        var (_, unavailable) = await rig.Cs.WaitForStatusAsync(1, "Unavailable", stopIndex);

        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Operative })).Status);
        await rig.Cs.WaitForAsync(c => c.Action == "StatusNotification" && c.Int("connectorId") == 1 && c.Str("status") != "Unavailable", unavailable);
        rig.Hardware.Connector(1).Unplug();
        await rig.Cs.WaitForStatusAsync(1, "Available", unavailable);
    }

    [Fact]
    public async Task ChangeAvailability_Connector0_AffectsStationAndAllConnectors()
    {
        await using var rig = await Rig.StartAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Inoperative })).Status);
        await rig.Cs.WaitForStatusAsync(0, "Unavailable", from);
        await rig.Cs.WaitForStatusAsync(1, "Unavailable", from);
        await rig.Cs.WaitForStatusAsync(2, "Unavailable", from);
        Assert.Equal(AvailabilityStatus.Rejected, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 7, Type = AvailabilityType.Inoperative })).Status);
    }

    [Fact]
    public async Task ClearCache_IsAccepted()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(ClearCacheStatus.Accepted, (await rig.Cs.CallAsync(new ClearCacheRequest())).Status);
    }

    [Fact]
    public async Task DataTransfer_ByDefault_AnswersUnknownVendorId_WithHandler_UsesIt()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(DataTransferStatus.UnknownVendorId, (await rig.Cs.CallAsync(new DataTransferRequest { VendorId = "com.example" })).Status);

        rig.ChargePoint.DataTransferHandler = (request, _) => ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.Accepted, Data = "echo:" + request.Data });
        var response = await rig.Cs.CallAsync(new DataTransferRequest { VendorId = "com.example", Data = "x" });
        Assert.Equal(DataTransferStatus.Accepted, response.Status);
        Assert.Equal("echo:x", response.Data);
    }

    [Theory]
    [InlineData("TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", OcppErrorCode.NotSupported)]
    [InlineData("GetLocalListVersion", "{}", OcppErrorCode.NotSupported)]
    [InlineData("Foo", "{}", OcppErrorCode.NotImplemented)]
    [InlineData("RemoteStartTransaction", "{\"connectorId\":1}", OcppErrorCode.OccurenceConstraintViolation)]
    [InlineData("RemoteStartTransaction", "{\"idTag\":1}", OcppErrorCode.TypeConstraintViolation)]
    [InlineData("Reset", "{\"type\":\"Sometimes\"}", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("ClearCache", "{\"extra\":1}", OcppErrorCode.FormationViolation)]
    public async Task InvalidOrUnsupportedCall_IsAnsweredWithTheMappedCallError(string action, string payload, OcppErrorCode expected)
    {
        await using var rig = await Rig.StartAsync();
        var result = await rig.Cs.CallAsync(action, new RawJson(payload));
        Assert.Equal(OcppCallStatus.Error, result.Status);
        Assert.Equal(expected, result.ErrorCode);
        Assert.Equal(expected.ToWireString(), result.RawErrorCode);

        // The connection keeps working and nothing happened on the charge point.
        Assert.Equal(ClearCacheStatus.Accepted, (await rig.Cs.CallAsync(new ClearCacheRequest())).Status);
        Assert.DoesNotContain(rig.Cs.Calls, c => c.Action == "StartTransaction");
    }

    [Fact]
    public async Task GetConfiguration_Response_IsValidJsonAgainstSchema()
    {
        await using var rig = await Rig.StartAsync();
        var result = await rig.Cs.CallAsync("GetConfiguration", new RawJson("{}"));
        using var doc = JsonDocument.Parse(result.EnsureSuccess());
        Assert.True(GetConfigurationResponse.TryRead(result.Payload.Span, OcppValidationOptions.Strict, out _, out var violation), violation?.ToString());
        Assert.Equal(rig.ChargePoint.Configuration.Keys.Count, doc.RootElement.GetProperty("configurationKey").GetArrayLength());
    }
}
