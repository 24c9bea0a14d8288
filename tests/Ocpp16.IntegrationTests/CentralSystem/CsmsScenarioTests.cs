using System.Text.Json.Nodes;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.Interop;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.CentralSystem;

/// <summary>
/// Scenarios modelled on the OCA test tool's (OCTT 1.6) Central System test cases, each named after the case it follows:
/// the library's Central System against the library's charge point (through its public API only) and against ocpp-rpc
/// charge points in strict mode (every message checked against the official schemas on their side).
/// </summary>
public sealed class CsmsScenarioTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static (ChargePointClient ChargePoint, SimulatedChargePointHardware Hardware) LibraryChargePoint(Uri csms, string id)
    {
        var options = new ChargePointOptions
        {
            Identity = id,
            CentralSystemUri = csms,
            ChargePointVendor = "Ocpp16",
            ChargePointModel = "Scenario-DC",
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        options.Configuration["MeterValueSampleInterval"] = "1";
        var hardware = new SimulatedChargePointHardware(2);
        return (new ChargePointClient(options, hardware), hardware);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Against the library's charge point
    // ----------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ColdBootChargePoint_LibraryChargePoint_BootAcceptedAndSessionHoldsBootAndConnectorStatuses()
    {
        await using var csms = await ScenarioCentralSystem.StartAsync();
        var (cp, _) = LibraryChargePoint(csms.BaseUri, "SC-BOOT");
        await using (cp)
        {
            await cp.StartAsync();
            var connected = await csms.ChargePointAsync("SC-BOOT", Timeout);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(2) is not null, Timeout, "StatusNotification of connector 2");
            Assert.Equal(RegistrationStatus.Accepted, connected.Session.RegistrationStatus);
            Assert.Equal("Scenario-DC", connected.Session.BootNotification!.ChargePointModel);
            Assert.Equal([0, 1, 2], connected.Session.Connectors.Select(c => c.ConnectorId));
            Assert.All(connected.Session.Connectors, c => Assert.Equal(ChargePointStatus.Available, c.Status));
        }
    }

    [Fact]
    public async Task RegularChargingSession_LocalStart_ThenRemoteStopTransaction_LibraryChargePoint()
    {
        await using var csms = await ScenarioCentralSystem.StartAsync();
        var (cp, hw) = LibraryChargePoint(csms.BaseUri, "SC-TX");
        await using (cp)
        {
            await cp.StartAsync();
            var connected = await csms.ChargePointAsync("SC-TX", Timeout);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1)?.Status == ChargePointStatus.Available, Timeout, "connector 1 Available");

            hw.Connector(1).Plug();
            hw.RfidReader.Present("TAG-E2E");
            await ScenarioCentralSystem.UntilAsync(() => csms.AnsweredTo<StartTransactionRequest, StartTransactionResponse>("SC-TX").Any(), Timeout, "StartTransaction");
            var (start, answer) = csms.AnsweredTo<StartTransactionRequest, StartTransactionResponse>("SC-TX").Single();
            Assert.Equal("TAG-E2E", start.IdTag);
            Assert.Equal(AuthorizationStatus.Accepted, answer.IdTagInfo.Status);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1)?.Status == ChargePointStatus.Charging, Timeout, "connector 1 Charging");

            // OCTT "Remote Stop Transaction": the CSMS stops the running transaction.
            var stop = await connected.RemoteStopTransactionAsync(answer.TransactionId).WaitAsync(Timeout);
            Assert.Equal(RemoteStartStopStatus.Accepted, stop.Status);
            await ScenarioCentralSystem.UntilAsync(() => csms.ReceivedFrom<StopTransactionRequest>("SC-TX").Any(), Timeout, "StopTransaction");
            var stopped = csms.ReceivedFrom<StopTransactionRequest>("SC-TX").Single();
            Assert.Equal(answer.TransactionId, stopped.TransactionId);
            Assert.Equal(Reason.Remote, stopped.Reason);
        }
    }

    [Fact]
    public async Task RemoteStartTransaction_OnAPluggedConnector_LibraryChargePointStartsCharging()
    {
        await using var csms = await ScenarioCentralSystem.StartAsync();
        var (cp, hw) = LibraryChargePoint(csms.BaseUri, "SC-RS");
        await using (cp)
        {
            await cp.StartAsync();
            var connected = await csms.ChargePointAsync("SC-RS", Timeout);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1)?.Status == ChargePointStatus.Available, Timeout, "connector 1 Available");
            hw.Connector(1).Plug();
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1)?.Status == ChargePointStatus.Preparing, Timeout, "connector 1 Preparing");

            var answer = await connected.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "TAG-1", ConnectorId = 1 }).WaitAsync(Timeout);
            Assert.Equal(RemoteStartStopStatus.Accepted, answer.Status);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1)?.Status == ChargePointStatus.Charging, Timeout, "connector 1 Charging");
            Assert.Equal("TAG-1", csms.ReceivedFrom<StartTransactionRequest>("SC-RS").Single().IdTag);
        }
    }

    [Fact]
    public async Task RetrieveAndChangeConfiguration_LibraryChargePoint()
    {
        await using var csms = await ScenarioCentralSystem.StartAsync();
        var (cp, _) = LibraryChargePoint(csms.BaseUri, "SC-CFG");
        await using (cp)
        {
            await cp.StartAsync();
            var connected = await csms.ChargePointAsync("SC-CFG", Timeout);

            // Once the charge point has taken BootNotification.conf: its interval sets HeartbeatInterval too (OCPP 1.6
            // §4.2), and a change sent before it arrives would be overwritten by it.
            await ScenarioCentralSystem.UntilAsync(() => cp.RegistrationStatus == RegistrationStatus.Accepted, Timeout, "the charge point took BootNotification.conf");
            var changed = await connected.ChangeConfigurationAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "120" }).WaitAsync(Timeout);
            Assert.Equal(ConfigurationStatus.Accepted, changed.Status);
            var read = await connected.GetConfigurationAsync(new GetConfigurationRequest { Key = ["HeartbeatInterval", "NoSuchKey"] }).WaitAsync(Timeout);
            Assert.Equal("120", Assert.Single(read.ConfigurationKey!).Value);
            Assert.Equal(["NoSuchKey"], read.UnknownKey!);
        }
    }

    [Fact]
    public async Task BootPending_CsmsConfiguresTheChargePointThenAccepts_LibraryChargePoint()
    {
        var registration = RegistrationStatus.Pending;
        await using var csms = await ScenarioCentralSystem.StartAsync(() => registration);
        var (cp, _) = LibraryChargePoint(csms.BaseUri, "SC-PEND");
        await using (cp)
        {
            await cp.StartAsync();
            var connected = await csms.ChargePointAsync("SC-PEND", Timeout);
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.RegistrationStatus == RegistrationStatus.Pending, Timeout, "BootNotification answered Pending");

            // While Pending the CSMS may read and change configuration (OCPP 1.6 §4.2), but not start transactions.
            var read = await connected.GetConfigurationAsync(["HeartbeatInterval"]).WaitAsync(Timeout);
            Assert.NotNull(read.ConfigurationKey);
            await Assert.ThrowsAsync<InvalidOperationException>(() => connected.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "TAG-1" }));

            registration = RegistrationStatus.Accepted;
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.RegistrationStatus == RegistrationStatus.Accepted, Timeout, "the next BootNotification answered Accepted");
            await ScenarioCentralSystem.UntilAsync(() => connected.Session.GetConnector(1) is not null, Timeout, "StatusNotification after acceptance");
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Against ocpp-rpc charge points in strict mode
    // ----------------------------------------------------------------------------------------------------------------

    private static async Task<(ScenarioCentralSystem Csms, NodeProcess ChargePoint, ConnectedChargePoint Connected)> StrictChargePointAsync(string id, string script = "none", TimeSpan? heartbeatInterval = null)
    {
        var csms = await ScenarioCentralSystem.StartAsync(heartbeatInterval: heartbeatInterval);
        var node = await NodeInterop.StartChargePointAsync(csms.BaseUri.ToString(), id, password: null, script, idTag: "TAG-1");
        await node.WaitForEventAsync("connected", timeout: Timeout);
        return (csms, node, await csms.ChargePointAsync(id, Timeout));
    }

    private static void AssertNoStrictFailures(NodeProcess node)
        => Assert.DoesNotContain(node.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));

    [Fact]
    public async Task ColdBootAndRegularChargingSession_StrictOcppRpcChargePoint_SessionAndDurableIds()
    {
        var (csms, node, connected) = await StrictChargePointAsync("RPC-CORE", "core");
        await using (csms)
        await using (node)
        {
            var done = await node.WaitForEventAsync("done", timeout: Timeout);
            Assert.True(done["ok"]!.GetValue<bool>(), node.Transcript());
            var (_, start) = csms.AnsweredTo<StartTransactionRequest, StartTransactionResponse>("RPC-CORE").Single();
            Assert.Equal(start.TransactionId, done["transactionId"]!.GetValue<int>());
            Assert.Equal(RegistrationStatus.Accepted, connected.Session.RegistrationStatus);
            Assert.Equal("ocpp-rpc", connected.Session.BootNotification!.ChargePointModel);
            Assert.Equal(ChargePointStatus.Available, connected.Session.GetConnector(1)!.Status);
            Assert.NotNull(connected.Session.LastHeartbeat);
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task CoreProfileCommands_StrictOcppRpcChargePoint_EveryTypedCallAnswered()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-CMD");
        await using (csms)
        await using (node)
        {
            Assert.Equal(ResetStatus.Accepted, (await cp.ResetAsync(new ResetRequest { Type = ResetType.Soft })).Status);
            Assert.Equal(UnlockStatus.Unlocked, (await cp.UnlockConnectorAsync(new UnlockConnectorRequest { ConnectorId = 1 })).Status);
            Assert.Equal(AvailabilityStatus.Accepted, (await cp.ChangeAvailabilityAsync(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Inoperative })).Status);
            Assert.Equal(ClearCacheStatus.Accepted, (await cp.ClearCacheAsync(new ClearCacheRequest())).Status);
            Assert.Equal("echo", (await cp.DataTransferAsync(new DataTransferRequest { VendorId = "com.example", Data = "echo" })).Data);
            Assert.Equal(ConfigurationStatus.Accepted, (await cp.ChangeConfigurationAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "60" })).Status);
            Assert.Equal("60", (await cp.GetConfigurationAsync(new GetConfigurationRequest { Key = ["HeartbeatInterval"] })).ConfigurationKey![0].Value);
            Assert.Equal(RemoteStartStopStatus.Accepted, (await cp.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "TAG-1", ConnectorId = 1 })).Status);
            Assert.Equal(RemoteStartStopStatus.Accepted, (await cp.RemoteStopTransactionAsync(new RemoteStopTransactionRequest { TransactionId = 1 })).Status);
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task FirmwareManagement_GetDiagnosticsAndUpdateFirmware_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-FW");
        await using (csms)
        await using (node)
        {
            await cp.GetDiagnosticsAsync(new GetDiagnosticsRequest { Location = "ftp://diagnostics.example/upload", Retries = 1, RetryInterval = 30 });
            await cp.UpdateFirmwareAsync(new UpdateFirmwareRequest { Location = "https://firmware.example/fw.bin", RetrieveDate = DateTimeOffset.UtcNow.AddMinutes(5) });
            Assert.Contains(node.Lines, l => l.IsEvent("call", "UpdateFirmware"));
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task LocalAuthListManagement_SendFullListWithTheManager_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-LL");
        await using (csms)
        await using (node)
        {
            Assert.Equal(0, await LocalListManager.GetVersionAsync(cp));
            var manager = new LocalListManager();
            var desired = new Dictionary<string, IdTagInfo>
            {
                ["TAG-1"] = new() { Status = AuthorizationStatus.Accepted },
                ["TAG-2"] = new() { Status = AuthorizationStatus.Blocked },
                ["TAG-3"] = new() { Status = AuthorizationStatus.Accepted, ExpiryDate = DateTimeOffset.UtcNow.AddDays(30) },
            };
            var result = await manager.SynchronizeAsync(cp, desired, maxEntriesPerMessage: 2);
            Assert.Equal(UpdateStatus.Accepted, result.Status);
            Assert.Equal([UpdateType.Full, UpdateType.Differential], result.Requests.Select(r => r.UpdateType));
            Assert.Equal(2, result.Version);
            desired.Remove("TAG-2");
            var diff = await manager.SynchronizeAsync(cp, desired, maxEntriesPerMessage: 2);
            Assert.Equal(UpdateType.Differential, Assert.Single(diff.Requests).UpdateType);
            Assert.Equal(3, node.Lines.Count(l => l.IsEvent("call", "SendLocalList")));
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task Reservation_ReserveNowThenCancel_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-RES");
        await using (csms)
        await using (node)
        {
            var reserved = await cp.ReserveNowAsync(new ReserveNowRequest { ConnectorId = 1, ExpiryDate = DateTimeOffset.UtcNow.AddMinutes(15), IdTag = "TAG-1", ReservationId = 7 });
            Assert.Equal(ReservationStatus.Accepted, reserved.Status);
            Assert.Equal(CancelReservationStatus.Accepted, (await cp.CancelReservationAsync(new CancelReservationRequest { ReservationId = 7 })).Status);
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task SmartCharging_SetABuiltAndValidatedTxDefaultProfile_ThenClearIt_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-SC");
        await using (csms)
        await using (node)
        {
            var profile = new ChargingProfileBuilder(1, ChargingProfilePurposeType.TxDefaultProfile, stackLevel: 1)
                .Absolute(DateTimeOffset.UtcNow)
                .Limit(TimeSpan.Zero, 32)
                .Limit(TimeSpan.FromHours(1), 16)
                .Build();
            var capabilities = new SmartChargingCapabilities(5, 24, new HashSet<ChargingRateUnitType> { ChargingRateUnitType.A });
            Assert.Empty(ChargingProfileValidator.Validate(profile, 1, capabilities));
            Assert.Equal(ChargingProfileStatus.Accepted, (await cp.SetChargingProfileAsync(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = profile })).Status);
            Assert.Equal(GetCompositeScheduleStatus.Rejected, (await cp.GetCompositeScheduleAsync(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 3600 })).Status);
            Assert.Equal(ClearChargingProfileStatus.Accepted, (await cp.ClearChargingProfileAsync(new ClearChargingProfileRequest { Id = 1 })).Status);
            var set = node.Lines.Single(l => l.IsEvent("call", "SetChargingProfile"));
            Assert.Equal(16, set["params"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![1]!["limit"]!.GetValue<int>());
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task RemoteTrigger_TriggerStatusNotification_ArrivesAfterTheAnswer_AndUpdatesTheSession_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-TRG");
        await using (csms)
        await using (node)
        {
            Assert.Null(cp.Session.GetConnector(2));
            var answer = await cp.TriggerMessageAsync(new TriggerMessageRequest { RequestedMessage = MessageTrigger.StatusNotification, ConnectorId = 2 });
            Assert.Equal(TriggerMessageStatus.Accepted, answer.Status);
            await ScenarioCentralSystem.UntilAsync(() => cp.Session.GetConnector(2) is not null, Timeout, "the triggered StatusNotification");
            Assert.Equal(ChargePointStatus.Available, cp.Session.GetConnector(2)!.Status);
            AssertNoStrictFailures(node);
        }
    }

    [Fact]
    public async Task SecurityExtension_RequestsOfTheCsms_AreValidOnTheWire_StrictOcppRpcChargePoint()
    {
        var (csms, node, cp) = await StrictChargePointAsync("RPC-SEC");
        await using (csms)
        await using (node)
        {
            // ocpp-rpc's 1.6 charge point has no handlers for the Security extension: it answers NotImplemented. What the
            // scenario checks is that every typed request is well-formed and reaches it as a CALL of that action.
            var calls = new Func<Task>[]
            {
                () => cp.CertificateSignedAsync(new CertificateSignedRequest { CertificateChain = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" }),
                () => cp.DeleteCertificateAsync(new DeleteCertificateRequest { CertificateHashData = new CertificateHashData { HashAlgorithm = HashAlgorithm.SHA256, IssuerNameHash = "aa", IssuerKeyHash = "bb", SerialNumber = "01" } }),
                () => cp.ExtendedTriggerMessageAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.Heartbeat }),
                () => cp.GetInstalledCertificateIdsAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate }),
                () => cp.GetLogAsync(new GetLogRequest { LogType = LogType.DiagnosticsLog, RequestId = 1, Log = new LogParameters { RemoteLocation = "https://logs.example/upload" } }),
                () => cp.InstallCertificateAsync(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" }),
                () => cp.SignedUpdateFirmwareAsync(new SignedUpdateFirmwareRequest { RequestId = 1, Firmware = new Firmware { Location = "https://fw.example/fw.bin", RetrieveDateTime = DateTimeOffset.UtcNow, SigningCertificate = "cert", Signature = "sig" } }),
            };
            foreach (var call in calls)
            {
                var error = await Assert.ThrowsAsync<OcppCallErrorException>(call);
                Assert.Equal(OcppErrorCode.NotImplemented, error.ErrorCode);
            }

            AssertNoStrictFailures(node);
        }
    }
}
