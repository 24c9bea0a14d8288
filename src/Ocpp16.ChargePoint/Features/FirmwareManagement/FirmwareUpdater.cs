using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.FirmwareManagement;

/// <summary>Where a firmware update stands (persisted, so a restart continues it and the reboot after the installation reports Installed).</summary>
internal enum FirmwarePhase
{
    /// <summary>Waiting for the retrieve date (or for the transactions to end).</summary>
    Scheduled,

    /// <summary>Downloading (after a restart: downloaded again).</summary>
    Downloading,

    /// <summary>Downloaded (and, signed, its signature verified): waiting for the install date or for the transactions to end.</summary>
    Downloaded,

    /// <summary>The installer runs (a restart now means the installation was cut: InstallationFailed).</summary>
    Installing,

    /// <summary>Installed; the charge point reboots and reports Installed after it.</summary>
    Rebooting,

    /// <summary>Installed and rebooted: Installed is being reported.</summary>
    Installed,
}

/// <summary>The firmware update under way (collection <c>firmware</c>, key <c>update</c>).</summary>
internal sealed record FirmwareUpdateRecord
{
    /// <summary>SignedUpdateFirmware (Security Whitepaper L01) rather than UpdateFirmware (OCPP 1.6 §5.19).</summary>
    public required bool Signed { get; init; }

    public int? RequestId { get; init; }

    public required string Location { get; init; }

    public required DateTimeOffset RetrieveDate { get; init; }

    public DateTimeOffset? InstallDate { get; init; }

    /// <summary>How many download attempts in all (1 + retries).</summary>
    public required int Attempts { get; init; }

    /// <summary>Seconds between download attempts.</summary>
    public required int RetryInterval { get; init; }

    public string? SigningCertificate { get; init; }

    public string? Signature { get; init; }

    public required FirmwarePhase Phase { get; init; }

    /// <summary>The downloaded file.</summary>
    public string? File { get; init; }
}

/// <summary>The last firmware status sent (collection <c>firmware</c>, key <c>last</c>): what a triggered notification reports.</summary>
internal sealed record FirmwareLastStatus(bool Signed, int? RequestId, SignedFirmwareStatus Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FirmwareUpdateRecord))]
[JsonSerializable(typeof(FirmwareLastStatus))]
internal sealed partial class FirmwareJsonContext : JsonSerializerContext;

/// <summary>
/// The firmware update process, for UpdateFirmware (Firmware Management, OCPP 1.6 §5.19, statuses of §7.25) and
/// SignedUpdateFirmware (Security Whitepaper L01, every SignedFirmwareStatusNotification status with its requestId):
/// download at the retrieve date with retries (the transfer runs off the loop); unless
/// <see cref="ChargePointOptions.FirmwareDownloadDuringTransactions"/>, not while a transaction runs (DownloadScheduled,
/// DownloadPaused); for signed firmware, the signature over the downloaded file is verified before anything else
/// (SignatureVerified, or InvalidSignature with the security event InvalidFirmwareSignature and no installation); the
/// installation waits for the install date and for the transactions to end with the free connectors Unavailable
/// (InstallScheduled), runs the hardware's <see cref="IFirmwareInstaller"/> (Installing), then reboots through the reset
/// hook (InstallRebooting); after the reboot Installed is reported with the security event FirmwareUpdated. One update
/// at a time: a new request cancels the one under way unless it is installing. Owned by the loop.
/// </summary>
internal sealed class FirmwareUpdater : ITransactionObserver
{
    public const string Collection = "firmware";
    private const string UpdateKey = "update";
    private const string LastKey = "last";

    /// <summary>How long the reboot waits for the answer to the last status before the installation's reboot.</summary>
    internal static readonly TimeSpan RebootNoticeTimeout = TimeSpan.FromSeconds(30);

    private readonly ChargePointEngine _engine;
    private readonly IFileTransfer _transfer;
    private FirmwareUpdateRecord? _update;
    private FirmwareLastStatus? _last;
    private CancellationTokenSource? _running;
    private EngineLoop.LoopTimer? _timer;
    private Waiting _waiting;
    private bool _loaded;
    private bool _downloadingSent;
    private bool _installScheduledSent;
    private bool _downloadScheduledSent;
    private int _attempt;
    private bool _installingAnswered;
    private Action? _rebootWhenInstallingAnswered;

