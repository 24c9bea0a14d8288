namespace Ocpp16.ChargePoint.Persistence;

/// <summary>A transaction message waiting to be delivered, as persisted.</summary>
/// <param name="Sequence">Delivery order (ascending).</param>
/// <param name="Action">The OCPP action, e.g. <c>StopTransaction</c>.</param>
/// <param name="PayloadJson">The request payload as JSON.</param>
/// <param name="LocalTransactionId">The charge point's own id of the transaction the message belongs to.</param>
internal sealed record StoredMessage(long Sequence, string Action, string PayloadJson, int LocalTransactionId);

/// <summary>A transaction as persisted, from start until its StopTransaction is delivered.</summary>
internal sealed record StoredTransaction(
    int LocalId,
    int ConnectorId,
    string IdTag,
    long MeterStartWh,
    DateTimeOffset StartTime,
    int? TransactionId,
    bool Active,
    long? LastMeterWh,
    DateTimeOffset? LastMeterTime);

/// <summary>
/// Durable state of a charge point: the queue of transaction messages and the transactions they belong to, so a
/// crash or power loss never loses a transaction message (OCPP 1.6 §4.10), and the configuration values changed
/// through ChangeConfiguration (OCPP 1.6 §5.3, §9), so they survive a restart. Implementations are thread-safe.
/// </summary>
internal interface IChargePointStore : IDisposable
{
    long Enqueue(string action, string payloadJson, int localTransactionId);

    void Remove(long sequence);

    IReadOnlyList<StoredMessage> LoadMessages();

    void SaveTransaction(StoredTransaction transaction);

    void DeleteTransaction(int localId);

    IReadOnlyList<StoredTransaction> LoadTransactions();

    /// <summary>
    /// Saves the value of one configuration key (OCPP 1.6 §9), replacing any value saved for it before; durable once
    /// this returns. The caller has already checked the key and value (a known, writable key; a valid value of at most
    /// 500 characters, §5.3).
    /// </summary>
    /// <param name="key">The key name (case-sensitive), e.g. <c>HeartbeatInterval</c>.</param>
    /// <param name="value">The new value, e.g. <c>"300"</c>.</param>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The SQLite store could not write (disk full, I/O error); nothing was saved.</exception>
    void SaveConfigurationValue(string key, string value);

    /// <summary>All configuration values saved by <see cref="SaveConfigurationValue"/>: key → last saved value.</summary>
    /// <returns>The saved values (ordinal keys); empty when none was saved, or for a database from a version without them.</returns>
    IReadOnlyDictionary<string, string> LoadConfigurationValues();
}

/// <summary>The store used without a data directory: state lives as long as the process.</summary>
internal sealed class InMemoryChargePointStore : IChargePointStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, StoredMessage> _messages = [];
    private readonly Dictionary<int, StoredTransaction> _transactions = [];
    private readonly Dictionary<string, string> _configuration = new(StringComparer.Ordinal);
    private long _next;

    public long Enqueue(string action, string payloadJson, int localTransactionId)
    {
        lock (_gate)
        {
            var seq = ++_next;
            _messages[seq] = new StoredMessage(seq, action, payloadJson, localTransactionId);
            return seq;
        }
    }

    public void Remove(long sequence)
    {
        lock (_gate)
        {
            _messages.Remove(sequence);
        }
    }

    public IReadOnlyList<StoredMessage> LoadMessages()
    {
        lock (_gate)
        {
            return [.. _messages.Values];
        }
    }

    public void SaveTransaction(StoredTransaction transaction)
    {
        lock (_gate)
        {
            _transactions[transaction.LocalId] = transaction;
        }
    }

    public void DeleteTransaction(int localId)
    {
        lock (_gate)
        {
            _transactions.Remove(localId);
        }
    }

    public IReadOnlyList<StoredTransaction> LoadTransactions()
    {
        lock (_gate)
        {
            return [.. _transactions.Values.OrderBy(t => t.LocalId)];
        }
    }

    public void SaveConfigurationValue(string key, string value)
    {
        lock (_gate)
        {
            _configuration[key] = value;
        }
    }

    public IReadOnlyDictionary<string, string> LoadConfigurationValues()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_configuration, StringComparer.Ordinal);
        }
    }

    public void Dispose()
    {
    }
}
