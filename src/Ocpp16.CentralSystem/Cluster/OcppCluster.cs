using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Cluster;

/// <summary>A charge point connected to some node of the cluster.</summary>
/// <param name="Id">The identity.</param>
/// <param name="NodeId">The node that holds its WebSocket connection (owns it).</param>
/// <param name="ConnectedAt">When it connected to that node (UTC).</param>
/// <param name="RemoteAddress">Its remote IP address, when known.</param>
/// <param name="IsLocal">Whether this node owns it.</param>
public sealed record ClusterChargePoint(string Id, string NodeId, DateTimeOffset ConnectedAt, string? RemoteAddress, bool IsLocal);

/// <summary>
/// This node's view of a Central System cluster (scale-out): which node holds each charge point's WebSocket (the node
/// that holds it owns it; a charge point that reconnects to another node moves there, and the old node closes its stale
/// connection under <see cref="DuplicateConnectionPolicy.ReplaceExisting"/>), which nodes are alive, and the routing of
/// calls. <see cref="OcppCentralSystem.TryGetChargePoint"/> returns a charge point owned by another node as a
/// <see cref="ConnectedChargePoint"/> whose typed calls travel over the broker to the owner, run there on the real
/// connection, and come back typed — with the same API and the same errors as a local call.
/// </summary>
/// <remarks>
/// <para><b>Delivery of routed calls: at most once.</b> A routed CALL is sent to its owner once, never retried. It ends
/// with the charge point's answer (CALLRESULT or <see cref="OcppCallErrorException"/>), <see cref="OcppTimeoutException"/>
/// when the charge point did not answer within the call's timeout (carried with the request: the owner waits the
/// remaining time, no second timeout applies) or the owner's answer did not come within that timeout plus
/// <see cref="OcppClusterOptions.RoutingGrace"/> (counted from the send, so a send stuck on the bus ends the same way;
/// a call with <see cref="Timeout.InfiniteTimeSpan"/> has neither timeout, as a local one), or <see cref="OcppConnectionClosedException"/> when the charge point is
/// not connected to its owner any more, the owner is not reachable (its queue is gone: at once), or the owner left the
/// cluster while the call was in flight (see below; the CALL may or may not have reached the charge point, as when a
/// local connection drops mid-call). A call with a finite timeout never hangs.</para>
/// <para><b>Node loss.</b> Every <see cref="OcppClusterOptions.HeartbeatInterval"/> each node broadcasts a sign of life
/// and sends one straight to every other node. A node whose process dies is taken for dead at the next of these sends
/// when the bus can tell that its address is gone (RabbitMQ deletes a node's queue as soon as its connection drops:
/// about one heartbeat interval), and in any case after <see cref="OcppClusterOptions.NodeTimeout"/> without a sign of
/// life (a machine or network that goes silent). Its charge points are then forgotten and its calls in flight end.</para>
/// <para><b>Ownership.</b> When two nodes announce a connection of the same identity, the newer one by its
/// <see cref="ClusterChargePoint.ConnectedAt"/> (each owner's clock) wins everywhere: keep the nodes' clocks
/// synchronized (NTP), as a charge point that reconnects within a clock skew may otherwise be kept on its old node.</para>
/// <para><b>Shared state.</b> Connections, disconnections and session changes (boot information, registration status,
/// connector statuses, heartbeats, firmware/diagnostics/log transfer statuses, security events) are broadcast; every
/// node keeps them (<see cref="ChargePoints"/>, <see cref="OcppCentralSystem.TryGetSession"/>). A node that sees no sign of life from another for
/// <see cref="OcppClusterOptions.NodeTimeout"/> takes it for dead and forgets its charge points.</para>
/// </remarks>
public sealed class OcppCluster : IOcppClusterReceiver
{
    private readonly OcppCentralSystem _centralSystem;
    private readonly IOcppClusterBus _bus;
    private readonly OcppClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ClusterChargePoint> _directory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private ITimer? _heartbeat;
    private int _started;

