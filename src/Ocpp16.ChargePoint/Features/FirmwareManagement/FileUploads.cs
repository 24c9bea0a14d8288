using Ocpp16.ChargePoint.Engine;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.FirmwareManagement;

/// <summary>What is uploaded: diagnostics (GetDiagnostics) or a log (GetLog, with its requestId).</summary>
internal enum UploadKind
{
    Diagnostics,
    Log,
}

/// <summary>
/// Uploads of diagnostics (GetDiagnostics, OCPP 1.6 §5.9: DiagnosticsStatusNotification Uploading, Uploaded,
/// UploadFailed) and logs (GetLog, Security Whitepaper N01: LogStatusNotification with the requestId: Uploading,
/// Uploaded, UploadFailure, PermissionDenied, NotSupportedOperation, BadMessage), each with retries and a retry interval;
/// one upload of each kind at a time (a new request cancels the one under way). The transfer runs off the loop. Not
/// persisted: an upload cut by a restart is not resumed (a triggered notification then reports Idle). Owned by the loop.
/// </summary>
internal sealed class FileUploads(ChargePointEngine engine, IFileTransfer transfer)
{
    /// <summary>Retries when the request gives none.</summary>
    internal const int DefaultRetries = 2;

    /// <summary>Seconds between attempts when the request gives no retryInterval.</summary>
    internal const int DefaultRetryInterval = 60;

    private readonly Dictionary<UploadKind, Job> _jobs = [];

    /// <summary>The status a triggered notification reports: Uploading (with its requestId) while an upload runs, else Idle.</summary>
    public (bool Uploading, int? RequestId) Triggered(UploadKind kind) => _jobs.TryGetValue(kind, out var job) ? (true, job.RequestId) : (false, null);

    /// <summary>Whether an upload of <paramref name="kind"/> runs.</summary>
    public bool IsBusy(UploadKind kind) => _jobs.ContainsKey(kind);

    /// <summary>
    /// Starts an upload (call after the answer is on the wire). <paramref name="location"/> is the request's text: not an
    /// absolute URL is BadMessage, an unsupported scheme NotSupportedOperation (GetLog; GetDiagnostics reports UploadFailed).
    /// </summary>
    public void Start(UploadKind kind, int? requestId, string location, string file, string fileName, int? retries, int? retryInterval, bool deleteAfter)
    {
        Cancel(kind);
        var job = new Job(kind, requestId, file, fileName, 1 + Math.Max(0, retries ?? DefaultRetries), Math.Max(0, retryInterval ?? DefaultRetryInterval), deleteAfter);
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            Finish(job, kind == UploadKind.Log ? UploadLogStatus.BadMessage : UploadLogStatus.UploadFailure);
            return;
        }

        if (!transfer.Protocols.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            Finish(job, UploadLogStatus.NotSupportedOperation);
            return;
        }

        job.Location = uri;
        _jobs[kind] = job;
        Send(job, UploadLogStatus.Uploading);
        Attempt(job);
    }

    private void Attempt(Job job)
    {
        job.Timer = null;
        var running = CancellationTokenSource.CreateLinkedTokenSource(engine.StoppingToken);
        job.Running = running;
        _ = RunAsync();

        async Task RunAsync()
        {
            Exception? error = null;
            try
            {
                await transfer.UploadAsync(job.Location!, job.File, job.FileName, running.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }

            engine.Loop.Post(() => OnAttempted(job, running, error));
        }
    }

    private void OnAttempted(Job job, CancellationTokenSource running, Exception? error)
    {
        running.Dispose();
        if (!ReferenceEquals(job.Running, running) || !_jobs.TryGetValue(job.Kind, out var current) || !ReferenceEquals(current, job))
        {
            return; // Cancelled meanwhile.
        }

        job.Running = null;
        if (error is null)
        {
            Finish(job, UploadLogStatus.Uploaded);
            return;
        }

        job.Attempt++;
        ChargePointLog.TransferFailed(engine.Logger, engine.Identity, job.Kind == UploadKind.Log ? "Log upload" : "Diagnostics upload", job.Attempt, job.Attempts, error.Message);
        var failure = (error as FileTransferException)?.Failure ?? TransferFailure.Failed;
        if (job.Attempt < job.Attempts && failure == TransferFailure.Failed)
        {
            job.Timer = engine.Loop.Schedule(TimeSpan.FromSeconds(job.RetryInterval), () => Attempt(job));
            return;
        }

        Finish(job, failure switch
        {
            TransferFailure.PermissionDenied => UploadLogStatus.PermissionDenied,
            TransferFailure.NotSupported => UploadLogStatus.NotSupportedOperation,
            _ => UploadLogStatus.UploadFailure,
        });
    }

    private void Finish(Job job, UploadLogStatus status)
    {
        if (_jobs.TryGetValue(job.Kind, out var current) && ReferenceEquals(current, job))
        {
            _jobs.Remove(job.Kind);
        }

        Send(job, status);
        if (job.DeleteAfter)
        {
            FileTransferClient.TryDelete(job.File);
        }
    }

    /// <summary>Cancels the upload of <paramref name="kind"/> under way, if any.</summary>
    /// <returns>Whether one was cancelled.</returns>
    public bool Cancel(UploadKind kind)
    {
        if (!_jobs.Remove(kind, out var job))
        {
            return false;
        }

        job.Timer?.Dispose();
        if (job.Running is { } running)
        {
            job.Running = null;
            running.Cancel();
        }

        if (job.DeleteAfter)
        {
            FileTransferClient.TryDelete(job.File);
        }

        return true;
    }

    /// <summary>DiagnosticsStatusNotification (the OCPP 1.6 statuses) or LogStatusNotification with the requestId.</summary>
    private void Send(Job job, UploadLogStatus status)
    {
        ChargePointLog.UploadStatus(engine.Logger, engine.Identity, job.Kind.ToString(), job.RequestId, status.ToString());
        if (job.Kind == UploadKind.Log)
        {
            engine.Outbox.Enqueue(new OutboxCall<LogStatusNotificationResponse>(new LogStatusNotificationRequest { Status = status, RequestId = job.RequestId }) { KeptOffline = true });
            return;
        }

        var diagnostics = status switch
        {
            UploadLogStatus.Uploading => DiagnosticsStatus.Uploading,
            UploadLogStatus.Uploaded => DiagnosticsStatus.Uploaded,
            _ => DiagnosticsStatus.UploadFailed,
        };
        engine.Outbox.Enqueue(new OutboxCall<DiagnosticsStatusNotificationResponse>(new DiagnosticsStatusNotificationRequest { Status = diagnostics }) { KeptOffline = true });
    }

    private sealed class Job(UploadKind kind, int? requestId, string file, string fileName, int attempts, int retryInterval, bool deleteAfter)
    {
        public UploadKind Kind { get; } = kind;

        public int? RequestId { get; } = requestId;

        public string File { get; } = file;

        public string FileName { get; } = fileName;

        public int Attempts { get; } = attempts;

        public int RetryInterval { get; } = retryInterval;

        public bool DeleteAfter { get; } = deleteAfter;

        public Uri? Location { get; set; }

        public int Attempt { get; set; }

        public CancellationTokenSource? Running { get; set; }

        public EngineLoop.LoopTimer? Timer { get; set; }
    }
}
