using System.Collections.Concurrent;
using Ocpp16.ChargePoint.Features.FirmwareManagement;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>
/// File transfers on virtual time: downloads of the files put in <see cref="Files"/> and uploads recorded in
/// <see cref="Uploads"/> complete at once (synchronously, so the charge point's loop settles deterministically), unless
/// the test makes them fail (<see cref="Failure"/>) or holds downloads open (<see cref="HoldDownloads"/>).
/// </summary>
internal sealed class FakeFileTransfer : IFileTransfer
{
    private readonly ConcurrentQueue<TaskCompletionSource> _held = new();

    /// <summary>What each location serves (by the location's text).</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Every upload: location, file name, content.</summary>
    public ConcurrentQueue<(Uri Location, string FileName, byte[] Content)> Uploads { get; } = new();

    /// <summary>Every transfer attempted, in order ("GET location" or "PUT location").</summary>
    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>When set, each transfer to this location fails with this failure.</summary>
    public Func<Uri, TransferFailure?> Failure { get; set; } = _ => null;

    /// <summary>When set, downloads wait until <see cref="ReleaseDownloads"/> (or their cancellation).</summary>
    public bool HoldDownloads { get; set; }

    /// <summary>How many downloads wait.</summary>
    public int HeldDownloads => _held.Count(t => !t.Task.IsCompleted);

    public IReadOnlyList<string> Protocols { get; } = ["FTP", "HTTP", "HTTPS"];

    public void ReleaseDownloads()
    {
        HoldDownloads = false;
        while (_held.TryDequeue(out var held))
        {
            held.TrySetResult();
        }
    }

    public async Task DownloadAsync(Uri location, string destinationPath, CancellationToken cancellationToken)
    {
        Attempts.Enqueue("GET " + location);
        if (HoldDownloads)
        {
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Enqueue(held);
            try
            {
                await held.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                held.TrySetCanceled(cancellationToken);
                throw;
            }
        }

        if (Failure(location) is { } failure)
        {
            throw new FileTransferException(failure, "test: " + failure);
        }

        if (!Files.TryGetValue(location.ToString(), out var content))
        {
            throw new FileTransferException(TransferFailure.Failed, "test: 404");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.WriteAllBytes(destinationPath, content);
    }

    public Task UploadAsync(Uri location, string sourcePath, string fileName, CancellationToken cancellationToken)
    {
        Attempts.Enqueue("PUT " + location);
        if (Failure(location) is { } failure)
        {
            return Task.FromException(new FileTransferException(failure, "test: " + failure));
        }

        Uploads.Enqueue((location, fileName, File.ReadAllBytes(sourcePath)));
        return Task.CompletedTask;
    }
}
