namespace Ocpp16.ChargePoint.Persistence;

/// <summary>
/// The durable state of a charge point, as records in named collections (the transaction journal, configuration
/// values, connector availability, the authorization cache, and the state of each feature profile). The engine
/// writes every state change together with the message it causes or settles as one <see cref="ChargePointStorageBatch"/>,
/// so a crash or power loss at any moment leaves either the whole change or none of it (OCPP 1.6 §4.10: transaction
/// messages are never lost). Replace it to keep the state elsewhere (a flash file system, an embedded database); the
/// default is <see cref="SqliteChargePointStorage"/> with <see cref="ChargePointOptions.DataDirectory"/>, else
/// <see cref="InMemoryChargePointStorage"/>.
/// </summary>
/// <remarks>
/// Implementations must be safe to call from one thread at a time (the engine serializes all calls on its loop) and
/// must not keep references to the byte arrays they are given or return. Values are opaque UTF-8 JSON documents; keys
/// are short ASCII strings.
/// </remarks>
public interface IChargePointStorage : IDisposable
{
    /// <summary>Reads every record of a collection.</summary>
    /// <param name="collection">The collection name, e.g. <c>"tx"</c> (ASCII, at most 64 characters).</param>
    /// <returns>The records, ordered by key (ordinal); empty when the collection has none.</returns>
    /// <exception cref="ChargePointStorageException">The storage could not be read.</exception>
    IReadOnlyList<KeyValuePair<string, byte[]>> Load(string collection);

    /// <summary>
    /// Applies every write of <paramref name="batch"/> atomically and durably: when this returns, all of them survive a
    /// power loss; when it throws, none of them was applied.
    /// </summary>
    /// <param name="batch">The writes, applied in order (a later write of the same key wins).</param>
    /// <exception cref="ChargePointStorageException">Nothing was written (disk full, I/O error, storage closed).</exception>
    void Write(ChargePointStorageBatch batch);
}

/// <summary>One write of a <see cref="ChargePointStorageBatch"/>.</summary>
/// <param name="Kind">Put, delete one key, or clear the collection.</param>
/// <param name="Collection">The collection name.</param>
/// <param name="Key">The record key (empty for <see cref="ChargePointStorageWriteKind.Clear"/>).</param>
/// <param name="Value">The value to put (<see langword="null"/> for a delete or clear).</param>
public readonly record struct ChargePointStorageWrite(ChargePointStorageWriteKind Kind, string Collection, string Key, byte[]? Value);

/// <summary>The kind of a <see cref="ChargePointStorageWrite"/>.</summary>
public enum ChargePointStorageWriteKind
{
    /// <summary>Insert or replace the record.</summary>
    Put,

    /// <summary>Delete the record, if present.</summary>
    Delete,

    /// <summary>Delete every record of the collection.</summary>
    Clear,
}

/// <summary>
/// Writes to apply together (see <see cref="IChargePointStorage.Write"/>): the unit of atomicity of the charge point's
/// durable state. Built by the engine, one per state change.
/// </summary>
public sealed class ChargePointStorageBatch
{
    private readonly List<ChargePointStorageWrite> _writes = [];

    /// <summary>The writes, in the order they were added.</summary>
    public IReadOnlyList<ChargePointStorageWrite> Writes => _writes;

    /// <summary>Whether the batch holds no write.</summary>
    public bool IsEmpty => _writes.Count == 0;

    /// <summary>Inserts or replaces a record.</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="key">The record key.</param>
    /// <param name="value">The value (UTF-8 JSON); the batch keeps this array.</param>
    /// <returns>This batch.</returns>
    public ChargePointStorageBatch Put(string collection, string key, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _writes.Add(new ChargePointStorageWrite(ChargePointStorageWriteKind.Put, collection, key, value));
        return this;
    }

    /// <summary>Deletes a record (nothing happens when it does not exist).</summary>
    /// <param name="collection">The collection name.</param>
    /// <param name="key">The record key.</param>
    /// <returns>This batch.</returns>
    public ChargePointStorageBatch Delete(string collection, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(key);
        _writes.Add(new ChargePointStorageWrite(ChargePointStorageWriteKind.Delete, collection, key, null));
        return this;
    }

    /// <summary>Deletes every record of a collection.</summary>
    /// <param name="collection">The collection name.</param>
    /// <returns>This batch.</returns>
    public ChargePointStorageBatch Clear(string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        _writes.Add(new ChargePointStorageWrite(ChargePointStorageWriteKind.Clear, collection, string.Empty, null));
        return this;
    }
}

/// <summary>The charge point's storage failed; the state change it was part of did not happen.</summary>
public sealed class ChargePointStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChargePointStorageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public ChargePointStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The storage's own error (e.g. a <c>SqliteException</c>).</param>
    public ChargePointStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
