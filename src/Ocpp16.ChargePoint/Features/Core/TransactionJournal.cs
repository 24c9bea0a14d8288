using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>A transaction known to the journal: running, or stopped with messages still to deliver. Owned by the loop.</summary>
internal sealed class JournalTransaction(TransactionRecord record)
{
    public TransactionRecord Record { get; set; } = record;

    public int LocalId => Record.LocalId;

    public int ConnectorId => Record.ConnectorId;

    public int? TransactionId => Record.TransactionId;

    public bool Stopped => Record.Stopped;

    /// <summary>The samples of StopTransaction.transactionData so far, in order (journaled in <c>txdata</c>).</summary>
    public List<(string Key, MeterValue Value)> Data { get; } = [];

    /// <summary>Messages of this transaction still in the journal.</summary>
    public int QueuedMessages { get; set; }

    /// <summary>The periodic sampling timer (Metering).</summary>
    public EngineLoop.LoopTimer? SampleTimer { get; set; }
}

/// <summary>One journaled transaction message, queued in the durable lane of the outbox.</summary>
internal sealed class JournalMessage : OutboxItem
{
    private readonly TransactionJournal _journal;

    public JournalMessage(TransactionJournal journal, MessageRecord record, JournalTransaction transaction, IOcppRequest request)
        : base(record.Action, OutboxLane.Durable)
    {
        _journal = journal;
        Record = record;
        Transaction = transaction;
        Request = request;
        KeptOffline = true;
    }

    public MessageRecord Record { get; set; }

    public JournalTransaction Transaction { get; }

    /// <summary>The typed request (its TransactionId is set when it is sent).</summary>
    public IOcppRequest Request { get; }

    public override IOcppRequest? BuildRequest() => _journal.PrepareForSending(this);

    public override Task<IOcppResponse> SendAsync(OcppRpcConnection connection, IOcppRequest request, OcppValidationPolicy policy, IOcppViolationSink sink, CancellationToken cancellationToken)
        => Outbox.CallUntypedAsync(connection, request, policy, sink, cancellationToken);

    public override void OnResponse(IOcppResponse response) => _journal.OnDelivered(this, response);

    public override bool OnFailure(Exception error) => _journal.OnAttemptFailed(this, error);
}

/// <summary>
/// The transaction journal (OCPP 1.6 §4.10): every transaction event — a start, each meter sample, a stop, and each
/// answer of the Central System (the assigned TransactionId, a delivery) — is one atomic storage write of the state
/// change together with the message it causes or settles. The durable lane of the outbox is derived from it: after
/// a crash or power loss every undelivered message is queued again, in order, byte for byte as first built (so a
/// Central System can recognise a message sent just before the crash), with its TransactionId filled in when sent.
/// </summary>
internal sealed class TransactionJournal
{
    public const string TransactionsCollection = "tx";
    public const string MessagesCollection = "txmsg";
    public const string DataCollection = "txdata";

    private readonly ChargePointEngine _engine;
    private readonly Dictionary<int, JournalTransaction> _transactions = [];
    private int _nextLocalId = 1;
    private long _nextSequence = 1;

    public TransactionJournal(ChargePointEngine engine) => _engine = engine;

    /// <summary>Raised (on the loop) when StartTransaction.conf was journaled.</summary>
    public event Action<JournalTransaction, StartTransactionResponse>? StartConfirmed;

    /// <summary>Raised (on the loop) when StopTransaction.conf was journaled (the transaction is then forgotten).</summary>
    public event Action<JournalTransaction, StopTransactionResponse>? StopConfirmed;

    /// <summary>Every transaction the journal holds, in local id order.</summary>
    public IEnumerable<JournalTransaction> Transactions => _transactions.Values.OrderBy(t => t.LocalId);

    /// <summary>The transaction with a TransactionId, if the journal holds it.</summary>
    public JournalTransaction? FindByTransactionId(int transactionId)
        => _transactions.Values.FirstOrDefault(t => t.TransactionId == transactionId);

