using System.Net.WebSockets;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// A charge point connected to this Central System: its identity, its <see cref="Session"/> state and typed calls for
/// every CS→CP action of OCPP 1.6 and its Security extension, grouped by feature profile (one file each). Obtained from
/// <see cref="OcppCentralSystem"/> or passed to the handlers. Owned by the Central System, which closes it.
/// </summary>
/// <remarks>
/// Every typed call validates its request before sending and the response after receiving; one CALL is in flight at a
/// time, later ones queue (OCPP-J 1.6 §4.1.1). The timeout of a call is, in order: the <c>timeout</c> argument, the
/// action's entry in <see cref="CentralSystemOptions.ActionTimeouts"/>, <see cref="CentralSystemOptions.CallTimeout"/>.
/// Typed calls throw: <see cref="ArgumentException"/> when the request violates its schema (nothing sent);
/// <see cref="InvalidOperationException"/> when the registration policy forbids the action now
/// (<see cref="CentralSystemOptions.EnforceRegistrationStatus"/>; nothing sent); <see cref="OcppCallErrorException"/>
/// on CALLERROR; <see cref="OcppTimeoutException"/>; <see cref="OcppConnectionClosedException"/>;
/// <see cref="OcppProtocolException"/> when the response violates its schema.
/// </remarks>
public sealed partial class ConnectedChargePoint : IOcppViolationSink
{
    private readonly OcppRpcConnection? _connection;
    private readonly Cluster.OcppCluster? _cluster;
    private readonly Cluster.ClusterChargePoint? _remote;
    private readonly CentralSystemOptions _options;
    private readonly OcppCentralSystem? _owner;
    private readonly Lock _deferredGate = new();
    private string? _callInProgress;
    private CancellationToken _callToken;
    private List<(string CallId, Func<ConnectedChargePoint, CancellationToken, Task> Work)>? _deferred;

    /// <summary>A charge point connected to another node of the cluster: its calls are routed to that node.</summary>
    internal ConnectedChargePoint(Cluster.ClusterChargePoint remote, Cluster.OcppCluster cluster, CentralSystemOptions options, ChargePointSession session, OcppCentralSystem owner)
    {
        Id = remote.Id;
        _owner = owner;
        _cluster = cluster;
        _remote = remote;
        _options = options;
        RemoteAddress = remote.RemoteAddress;
        ConnectedAt = remote.ConnectedAt;
        Session = session;
    }

    internal ConnectedChargePoint(string id, OcppRpcConnection connection, CentralSystemOptions options, string? remoteAddress, DateTimeOffset connectedAt, ChargePointSession session, OcppCentralSystem? owner = null)
    {
        Id = id;
        _owner = owner;
        _connection = connection;
        _options = options;
        RemoteAddress = remoteAddress;
        ConnectedAt = connectedAt;
        Session = session;
    }

    /// <summary>The Central System serving this connection (raises its events), if any.</summary>
    internal OcppCentralSystem? Owner => _owner;

    /// <summary>The charge point identity (the <c>{chargePointId}</c> route value, URL-decoded).</summary>
    public string Id { get; }

    /// <summary>The remote IP address, when known.</summary>
    public string? RemoteAddress { get; }

    /// <summary>When the WebSocket connection was accepted (UTC).</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Whether the connection has closed (for a charge point of another node: whether that node no longer holds it).</summary>
    public bool IsDisconnected => _connection?.IsDisconnected
        ?? !(_cluster!.TryGetChargePoint(Id, out var now) && now.NodeId == _remote!.NodeId && now.ConnectedAt == _remote.ConnectedAt);

    /// <summary>
    /// The cluster node that holds this charge point's connection, when the Central System runs as a cluster
    /// (<see cref="Cluster.OcppCluster"/>); <see langword="null"/> on a single node.
    /// </summary>
    public string? NodeId => _remote?.NodeId ?? _owner?.Cluster?.NodeId;

    /// <summary>Whether this charge point is connected to another node of the cluster (its calls are routed there).</summary>
    public bool IsRemote => _remote is not null;

