using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>Which lane of the outbox a message travels in.</summary>
internal enum OutboxLane
{
    /// <summary>Everything but transaction messages: sent as soon as the wire is free; not kept while offline (but see <see cref="OutboxItem.KeptOffline"/>).</summary>
    Immediate,

    /// <summary>
    /// The ordered, durable transaction lane (StartTransaction, transaction MeterValues, StopTransaction, critical
    /// security events): journaled, kept across disconnects and restarts, retried; only its head may be sent.
    /// </summary>
    Durable,
}

/// <summary>Who may send what, from the registration state (OCPP 1.6 §4.2).</summary>
internal enum SendGate
{
    /// <summary>Not registered yet (no answer, or Pending): only BootNotification and what the Central System triggered.</summary>
    Pending,

    /// <summary>Rejected: only BootNotification, at the retry interval.</summary>
    Rejected,

    /// <summary>Accepted: everything.</summary>
    Accepted,
}

/// <summary>One outgoing CALL waiting in the outbox. All members are called on the loop.</summary>
internal abstract class OutboxItem
{
    protected OutboxItem(string action, OutboxLane lane)
    {
        Action = action;
        Lane = lane;
    }

    public string Action { get; }

    public OutboxLane Lane { get; }

    /// <summary>May go out before the BootNotification was accepted (BootNotification itself, triggered messages).</summary>
    public bool AllowedBeforeAccepted { get; init; }

    /// <summary>Kept in the queue while disconnected instead of failing (durable items always are).</summary>
    public bool KeptOffline { get; init; }

    /// <summary>Items with the same key replace each other while offline (StatusNotification per connector).</summary>
    public string? CoalesceKey { get; init; }

    /// <summary>Not sent before this time (the retry interval of a transaction message).</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The order of enqueueing.</summary>
    public long Sequence { get; set; }

    /// <summary>Builds the request at the moment it is sent (a transaction message then gets its TransactionId).</summary>
    /// <returns>The request, or <see langword="null"/> to drop the item without sending it.</returns>
    public abstract IOcppRequest? BuildRequest();

    /// <summary>Sends the built request and reads the typed response.</summary>
    public abstract Task<IOcppResponse> SendAsync(OcppRpcConnection connection, IOcppRequest request, OcppValidationPolicy policy, IOcppViolationSink sink, CancellationToken cancellationToken);

    /// <summary>The Central System answered with a valid CALLRESULT.</summary>
    public abstract void OnResponse(IOcppResponse response);

    /// <summary>
    /// The Central System answered CALLERROR, not in time, or with an invalid payload. Return <see langword="true"/> to
    /// keep the item queued (a retry, with <see cref="NotBefore"/> set), <see langword="false"/> to drop it.
    /// </summary>
    public abstract bool OnFailure(Exception error);

    /// <summary>The item is dropped without an answer (disconnected while not <see cref="KeptOffline"/>, or the charge point stops).</summary>
    public virtual void OnDropped(Exception reason)
    {
    }
}

/// <summary>An immediate-lane item for one typed request, with callbacks.</summary>
internal sealed class OutboxCall<TResponse> : OutboxItem
    where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
{
    private readonly Func<IOcppRequest<TResponse>?> _build;
    private readonly Action<TResponse>? _onResponse;
    private readonly Action<Exception>? _onFailure;

    public OutboxCall(IOcppRequest<TResponse> request, Action<TResponse>? onResponse = null, Action<Exception>? onFailure = null)
        : this(request.Action, () => request, onResponse, onFailure)
    {
    }

    public OutboxCall(string action, Func<IOcppRequest<TResponse>?> build, Action<TResponse>? onResponse = null, Action<Exception>? onFailure = null)
        : base(action, OutboxLane.Immediate)
    {
        _build = build;
        _onResponse = onResponse;
        _onFailure = onFailure;
    }

    public override IOcppRequest? BuildRequest() => _build();

    public override async Task<IOcppResponse> SendAsync(OcppRpcConnection connection, IOcppRequest request, OcppValidationPolicy policy, IOcppViolationSink sink, CancellationToken cancellationToken)
        => await OcppTypedRpc.CallAsync(connection, (IOcppRequest<TResponse>)request, policy, sink, null, cancellationToken).ConfigureAwait(false);

    public override void OnResponse(IOcppResponse response) => _onResponse?.Invoke((TResponse)response);

    public override bool OnFailure(Exception error)
    {
        _onFailure?.Invoke(error);
        return false;
    }

    public override void OnDropped(Exception reason) => _onFailure?.Invoke(reason);
}

