namespace Ocpp16.ChargePoint.Persistence;

/// <summary>
/// Keeps the charge point's state in memory, as long as this object lives: the default without
/// <see cref="ChargePointOptions.DataDirectory"/>, and the store of tests. One instance may outlive several charge point
/// instances (a restart in tests keeps the state), unless disposed. Thread-safe.
/// </summary>
public sealed class InMemoryChargePointStorage : IChargePointStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, byte[]>> _collections = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>How many batches were written so far (for tests and diagnostics).</summary>
    public long WriteCount { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Load(string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _collections.TryGetValue(collection, out var records)
                ? [.. records.Select(r => new KeyValuePair<string, byte[]>(r.Key, [.. r.Value]))]
                : [];
        }
    }

    /// <inheritdoc/>
    public void Write(ChargePointStorageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ChargePointStorageException("The storage is disposed.");
            }

            foreach (var write in batch.Writes)
            {
                switch (write.Kind)
                {
                    case ChargePointStorageWriteKind.Put:
                        if (!_collections.TryGetValue(write.Collection, out var records))
                        {
                            records = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
                            _collections.Add(write.Collection, records);
                        }

                        records[write.Key] = [.. write.Value!];
                        break;
                    case ChargePointStorageWriteKind.Delete:
                        if (_collections.TryGetValue(write.Collection, out var existing))
                        {
                            existing.Remove(write.Key);
                        }

                        break;
                    case ChargePointStorageWriteKind.Clear:
                        _collections.Remove(write.Collection);
                        break;
                }
            }

            WriteCount++;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }
}
