using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ocpp16.ChargePoint.Features.FirmwareManagement;
using Ocpp16.ChargePoint.Features.Security;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// The Security extension on the charge point (Security Whitepaper ed. 3): AuthorizationKey, certificates, the charge
/// point's key pair and certificate, security events and the security log, GetLog and SecurityProfile changes. Test
/// names start with the OCTT 1.6 case they are modelled on where there is one. Virtual time.
/// </summary>
public sealed class SecurityScenarioTests
{
    private const string Key = "0123456789abcdef-new-key";

    private static Action<ChargePointOptions> Secure(FakeFileTransfer transfer, TempDirectory files, Action<ChargePointOptions>? configure = null)
        => Modules.With(transfer, files, security: true, configure);

    private static IReadOnlyList<string> Events(Rig rig, int from = 0)
        => [.. rig.Cs.Calls.Skip(from).Where(c => c.Action == "SecurityEventNotification").Select(c => c.Str("type"))];

    // ------------------------------------------------------------------ AuthorizationKey (A01)

    [Fact]
    public async Task TC_073_CS_UpdateChargePointPassword_TheKeyIsWriteOnly_ChecksItsLength_AndTheChargePointReconnectsWithIt()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o =>
        {
            o.SecurityProfile = 1;
            o.Password = "initial-password-0001";
        }));
        async Task<ConfigurationStatus> Change(string value) => (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "AuthorizationKey", Value = value })).Status;

        Assert.Equal(ConfigurationStatus.Rejected, await Change("too-short"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change(new string('k', 41)));
        Assert.Equal(1, rig.Cs.ConnectionCount);
        Assert.Equal(ConfigurationStatus.Accepted, await Change(Key));
        await rig.AdvanceAsync(3);
        Assert.Equal(2, rig.Cs.ConnectionCount);
        var settings = await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None);
        Assert.Equal(Key, settings.Password);

        var all = await rig.Cs.CallAsync(new GetConfigurationRequest());
        Assert.DoesNotContain(all.ConfigurationKey!, k => k.Key == "AuthorizationKey");
        var named = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["AuthorizationKey"] });
        Assert.Equal(["AuthorizationKey"], named.UnknownKey);
        Assert.DoesNotContain(rig.Logs.Entries, e => e.Text.Contains(Key, StringComparison.Ordinal) || e.Text.Contains("initial-password-0001", StringComparison.Ordinal));

        // Kept across a restart, still never readable.
        await rig.RestartAsync();
        Assert.Equal(Key, (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).Password);
    }

    // ------------------------------------------------------------------ certificates (M03, M04, M05)

    [Fact]
    public async Task TC_075_CS_InstallCertificate_BothTypes_AndGetInstalledCertificateIds_GivesTheWhitepapersHashData()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files));
        var none = await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        Assert.Equal(GetInstalledCertificateStatus.NotFound, none.Status);
        Assert.Null(none.CertificateHashData);

        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(rig, CertificateUse.CentralSystemRootCertificate, TestCertificates.CpoRoot)).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(rig, CertificateUse.ManufacturerRootCertificate, TestCertificates.ManufacturerRoot)).Status);

        var ids = await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        Assert.Equal(GetInstalledCertificateStatus.Accepted, ids.Status);
        var hash = Assert.Single(ids.CertificateHashData!);
        var root = TestCertificates.CpoRoot;

        // RFC 6960 CertID: SHA-256 over the DER issuer name and over the issuer's subjectPublicKey bits (a root is its own issuer).
        Assert.Equal(Ocpp16.Messages.HashAlgorithm.SHA256, hash.HashAlgorithm);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(root.IssuerName.RawData)), hash.IssuerNameHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(root.PublicKey.EncodedKeyValue.RawData)), hash.IssuerKeyHash);
        Assert.Equal(root.SerialNumber.TrimStart('0').ToLowerInvariant(), hash.SerialNumber);

        var manufacturer = await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.ManufacturerRootCertificate });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestCertificates.ManufacturerRoot.IssuerName.RawData)), Assert.Single(manufacturer.CertificateHashData!).IssuerNameHash);

        // Installed certificates survive a restart.
        await rig.RestartAsync();
        Assert.Equal(hash, Assert.Single((await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate })).CertificateHashData!));
    }

    [Fact]
    public async Task TC_076_CS_DeleteCertificate_Accepted_ThenNotFound_TheLastCentralSystemRootCannotBeRemoved()
    {
        using var files = new TempDirectory();
        var second = TestCertificates.CreateRoot("Second CPO Root", "Test CPO");
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o =>
        {
            o.CentralSystemRootCertificates.Add(TestCertificates.CpoRoot);
            o.ManufacturerRootCertificates.Add(TestCertificates.ManufacturerRoot);
        }));
        await Install(rig, CertificateUse.CentralSystemRootCertificate, second);
        var manufacturer = Assert.Single((await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.ManufacturerRootCertificate })).CertificateHashData!);
        var roots = (await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate })).CertificateHashData!;
        Assert.Equal(2, roots.Count);

        Assert.Equal(DeleteCertificateStatus.Accepted, (await Delete(rig, manufacturer)).Status);
        Assert.Equal(DeleteCertificateStatus.NotFound, (await Delete(rig, manufacturer)).Status);
        Assert.Equal(DeleteCertificateStatus.Accepted, (await Delete(rig, roots[0])).Status);
        Assert.Equal(DeleteCertificateStatus.Failed, (await Delete(rig, roots[1])).Status);
        Assert.Single((await rig.Cs.CallAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate })).CertificateHashData!);

        // Hex case and leading zeroes of the serial number do not matter.
        var upper = new CertificateHashData { HashAlgorithm = roots[1].HashAlgorithm, IssuerNameHash = roots[1].IssuerNameHash.ToUpperInvariant(), IssuerKeyHash = roots[1].IssuerKeyHash, SerialNumber = "00" + roots[1].SerialNumber };
        Assert.Equal(DeleteCertificateStatus.Failed, (await Delete(rig, upper)).Status);
    }

    [Fact]
    public async Task TC_078_CS_InvalidCentralSystemCertificate_IsRejected_WithTheSecurityEvent()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files));
        var from = rig.Cs.Calls.Count;
        Assert.Equal(InstallCertificateStatus.Rejected, (await rig.Cs.CallAsync(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----" })).Status);
        var expired = TestCertificates.CreateRoot("Expired Root", "Test CPO", Rig.Epoch.AddYears(-2), Rig.Epoch.AddDays(-1));
        Assert.Equal(InstallCertificateStatus.Rejected, (await Install(rig, CertificateUse.CentralSystemRootCertificate, expired)).Status);
        var leaf = TestCertificates.Issue(TestCertificates.CpoRoot, "CN=Not a CA", rsa: false);
        Assert.Equal(InstallCertificateStatus.Rejected, (await Install(rig, CertificateUse.CentralSystemRootCertificate, leaf)).Status);
        await rig.SettleAsync();
        Assert.Equal(["InvalidCentralSystemCertificate", "InvalidCentralSystemCertificate", "InvalidCentralSystemCertificate"], Events(rig, from));
    }

    [Fact]
    public async Task CertificateStoreMaxLength_AFullStoreRejectsAnotherRoot_AndAdditionalRootCertificateCheck_ReplacesTheRootWithASignedSuccessor()
    {
        using var files = new TempDirectory();
        await using var full = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o => o.Configuration["CertificateStoreMaxLength"] = "2"));
        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(full, CertificateUse.CentralSystemRootCertificate, TestCertificates.CpoRoot)).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(full, CertificateUse.ManufacturerRootCertificate, TestCertificates.ManufacturerRoot)).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(full, CertificateUse.ManufacturerRootCertificate, TestCertificates.ManufacturerRoot)).Status); // already there
        Assert.Equal(InstallCertificateStatus.Rejected, (await Install(full, CertificateUse.ManufacturerRootCertificate, TestCertificates.RogueRoot)).Status);

        using var files2 = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files2, o =>
        {
            o.Configuration["AdditionalRootCertificateCheck"] = "true";
            o.CentralSystemRootCertificates.Add(TestCertificates.CpoRoot);
        }));
        Assert.Equal(InstallCertificateStatus.Rejected, (await Install(rig, CertificateUse.CentralSystemRootCertificate, TestCertificates.RogueRoot)).Status);
        var successor = TestCertificates.CrossSign(TestCertificates.CpoRoot, "Test CPO Root 2");
        Assert.Equal(InstallCertificateStatus.Accepted, (await Install(rig, CertificateUse.CentralSystemRootCertificate, successor)).Status);

        // The old root stays as fallback until a connection with the new one succeeds.
        var roots = (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).Roots.Select(r => r.Subject).Order().ToList();
        Assert.Equal(["CN=Test CPO Root 2, O=Test CPO", "CN=Test CPO Root, O=Test CPO"], roots);
    }

    // ------------------------------------------------------------------ the charge point's certificate (A02)

    [Fact]
    public async Task TC_074_CS_UpdateChargePointCertificateByRequest_TheKeyStaysOnTheDevice_TheSignedCertificateIsUsedAtTheNextConnection()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o => o.CentralSystemRootCertificates.Add(TestCertificates.CpoRoot)));
        var noCpo = await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        Assert.Equal(TriggerMessageStatus.Rejected, noCpo.Status);

        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "CpoName", Value = "Test CPO" })).Status);
        var trigger = await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        Assert.Equal(TriggerMessageStatus.Accepted, trigger.Status);
        await rig.SettleAsync();
        var csr = Assert.Single(rig.Cs.CallsOf("SignCertificate")).Str("csr");

        // A PKCS#10 request, signed by the new key: CN = identity, O = CpoName; no private key in it.
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", csr, StringComparison.Ordinal);
        var request = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256);
        Assert.Equal("CN=CP-TEST, O=Test CPO", request.SubjectName.Name);

        // The key pair waits in the storage across a restart.
        await rig.RestartAsync();
        var chain = TestCertificates.SignRequest(csr, TestCertificates.CpoRoot);
        Assert.Equal(CertificateSignedStatus.Accepted, (await rig.Cs.CallAsync(new CertificateSignedRequest { CertificateChain = chain })).Status);
        var settings = await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None);
        Assert.Equal("CN=CP-TEST, O=Test CPO", settings.ClientCertificate!.Subject);
        Assert.True(settings.ClientCertificate.HasPrivateKey);
        Assert.Equal(request.PublicKey.ExportSubjectPublicKeyInfo(), settings.ClientCertificate.PublicKey.ExportSubjectPublicKeyInfo());

        // Installed for good; the same certificate again has no pending key any more.
        await rig.RestartAsync();
        Assert.Equal("CN=CP-TEST, O=Test CPO", (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).ClientCertificate!.Subject);
        Assert.Equal(CertificateSignedStatus.Rejected, (await rig.Cs.CallAsync(new CertificateSignedRequest { CertificateChain = chain })).Status);
    }

    [Fact]
    public async Task TC_077_CS_InvalidChargePointCertificate_UntrustedTooLongOrForAnotherKey_IsRejected_WithTheSecurityEvent()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o =>
        {
            o.CentralSystemRootCertificates.Add(TestCertificates.CpoRoot);
            o.Configuration["CpoName"] = "Test CPO";
            o.Configuration["CertificateSignedMaxChainSize"] = "3000";
        }));
        await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        await rig.SettleAsync();
        var csr = rig.Cs.CallsOf("SignCertificate")[^1].Str("csr");
        var from = rig.Cs.Calls.Count;

        var untrusted = TestCertificates.SignRequest(csr, TestCertificates.RogueRoot);
        var otherKey = TestCertificates.Issue(TestCertificates.CpoRoot, "CN=CP-TEST, O=Test CPO", rsa: false).ExportCertificatePem();
        var tooLong = TestCertificates.SignRequest(csr, TestCertificates.CpoRoot) + new string('\n', 3000);
        foreach (var chain in new[] { untrusted, otherKey, tooLong, "garbage" })
        {
            Assert.Equal(CertificateSignedStatus.Rejected, (await rig.Cs.CallAsync(new CertificateSignedRequest { CertificateChain = chain })).Status);
        }

        await rig.SettleAsync();
        Assert.Equal(Enumerable.Repeat("InvalidChargePointCertificate", 4), Events(rig, from));
        Assert.Null((await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).ClientCertificate);

        // The right one still works afterwards.
        Assert.Equal(CertificateSignedStatus.Accepted, (await rig.Cs.CallAsync(new CertificateSignedRequest { CertificateChain = TestCertificates.SignRequest(csr, TestCertificates.CpoRoot) })).Status);
    }

    // ------------------------------------------------------------------ security events and the security log (A04, N01)

    [Fact]
    public async Task SecurityEvents_StartupOfTheDevice_AfterTheBoot_ResetOrReboot_AfterAReset_SettingSystemTime_WhenTheClockMoves()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(
            Secure(new FakeFileTransfer(), files),
            setup: cs => cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result($"{{\"status\":\"Accepted\",\"currentTime\":\"{cs.Now[..^1]}Z\",\"interval\":300}}"));
        var trace = rig.Trace();
        Assert.Equal(["StartupOfTheDevice"], Events(rig));
        Assert.True(trace.ToList().IndexOf("BootNotification") < trace.ToList().IndexOf("SecurityEventNotification"));

        // The Central System's clock is an hour ahead at the next boot.
        rig.Cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result($"{{\"status\":\"Accepted\",\"currentTime\":\"{rig.Time.GetUtcNow().AddHours(1):yyyy-MM-ddTHH:mm:ss.fffZ}\",\"interval\":300}}");
        var from = rig.Cs.Calls.Count;
        await rig.Cs.CallAsync(new ResetRequest { Type = ResetType.Hard });
        await rig.AdvanceUntilAsync(() => Events(rig, from).Count >= 2);
        Assert.Equal(["ResetOrReboot", "SettingSystemTime"], Events(rig, from).Order(StringComparer.Ordinal));
        Assert.Contains("Reset Hard", rig.Cs.CallsOf("SecurityEventNotification").Single(c => c.Str("type") == "ResetOrReboot").Str("techInfo"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACriticalSecurityEvent_RaisedOffline_SurvivesAPowerLoss_AndIsDeliveredOnce_ANonCriticalOneIsNot()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files));
        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.AdvanceAsync(2);
        await rig.ChargePoint.ReportSecurityEventAsync("TamperDetectionActivated", "cabinet opened");
        await rig.ChargePoint.ReportSecurityEventAsync("InvalidMessages", "garbage on the wire");
        var stored = rig.Storage.Load("durable");
        Assert.Single(stored);

        await rig.RestartAsync(beforeStart: () => rig.Cs.Unreachable = false);
        await rig.AdvanceAsync(5);
        var tamper = rig.Cs.CallsOf("SecurityEventNotification").Where(c => c.Str("type") == "TamperDetectionActivated").ToList();
        Assert.Equal("cabinet opened", Assert.Single(tamper).Str("techInfo"));
        Assert.DoesNotContain(rig.Cs.CallsOf("SecurityEventNotification"), c => c.Str("type") == "InvalidMessages");
        Assert.Empty(rig.Storage.Load("durable"));

        // Every event, critical or not, is in the security log.
        var log = string.Join("\n", rig.Storage.Load(SecurityEventLog.Collection).Select(r => Encoding.UTF8.GetString(r.Value)));
        Assert.Contains("TamperDetectionActivated", log, StringComparison.Ordinal);
        Assert.Contains("InvalidMessages", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACriticalSecurityEvent_IsRetriedAfterACallError_LikeATransactionMessage()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, o => o.Configuration["TransactionMessageRetryInterval"] = "10"));
        var attempts = 0;
        rig.Cs.Answers["SecurityEventNotification"] = _ => ++attempts < 2 ? Ocpp16.Transport.OcppResponse.Error(OcppErrorCode.InternalError, "test") : FakeCentralSystem.Result("{}");
        await rig.ChargePoint.ReportSecurityEventAsync("MemoryExhaustion");
        await rig.AdvanceAsync(15);
        Assert.Equal(2, rig.Cs.CallsOf("SecurityEventNotification").Count(c => c.Str("type") == "MemoryExhaustion"));
        Assert.Empty(rig.Storage.Load("durable"));
    }

    [Fact]
    public async Task TC_079_CS_GetSecurityLog_UploadsTheSecurityLog_LogStatusNotificationsCarryTheRequestId()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;
        var answer = await rig.Cs.CallAsync(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 7, Log = new LogParameters { RemoteLocation = "https://logs.example/upload/" } });
        await rig.SettleAsync();
        Assert.Equal(LogStatus.Accepted, answer.Status);
        var upload = Assert.Single(transfer.Uploads);
        Assert.Equal(answer.Filename, upload.FileName);
        Assert.Contains("StartupOfTheDevice critical=true", Encoding.UTF8.GetString(upload.Content), StringComparison.Ordinal);
        var notifications = rig.Cs.Calls.Skip(from).Where(c => c.Action == "LogStatusNotification").ToList();
        Assert.Equal(["Uploading", "Uploaded"], notifications.Select(c => c.Str("status")));
        Assert.All(notifications, c => Assert.Equal(7, c.Int("requestId")));

        // A window that excludes every entry uploads an empty log; a refused upload is PermissionDenied; triggered: Idle.
        transfer.Failure = _ => TransferFailure.PermissionDenied;
        await rig.Cs.CallAsync(new GetLogRequest { LogType = LogType.DiagnosticsLog, RequestId = 8, Log = new LogParameters { RemoteLocation = "ftp://logs.example/" } });
        await rig.SettleAsync();
        Assert.Equal("PermissionDenied", rig.Statuses("LogStatusNotification")[^1]);
        await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.LogStatusNotification });
        await rig.SettleAsync();
        var idle = rig.Cs.CallsOf("LogStatusNotification")[^1];
        Assert.Equal("Idle", idle.Str("status"));
        Assert.False(idle.Has("requestId"));

        var bad = await rig.Cs.CallAsync(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 9, Log = new LogParameters { RemoteLocation = "not a url" } });
        await rig.SettleAsync();
        Assert.Equal(LogStatus.Accepted, bad.Status);
        Assert.Equal("BadMessage", rig.Statuses("LogStatusNotification")[^1]);
    }

    [Fact]
    public async Task ExtendedTriggerMessage_TriggersEveryMessageItNames_AndRejectsAConnectorThatDoesNotExist()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files));
        var from = rig.Cs.Calls.Count;
        foreach (var message in new[] { ExtendedMessageTrigger.BootNotification, ExtendedMessageTrigger.Heartbeat, ExtendedMessageTrigger.StatusNotification, ExtendedMessageTrigger.FirmwareStatusNotification, ExtendedMessageTrigger.MeterValues })
        {
            Assert.Equal(TriggerMessageStatus.Accepted, (await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = message, ConnectorId = message is ExtendedMessageTrigger.StatusNotification or ExtendedMessageTrigger.MeterValues ? 1 : null })).Status);
            await rig.SettleAsync();
        }

        Assert.Equal(TriggerMessageStatus.Rejected, (await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.StatusNotification, ConnectorId = 3 })).Status);
        var trace = rig.Trace(from);
        Assert.Equal(["BootNotification", "Heartbeat", "StatusNotification:1:Available", "SignedFirmwareStatusNotification", "MeterValues"], trace);
        var firmware = rig.Cs.CallsOf("SignedFirmwareStatusNotification").Single();
        Assert.Equal("Idle", firmware.Str("status"));
        Assert.False(firmware.Has("requestId"));
    }

    // ------------------------------------------------------------------ SecurityProfile (A05)

    [Fact]
    public async Task TC_083_CS_UpgradeSecurityProfile_Accepted_ReconnectsWithTheNewProfile_WhichStaysOnceItConnects()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, ProfileOne));
        var profiles = new List<int>();
        rig.ChargePoint.Engine.ConnectionAttempted += a => profiles.Add(a.Settings.SecurityProfile);

        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "2" })).Status);
        await rig.AdvanceAsync(3);
        Assert.Equal([2], profiles);
        Assert.Equal(2, rig.Cs.ConnectionCount);
        Assert.Equal(new Uri("wss://csms.example/ocpp"), (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).Uri);
        Assert.Empty(rig.Storage.Load(SecurityExtension.StateCollection));
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3041);

        await rig.RestartAsync();
        Assert.Equal(2, (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).SecurityProfile);
    }

    [Fact]
    public async Task TC_084_CS_DowngradeSecurityProfile_IsRejected_AndAProfileWithoutItsCredentialsToo()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, ProfileOne));
        async Task<ConfigurationStatus> Change(string value) => (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "SecurityProfile", Value = value })).Status;

        Assert.Equal(ConfigurationStatus.Rejected, await Change("0"));
        Assert.Equal(ConfigurationStatus.Rejected, await Change("3")); // no ChargePointCertificate
        Assert.Equal(ConfigurationStatus.Rejected, await Change("4"));
        Assert.Equal(ConfigurationStatus.Accepted, await Change("1"));
        Assert.Equal(ConfigurationStatus.Accepted, await Change("2"));
        await rig.AdvanceAsync(3);
        Assert.Equal(ConfigurationStatus.Rejected, await Change("1"));
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("SecurityProfile", out var value));
        Assert.Equal("2", value);
    }

    [Fact]
    public async Task ANewSecurityProfileThatCannotConnect_FallsBackToThePreviousOne_AfterThreeAttempts()
    {
        using var files = new TempDirectory();
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files, ProfileOne));
        var attempts = new List<(int Profile, bool Connected)>();
        rig.ChargePoint.Engine.ConnectionAttempted += a => attempts.Add((a.Settings.SecurityProfile, a.Error is null));

        rig.Cs.Unreachable = true;
        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "2" })).Status);
        await rig.AdvanceUntilAsync(() => attempts.Count >= 3, 30);
        rig.Cs.Unreachable = false;
        await rig.AdvanceUntilAsync(() => attempts.Any(a => a.Connected), 30);

        Assert.Equal([(2, false), (2, false), (2, false), (1, true)], attempts);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("SecurityProfile", out var value));
        Assert.Equal("1", value);
        Assert.Contains(rig.Logs.Entries, e => e.EventId == 3040);

        // The fallback is saved: a restart stays on profile 1.
        await rig.RestartAsync();
        Assert.Equal(1, (await rig.ChargePoint.Engine.ConnectionSettings(CancellationToken.None)).SecurityProfile);
    }

    private static void ProfileOne(ChargePointOptions o)
    {
        o.SecurityProfile = 1;
        o.Password = "profile-one-password-01";
        o.CentralSystemRootCertificates.Add(TestCertificates.CpoRoot);
        o.SecurityProfileUris[2] = new Uri("wss://csms.example/ocpp");
        o.SecurityProfileUris[3] = new Uri("wss://csms.example/ocpp");
    }

    private static Task<InstallCertificateResponse> Install(Rig rig, CertificateUse type, X509Certificate2 certificate)
        => rig.Cs.CallAsync(new InstallCertificateRequest { CertificateType = type, Certificate = TestCertificates.Pem(certificate) });

    private static Task<DeleteCertificateResponse> Delete(Rig rig, CertificateHashData data)
        => rig.Cs.CallAsync(new DeleteCertificateRequest { CertificateHashData = data });
}