/// <summary>
/// The outgoing CALLs of the charge point: one queue in enqueue order, two lanes, one CALL in flight on the wire.
/// The earliest item that may go is sent: immediate items always may; of the durable lane only the head, and not
/// while it waits for its retry interval, so nothing immediate ever waits behind a transaction message's retry.
/// Owned by the loop: every member runs on it.
/// </summary>
internal sealed class Outbox
{
    private readonly EngineLoop _loop;
    private readonly Func<DateTimeOffset> _now;
    private readonly OcppValidationPolicy _policy;
    private readonly IOcppViolationSink _sink;
    private readonly LinkedList<OutboxItem> _queue = new();
    private OutboxItem? _inFlight;
    private OcppRpcConnection? _connection;
    private EngineLoop.LoopTimer? _retryTimer;
    private TaskCompletionSource? _drained;
    private bool _stopped;
    private long _sequence;

    public Outbox(EngineLoop loop, Func<DateTimeOffset> now, OcppValidationPolicy policy, IOcppViolationSink sink)
    {
        _loop = loop;
        _now = now;
        _policy = policy;
        _sink = sink;
    }

    /// <summary>Who may send now.</summary>
    public SendGate Gate { get; set; } = SendGate.Pending;

    /// <summary>Whether a connection is open.</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>The item whose CALL is on the wire.</summary>
    public OutboxItem? InFlight => _inFlight;

    /// <summary>The queued items (including the one in flight), in order.</summary>
    public IEnumerable<OutboxItem> Items => _queue;

    /// <summary>Raised on the loop after an item was sent and settled (answered, failed or dropped); for tests and metrics.</summary>
    public event Action<OutboxItem>? Settled;

    /// <summary>Queues an item; an item kept offline with a coalesce key replaces a queued one with the same key while offline.</summary>
    /// <returns><see langword="false"/> when the item was refused (offline and not kept offline: it got <see cref="OutboxItem.OnDropped"/>).</returns>
    public bool Enqueue(OutboxItem item, bool atFront = false)
    {
        if (_connection is null && !item.KeptOffline && item.Lane == OutboxLane.Immediate)
        {
            item.OnDropped(new OcppConnectionClosedException("The charge point is offline."));
            return false;
        }

        if (item.CoalesceKey is { } key && (_connection is null || Gate != SendGate.Accepted))
        {
            RemoveQueued(i => i.CoalesceKey == key);
        }

        item.Sequence = ++_sequence;
        if (atFront)
        {
            _queue.AddFirst(item);
        }
        else
        {
            _queue.AddLast(item);
        }

        Pump();
        return true;
    }

    /// <summary>Removes queued (not in-flight) items matching <paramref name="match"/>, without callbacks.</summary>
    public int RemoveQueued(Func<OutboxItem, bool> match)
    {
        var removed = 0;
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            if (!ReferenceEquals(node.Value, _inFlight) && match(node.Value))
            {
                _queue.Remove(node);
                removed++;
            }

            node = next;
        }