    /// <summary>
    /// The charge point's session state (boot information, registration status, connector statuses, last heartbeat,
    /// last seen); shared by all its connections over the life of the Central System.
    /// </summary>
    public ChargePointSession Session { get; }

    internal OcppRpcConnection Connection => _connection ?? throw new InvalidOperationException($"Charge point {Id} is connected to node {_remote!.NodeId}, not to this one.");

    /// <summary>The next older live connection with the same identity, if any (the Central System's registry chain).</summary>
    internal ConnectedChargePoint? OlderSameIdentity { get; set; }

    /// <summary>
    /// Sends a CS→CP request and returns the typed response (OCPP-J 1.6 §4: one CALL in flight, later ones queue).
    /// The request is validated before sending and the response after receiving.
    /// </summary>
    /// <typeparam name="TResponse">The response type of the action.</typeparam>
    /// <param name="request">The request, e.g. a <see cref="ResetRequest"/>.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/> or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated response.</returns>
    /// <exception cref="ArgumentException">The request violates its schema; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">The registration policy forbids the action now; nothing was sent.</exception>
    /// <exception cref="OcppCallErrorException">The charge point answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed first.</exception>
    /// <exception cref="OcppProtocolException">The response violates its schema.</exception>
    public Task<TResponse> CallAsync<TResponse>(IOcppRequest<TResponse> request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        Session.EnsureMaySend(request.Action, _options);
        return _connection is not null
            ? OcppTypedRpc.CallAsync(_connection, request, _options.Validation, this, timeout, cancellationToken).AsTask()
            : OcppTypedRpc.CallAsync(this, static (cp, action, payload, t, ct) => cp.RouteAsync(action, payload, t, ct), request, _options.Validation, this, timeout, cancellationToken).AsTask();
    }

    /// <summary>A CALL to a charge point of another node, with the timeout a local call would have.</summary>
    private ValueTask<OcppCallResult> RouteAsync(string action, IOcppJsonWritable payload, TimeSpan? timeout, CancellationToken cancellationToken)
        => _cluster!.CallAsync(_remote!, action, payload, timeout ?? (_options.ActionTimeouts.TryGetValue(action, out var configured) ? configured : _options.CallTimeout), cancellationToken);

    /// <summary>As <see cref="CallAsync{TResponse}(IOcppRequest{TResponse}, TimeSpan?, CancellationToken)"/> with the configured timeout.</summary>
    /// <typeparam name="TResponse">The response type of the action.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated response.</returns>
    /// <exception cref="OcppException">See the class remarks.</exception>
    public Task<TResponse> CallAsync<TResponse>(IOcppRequest<TResponse> request, CancellationToken cancellationToken)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
        => CallAsync(request, null, cancellationToken);

    /// <summary>Reports a payload violation to the owning Central System (its log, metric and event).</summary>
    /// <param name="violation">The violation.</param>
    void IOcppViolationSink.Report(OcppPayloadViolation violation) => _owner?.ReportViolation(this, violation);