    public FirmwareUpdater(ChargePointEngine engine, IFileTransfer transfer)
    {
        _engine = engine;
        _transfer = transfer;
        engine.AddTransactionObserver(this);
    }

    private enum Waiting
    {
        None,
        Download,
        Install,
    }

    /// <summary>The update under way, if any.</summary>
    public FirmwareUpdateRecord? Current => _update;

    /// <summary>Loads the update under way (once, whichever module starts first) and continues it.</summary>
    public void Load()
    {
        if (_loaded)
        {
            return;
        }

        _loaded = true;
        foreach (var (key, value) in _engine.Storage.Load(Collection))
        {
            if (key == UpdateKey)
            {
                _update = JsonSerializer.Deserialize(value, FirmwareJsonContext.Default.FirmwareUpdateRecord);
            }
            else if (key == LastKey)
            {
                _last = JsonSerializer.Deserialize(value, FirmwareJsonContext.Default.FirmwareLastStatus);
            }
        }

        if (_update is not { } update)
        {
            return;
        }

        switch (update.Phase)
        {
            case FirmwarePhase.Rebooting:
                // Rebooted after the installation: report Installed (once the boot is accepted) and the security event.
                _update = update with { Phase = FirmwarePhase.Installed };
                Save(_update);
                _engine.SecurityEvents.Report("FirmwareUpdated", $"Firmware from request {update.RequestId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "UpdateFirmware"} installed");
                ReportInstalled();
                break;
            case FirmwarePhase.Installed:
                ReportInstalled();
                break;
            case FirmwarePhase.Installing:
                // The installation was cut by a power loss.
                Send(SignedFirmwareStatus.InstallationFailed);
                End();
                break;
            case FirmwarePhase.Downloaded when update.File is { } file && File.Exists(file):
                ScheduleInstall();
                break;
            default:
                Save(update with { Phase = FirmwarePhase.Scheduled, File = null });
                ScheduleDownload();
                break;
        }
    }

    /// <summary>
    /// Takes a new update (saved before the answer; <see cref="Begin"/> after it): Accepted, AcceptedCanceled when it
    /// replaces one under way, Rejected while an installation runs.
    /// </summary>
    /// <exception cref="ChargePointStorageException">Nothing was saved: the update is not taken.</exception>
    public UpdateFirmwareStatus Take(FirmwareUpdateRecord update)
    {
        var status = UpdateFirmwareStatus.Accepted;
        if (_update is { } current)
        {
            if (current.Phase >= FirmwarePhase.Installing)
            {
                return UpdateFirmwareStatus.Rejected;
            }

            Cancel();
            status = UpdateFirmwareStatus.AcceptedCanceled;
        }

        Save(update, throwOnFailure: true);
        _update = update;
        _attempt = 0;
        _downloadingSent = _installScheduledSent = _downloadScheduledSent = false;
        return status;
    }

    /// <summary>Starts the update taken by <see cref="Take"/> (after its answer is on the wire).</summary>
    public void Begin()
    {
        if (_update is { Phase: FirmwarePhase.Scheduled })
        {
            ScheduleDownload();
        }
    }

    /// <summary>
    /// The status a triggered notification reports. UpdateFirmware (TriggerMessage, OCPP 1.6 §4.5): the status of the
    /// update under way, else Idle. Signed (ExtendedTriggerMessage): the last status sent, Idle when that was Installed
    /// or none was sent.
    /// </summary>
    public (SignedFirmwareStatus Status, int? RequestId) Triggered(bool signed)
    {
        if (!signed)
        {
            return _update is { Signed: false } && _last is { Signed: false } last ? (last.Status, null) : (SignedFirmwareStatus.Idle, null);
        }

        return _last is { Signed: true } l && l.Status != SignedFirmwareStatus.Installed ? (l.Status, l.RequestId) : (SignedFirmwareStatus.Idle, null);
    }

    // ------------------------------------------------------------------ transactions

    void ITransactionObserver.OnStarted(Core.JournalTransaction transaction, Engine.TransactionStarting start)
    {
        if (_running is { } running && _update is { Phase: FirmwarePhase.Downloading } && !_engine.Options.FirmwareDownloadDuringTransactions)
        {
            // No download during a transaction: pause it, continue when the transactions have ended.
            _running = null;
            running.Cancel();
            running.Dispose();
            _waiting = Waiting.Download;
            _downloadingSent = false;
            Send(SignedFirmwareStatus.DownloadPaused);
        }
    }