        return removed;
    }

    /// <summary>A connection opened: sending may start (subject to <see cref="Gate"/>).</summary>
    public void OnConnected(OcppRpcConnection connection)
    {
        _connection = connection;
        Pump();
    }

    /// <summary>
    /// The connection closed: immediate items not kept offline are dropped; items kept offline are coalesced per key; the
    /// in-flight item settles when its call fails.
    /// </summary>
    public void OnDisconnected()
    {
        _connection = null;
        var dropped = new List<OutboxItem>();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var node = _queue.Last; node is not null;)
        {
            var previous = node.Previous;
            var item = node.Value;
            if (!ReferenceEquals(item, _inFlight))
            {
                if (item.Lane == OutboxLane.Immediate && !item.KeptOffline)
                {
                    _queue.Remove(node);
                    dropped.Add(item);
                }
                else if (item.CoalesceKey is { } key && !seenKeys.Add(key))
                {
                    _queue.Remove(node);
                }
            }

            node = previous;
        }

        foreach (var item in dropped)
        {
            item.OnDropped(new OcppConnectionClosedException("The connection closed before the message was sent."));
            Settled?.Invoke(item);
        }
    }

    /// <summary>Drops every queued item (the engine stops); durable items stay in the journal.</summary>
    public void Clear()
    {
        _retryTimer?.Dispose();
        var items = _queue.ToArray();
        _queue.Clear();
        _inFlight = null;
        foreach (var item in items.Where(i => i.Lane == OutboxLane.Immediate))
        {
            item.OnDropped(new OcppConnectionClosedException("The charge point stopped."));
        }
    }

    /// <summary>
    /// Stops sending (the engine stops) and returns a task that completes once no CALL is on the wire any more, so an
    /// answer already on its way is journaled rather than lost (which would make the message go out again after the
    /// restart).
    /// </summary>
    public Task StopSendingAsync()
    {
        _stopped = true;
        if (_inFlight is null)
        {
            return Task.CompletedTask;
        }

        _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _drained.Task;
    }

    /// <summary>Sends the next item that may go, if the wire is free.</summary>
    public void Pump()
    {
        if (_inFlight is null && _drained is { } drained)
        {
            _drained = null;
            drained.TrySetResult();
        }

        if (_stopped || _inFlight is not null || _connection is not { } connection || _loop.IsStopped)
        {
            return;
        }

        var now = _now();
        DateTimeOffset? earliestRetry = null;
        var durableHeadSeen = false;
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            var item = node.Value;
            if (!MayPass(item))
            {
                node = next;
                continue;
            }

            if (item.Lane == OutboxLane.Durable)
            {
                if (durableHeadSeen)
                {
                    node = next;
                    continue;
                }

                durableHeadSeen = true;
                if (item.NotBefore is { } notBefore && notBefore > now)
                {
                    earliestRetry = notBefore;
                    node = next;
                    continue;
                }
            }

            IOcppRequest? request;
            try
            {
                request = item.BuildRequest();
            }
            catch (Exception e)
            {
                _queue.Remove(node);
                item.OnFailure(e);
                Settled?.Invoke(item);
                node = next;
                continue;
            }

            if (request is null)
            {
                _queue.Remove(node);
                Settled?.Invoke(item);
                node = next;
                continue;
            }

            _inFlight = item;
            item.NotBefore = null;
            _ = SendAsync(item, request, connection);
            return;
        }

        if (earliestRetry is { } retry)
        {
            _retryTimer?.Dispose();
            _retryTimer = _loop.Schedule(retry - now, Pump);
        }
    }

    /// <summary>Sends a request of any action and reads its response by the catalog (the durable lane's messages, rebuilt from storage).</summary>
    internal static async Task<IOcppResponse> CallUntypedAsync(OcppRpcConnection connection, IOcppRequest request, OcppValidationPolicy policy, IOcppViolationSink sink, CancellationToken cancellationToken)
    {
        OcppTypedRpc.ValidateOutgoingRequest(request, policy, sink);
        var result = await connection.CallAsync(request.Action, request, null, cancellationToken).ConfigureAwait(false);
        OcppActions.TryGet(request.Action, out var action);
        return (IOcppResponse)OcppTypedRpc.ReadResult(action!, result, policy);
    }

    private bool MayPass(OutboxItem item) => Gate switch
    {
        SendGate.Accepted => true,
        SendGate.Pending => item.AllowedBeforeAccepted,
        _ => item.Action == BootNotificationRequest.ActionName,
    };

    private async Task SendAsync(OutboxItem item, IOcppRequest request, OcppRpcConnection connection)
    {
        IOcppResponse? response = null;
        Exception? error = null;
        try
        {
            response = await item.SendAsync(connection, request, _policy, _sink, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        _loop.Post(() => Complete(item, connection, response, error));
    }

    private void Complete(OutboxItem item, OcppRpcConnection connection, IOcppResponse? response, Exception? error)
    {
        if (!ReferenceEquals(_inFlight, item))
        {
            return; // The outbox was cleared (stopping).
        }

        _inFlight = null;
        if (response is not null)
        {
            _queue.Remove(item);
            item.OnResponse(response);
            Settled?.Invoke(item);
        }
        else if (error is OcppConnectionClosedException || (error is OperationCanceledException && connection.IsDisconnected))
        {
            // Not an attempt: the connection went away. Kept items wait for the next one.
            if (item.Lane == OutboxLane.Immediate && !item.KeptOffline)
            {
                _queue.Remove(item);
                item.OnDropped(error);
                Settled?.Invoke(item);
            }
        }
        else
        {
            var keep = item.OnFailure(error!);
            if (!keep)
            {
                _queue.Remove(item);
                Settled?.Invoke(item);
            }
        }

        Pump();
    }
}