    /// <summary>
    /// Sends any CS→CP request and returns the raw result as a value: the CALLRESULT payload (not yet validated),
    /// a CALLERROR, a timeout or a disconnect. For generic tooling such as an HTTP command API.
    /// </summary>
    /// <param name="request">The request; validated before sending.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> for the configured timeout of the action.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The call result.</returns>
    /// <exception cref="ArgumentException">The request violates its schema; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">The registration policy forbids the action now; nothing was sent.</exception>
    public async Task<OcppCallResult> SendAsync(IOcppRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Session.EnsureMaySend(request.Action, _options);
        OcppTypedRpc.ValidateOutgoingRequest(request, _options.Validation, this);
        return _connection is not null
            ? await _connection.CallAsync(request.Action, request, timeout, cancellationToken).ConfigureAwait(false)
            : await RouteAsync(request.Action, request, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="SendAsync(IOcppRequest, TimeSpan?, CancellationToken)"/> with the configured timeout.</summary>
    /// <param name="request">The request; validated before sending.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The call result.</returns>
    /// <exception cref="ArgumentException">The request violates its schema; nothing was sent.</exception>
    public Task<OcppCallResult> SendAsync(IOcppRequest request, CancellationToken cancellationToken) => SendAsync(request, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> once the answer to the CALL being handled now has been sent to the charge point, so
    /// that calls it makes come after that answer on the wire (for instance GetConfiguration after answering a
    /// BootNotification, or a TriggerMessage after a StatusNotification). Call it from a handler; when no CALL of this
    /// charge point is being handled, the work starts at once. The work runs off the receive loop; it is dropped when
    /// the answer cannot be sent (the connection closed). An exception it throws is logged (event 4007).
    /// </summary>
    /// <param name="work">The follow-up, given this charge point and a token cancelled when the connection closes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    public void AfterResponse(Func<ConnectedChargePoint, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        CancellationToken token;
        lock (_deferredGate)
        {
            if (_callInProgress is { } callId)
            {
                (_deferred ??= []).Add((callId, work));
                return;
            }

            token = _callToken;
        }

        Start(work, token);
    }

    /// <summary>
    /// Closes the connection (WebSocket close status 1000, NormalClosure). For a charge point of another node of the
    /// cluster (<see cref="IsRemote"/>), asks that node to close it: the task completes when the bus has taken the
    /// request, not when the connection is closed (watch <see cref="Cluster.OcppCluster.ChargePointDisconnected"/>), and
    /// nothing happens if that node no longer holds the charge point or is not reachable.
    /// </summary>
    /// <param name="description">Close reason sent to the charge point.</param>
    /// <param name="cancellationToken">Cancels the close handshake, or the sending of the request to the owning node.</param>
    /// <returns>A task that completes when closed (local) or when the close request was sent (remote).</returns>
    /// <exception cref="InvalidOperationException">Remote: the cluster bus has not started.</exception>
    /// <exception cref="OperationCanceledException">Remote: <paramref name="cancellationToken"/> was cancelled before the request was sent.</exception>
    /// <remarks>Remote: an exception of the bus (e.g. RabbitMQ's when the broker connection is down) is passed on.</remarks>
    public Task CloseAsync(string? description = null, CancellationToken cancellationToken = default)
        => _connection?.CloseAsync(WebSocketCloseStatus.NormalClosure, description, cancellationToken)
            ?? _cluster!.CloseAsync(_remote!, description, cancellationToken);

    /// <summary>Returns the identity.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;

    /// <summary>The dispatcher starts handling the CALL <paramref name="uniqueId"/> (see <see cref="AfterResponse"/>).</summary>
    internal void BeginCall(string uniqueId, CancellationToken connectionToken)
    {
        lock (_deferredGate)
        {
            _callInProgress = uniqueId;
            _callToken = connectionToken;
        }
    }

    /// <summary>The answer to <paramref name="uniqueId"/> was sent (or could not be): run or drop its deferred work.</summary>
    internal void ResponseSent(string uniqueId, bool sent)
    {
        List<Func<ConnectedChargePoint, CancellationToken, Task>>? due = null;
        CancellationToken token;
        lock (_deferredGate)
        {
            if (_callInProgress == uniqueId)
            {
                _callInProgress = null;
            }

            token = _callToken;
            if (_deferred is null)
            {
                return;
            }

            for (var i = _deferred.Count - 1; i >= 0; i--)
            {
                if (_deferred[i].CallId == uniqueId)
                {
                    (due ??= []).Insert(0, _deferred[i].Work);
                    _deferred.RemoveAt(i);
                }
            }
        }

        if (sent && due is not null)
        {
            foreach (var work in due)
            {
                Start(work, token);
            }
        }
    }

    private void Start(Func<ConnectedChargePoint, CancellationToken, Task> work, CancellationToken token)
        => _ = Task.Run(async () =>
        {
            try
            {
                await work(this, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                _owner?.ReportAfterResponseFailure(this, ex);
            }
            catch (OperationCanceledException)
            {
                // The connection closed.
            }
        }, CancellationToken.None);
}
