using System.Threading.Channels;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint;

public sealed partial class ChargePoint
{
    /// <summary>
    /// The single ordered queue of outgoing CALLs (everything but BootNotification). Transaction messages survive
    /// disconnects and are retried; other messages are dropped when the connection is lost (statuses are re-sent
    /// after reconnecting).
    /// </summary>
    private sealed class Outbox(ChargePoint owner)
    {
        private static readonly System.Text.Json.JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly Lock _gate = new();
        private readonly LinkedList<Item> _items = new();
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public void Enqueue<TResponse>(
            Func<IOcppRequest<TResponse>> build,
            bool transactional,
            Action<TResponse>? onResponse,
            Action<TResponse?, Exception?>? onCompleted = null)
            where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
        {
            var item = new Item
            {
                Transactional = transactional,
                Send = async (connection, ct) =>
                {
                    var request = build();
                    var response = await OcppTypedRpc.CallAsync(connection, request, owner.Validation, owner, null, ct).ConfigureAwait(false);
                    onResponse?.Invoke(response);
                    return (request.Action, response);
                },
                Complete = onCompleted is null ? null : (r, e) => onCompleted(r as TResponse, e),
            };
            Add(item);
        }

        private void Add(Item item)
        {
            lock (_gate)
            {
                _items.AddLast(item);
            }

            Wake();
        }

        /// <summary>
        /// Queues a transaction message durably: it is written to the store first and removed only once delivered (or
        /// given up after TransactionMessageAttempts CALLERRORs). Its transactionId is filled in when it is sent.
        /// </summary>
        public void EnqueueTransactionMessage(IOcppRequest request, ActiveTransaction transaction, Action<IOcppResponse?, Exception?>? onCompleted = null)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, WriterOptions))
            {
                request.WriteTo(writer);
            }

            var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            var sequence = owner._store.Enqueue(request.Action, json, transaction.LocalId);
            Add(CreateDurableItem(new Persistence.StoredMessage(sequence, request.Action, json, transaction.LocalId), transaction, onCompleted));
        }

        /// <summary>Re-queues a message loaded from the store after a restart.</summary>
        public void Restore(Persistence.StoredMessage message, ActiveTransaction transaction)
            => Add(CreateDurableItem(message, transaction, null));

        private Item CreateDurableItem(Persistence.StoredMessage message, ActiveTransaction transaction, Action<IOcppResponse?, Exception?>? onCompleted)
            => new()
            {
                Transactional = true,
                Sequence = message.Sequence,
                Complete = onCompleted,
                Send = async (connection, ct) =>
                {
                    if (!OcppActions.TryGet(message.Action, out var action)
                        || !action.ReadRequest(System.Text.Encoding.UTF8.GetBytes(message.PayloadJson), owner.Validation.For(message.Action, OcppPayloadDirection.Sent), out var payload, out _))
                    {
                        throw new ArgumentException($"Stored {message.Action} message is not valid.");
                    }

                    // The TransactionId is known only once StartTransaction.conf has arrived, possibly after a restart.
                    switch (payload)
                    {
                        case MeterValuesRequest meterValues when transaction.TransactionId is { } id:
                            meterValues.TransactionId = id;
                            break;
                        case StopTransactionRequest stop when transaction.TransactionId is { } id:
                            stop.TransactionId = id;
                            break;
                    }

                    var result = await connection.CallAsync(message.Action, payload, null, ct).ConfigureAwait(false);
                    var response = (IOcppResponse)OcppTypedRpc.ReadResult(action, result, owner.Validation);
                    owner.OnTransactionMessageDelivered(transaction, response);
                    return (message.Action, response);
                },
            };

        public void Wake() => _signal.Writer.TryWrite(true);

        /// <summary>Waits until nothing is queued, at most <paramref name="timeout"/>.</summary>
        public async Task WaitUntilDrainedAsync(TimeSpan timeout)
        {
            var deadline = owner.Time.GetUtcNow() + timeout;
            while (owner.Time.GetUtcNow() < deadline)
            {
                lock (_gate)
                {
                    if (_items.Count == 0)
                    {
                        return;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), owner.Time).ConfigureAwait(false);
            }
        }

        public void OnDisconnected()
        {
            List<Item> dropped = [];
            lock (_gate)
            {
                for (var node = _items.First; node is not null;)
                {
                    var next = node.Next;
                    if (!node.Value.Transactional)
                    {
                        dropped.Add(node.Value);
                        _items.Remove(node);
                    }

                    node = next;
                }
            }

            foreach (var item in dropped)
            {
                item.Complete?.Invoke(null, new OcppConnectionClosedException("The connection closed before the message was sent."));
            }
        }

        public async Task RunAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                Item? item;
                OcppRpcConnection? connection;
                lock (_gate)
                {
                    item = _items.First?.Value;
                }

                connection = owner.CurrentConnection;
                if (item is null || connection is null || !owner.IsReadyToSend)
                {
                    await WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    var (_, response) = await item.Send(connection, ct).ConfigureAwait(false);
                    Remove(item);
                    item.Complete?.Invoke(response, null);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (OcppConnectionClosedException e)
                {
                    if (!item.Transactional)
                    {
                        Remove(item);
                        item.Complete?.Invoke(null, e);
                    }

                    // Transaction messages wait for the next connection.
                    await WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OcppException or ArgumentException)
                {
                    if (!item.Transactional || e is ArgumentException)
                    {
                        ChargePointLog.CallFailed(owner.Logger, owner.Identity, e is OcppException ? "CALL" : "request", e.Message);
                        Remove(item);
                        item.Complete?.Invoke(null, e);
                        continue;
                    }

                    // OCPP 1.6 §4.10: retry transaction messages TransactionMessageAttempts times, waiting
                    // TransactionMessageRetryInterval × attempt between tries; a timeout is retried likewise.
                    item.Attempts++;
                    var maxAttempts = Math.Max(1, owner.Configuration.GetInt32("TransactionMessageAttempts"));
                    ChargePointLog.TransactionMessageRetry(owner.Logger, owner.Identity, "transaction message", item.Attempts, maxAttempts, e.Message);
                    if (item.Attempts >= maxAttempts && e is not OcppTimeoutException)
                    {
                        Remove(item);
                        item.Complete?.Invoke(null, e);
                        continue;
                    }

                    var interval = owner.Configuration.GetInt32("TransactionMessageRetryInterval");
                    await owner.DelayAsync(TimeSpan.FromSeconds(Math.Max(1, interval) * item.Attempts), ct).ConfigureAwait(false);
                }
            }
        }

        private void Remove(Item item)
        {
            lock (_gate)
            {
                _items.Remove(item);
            }

            if (item.Sequence is { } sequence)
            {
                owner._store.Remove(sequence);
            }
        }

        private async Task WaitAsync(TimeSpan max, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(max);
            try
            {
                await _signal.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Timed out or stopping: the caller re-checks.
            }
        }

        private sealed class Item
        {
            public required bool Transactional { get; init; }

            public required Func<OcppRpcConnection, CancellationToken, Task<(string Action, IOcppResponse Response)>> Send { get; init; }

            public Action<IOcppResponse?, Exception?>? Complete { get; init; }

            /// <summary>The store's sequence number of a durable transaction message.</summary>
            public long? Sequence { get; init; }

            public int Attempts { get; set; }
        }
    }
}
