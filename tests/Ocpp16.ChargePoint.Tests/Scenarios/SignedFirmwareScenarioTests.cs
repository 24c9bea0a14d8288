using System.Security.Cryptography.X509Certificates;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// SignedUpdateFirmware (Security Whitepaper ed. 3, L01): the signing certificate checked against the installed
/// ManufacturerRootCertificate(s), the signature over the downloaded file verified before anything is installed, every
/// SignedFirmwareStatusNotification status with its requestId. Virtual time.
/// </summary>
public sealed class SignedFirmwareScenarioTests
{
    private const string Location = "https://fw.example/signed-2.1.bin";
    private static readonly byte[] Image = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))];

    private static Action<ChargePointOptions> Secure(FakeFileTransfer transfer, TempDirectory files, Action<ChargePointOptions>? configure = null)
        => Modules.With(transfer, files, security: true, o =>
        {
            o.ManufacturerRootCertificates.Add(TestCertificates.ManufacturerRoot);
            configure?.Invoke(o);
        });

    private static SignedUpdateFirmwareRequest Request(Rig rig, int requestId, X509Certificate2 signer, string signature, DateTimeOffset? retrieve = null, DateTimeOffset? install = null) => new()
    {
        RequestId = requestId,
        Retries = 0,
        Firmware = new Firmware
        {
            Location = Location,
            RetrieveDateTime = retrieve ?? rig.Time.GetUtcNow(),
            InstallDateTime = install,
            SigningCertificate = TestCertificates.Pem(signer),
            Signature = signature,
        },
    };

    private static IReadOnlyList<string> Events(Rig rig, int from)
        => [.. rig.Cs.Calls.Skip(from).Where(c => c.Action == "SecurityEventNotification").Select(c => c.Str("type"))];

    [Fact]
    public async Task TC_080_CS_SecureFirmwareUpdate_AValidSignatureInstalls_EveryStatusCarriesTheRequestId()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;

        var answer = await rig.Cs.CallAsync(Request(rig, 42, TestCertificates.FirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner)));
        Assert.Equal(UpdateFirmwareStatus.Accepted, answer.Status);
        await rig.AdvanceUntilAsync(() => rig.Statuses("SignedFirmwareStatusNotification", from).Contains("Installed"));

        Assert.Equal(["Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.All(rig.Cs.Calls.Skip(from).Where(c => c.Action == "SignedFirmwareStatusNotification"), c => Assert.Equal(42, c.Int("requestId")));
        Assert.DoesNotContain(rig.Cs.Calls.Skip(from), c => c.Action == "FirmwareStatusNotification");
        Assert.Equal(Image, Assert.Single(rig.Hardware.InstalledFirmwareContents));
        Assert.Contains("FirmwareUpdated", Events(rig, from));
        Assert.Contains("ResetOrReboot", Events(rig, from));

        // Triggered after Installed: Idle, without a requestId.
        await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.FirmwareStatusNotification });
        await rig.SettleAsync();
        var idle = rig.Cs.CallsOf("SignedFirmwareStatusNotification")[^1];
        Assert.Equal("Idle", idle.Str("status"));
        Assert.False(idle.Has("requestId"));
    }

    [Fact]
    public async Task TC_081_CS_SecureFirmwareUpdate_ATamperedFile_InvalidSignature_WithItsSecurityEvent_NothingInstalled()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        var tampered = Image.ToArray();
        tampered[100] ^= 0xFF;
        transfer.Files[Location] = tampered;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;

        Assert.Equal(UpdateFirmwareStatus.Accepted, (await rig.Cs.CallAsync(Request(rig, 43, TestCertificates.FirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner)))).Status);
        await rig.AdvanceAsync(5);
        Assert.Equal(["Downloading", "Downloaded", "InvalidSignature"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(["InvalidFirmwareSignature"], Events(rig, from));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);
        Assert.Equal(0, rig.Hardware.ResetCount);
        Assert.False(File.Exists(Path.Combine(files.Path, "files", "firmware.bin")));

        // The last status sent is what a trigger reports (it was not Installed).
        await rig.Cs.CallAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.FirmwareStatusNotification });
        await rig.SettleAsync();
        var last = rig.Cs.CallsOf("SignedFirmwareStatusNotification")[^1];
        Assert.Equal("InvalidSignature", last.Str("status"));
        Assert.Equal(43, last.Int("requestId"));
    }

    [Fact]
    public async Task SecureFirmwareUpdate_AWrongSigningCertificate_ATrustedOneWhoseKeyDidNotSign_InvalidSignature()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;

        var request = Request(rig, 44, TestCertificates.OtherFirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner));
        Assert.Equal(UpdateFirmwareStatus.Accepted, (await rig.Cs.CallAsync(request)).Status);
        await rig.AdvanceAsync(5);
        Assert.Equal(["Downloading", "Downloaded", "InvalidSignature"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(["InvalidFirmwareSignature"], Events(rig, from));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);
    }

    [Fact]
    public async Task TC_082_CS_SecureFirmwareUpdate_AnUntrustedRoot_InvalidCertificate_WithItsSecurityEvent_NothingDownloaded()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;

        var answer = await rig.Cs.CallAsync(Request(rig, 45, TestCertificates.RogueFirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.RogueFirmwareSigner)));
        Assert.Equal(UpdateFirmwareStatus.InvalidCertificate, answer.Status);
        await rig.AdvanceAsync(5);
        Assert.Empty(transfer.Attempts);
        Assert.Empty(rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(["InvalidFirmwareSigningCertificate"], Events(rig, from));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);
    }

    [Fact]
    public async Task SecureFirmwareUpdate_FutureDates_DownloadScheduled_InstallScheduled_AndAReplacedUpdateIsAcceptedCanceled()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var signature = TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner);
        var now = rig.Time.GetUtcNow();
        Assert.Equal(UpdateFirmwareStatus.Accepted, (await rig.Cs.CallAsync(Request(rig, 1, TestCertificates.FirmwareSigner, signature, now.AddHours(1)))).Status);
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;

        var replaced = await rig.Cs.CallAsync(Request(rig, 2, TestCertificates.FirmwareSigner, signature, now.AddMinutes(1), now.AddMinutes(10)));
        Assert.Equal(UpdateFirmwareStatus.AcceptedCanceled, replaced.Status);
        await rig.AdvanceAsync(120, 10);
        Assert.Equal(["DownloadScheduled", "Downloading", "Downloaded", "SignatureVerified", "InstallScheduled"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);

        await rig.AdvanceUntilAsync(() => rig.Statuses("SignedFirmwareStatusNotification", from).Contains("Installed"), 600);
        Assert.Single(rig.Hardware.InstalledFirmwareContents);
        Assert.All(rig.Cs.Calls.Skip(from).Where(c => c.Action == "SignedFirmwareStatusNotification"), c => Assert.Equal(2, c.Int("requestId")));
        Assert.Single(transfer.Attempts);
    }

    [Fact]
    public async Task SecureFirmwareUpdate_ATransactionStartingDuringTheDownload_PausesIt_DownloadPaused_ThenItResumes()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer { HoldDownloads = true };
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(Request(rig, 5, TestCertificates.FirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner)));
        await rig.SettleAsync();
        Assert.Equal(1, transfer.HeldDownloads);
        await rig.StartTransactionAsync("TAG1", 1);
        Assert.Equal(["Downloading", "DownloadPaused"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(0, transfer.HeldDownloads);

        transfer.ReleaseDownloads();
        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceUntilAsync(() => rig.Statuses("SignedFirmwareStatusNotification", from).Contains("Installed"));
        Assert.Equal(["Downloading", "DownloadPaused", "Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(2, transfer.Attempts.Count);
    }

    [Fact]
    public async Task SecureFirmwareUpdate_TheInstallersOwnVerificationFails_InstallVerificationFailed_NoReboot()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        rig.Hardware.FirmwareInstallationResult = FirmwareInstallationResult.VerificationFailed;
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(Request(rig, 6, TestCertificates.FirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner)));
        await rig.AdvanceAsync(5);
        Assert.Equal(["Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallVerificationFailed"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Equal(0, rig.Hardware.ResetCount);
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task SecureFirmwareUpdate_AVerifiedDownloadWaitingForItsInstallDate_IsInstalledAtThatDate_AfterARestart()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Secure(transfer, files));
        await rig.Cs.CallAsync(Request(rig, 7, TestCertificates.FirmwareSigner, TestCertificates.SignFirmware(Image, TestCertificates.FirmwareSigner), install: rig.Time.GetUtcNow().AddMinutes(5)));
        await rig.AdvanceAsync(5);
        Assert.Equal("InstallScheduled", rig.Statuses("SignedFirmwareStatusNotification")[^1]);

        await rig.RestartAsync();
        var from = rig.Cs.Calls.Count;
        await rig.AdvanceAsync(200, 10);
        Assert.Empty(rig.Statuses("SignedFirmwareStatusNotification", from));
        await rig.AdvanceUntilAsync(() => rig.Statuses("SignedFirmwareStatusNotification", from).Contains("Installed"), 600);
        Assert.Equal(["Installing", "InstallRebooting", "Installed"], rig.Statuses("SignedFirmwareStatusNotification", from));
        Assert.Single(rig.Hardware.InstalledFirmwareContents);
        Assert.Single(transfer.Attempts);
    }

    [Fact]
    public async Task SecureFirmwareUpdate_AnInstallationCutByAPowerLoss_IsReportedInstallationFailed_AfterTheRestart()
    {
        using var files = new TempDirectory();
        var storage = new Ocpp16.ChargePoint.Persistence.InMemoryChargePointStorage();
        var record = new Features.FirmwareManagement.FirmwareUpdateRecord
        {
            Signed = true, RequestId = 8, Location = Location, RetrieveDate = Rig.Epoch, Attempts = 1, RetryInterval = 0,
            Phase = Features.FirmwareManagement.FirmwarePhase.Installing, File = Path.Combine(files.Path, "files", "firmware.bin"),
        };
        storage.Write(new Ocpp16.ChargePoint.Persistence.ChargePointStorageBatch().Put(
            Features.FirmwareManagement.FirmwareUpdater.Collection,
            "update",
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, Features.FirmwareManagement.FirmwareJsonContext.Default.FirmwareUpdateRecord)));
        await using var rig = await Rig.StartAsync(Secure(new FakeFileTransfer(), files), storage: storage);
        await rig.AdvanceAsync(2);
        var failed = Assert.Single(rig.Cs.CallsOf("SignedFirmwareStatusNotification"));
        Assert.Equal("InstallationFailed", failed.Str("status"));
        Assert.Equal(8, failed.Int("requestId"));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);
    }
}