    void ITransactionObserver.OnStopped(Core.JournalTransaction transaction) => _engine.Loop.Post(ContinueAfterTransactions);

    private bool TransactionsRunning => _engine.Connectors.All.Any(c => c.Transaction is not null);

    private void ContinueAfterTransactions()
    {
        if (TransactionsRunning)
        {
            return;
        }

        switch (_waiting)
        {
            case Waiting.Download:
                BeginDownload();
                break;
            case Waiting.Install:
                Install();
                break;
        }
    }

    // ------------------------------------------------------------------ download

    /// <summary>
    /// A retrieve or install date less than this ahead counts as now: the charge point's clock follows the Central
    /// System's from the last BootNotification or Heartbeat answer, behind by the network latency, so "now" sent by the
    /// Central System is a few milliseconds in the charge point's future (and would give a needless DownloadScheduled).
    /// </summary>
    private static readonly TimeSpan DueTolerance = TimeSpan.FromSeconds(1);

    private void ScheduleDownload()
    {
        var update = _update!;
        var wait = update.RetrieveDate - _engine.Now;
        if (wait >= DueTolerance)
        {
            SendDownloadScheduled();
            _timer = _engine.Loop.Schedule(wait, BeginDownload);
            return;
        }

        BeginDownload();
    }

    private void SendDownloadScheduled()
    {
        if (!_downloadScheduledSent)
        {
            _downloadScheduledSent = true;
            Send(SignedFirmwareStatus.DownloadScheduled);
        }
    }

    private void BeginDownload()
    {
        _timer = null;
        if (_update is not { } update)
        {
            return;
        }

        if (!_engine.Options.FirmwareDownloadDuringTransactions && TransactionsRunning)
        {
            _waiting = Waiting.Download;
            SendDownloadScheduled();
            return;
        }

        _waiting = Waiting.None;
        if (!_downloadingSent)
        {
            _downloadingSent = true;
            Send(SignedFirmwareStatus.Downloading);
        }

        update = update with { Phase = FirmwarePhase.Downloading };
        Save(update);
        _update = update;
        var path = Path.Combine(_engine.Options.FilesDirectory, "firmware.bin");
        if (!Uri.TryCreate(update.Location, UriKind.Absolute, out var location))
        {
            OnDownloaded(null, path, new FileTransferException(TransferFailure.NotSupported, "The location is not an absolute URL."));
            return;
        }

        var running = CancellationTokenSource.CreateLinkedTokenSource(_engine.StoppingToken);
        _running = running;
        Run(running, ct => _transfer.DownloadAsync(location, path, ct), error => OnDownloaded(running, path, error));
    }

    private void OnDownloaded(CancellationTokenSource? running, string path, Exception? error)
    {
        if (running is not null)
        {
            if (!ReferenceEquals(_running, running))
            {
                return; // Cancelled or paused meanwhile.
            }

            _running = null;
            running.Dispose();
        }

        if (_update is not { } update)
        {
            return;
        }

        if (error is null)
        {
            Send(SignedFirmwareStatus.Downloaded);
            if (update.Signed)
            {
                if (!Security.FirmwareSignature.Verify(path, update.SigningCertificate!, update.Signature!, out var reason))
                {
                    Send(SignedFirmwareStatus.InvalidSignature);
                    _engine.SecurityEvents.Report("InvalidFirmwareSignature", reason);
                    FileTransferClient.TryDelete(path);
                    End();
                    return;
                }

                Send(SignedFirmwareStatus.SignatureVerified);
            }

            update = update with { Phase = FirmwarePhase.Downloaded, File = path };
            Save(update);
            _update = update;
            ScheduleInstall();
            return;
        }

        _attempt++;
        ChargePointLog.TransferFailed(_engine.Logger, _engine.Identity, "Firmware download", _attempt, update.Attempts, error.Message);
        if (_attempt < update.Attempts && error is not FileTransferException { Failure: TransferFailure.NotSupported })
        {
            _timer = _engine.Loop.Schedule(TimeSpan.FromSeconds(update.RetryInterval), BeginDownload);
            return;
        }

        Send(SignedFirmwareStatus.DownloadFailed);
        End();
    }

