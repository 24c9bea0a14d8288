using System.Globalization;

namespace Ocpp16.CentralSystem.Toolkit;

/// <summary>
/// Allocates the transactionId answered to StartTransaction (OCPP 1.6 §4.8). An id must never be reused, not even
/// after a restart of the Central System: charge points queue transaction messages while offline and send them with the
/// id they were given (§3.3.1), so a reused id mixes two transactions. A building block: implement it over your database
/// (a sequence), or use <see cref="FileTransactionIdAllocator"/>.
/// </summary>
public interface ITransactionIdAllocator
{
    /// <summary>Allocates the next transaction id.</summary>
    /// <param name="cancellationToken">Cancels the allocation.</param>
    /// <returns>A positive id never returned before by this allocator or its predecessors on the same storage.</returns>
    ValueTask<int> NextAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A durable <see cref="ITransactionIdAllocator"/> in one small file: ids are handed out from blocks of
/// <see cref="BlockSize"/>, and the end of each block is written (to a temporary file, flushed, then renamed over the
/// old one) before the first id of the block is returned. After a restart allocation continues after the last block
/// reserved, so ids are never reused; at most <see cref="BlockSize"/> − 1 ids are skipped per restart. Thread-safe.
/// </summary>
public sealed class FileTransactionIdAllocator : ITransactionIdAllocator, IDisposable
{
    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _blockEnd;

    /// <summary>Opens (or creates) the allocator's file.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="blockSize">Ids reserved per write. Default 100; 1 to 1 000 000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is out of range.</exception>
    /// <exception cref="InvalidDataException">The file exists but does not hold a number.</exception>
    public FileTransactionIdAllocator(string path, int blockSize = 100)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSize, 1_000_000);
        _path = Path.GetFullPath(path);
        BlockSize = blockSize;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (File.Exists(_path))
        {
            var text = File.ReadAllText(_path).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var reserved) || reserved < 0)
            {
                throw new InvalidDataException($"{_path} does not hold a transaction id.");
            }

            _next = reserved + 1;
            _blockEnd = reserved;
        }
        else
        {
            _next = 1;
            _blockEnd = 0;
        }
    }

    /// <summary>Ids reserved per write.</summary>
    public int BlockSize { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The ids are exhausted (beyond <see cref="int.MaxValue"/>).</exception>
    public async ValueTask<int> NextAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_next > _blockEnd)
            {
                var end = Math.Min((long)int.MaxValue, _next + BlockSize - 1);
                if (_next > end)
                {
                    throw new InvalidOperationException("Transaction ids are exhausted (OCPP 1.6 transactionId is a 32-bit integer).");
                }

                await WriteReservedAsync(end, cancellationToken).ConfigureAwait(false);
                _blockEnd = end;
            }

            return (int)_next++;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the lock object.</summary>
    public void Dispose() => _gate.Dispose();

    private async Task WriteReservedAsync(long reserved, CancellationToken cancellationToken)
    {
        var temporary = _path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(reserved.ToString(CultureInfo.InvariantCulture));
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