    internal OcppCluster(OcppCentralSystem centralSystem, IOcppClusterBus bus, OcppClusterOptions options, TimeProvider time, ILogger logger)
    {
        _centralSystem = centralSystem;
        _bus = bus;
        _options = options;
        _time = time;
        _logger = logger;
        NodeId = options.NodeId;
    }

    /// <summary>This node's id.</summary>
    public string NodeId { get; }

    /// <summary>The nodes alive now (this one included), by id.</summary>
    public IReadOnlyCollection<string> Nodes => [.. _nodes.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Every charge point connected to a node of the cluster now.</summary>
    public IReadOnlyCollection<ClusterChargePoint> ChargePoints => [.. _directory.Values];

    /// <summary>
    /// Raised when a charge point connected to a node, this one included (<see cref="ClusterChargePoint.IsLocal"/> tells
    /// which), once per new connection known to this node: for this node's own charge points on the thread that accepted
    /// the WebSocket connection; for another node's, on the bus's thread when its announcement arrives, which also covers
    /// a charge point that moved to (or reconnected on) another node and the charge points a node announces when it
    /// joins or its bus recovers. A move raises this event for the new connection only, not
    /// <see cref="ChargePointDisconnected"/> for the old one. An exception a handler throws is logged and the other handlers run.
    /// </summary>
    public event EventHandler<ClusterChargePoint>? ChargePointConnected;

    /// <summary>
    /// Raised when a charge point that this node knows as connected is gone: its connection to this node closed (on the
    /// thread that ran the connection, when no other local connection of the identity is left); another node announced
    /// that its connection there closed (on the bus's thread); or its node left the cluster (see <see cref="NodeLeft"/>
    /// for that thread), once for each of that node's charge points, before <see cref="NodeLeft"/>. Not raised for a
    /// charge point that moved to another node (see <see cref="ChargePointConnected"/>). An exception a handler throws is
    /// logged and the other handlers run.
    /// </summary>
    public event EventHandler<ClusterChargePoint>? ChargePointDisconnected;

    /// <summary>
    /// Raised after this node's copy of the session of a charge point connected to another node
    /// (<see cref="OcppCentralSystem.TryGetSession"/>) was updated from its owner: when the owner announces that it holds
    /// the charge point (a new connection, the charge point moving there, a node joining or a bus recovering: the whole
    /// session, security events included), and when the session changed on the owner: a BootNotification (boot
    /// information, registration status and heartbeat interval, OCPP 1.6 §4.2), a StatusNotification (connector
    /// statuses, §4.9), a Heartbeat (§4.6), a FirmwareStatusNotification (§4.5), DiagnosticsStatusNotification (§4.4),
    /// LogStatusNotification or SignedFirmwareStatusNotification (transfer statuses, Security Whitepaper), a
    /// SecurityEventNotification (security events), the charge point's answer to a CertificateSigned. Only changes
    /// from the node the directory says owns the charge point are applied (a late one from a previous owner is dropped).
    /// Not raised for this node's own charge points (see <see cref="ChargePointSession"/>). Runs on the bus's thread; an
    /// exception a handler throws is logged and the other handlers run.
    /// </summary>
    public event EventHandler<ChargePointSession>? SessionChanged;

    /// <summary>
    /// Raised with a node's id when it left the cluster, after its charge points were forgotten (each with
    /// <see cref="ChargePointDisconnected"/>) and its calls in flight ended with <see cref="OcppConnectionClosedException"/>:
    /// when it announced that it stopped (on the bus's thread), when a sign of life sent straight to it was refused (its
    /// address is gone: on a thread-pool thread after the heartbeat), or when it gave no sign of life for
    /// <see cref="OcppClusterOptions.NodeTimeout"/> (on the heartbeat timer's thread). Raised again if the node comes back
    /// and leaves again. An exception a handler throws is logged and the other handlers run.
    /// </summary>
    public event EventHandler<string>? NodeLeft;

    /// <summary>Finds the node that owns a charge point.</summary>
    /// <param name="chargePointId">The identity.</param>
    /// <param name="chargePoint">Where it is connected, when it is.</param>
    /// <returns><see langword="true"/> when a node of the cluster holds its connection.</returns>
    public bool TryGetChargePoint(string chargePointId, [NotNullWhen(true)] out ClusterChargePoint? chargePoint)
        => _directory.TryGetValue(chargePointId, out chargePoint);

    // ------------------------------------------------------------------ lifecycle

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        _nodes[NodeId] = _time.GetTimestamp();
        await _bus.StartAsync(NodeId, this, cancellationToken).ConfigureAwait(false);
        await BroadcastAsync(new ClusterMessage { Kind = ClusterKinds.Sync, Node = NodeId }).ConfigureAwait(false);
        _heartbeat = _time.CreateTimer(static state => ((OcppCluster)state!).Tick(), this, TimeSpan.Zero, _options.HeartbeatInterval);
        ClusterLog.Joined(_logger, NodeId);
    }