    // ------------------------------------------------------------------ installation

    private void ScheduleInstall()
    {
        var update = _update!;
        if (update.InstallDate is { } at && at - _engine.Now >= DueTolerance)
        {
            SendInstallScheduled();
            _timer = _engine.Loop.Schedule(at - _engine.Now, Install);
            return;
        }

        Install();
    }

    private void SendInstallScheduled()
    {
        if (!_installScheduledSent)
        {
            _installScheduledSent = true;
            Send(SignedFirmwareStatus.InstallScheduled);
        }
    }

    private void Install()
    {
        _timer = null;
        if (_update is not { File: { } file } update)
        {
            return;
        }

        // OCPP 1.6 §5.19: wait for the transactions to end, with the connectors not in use Unavailable meanwhile.
        Block(true);
        if (TransactionsRunning)
        {
            _waiting = Waiting.Install;
            SendInstallScheduled();
            return;
        }

        _waiting = Waiting.None;
        update = update with { Phase = FirmwarePhase.Installing };
        Save(update);
        _update = update;
        _installingAnswered = false;
        _rebootWhenInstallingAnswered = null;
        Send(SignedFirmwareStatus.Installing, () =>
        {
            _installingAnswered = true;
            _rebootWhenInstallingAnswered?.Invoke();
        });
        if (_engine.Hardware.FirmwareInstaller is not { } installer)
        {
            OnInstalled(file, FirmwareInstallationResult.Failed, null);
            return;
        }

        var running = CancellationTokenSource.CreateLinkedTokenSource(_engine.StoppingToken);
        _running = running;
        var result = FirmwareInstallationResult.Failed;
        Run(running, async ct => result = await installer.InstallAsync(file, ct).ConfigureAwait(false), error =>
        {
            _running = null;
            running.Dispose();
            if (error is not null)
            {
                ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, 0, "install firmware", error);
            }

            OnInstalled(file, error is null ? result : FirmwareInstallationResult.Failed, error);
        });
    }

    private void OnInstalled(string file, FirmwareInstallationResult result, Exception? error)
    {
        FileTransferClient.TryDelete(file);
        if (_update is not { } update || error is OperationCanceledException)
        {
            return;
        }

        switch (result)
        {
            case FirmwareInstallationResult.Installed:
                Save(update with { Phase = FirmwarePhase.Rebooting, File = null });
                _update = update with { Phase = FirmwarePhase.Rebooting, File = null };
                var reboot = RebootOnce();
                if (update.Signed)
                {
                    Send(SignedFirmwareStatus.InstallRebooting, reboot);
                }
                else if (_installingAnswered)
                {
                    reboot();
                }
                else
                {
                    // UpdateFirmware has no InstallRebooting: the reboot follows the answer to Installing.
                    _rebootWhenInstallingAnswered = reboot;
                }

                break;
            case FirmwareInstallationResult.VerificationFailed:
                Send(SignedFirmwareStatus.InstallVerificationFailed);
                End();
                break;
            default:
                Send(SignedFirmwareStatus.InstallationFailed);
                End();
                break;
        }
    }

    /// <summary>The reboot after an installation: once the InstallRebooting notification is answered, or after <see cref="RebootNoticeTimeout"/>.</summary>
    private Action RebootOnce()
    {
        var done = false;
        EngineLoop.LoopTimer? fallback = null;
        void Reboot()
        {
            if (done)
            {
                return;
            }

            done = true;
            fallback?.Dispose();
            _engine.Core.Reset.Reboot(ResetType.Hard);
        }

        fallback = _engine.Loop.Schedule(RebootNoticeTimeout, Reboot);
        return Reboot;
    }

    private void ReportInstalled()
        => Send(SignedFirmwareStatus.Installed, onAnswered: () =>
        {
            // Reported: the update is over (a crash before this reports Installed again after the restart).
            if (_update is { Phase: FirmwarePhase.Installed })
            {
                _update = null;
                Delete();
            }
        });

    // ------------------------------------------------------------------ helpers

    /// <summary>Cancels the update under way (a new one replaces it).</summary>
    private void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
        if (_running is { } running)
        {
            _running = null;
            running.Cancel();
            running.Dispose();
        }

        FileTransferClient.TryDelete(_update?.File);
        _waiting = Waiting.None;
        Block(false);
    }

    /// <summary>The update is over (failed, or not to be installed).</summary>
    private void End()
    {
        Cancel();
        _update = null;
        Delete();
    }

    private void Block(bool blocked)
    {
        var changed = false;
        foreach (var c in _engine.Connectors.All.Where(c => c.BlockedForFirmware != blocked))
        {
            c.BlockedForFirmware = blocked;
            changed = true;
        }

        if (changed)
        {
            _engine.Connectors.UpdateAll();
        }
    }

    /// <summary>Runs work off the loop; its end is posted back to the loop.</summary>
    private void Run(CancellationTokenSource running, Func<CancellationToken, Task> work, Action<Exception?> completed)
    {
        _ = RunAsync();

        async Task RunAsync()
        {
            Exception? error = null;
            try
            {
                await work(running.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }

            _engine.Loop.Post(() => completed(error));
        }
    }

    /// <summary>Sends a status notification: SignedFirmwareStatusNotification for signed updates, else FirmwareStatusNotification (the statuses OCPP 1.6 has).</summary>
    private void Send(SignedFirmwareStatus status, Action? onAnswered = null)
    {
        var update = _update;
        var signed = update?.Signed ?? false;
        var last = new FirmwareLastStatus(signed, update?.RequestId, status);
        _last = last;
        _engine.TryWrite(new ChargePointStorageBatch().Put(Collection, LastKey, JsonSerializer.SerializeToUtf8Bytes(last, FirmwareJsonContext.Default.FirmwareLastStatus)), "firmware status");

        ChargePointLog.FirmwareStatus(_engine.Logger, _engine.Identity, update?.RequestId, status.ToString());
        if (signed)
        {
            _engine.Outbox.Enqueue(new OutboxCall<SignedFirmwareStatusNotificationResponse>(
                new SignedFirmwareStatusNotificationRequest { Status = status, RequestId = update!.RequestId },
                _ => onAnswered?.Invoke())
            {
                KeptOffline = true,
            });
            return;
        }

        if (ToFirmwareStatus(status) is { } unsigned)
        {
            _engine.Outbox.Enqueue(new OutboxCall<FirmwareStatusNotificationResponse>(new FirmwareStatusNotificationRequest { Status = unsigned }, _ => onAnswered?.Invoke())
            {
                KeptOffline = true,
            });
        }
        else
        {
            onAnswered?.Invoke();
        }
    }

    /// <summary>The OCPP 1.6 status of a step, or <see langword="null"/> for the steps OCPP 1.6 does not report.</summary>
    internal static FirmwareStatus? ToFirmwareStatus(SignedFirmwareStatus status) => status switch
    {
        SignedFirmwareStatus.Downloaded => FirmwareStatus.Downloaded,
        SignedFirmwareStatus.DownloadFailed => FirmwareStatus.DownloadFailed,
        SignedFirmwareStatus.Downloading => FirmwareStatus.Downloading,
        SignedFirmwareStatus.Idle => FirmwareStatus.Idle,
        SignedFirmwareStatus.InstallationFailed or SignedFirmwareStatus.InstallVerificationFailed => FirmwareStatus.InstallationFailed,
        SignedFirmwareStatus.Installing => FirmwareStatus.Installing,
        SignedFirmwareStatus.Installed => FirmwareStatus.Installed,
        _ => null,
    };

    /// <summary>Saves the update; only <see cref="Take"/> lets a failure through (the request is then not taken), later steps log it and go on.</summary>
    private void Save(FirmwareUpdateRecord update, bool throwOnFailure = false)
    {
        try
        {
            _engine.Storage.Write(new ChargePointStorageBatch().Put(Collection, UpdateKey, JsonSerializer.SerializeToUtf8Bytes(update, FirmwareJsonContext.Default.FirmwareUpdateRecord)));
        }
        catch (ChargePointStorageException e) when (!throwOnFailure)
        {
            ChargePointLog.StateWriteFailed(_engine.Logger, _engine.Identity, "firmware update", e);
        }
    }

    private void Delete()
    {
        _engine.TryWrite(new ChargePointStorageBatch().Delete(Collection, UpdateKey), "firmware update");
    }
}
