using Ocpp16.ChargePoint.Features.FirmwareManagement;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>Firmware Management (OCPP 1.6 §5.9 GetDiagnostics, §5.19 UpdateFirmware, §4.4/§4.5 and their triggers), on virtual time.</summary>
public sealed class FirmwareScenarioTests
{
    private const string Location = "http://fw.example/cp-2.0.bin";
    private static readonly byte[] Image = [0x4F, 0x43, 0x50, 0x50, 0x31, 0x36];

    [Fact]
    public async Task TC_044_1_CS_FirmwareUpdate_DownloadsAtTheRetrieveDate_Installs_Reboots_AndReportsInstalledAfterTheReboot()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow().AddSeconds(60), Retries = 0 });
        await rig.AdvanceAsync(59);
        Assert.Empty(transfer.Attempts);
        Assert.Empty(rig.Statuses("FirmwareStatusNotification", from));

        await rig.AdvanceUntilAsync(() => rig.Statuses("FirmwareStatusNotification", from).Contains("Installed"));
        Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Equal(Image, Assert.Single(rig.Hardware.InstalledFirmwareContents));
        Assert.Equal(1, rig.Hardware.ResetCount);

        // Installed comes after the reboot: on the new connection, after its BootNotification.
        var calls = rig.Cs.Calls.Skip(from).ToList();
        var boot = calls.FindIndex(c => c.Action == "BootNotification");
        var installed = calls.FindIndex(c => c.Action == "FirmwareStatusNotification" && c.Str("status") == "Installed");
        Assert.True(boot >= 0 && installed > boot, string.Join("\n", calls));
        Assert.NotEqual(calls[boot - 1].Connection, calls[installed].Connection);
        Assert.False(File.Exists(Path.Combine(files.Path, "files", "firmware.bin")));

        // The update is over: a triggered notification is Idle.
        await SendTriggerAsync(rig, MessageTrigger.FirmwareStatusNotification);
        Assert.Equal("Idle", rig.Statuses("FirmwareStatusNotification", from)[^1]);
    }

    [Fact]
    public async Task TC_044_2_CS_FirmwareUpdate_DownloadFailed_AfterEveryRetry_RetryIntervalApart()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer { Failure = _ => TransferFailure.Failed };
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow(), Retries = 2, RetryInterval = 30 });
        await rig.AdvanceAsync(29);
        Assert.Single(transfer.Attempts);
        Assert.Equal(["Downloading"], rig.Statuses("FirmwareStatusNotification", from));
        await rig.AdvanceAsync(1);
        Assert.Equal(2, transfer.Attempts.Count);
        await rig.AdvanceAsync(30);
        Assert.Equal(3, transfer.Attempts.Count);
        Assert.Equal(["Downloading", "DownloadFailed"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Empty(rig.Hardware.InstalledFirmwareContents);
        Assert.Equal(0, rig.Hardware.ResetCount);
    }

    [Fact]
    public async Task TC_044_3_CS_FirmwareUpdate_InstallationFailed_NoReboot_AndTheConnectorsComeBack()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        rig.Hardware.FirmwareInstallationResult = FirmwareInstallationResult.Failed;
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow() });
        await rig.AdvanceAsync(2);
        Assert.Equal(["Downloading", "Downloaded", "Installing", "InstallationFailed"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Equal(0, rig.Hardware.ResetCount);
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Contains("StatusNotification:1:Unavailable", rig.Trace(from));
    }

    [Fact]
    public async Task ReferenceStation_NoDownloadWhileATransactionRuns_ItWaitsUntilTheTransactionEnds()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        await rig.StartTransactionAsync("TAG1", 1);
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow() });
        await rig.AdvanceAsync(600, 60);
        Assert.Empty(transfer.Attempts);
        Assert.Empty(rig.Statuses("FirmwareStatusNotification", from));

        rig.Hardware.RfidReader.Present("TAG1");
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("StopTransaction"));
        await rig.AdvanceUntilAsync(() => rig.Statuses("FirmwareStatusNotification", from).Contains("Installed"));
        Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], rig.Statuses("FirmwareStatusNotification", from));
        var trace = rig.Trace(from).ToList();
        Assert.True(trace.IndexOf("StopTransaction") < trace.IndexOf("FirmwareStatusNotification"));
    }

    [Fact]
    public async Task Installation_WaitsForTheTransactions_WithTheFreeConnectorsUnavailable_NoNewTransactionStarts()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files, configure: o => o.FirmwareDownloadDuringTransactions = true));
        await rig.StartTransactionAsync("TAG1", 1);
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow() });
        await rig.AdvanceAsync(5);
        Assert.Equal(["Downloading", "Downloaded"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Equal(ChargePointStatus.Unavailable, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));

        // No transaction starts on the Unavailable connector meanwhile.
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("TAG2");
        await rig.AdvanceAsync(5);
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));

        rig.Hardware.RfidReader.Present("TAG1");
        await rig.AdvanceUntilAsync(() => rig.Statuses("FirmwareStatusNotification", from).Contains("Installed"));
        Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Single(rig.Cs.CallsOf("StopTransaction"));
    }

    [Fact]
    public async Task AScheduledUpdate_SurvivesARestart_AndRunsAtItsRetrieveDate()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow().AddMinutes(10) });
        await rig.AdvanceAsync(60);
        await rig.RestartAsync();
        var from = rig.Cs.Calls.Count;

        await rig.AdvanceAsync(500, 10);
        Assert.Empty(transfer.Attempts);
        await rig.AdvanceUntilAsync(() => rig.Statuses("FirmwareStatusNotification", from).Contains("Installed"));
        Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], rig.Statuses("FirmwareStatusNotification", from));
        Assert.Single(transfer.Attempts);
    }

    [Fact]
    public async Task TriggeredFirmwareStatus_IsIdleWithoutAnUpdate_AndTheCurrentStatusDuringOne()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer { HoldDownloads = true };
        transfer.Files[Location] = Image;
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        var from = rig.Cs.Calls.Count;
        await SendTriggerAsync(rig, MessageTrigger.FirmwareStatusNotification);
        Assert.Equal(["Idle"], rig.Statuses("FirmwareStatusNotification", from));

        await rig.Cs.CallAsync(new UpdateFirmwareRequest { Location = Location, RetrieveDate = rig.Time.GetUtcNow() });
        await rig.SettleAsync();
        await SendTriggerAsync(rig, MessageTrigger.FirmwareStatusNotification);
        Assert.Equal(["Idle", "Downloading", "Downloading"], rig.Statuses("FirmwareStatusNotification", from));
        transfer.ReleaseDownloads();
        await rig.AdvanceUntilAsync(() => rig.Statuses("FirmwareStatusNotification", from).Contains("Installed"));
    }

    [Fact]
    public async Task TC_045_1_CS_GetDiagnostics_AnswersTheFileName_UploadsIt_UploadingThenUploaded()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        rig.Hardware.DiagnosticsDirectory = files.Path;
        var from = rig.Cs.Calls.Count;

        var answer = await rig.Cs.CallAsync(new GetDiagnosticsRequest { Location = "ftp://user:pass@diag.example/uploads/", StartTime = rig.Time.GetUtcNow().AddHours(-1) });
        await rig.SettleAsync();
        Assert.NotNull(answer.FileName);
        Assert.Equal(["Uploading", "Uploaded"], rig.Statuses("DiagnosticsStatusNotification", from));
        var upload = Assert.Single(transfer.Uploads);
        Assert.Equal(answer.FileName, upload.FileName);
        Assert.Equal("ftp://user:pass@diag.example/uploads/", upload.Location.ToString());
        Assert.Contains("connector 2", System.Text.Encoding.UTF8.GetString(upload.Content), StringComparison.Ordinal);

        await SendTriggerAsync(rig, MessageTrigger.DiagnosticsStatusNotification);
        Assert.Equal("Idle", rig.Statuses("DiagnosticsStatusNotification", from)[^1]);
    }

    [Fact]
    public async Task TC_045_2_CS_GetDiagnostics_UploadFailed_AfterTheRetries()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer { Failure = _ => TransferFailure.Failed };
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        rig.Hardware.DiagnosticsDirectory = files.Path;
        var from = rig.Cs.Calls.Count;

        await rig.Cs.CallAsync(new GetDiagnosticsRequest { Location = "http://diag.example/upload/", Retries = 1, RetryInterval = 20 });
        await rig.SettleAsync();
        Assert.Equal(["Uploading"], rig.Statuses("DiagnosticsStatusNotification", from));
        await SendTriggerAsync(rig, MessageTrigger.DiagnosticsStatusNotification);
        await rig.AdvanceAsync(20);
        Assert.Equal(2, transfer.Attempts.Count);
        Assert.Equal(["Uploading", "Uploading", "UploadFailed"], rig.Statuses("DiagnosticsStatusNotification", from));
    }

    [Fact]
    public async Task SupportedFileTransferProtocols_AreReadOnly_AndAnUnsupportedSchemeFailsTheUpload()
    {
        using var files = new TempDirectory();
        var transfer = new FakeFileTransfer();
        await using var rig = await Rig.StartAsync(Modules.With(transfer, files));
        rig.Hardware.DiagnosticsDirectory = files.Path;
        var keys = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = ["SupportedFileTransferProtocols"] });
        var key = Assert.Single(keys.ConfigurationKey!);
        Assert.Equal("FTP,HTTP,HTTPS", key.Value);
        Assert.True(key.Readonly);

        var from = rig.Cs.Calls.Count;
        await rig.Cs.CallAsync(new GetDiagnosticsRequest { Location = "sftp://diag.example/upload/" });
        await rig.SettleAsync();
        Assert.Empty(transfer.Attempts);
        Assert.Equal(["UploadFailed"], rig.Statuses("DiagnosticsStatusNotification", from));
    }

    /// <summary>TriggerMessage on the wire (the Remote Trigger profile finds this module's trigger): Accepted, then the message.</summary>
    private static async Task SendTriggerAsync(Rig rig, MessageTrigger trigger)
    {
        var answer = await rig.Cs.CallAsync(new TriggerMessageRequest { RequestedMessage = trigger });
        Assert.Equal(TriggerMessageStatus.Accepted, answer.Status);
        await rig.SettleAsync();
    }
}
