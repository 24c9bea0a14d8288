using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>A message of the durable lane that belongs to no transaction, as journaled (collection <c>durable</c>, key = sequence).</summary>
/// <param name="Sequence">Delivery order within this queue.</param>
/// <param name="Action">The action, e.g. SecurityEventNotification.</param>
/// <param name="Payload">The OCPP request payload, sent byte for byte as first built.</param>
/// <param name="Attempts">Failed attempts so far (CALLERROR or timeout).</param>
internal sealed record DurableRecord(long Sequence, string Action, string Payload, int Attempts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DurableRecord))]
internal sealed partial class DurableJsonContext : JsonSerializerContext;

/// <summary>
/// The durable lane for messages that are not transaction messages (the critical SecurityEventNotifications of the
/// Security Whitepaper, "guaranteed delivery"): each message is written in the same atomic storage batch as the state
/// change that causes it (the security log entry), kept across disconnects and restarts, sent in order behind the
/// transaction messages of the same lane, retried like them (TransactionMessageRetryInterval × attempts, up to
/// TransactionMessageAttempts), and deleted from the storage once the Central System answered it.
/// </summary>
/// <remarks>
/// The transaction journal keeps its own order (<see cref="TransactionJournal"/>); after a restart this queue's messages
/// are queued first (it loads before the modules), then the journal's. Both are the durable lane of the one
/// <see cref="Outbox"/>, whose head alone may be on the wire.
/// </remarks>
internal sealed class DurableQueue
{
    public const string Collection = "durable";

    private readonly ChargePointEngine _engine;
    private long _nextSequence = 1;

    public DurableQueue(ChargePointEngine engine) => _engine = engine;

    /// <summary>How many messages wait (journaled, not yet answered).</summary>
    public int Count { get; private set; }

    /// <summary>Queues every journaled message again, in order (once, before the modules start).</summary>
    public void Load()
    {
        var dropped = new ChargePointStorageBatch();
        foreach (var (key, value) in _engine.Storage.Load(Collection))
        {
            DurableRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(value, DurableJsonContext.Default.DurableRecord);
            }
            catch (JsonException)
            {
                // Unreadable: dropped below.
            }

            if (record is null
                || !OcppActions.TryGet(record.Action, out var action)
                || !action.ReadRequest(Encoding.UTF8.GetBytes(record.Payload), OcppValidationOptions.Strict, out var request, out _))
            {
                ChargePointLog.JournalRecordDropped(_engine.Logger, _engine.Identity, record?.Action ?? "?", 0);
                dropped.Delete(Collection, key);
                continue;
            }

            _nextSequence = Math.Max(_nextSequence, record.Sequence + 1);
            Enqueue(new DurableMessage(this, record, (IOcppRequest)request));
        }

        if (!dropped.IsEmpty)
        {
            _engine.Storage.Write(dropped);
        }
    }

    /// <summary>
    /// Adds <paramref name="request"/> to <paramref name="batch"/>; once the batch is written, pass the result to
    /// <see cref="Enqueue"/> (so the message is queued only when it is durable).
    /// </summary>
    public DurableMessage Add(ChargePointStorageBatch batch, IOcppRequest request)
    {
        var record = new DurableRecord(_nextSequence++, request.Action, OcppPayload.ToJson(request), 0);
        batch.Put(Collection, Key(record.Sequence), Serialize(record));
        return new DurableMessage(this, record, request);
    }

    /// <summary>Queues a message whose record is written.</summary>
    public void Enqueue(DurableMessage message)
    {
        Count++;
        _engine.Outbox.Enqueue(message);
    }

    internal void OnDelivered(DurableMessage message) => Forget(message);

    /// <summary>Retried after TransactionMessageRetryInterval × attempts; given up after TransactionMessageAttempts.</summary>
    internal bool OnAttemptFailed(DurableMessage message, Exception error)
    {
        var attempts = message.Record.Attempts + 1;
        if (TransactionMessageRetries.NextAttempt(_engine, message.Action, attempts, error, localTransactionId: 0) is not { } notBefore)
        {
            Forget(message);
            return false;
        }

        var record = message.Record with { Attempts = attempts };
        try
        {
            _engine.Storage.Write(new ChargePointStorageBatch().Put(Collection, Key(record.Sequence), Serialize(record)));
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.JournalWriteFailed(_engine.Logger, _engine.Identity, message.Action, e);
        }

        message.Record = record;
        message.NotBefore = notBefore;
        return true;
    }

    private void Forget(DurableMessage message)
    {
        Count--;
        try
        {
            _engine.Storage.Write(new ChargePointStorageBatch().Delete(Collection, Key(message.Record.Sequence)));
        }
        catch (ChargePointStorageException e)
        {
            // Delivered (or given up) but still journaled: it is sent again after a restart, unchanged.
            ChargePointLog.JournalWriteFailed(_engine.Logger, _engine.Identity, message.Action, e);
        }
    }

    private static byte[] Serialize(DurableRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, DurableJsonContext.Default.DurableRecord);

    private static string Key(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>One message of the <see cref="DurableQueue"/> in the durable lane of the outbox.</summary>
internal sealed class DurableMessage : OutboxItem
{
    private readonly DurableQueue _queue;

    public DurableMessage(DurableQueue queue, DurableRecord record, IOcppRequest request)
        : base(record.Action, OutboxLane.Durable)
    {
        _queue = queue;
        Record = record;
        Request = request;
        KeptOffline = true;
    }

    public DurableRecord Record { get; set; }

    public IOcppRequest Request { get; }

    public override IOcppRequest? BuildRequest() => Request;

    public override Task<IOcppResponse> SendAsync(OcppRpcConnection connection, IOcppRequest request, OcppValidationPolicy policy, IOcppViolationSink sink, CancellationToken cancellationToken)
        => Outbox.CallUntypedAsync(connection, request, policy, sink, cancellationToken);

    public override void OnResponse(IOcppResponse response) => _queue.OnDelivered(this);

    public override bool OnFailure(Exception error) => _queue.OnAttemptFailed(this, error);
}