    internal async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _started, 0) == 0)
        {
            return;
        }

        if (_heartbeat is { } heartbeat)
        {
            await heartbeat.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pending in _pending.Values)
        {
            pending.Disconnect();
        }

        // The others forget this node's charge points at once rather than after NodeTimeout.
        await BroadcastAsync(new ClusterMessage { Kind = ClusterKinds.Left, Node = NodeId }).ConfigureAwait(false);
        ClusterLog.Stopped(_logger, NodeId);
    }

    private void Tick()
    {
        var alive = ClusterJson.Serialize(new ClusterMessage { Kind = ClusterKinds.Alive, Node = NodeId });
        _ = BroadcastAsync(alive, ClusterKinds.Alive);
        var now = _time.GetTimestamp();
        foreach (var (node, lastSeen) in _nodes)
        {
            if (node == NodeId)
            {
                continue;
            }

            if (_time.GetElapsedTime(lastSeen, now) > _options.NodeTimeout)
            {
                if (_nodes.TryRemove(node, out _))
                {
                    OnNodeLeft(node);
                }
            }
            else
            {
                _ = ProbeAsync(node, alive);
            }
        }
    }

    /// <summary>
    /// Sends a sign of life straight to a node: when the bus knows its address is gone (a node whose process died:
    /// the broker dropped its connection and its queue), the node is taken for dead at once rather than after
    /// <see cref="OcppClusterOptions.NodeTimeout"/>.
    /// </summary>
    private async Task ProbeAsync(string node, ReadOnlyMemory<byte> alive)
    {
        bool reached;
        try
        {
            reached = await _bus.SendAsync(node, alive, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The bus itself is in trouble: liveness falls back to NodeTimeout.
            ClusterLog.SendFailed(_logger, NodeId, ClusterKinds.Alive, node, e);
            return;
        }

        if (!reached && _nodes.TryRemove(node, out _))
        {
            OnNodeLeft(node);
        }
    }

    private void OnNodeLeft(string node)
    {
        ClusterLog.NodeLeft(_logger, NodeId, node, _pending.Values.Count(p => p.Node == node));
        foreach (var entry in _directory.Values.Where(e => e.NodeId == node))
        {
            if (_directory.TryRemove(new KeyValuePair<string, ClusterChargePoint>(entry.Id, entry)))
            {
                Raise(ChargePointDisconnected, entry);
            }
        }

        // As when a local connection drops mid-call: the CALL may or may not have reached the charge point.
        foreach (var pending in _pending.Values.Where(p => p.Node == node))
        {
            pending.Disconnect();
        }

        RaiseNodeLeft(node);
    }

    // ------------------------------------------------------------------ local connections (called by OcppCentralSystem)

    internal void OnLocalConnected(ConnectedChargePoint chargePoint)
    {
        var entry = new ClusterChargePoint(chargePoint.Id, NodeId, chargePoint.ConnectedAt, chargePoint.RemoteAddress, IsLocal: true);
        var changed = !_directory.TryGetValue(chargePoint.Id, out var previous) || previous.NodeId != entry.NodeId || previous.ConnectedAt != entry.ConnectedAt;
        _directory[chargePoint.Id] = entry;
        chargePoint.Session.Changed += OnLocalSessionChanged;
        _ = BroadcastAsync(Owned(chargePoint));
        if (changed)
        {
            // This node's own Owned broadcast is not applied on receipt (m.Node == NodeId): this is the only raise.
            Raise(ChargePointConnected, entry);
        }
    }

    /// <summary>The announcement that this node holds <paramref name="chargePoint"/>, with its session.</summary>
    private ClusterMessage Owned(ConnectedChargePoint chargePoint) => new()
    {
        Kind = ClusterKinds.Owned,
        Node = NodeId,
        ChargePoint = chargePoint.Id,
        ConnectedAt = chargePoint.ConnectedAt,
        RemoteAddress = chargePoint.RemoteAddress,
        Session = chargePoint.Session.ToSnapshot(withSecurityEvents: true),
    };

    internal void OnLocalDisconnected(ConnectedChargePoint chargePoint)
    {
        chargePoint.Session.Changed -= OnLocalSessionChanged;
        if (_centralSystem.Registry.TryGet(chargePoint.Id, out _))
        {
            return; // Another local connection of the same identity is still open (AllowBoth, or the replacement).
        }

        if (_directory.TryGetValue(chargePoint.Id, out var entry) && entry.NodeId == NodeId
            && _directory.TryRemove(new KeyValuePair<string, ClusterChargePoint>(chargePoint.Id, entry)))
        {
            Raise(ChargePointDisconnected, entry);
        }

        _ = BroadcastAsync(new ClusterMessage { Kind = ClusterKinds.Released, Node = NodeId, ChargePoint = chargePoint.Id, ConnectedAt = chargePoint.ConnectedAt });
    }

    /// <summary>Whether another live node holds a connection of this identity (the cluster-wide RejectNew check).</summary>
    internal bool IsOwnedElsewhere(string chargePointId)
        => _directory.TryGetValue(chargePointId, out var entry) && entry.NodeId != NodeId && _nodes.ContainsKey(entry.NodeId);

    private void OnLocalSessionChanged(ChargePointSession session, bool securityEventsChanged)
        => _ = BroadcastAsync(new ClusterMessage { Kind = ClusterKinds.Session, Node = NodeId, ChargePoint = session.ChargePointId, Session = session.ToSnapshot(securityEventsChanged) });

    // ------------------------------------------------------------------ routed calls (the caller's side)

    /// <summary>
    /// Makes a CALL on the node that owns the charge point and returns its outcome as a value. When the owner answers
    /// that it does not hold the charge point (it moved: the CALL was not sent), the call follows it to its new owner,
    /// at most twice.
    /// </summary>
    internal async ValueTask<OcppCallResult> CallAsync(ClusterChargePoint owner, string action, IOcppJsonWritable payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // As a local call: positive or Timeout.InfiniteTimeSpan.
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        var json = ClusterJson.Payload(payload);
        var started = _time.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var remaining = Remaining(timeout, _time.GetElapsedTime(started));
            if (owner.NodeId == NodeId && _centralSystem.Registry.TryGet(owner.Id, out var local))
            {
                // It moved here.
                return await local.SendAsync((Messages.IOcppRequest)payload, remaining, cancellationToken).ConfigureAwait(false);
            }

            var result = await CallOnceAsync(owner, action, json, remaining, cancellationToken).ConfigureAwait(false);
            if (result.Result is { } done)
            {
                return done;
            }

            // Not held by that node: follow the charge point if the directory knows a newer owner.
            if (attempt < 2 && _directory.TryGetValue(owner.Id, out var now) && (now.NodeId != owner.NodeId || now.ConnectedAt != owner.ConnectedAt)
                && (timeout == Timeout.InfiniteTimeSpan || timeout > _time.GetElapsedTime(started)))
            {
                owner = now;
                continue;
            }

            return OcppCallResult.FromDisconnect(result.RequestId, action, timeout);
        }
    }

    /// <summary>The longest timeout a timer takes (about 49.7 days); a longer finite one is clamped to it.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>What is left of <paramref name="timeout"/> after <paramref name="elapsed"/>: infinite stays infinite, a finite one is at least 1 ms and at most <see cref="MaxTimeout"/>.</summary>
    internal static TimeSpan Remaining(TimeSpan timeout, TimeSpan elapsed)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = timeout > MaxTimeout ? MaxTimeout - elapsed : timeout - elapsed;
        return left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left > MaxTimeout ? MaxTimeout : left;
    }

    /// <summary>The timeout carried with a routed CALL, in whole milliseconds: 0 for infinite, else 1 to <see cref="MaxTimeout"/>.</summary>
    internal static long ToTimeoutMs(TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan ? 0 : (long)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, MaxTimeout.TotalMilliseconds);

    /// <summary>The timeout of a routed CALL at its owner, from <see cref="ClusterMessage.TimeoutMs"/> (0 or less: infinite).</summary>
    internal static TimeSpan FromTimeoutMs(long timeoutMs)
        => timeoutMs <= 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Min(timeoutMs, (long)MaxTimeout.TotalMilliseconds));

    /// <summary>How long the caller waits for the owner's reply: the call's timeout plus the grace, at most <see cref="MaxTimeout"/>; infinite for an infinite call.</summary>
    private TimeSpan ExpiryOf(TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromMilliseconds(Math.Min(timeout.TotalMilliseconds + _options.RoutingGrace.TotalMilliseconds, MaxTimeout.TotalMilliseconds));

    private async ValueTask<(OcppCallResult? Result, string RequestId)> CallOnceAsync(ClusterChargePoint owner, string action, string payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var pending = new PendingCall(owner.NodeId, owner.Id, action, requestId, timeout);
        _pending[requestId] = pending;

        // The expiry runs from before the send, and also gives up a send stuck on the broker (a call never hangs).
        var expiryTime = ExpiryOf(timeout);
        await using var expiry = expiryTime == Timeout.InfiniteTimeSpan
            ? null
            : _time.CreateTimer(static state => ((PendingCall)state!).Expire(), pending, expiryTime, Timeout.InfiniteTimeSpan);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pending.Expired);
        try
        {
            var message = ClusterJson.Serialize(new ClusterMessage
            {
                Kind = ClusterKinds.Call,
                Node = NodeId,
                ChargePoint = owner.Id,
                RequestId = requestId,
                Action = action,
                Payload = payload,
                TimeoutMs = ToTimeoutMs(timeout),
            });
            bool sent;
            try
            {
                sent = _nodes.ContainsKey(owner.NodeId) && await TrySendAsync(owner.NodeId, message, sending.Token).AsTask().WaitAsync(sending.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (pending.Expired.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The send outlived the call's timeout plus the grace (even one that ignores its token): the call ended
                // with OcppTimeoutException.
                sent = true;
            }

            if (!sent)
            {
                return (OcppCallResult.FromDisconnect(requestId, action, timeout), requestId);
            }

            return (await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false), requestId);
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }

    /// <summary>Sends to one node; a broker that cannot take the message counts as the node not being reachable.</summary>
    private async ValueTask<bool> TrySendAsync(string node, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            return await _bus.SendAsync(node, message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClusterLog.SendFailed(_logger, NodeId, ClusterKinds.Call, node, e);
            return false;
        }
    }

    /// <summary>Closes a charge point's connection on the node that owns it.</summary>
    internal Task CloseAsync(ClusterChargePoint owner, string? description, CancellationToken cancellationToken)
        => _bus.SendAsync(owner.NodeId, ClusterJson.Serialize(new ClusterMessage { Kind = ClusterKinds.Close, Node = NodeId, ChargePoint = owner.Id, ErrorDescription = description }), cancellationToken);

    // ------------------------------------------------------------------ messages

    /// <inheritdoc/>
    void IOcppClusterReceiver.OnMessage(ReadOnlySpan<byte> message)
    {
        if (ClusterJson.Deserialize(message) is not { } m)
        {
            ClusterLog.BadMessage(_logger, NodeId);
            return;
        }

        try
        {
            OnMessage(m);
        }
        catch (Exception e)
        {
            // One bad message must not stop the bus's delivery of the next ones.
            ClusterLog.MessageFailed(_logger, NodeId, m.Kind, m.Node, e);
        }
    }

    private void OnMessage(ClusterMessage m)
    {

        if (m.Node != NodeId && m.Kind != ClusterKinds.Left)
        {
            if (!_nodes.ContainsKey(m.Node))
            {
                ClusterLog.NodeJoined(_logger, NodeId, m.Node);
                if (m.Kind != ClusterKinds.Sync)
                {
                    // A node this one had taken for dead (or had not met yet): ask it for what it holds.
                    _ = SendQuietlyAsync(m.Node, new ClusterMessage { Kind = ClusterKinds.Sync, Node = NodeId });
                }
            }

            _nodes[m.Node] = _time.GetTimestamp();
        }

        switch (m.Kind)
        {
            case ClusterKinds.Sync when m.Node != NodeId:
                AnnounceOwned();
                break;
            case ClusterKinds.Left when m.Node != NodeId:
                if (_nodes.TryRemove(m.Node, out _))
                {
                    OnNodeLeft(m.Node);
                }

                break;
            case ClusterKinds.Owned when m.Node != NodeId && m.ChargePoint is { } id:
                OnRemoteOwned(m, id);
                break;
            case ClusterKinds.Released when m.Node != NodeId && m.ChargePoint is { } id:
                if (_directory.TryGetValue(id, out var entry) && entry.NodeId == m.Node && _directory.TryRemove(new KeyValuePair<string, ClusterChargePoint>(id, entry)))
                {
                    Raise(ChargePointDisconnected, entry);
                }

                break;
            case ClusterKinds.Session when m.Node != NodeId && m.ChargePoint is { } id && m.Session is { } session:
                // Only from the node that owns it now: a late change from a previous owner must not overwrite the live session.
                if (_directory.TryGetValue(id, out var owner) && owner.NodeId == m.Node && !owner.IsLocal)
                {
                    ApplySession(id, session);
                }

                break;
            case ClusterKinds.Call:
                _ = ExecuteAsync(m);
                break;
            case ClusterKinds.Reply when m.RequestId is { } requestId:
                if (_pending.TryGetValue(requestId, out var pending))
                {
                    pending.Complete(m);
                }

                break;
            case ClusterKinds.Close when m.ChargePoint is { } id:
                if (_centralSystem.Registry.TryGet(id, out var local))
                {
                    _ = local.CloseAsync(m.ErrorDescription);
                }

                break;
        }
    }

    /// <inheritdoc/>
    void IOcppClusterReceiver.OnBusLost(Exception? reason) => ClusterLog.BusLost(_logger, NodeId, reason);

    /// <inheritdoc/>
    void IOcppClusterReceiver.OnBusRestored()
    {
        // The others may have taken this node for dead meanwhile: tell them what it holds, and learn what they hold.
        ClusterLog.BusRestored(_logger, NodeId);
        _ = BroadcastAsync(new ClusterMessage { Kind = ClusterKinds.Sync, Node = NodeId });
        AnnounceOwned();
    }

    private void OnRemoteOwned(ClusterMessage m, string id)
    {
        var entry = new ClusterChargePoint(id, m.Node, m.ConnectedAt ?? _time.GetUtcNow(), m.RemoteAddress, IsLocal: false);

        // The newest connection of an identity is the one the cluster knows (announcements can cross on the broker).
        if (_directory.TryGetValue(id, out var known) && known.NodeId != m.Node && known.ConnectedAt > entry.ConnectedAt
            && (known.IsLocal || _nodes.ContainsKey(known.NodeId)))
        {
            return;
        }

        if (m.Session is { } session)
        {
            ApplySession(id, session);
        }

        // The charge point moved from this node (it reconnected elsewhere): close the stale local connection.
        if (_centralSystem.Registry.TryGet(id, out var local) && _centralSystem.Options.DuplicateConnections == DuplicateConnectionPolicy.ReplaceExisting)
        {
            ClusterLog.Moved(_logger, NodeId, id, m.Node);
            _ = local.Connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection on another node");
        }

        var changed = !_directory.TryGetValue(id, out var previous) || previous.NodeId != entry.NodeId || previous.ConnectedAt != entry.ConnectedAt;
        _directory[id] = entry;
        if (changed)
        {
            Raise(ChargePointConnected, entry);
        }
    }

    private void ApplySession(string id, SessionSnapshot snapshot)
    {
        var session = _centralSystem.GetOrAddSession(id);
        session.Apply(snapshot);
        foreach (var handler in SessionChanged?.GetInvocationList() ?? [])
        {
            try
            {
                ((EventHandler<ChargePointSession>)handler)(this, session);
            }
            catch (Exception e)
            {
                ClusterLog.SubscriberFailed(_logger, NodeId, e);
            }
        }
    }

    private void AnnounceOwned()
    {
        foreach (var chargePoint in _centralSystem.Registry.Snapshot())
        {
            _ = BroadcastAsync(Owned(chargePoint));
        }
    }

    // ------------------------------------------------------------------ routed calls (the owner's side)

    private async Task ExecuteAsync(ClusterMessage request)
    {
        var action = request.Action ?? string.Empty;
        var timeout = FromTimeoutMs(request.TimeoutMs);
        ClusterMessage reply;
        try
        {
            if (request.ChargePoint is not { } id || !_centralSystem.Registry.TryGet(id, out var chargePoint))
            {
                reply = Reply(request, ReplyStatus.NotHeld);
            }
            else if (!OcppActions.TryGet(action, out var info))
            {
                reply = new ClusterMessage { Kind = ClusterKinds.Reply, Node = NodeId, RequestId = request.RequestId, Status = ReplyStatus.Invalid, ErrorDescription = $"{action} is not an OCPP 1.6 action this node knows." };
            }
            else if (!info.ReadRequest(Encoding.UTF8.GetBytes(request.Payload ?? "{}"), OcppValidationOptions.Strict, out var payload, out var violation))
            {
                reply = new ClusterMessage { Kind = ClusterKinds.Reply, Node = NodeId, RequestId = request.RequestId, Status = ReplyStatus.Invalid, ErrorDescription = $"The {action} request violates its schema: {violation}" };
            }
            else
            {
                var result = await chargePoint.SendAsync((IOcppRequest)payload, timeout).ConfigureAwait(false);
                reply = result.Status switch
                {
                    OcppCallStatus.Result => Reply(request, ReplyStatus.Result, Encoding.UTF8.GetString(result.Payload.Span)),
                    OcppCallStatus.Error => new ClusterMessage
                    {
                        Kind = ClusterKinds.Reply,
                        Node = NodeId,
                        RequestId = request.RequestId,
                        Status = ReplyStatus.Error,
                        ErrorCode = result.RawErrorCode,
                        ErrorDescription = result.ErrorDescription,
                        ErrorDetails = result.ErrorDetails.IsEmpty ? null : Encoding.UTF8.GetString(result.ErrorDetails.Span),
                    },
                    OcppCallStatus.Timeout => Reply(request, ReplyStatus.Timeout),
                    _ => Reply(request, ReplyStatus.Disconnected),
                };
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OcppConnectionClosedException)
        {
            // First: ObjectDisposedException derives from InvalidOperationException, and a disposed connection is a
            // closed one (OcppConnectionClosedException at the caller), not a refused call.
            reply = Reply(request, ReplyStatus.Disconnected);
        }
        catch (InvalidOperationException e)
        {
            reply = new ClusterMessage { Kind = ClusterKinds.Reply, Node = NodeId, RequestId = request.RequestId, Status = ReplyStatus.Refused, ErrorDescription = e.Message };
        }
        catch (ArgumentException e)
        {
            reply = new ClusterMessage { Kind = ClusterKinds.Reply, Node = NodeId, RequestId = request.RequestId, Status = ReplyStatus.Invalid, ErrorDescription = e.Message };
        }

        await SendQuietlyAsync(request.Node, reply).ConfigureAwait(false);
    }

    private async Task SendQuietlyAsync(string node, ClusterMessage message)
    {
        try
        {
            await _bus.SendAsync(node, ClusterJson.Serialize(message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClusterLog.SendFailed(_logger, NodeId, message.Kind, node, e);
        }
    }

    private ClusterMessage Reply(ClusterMessage request, string status, string? payload = null)
        => new() { Kind = ClusterKinds.Reply, Node = NodeId, RequestId = request.RequestId, Status = status, Payload = payload };

    private Task BroadcastAsync(ClusterMessage message) => BroadcastAsync(ClusterJson.Serialize(message), message.Kind);

    private async Task BroadcastAsync(ReadOnlyMemory<byte> message, string kind)
    {
        try
        {
            await _bus.BroadcastAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClusterLog.BroadcastFailed(_logger, NodeId, kind, e);
        }
    }

    private void Raise(EventHandler<ClusterChargePoint>? handlers, ClusterChargePoint args)
    {
        foreach (var handler in handlers?.GetInvocationList() ?? [])
        {
            try
            {
                ((EventHandler<ClusterChargePoint>)handler)(this, args);
            }
            catch (Exception e)
            {
                ClusterLog.SubscriberFailed(_logger, NodeId, e);
            }
        }
    }

    private void RaiseNodeLeft(string node)
    {
        foreach (var handler in NodeLeft?.GetInvocationList() ?? [])
        {
            try
            {
                ((EventHandler<string>)handler)(this, node);
            }
            catch (Exception e)
            {
                ClusterLog.SubscriberFailed(_logger, NodeId, e);
            }
        }
    }

    /// <summary>A routed CALL waiting for its owner's reply.</summary>
    /// <remarks>Completes with <see langword="null"/> when the node did not hold the charge point (the CALL was not sent).</remarks>
    private sealed class PendingCall(string node, string chargePointId, string action, string requestId, TimeSpan timeout)
    {
        public string Node => node;

        public string ChargePointId => chargePointId;

        public string Action => action;

        public TaskCompletionSource<OcppCallResult?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(ClusterMessage reply)
        {
            switch (reply.Status)
            {
                case ReplyStatus.Result:
                    Completion.TrySetResult(OcppCallResult.FromResult(requestId, action, timeout, Encoding.UTF8.GetBytes(reply.Payload ?? "{}")));
                    break;
                case ReplyStatus.Error:
                    Completion.TrySetResult(OcppCallResult.FromError(requestId, action, timeout, reply.ErrorCode ?? "GenericError", reply.ErrorDescription, reply.ErrorDetails is null ? default : Encoding.UTF8.GetBytes(reply.ErrorDetails)));
                    break;
                case ReplyStatus.Timeout:
                    Completion.TrySetResult(OcppCallResult.FromTimeout(requestId, action, timeout));
                    break;
                case ReplyStatus.Refused:
                    Completion.TrySetException(new InvalidOperationException(reply.ErrorDescription));
                    break;
                case ReplyStatus.Invalid:
                    Completion.TrySetException(new ArgumentException(reply.ErrorDescription ?? $"The {action} request could not be read by the node that holds the charge point."));
                    break;
                case ReplyStatus.NotHeld:
                    Completion.TrySetResult(null);
                    break;
                default:
                    Completion.TrySetResult(OcppCallResult.FromDisconnect(requestId, action, timeout));
                    break;
            }
        }

        private readonly CancellationTokenSource _expired = new();

        /// <summary>Cancelled when the call expired (its timeout plus the grace passed): gives up a send still in progress.</summary>
        public CancellationToken Expired => _expired.Token;

        public void Expire()
        {
            Completion.TrySetResult(OcppCallResult.FromTimeout(requestId, action, timeout));
            _expired.Cancel();
        }

        public void Disconnect() => Completion.TrySetResult(OcppCallResult.FromDisconnect(requestId, action, timeout));
    }
}