    /// <summary>Whether a StartTransaction is on the wire now (its TransactionId may be about to arrive).</summary>
    public bool IsStartInFlight => _engine.Outbox.InFlight is JournalMessage { Request: StartTransactionRequest };

    // ------------------------------------------------------------------ load

    /// <summary>
    /// Loads the journal (converting the tables of older schemas once) and queues every undelivered message in order.
    /// Returns the transactions that were running when the charge point went down.
    /// </summary>
    public IReadOnlyList<JournalTransaction> Load()
    {
        var storage = _engine.Storage;
        ConvertLegacy(storage);
        foreach (var (_, value) in storage.Load(TransactionsCollection))
        {
            var record = JsonSerializer.Deserialize(value, JournalJsonContext.Default.TransactionRecord)!;
            _transactions[record.LocalId] = new JournalTransaction(record);
            _nextLocalId = Math.Max(_nextLocalId, record.LocalId + 1);
        }

        foreach (var (key, value) in storage.Load(DataCollection))
        {
            var localId = int.Parse(key.AsSpan(0, key.IndexOf('.', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            if (_transactions.TryGetValue(localId, out var tx) && MeterValuesRequest.TryRead(value, null, out var wrapper, out _) && wrapper.MeterValue.Count > 0)
            {
                tx.Data.Add((key, wrapper.MeterValue[0]));
            }
        }

        var orphans = new ChargePointStorageBatch();
        var messages = new List<JournalMessage>();
        foreach (var (key, value) in storage.Load(MessagesCollection))
        {
            var record = JsonSerializer.Deserialize(value, JournalJsonContext.Default.MessageRecord)!;
            _nextSequence = Math.Max(_nextSequence, record.Sequence + 1);
            if (!_transactions.TryGetValue(record.LocalTransactionId, out var tx)
                || !OcppActions.TryGet(record.Action, out var action)
                || !action.ReadRequest(Encoding.UTF8.GetBytes(record.Payload), OcppValidationOptions.Strict, out var request, out _))
            {
                ChargePointLog.JournalRecordDropped(_engine.Logger, _engine.Identity, record.Action, record.LocalTransactionId);
                orphans.Delete(MessagesCollection, key);
                continue;
            }

            tx.QueuedMessages++;
            messages.Add(new JournalMessage(this, record, tx, (IOcppRequest)request));
        }

        // A transaction whose StopTransaction was delivered but whose record survived (older schemas): forget it.
        foreach (var tx in _transactions.Values.Where(t => t.Stopped && t.QueuedMessages == 0).ToList())
        {
            orphans.Delete(TransactionsCollection, Key(tx.LocalId));
            _transactions.Remove(tx.LocalId);
        }

        if (!orphans.IsEmpty)
        {
            storage.Write(orphans);
        }

        foreach (var message in messages)
        {
            _engine.Outbox.Enqueue(message);
        }

        return [.. _transactions.Values.Where(t => !t.Stopped).OrderBy(t => t.LocalId)];
    }

    /// <summary>Moves the rows of schema versions 1 and 2 (see <see cref="SqliteChargePointStorage"/>) into the journal, in one write.</summary>
    private void ConvertLegacy(IChargePointStorage storage)
    {
        var legacyTransactions = storage.Load("legacy.transactions");
        var legacyMessages = storage.Load("legacy.outbox");
        if (legacyTransactions.Count == 0 && legacyMessages.Count == 0)
        {
            return;
        }

        var batch = new ChargePointStorageBatch();
        foreach (var (_, value) in legacyTransactions)
        {
            var old = JsonSerializer.Deserialize(value, StorageJsonContext.Default.LegacyTransactionRecord)!;
            var record = new TransactionRecord
            {
                LocalId = old.LocalId,
                ConnectorId = old.ConnectorId,
                IdTag = old.IdTag,
                MeterStart = old.MeterStart,
                MeterStartReported = MeterRegister.Reported(old.MeterStart),
                StartTime = old.StartTime,
                TransactionId = old.TransactionId,
                Stopped = !old.Active,
                LastMeter = old.LastMeter ?? old.MeterStart,
                LastMeterTime = old.LastMeterTime ?? old.StartTime,
            };
            batch.Put(TransactionsCollection, Key(record.LocalId), JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.TransactionRecord));
        }

        var sequence = 1L;
        foreach (var (_, value) in legacyMessages)
        {
            var old = JsonSerializer.Deserialize(value, StorageJsonContext.Default.LegacyOutboxRecord)!;
            var record = new MessageRecord(sequence, old.LocalTransactionId, old.Action, old.Payload, 0);
            batch.Put(MessagesCollection, SequenceKey(sequence++), JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.MessageRecord));
        }

        batch.Clear("legacy.transactions").Clear("legacy.outbox");
        storage.Write(batch);
    }

    // ------------------------------------------------------------------ events

    /// <summary>The local id the next <see cref="Start"/> gives its transaction.</summary>
    public int NextLocalId => _nextLocalId;

    /// <summary>
    /// Journals a start and queues its StartTransaction (one write, together with <paramref name="with"/>: the state
    /// changes of the other modules that the start causes).
    /// </summary>
    /// <exception cref="ChargePointStorageException">Nothing was journaled: the transaction did not start.</exception>
    public JournalTransaction Start(int connectorId, string idTag, string? parentIdTag, long meterStartWh, DateTimeOffset timestamp, int? reservationId, MeterValue? beginData, ChargePointStorageBatch? with = null)
    {
        var record = new TransactionRecord
        {
            LocalId = _nextLocalId,
            ConnectorId = connectorId,
            IdTag = idTag,
            ParentIdTag = parentIdTag,
            MeterStart = meterStartWh,
            MeterStartReported = MeterRegister.Reported(meterStartWh),
            StartTime = timestamp,
            ReservationId = reservationId,
            LastMeter = meterStartWh,
            LastMeterTime = timestamp,
            DataCount = beginData is null ? 0 : 1,
        };
        var request = new StartTransactionRequest
        {
            ConnectorId = connectorId,
            IdTag = idTag,
            MeterStart = record.MeterStartReported,
            ReservationId = reservationId,
            Timestamp = timestamp,
        };
        var tx = new JournalTransaction(record);
        var batch = (with ?? new ChargePointStorageBatch()).Put(TransactionsCollection, Key(record.LocalId), Serialize(record));
        if (beginData is not null)
        {
            var key = DataKey(record.LocalId, 0);
            batch.Put(DataCollection, key, OcppPayload.ToUtf8(new MeterValuesRequest { ConnectorId = connectorId, MeterValue = [beginData] }));
            tx.Data.Add((key, beginData));
        }

        var message = NewMessage(batch, tx, request);
        _engine.Storage.Write(batch);
        _nextLocalId++;
        _transactions[tx.LocalId] = tx;
        Enqueue(message);
        return tx;
    }

    /// <summary>
    /// Journals a meter sample of a running transaction: the last reading (meterStop after a power loss), the
    /// MeterValues message when <paramref name="message"/> is given, and a transactionData sample when
    /// <paramref name="data"/> is given (one write).
    /// </summary>
    /// <exception cref="ChargePointStorageException">Nothing was journaled.</exception>
    public void Sample(JournalTransaction tx, long registerWh, DateTimeOffset timestamp, MeterValue? message, MeterValue? data)
    {
        var record = tx.Record with { LastMeter = Math.Max(tx.Record.LastMeter, registerWh), LastMeterTime = timestamp, DataCount = tx.Record.DataCount + (data is null ? 0 : 1) };
        var batch = new ChargePointStorageBatch().Put(TransactionsCollection, Key(tx.LocalId), Serialize(record));
        string? dataKey = null;
        if (data is not null)
        {
            dataKey = DataKey(tx.LocalId, tx.Record.DataCount);
            batch.Put(DataCollection, dataKey, OcppPayload.ToUtf8(new MeterValuesRequest { ConnectorId = tx.ConnectorId, MeterValue = [data] }));
        }

        JournalMessage? queued = null;
        if (message is not null)
        {
            queued = NewMessage(batch, tx, new MeterValuesRequest { ConnectorId = tx.ConnectorId, TransactionId = tx.TransactionId, MeterValue = [message] });
        }

        _engine.Storage.Write(batch);
        tx.Record = record;
        if (dataKey is not null)
        {
            tx.Data.Add((dataKey, data!));
        }

        if (queued is not null)
        {
            Enqueue(queued);
        }
    }

    /// <summary>Journals a stop and queues its StopTransaction with the transactionData collected so far (one write).</summary>
    /// <exception cref="ChargePointStorageException">Nothing was journaled: the transaction still runs.</exception>
    public void Stop(JournalTransaction tx, long meterStopWh, DateTimeOffset timestamp, Reason reason, string? idTag, MeterValue? endData)
    {
        meterStopWh = Math.Max(meterStopWh, tx.Record.MeterStart);
        var record = tx.Record with
        {
            Stopped = true,
            StopReason = reason,
            MeterStop = meterStopWh,
            StopTime = timestamp,
            LastMeter = Math.Max(tx.Record.LastMeter, meterStopWh),
            LastMeterTime = timestamp,
        };
        var data = tx.Data.Select(d => d.Value).ToList();
        if (endData is not null)
        {
            data.Add(endData);
        }

        var request = new StopTransactionRequest
        {
            TransactionId = tx.TransactionId ?? 0,
            IdTag = idTag,
            MeterStop = MeterRegister.Stop(tx.Record.MeterStartReported, tx.Record.MeterStart, meterStopWh),
            Timestamp = timestamp,
            Reason = reason,
            TransactionData = data.Count > 0 ? data : null,
        };
        var batch = new ChargePointStorageBatch().Put(TransactionsCollection, Key(tx.LocalId), Serialize(record));
        foreach (var (key, _) in tx.Data)
        {
            batch.Delete(DataCollection, key);
        }

        var message = NewMessage(batch, tx, request);
        _engine.Storage.Write(batch);
        tx.Record = record;
        tx.Data.Clear();
        Enqueue(message);
    }

    /// <summary>Journals that the charge point suspended energy for an IdTag that is no longer valid.</summary>
    public void SetDeauthorized(JournalTransaction tx)
    {
        var record = tx.Record with { Deauthorized = true };
        _engine.Storage.Write(new ChargePointStorageBatch().Put(TransactionsCollection, Key(tx.LocalId), Serialize(record)));
        tx.Record = record;
    }

    // ------------------------------------------------------------------ delivery

    /// <summary>Fills in the TransactionId of MeterValues and StopTransaction; drops a message that can never get one.</summary>
    internal IOcppRequest? PrepareForSending(JournalMessage message)
    {
        var tx = message.Transaction;
        switch (message.Request)
        {
            case StartTransactionRequest start:
                return start;
            case MeterValuesRequest meterValues when tx.TransactionId is { } id:
                meterValues.TransactionId = id;
                return meterValues;
            case StopTransactionRequest stop when tx.TransactionId is { } id:
                stop.TransactionId = id;
                return stop;
            default:
                // Its StartTransaction was given up (or never journaled by an old version): no TransactionId can come.
                ChargePointLog.TransactionMessageDiscarded(_engine.Logger, _engine.Identity, message.Action, tx.LocalId, "its StartTransaction was not delivered");
                Discard(message);
                return null;
        }
    }

    internal void OnDelivered(JournalMessage message, IOcppResponse response)
    {
        var tx = message.Transaction;
        var batch = new ChargePointStorageBatch().Delete(MessagesCollection, SequenceKey(message.Record.Sequence));
        TransactionRecord? record = null;
        var forget = false;
        switch (response)
        {
            case StartTransactionResponse start:
                record = tx.Record with { TransactionId = start.TransactionId };
                batch.Put(TransactionsCollection, Key(tx.LocalId), Serialize(record));
                break;
            case StopTransactionResponse:
                batch.Delete(TransactionsCollection, Key(tx.LocalId));
                forget = true;
                break;
        }

        try
        {
            _engine.Storage.Write(batch);
        }
        catch (ChargePointStorageException e)
        {
            // Delivered, but not journaled: the message is sent again after a restart (unchanged, so it can be recognised).
            ChargePointLog.JournalWriteFailed(_engine.Logger, _engine.Identity, message.Action, e);
        }

        tx.QueuedMessages--;
        if (record is not null)
        {
            tx.Record = record;
        }

        if (forget)
        {
            _transactions.Remove(tx.LocalId);
        }

        switch (response)
        {
            case StartTransactionResponse start:
                StartConfirmed?.Invoke(tx, start);
                break;
            case StopTransactionResponse stop:
                StopConfirmed?.Invoke(tx, stop);
                break;
        }
    }

    /// <summary>
    /// A CALLERROR or timeout (OCPP 1.6 §4.10): retried after TransactionMessageRetryInterval × attempts, up to
    /// TransactionMessageAttempts attempts in all (counted in the journal, so a restart does not reset them); then given up.
    /// </summary>
    internal bool OnAttemptFailed(JournalMessage message, Exception error)
    {
        var attempts = message.Record.Attempts + 1;
        if (TransactionMessageRetries.NextAttempt(_engine, message.Action, attempts, error, message.Transaction.LocalId) is not { } notBefore)
        {
            Discard(message);
            return false;
        }

        var record = message.Record with { Attempts = attempts };
        try
        {
            _engine.Storage.Write(new ChargePointStorageBatch().Put(MessagesCollection, SequenceKey(record.Sequence), Serialize(record)));
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.JournalWriteFailed(_engine.Logger, _engine.Identity, message.Action, e);
        }

        message.Record = record;
        message.NotBefore = notBefore;
        return true;
    }

    /// <summary>Gives a message up: deleted from the journal (with its transaction, for a StopTransaction).</summary>
    private void Discard(JournalMessage message)
    {
        var tx = message.Transaction;
        var batch = new ChargePointStorageBatch().Delete(MessagesCollection, SequenceKey(message.Record.Sequence));
        TransactionRecord? record = null;
        var forget = false;
        if (message.Request is StartTransactionRequest)
        {
            record = tx.Record with { StartDiscarded = true };
            batch.Put(TransactionsCollection, Key(tx.LocalId), Serialize(record));
        }
        else if (message.Request is StopTransactionRequest)
        {
            batch.Delete(TransactionsCollection, Key(tx.LocalId));
            forget = true;
        }

        try
        {
            _engine.Storage.Write(batch);
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.JournalWriteFailed(_engine.Logger, _engine.Identity, message.Action, e);
        }

        tx.QueuedMessages--;
        if (record is not null)
        {
            tx.Record = record;
        }

        if (forget)
        {
            _transactions.Remove(tx.LocalId);
        }
    }

    private JournalMessage NewMessage(ChargePointStorageBatch batch, JournalTransaction tx, IOcppRequest request)
    {
        var record = new MessageRecord(_nextSequence, tx.LocalId, request.Action, OcppPayload.ToJson(request), 0);
        batch.Put(MessagesCollection, SequenceKey(record.Sequence), Serialize(record));
        return new JournalMessage(this, record, tx, request);
    }

    private void Enqueue(JournalMessage message)
    {
        _nextSequence = Math.Max(_nextSequence, message.Record.Sequence + 1);
        message.Transaction.QueuedMessages++;
        _engine.Outbox.Enqueue(message);
    }

    private static byte[] Serialize(TransactionRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.TransactionRecord);

    private static byte[] Serialize(MessageRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.MessageRecord);

    private static string Key(int localId) => localId.ToString("D10", CultureInfo.InvariantCulture);

    private static string DataKey(int localId, int index) => string.Create(CultureInfo.InvariantCulture, $"{localId:D10}.{index:D6}");

    private static string SequenceKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);
}
