using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp16.Messages;
using Ocpp16.Transport.Diagnostics;
using Ocpp16.Transport.Framing;
using Ocpp16.Transport.Internal;

namespace Ocpp16.Transport;

/// <summary>
/// The OCPP-J 1.6 RPC layer for one peer (OCPP-J 1.6 §4): frames CALL / CALLRESULT / CALLERROR over an
/// <see cref="IOcppTransport"/>, correlates answers with outbound calls, keeps at most one outbound CALL in flight,
/// applies call timeouts, dispatches inbound CALLs to an <see cref="IOcppRequestHandler"/> and answers malformed input
/// as docs/wire-behaviour.md specifies.
/// </summary>
/// <remarks>
/// <para>Start the single receive loop with <see cref="RunAsync"/>; it returns when the connection ends, and every
/// pending or queued <see cref="CallAsync"/> then completes at once with <see cref="OcppCallStatus.Disconnected"/>.</para>
/// <para>Malformed input (see docs/wire-behaviour.md): a frame that is not JSON, not an array or whose unique id is not a
/// string gets no reply, except that a frame starting like <c>[2,"&lt;id&gt;"</c> is answered with FormationViolation;
/// a CALL with an empty unique id gets FormationViolation, one longer than 36 characters PropertyConstraintViolation,
/// one reusing the id of a CALL still being handled ProtocolError, one whose action is not a string or whose payload is
/// not an object FormationViolation. Each of these raises <see cref="BadMessage"/> and increments
/// <see cref="BadMessageCount"/>; after <see cref="OcppRpcOptions.MaxConsecutiveBadMessages"/> in a row the connection
/// is closed with 1002 (ProtocolError). A frame with an unknown MessageTypeId is ignored (OCPP-J 1.6 §4.1.3), counted in
/// <see cref="BadMessageCount"/> and raises <see cref="BadMessage"/>, without counting toward the consecutive limit.
/// A CALLRESULT/CALLERROR with an unknown or expired unique id is dropped, logged and counted in
/// <see cref="LateResponseCount"/>, and never answered. A CALLERROR with an unknown code is accepted as
/// <see cref="OcppErrorCode.GenericError"/> keeping the raw string.</para>
/// <para>The connection owns the transport: <see cref="DisposeAsync"/> closes and disposes it.</para>
/// </remarks>
public sealed class OcppRpcConnection : IAsyncDisposable
{
    private readonly OcppRpcOptions _options;

    private const int ReceiveInitialCapacity = 4096;
    private const int ExpiredIdCapacity = 16;
    private const string GenericInternalError = "An internal error occurred while processing the request.";
    private const string ReasonDuplicateId = "Unique id of a CALL that is still being handled";
    private const string ReasonUnknownType = "Unknown MessageTypeId";
    private const string ReasonTooManyBadFrames = "Too many malformed messages";
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);

    private readonly IOcppTransport _transport;
    private readonly IOcppRequestHandler _handler;
    private readonly IOcppResponseObserver? _responseObserver;
    private readonly TimeSpan _defaultTimeout;
    private readonly int _maxConsecutiveBad;
    private readonly bool _detailedErrors;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _sync = new();

    // Created on first use: most connections of a Central System never make a CALL, never handle one asynchronously and
    // never see a timeout, and idle memory per connection matters with thousands of them.
    private SemaphoreSlim? _callGate;
    private HashSet<string>? _incomingInProgress;
    private string?[]? _expiredIds;
    private int _expiredNext;
    private PendingCall? _inFlight;
    private int _queuedCalls;
    private int _closing;
    private bool _disconnected;
    private int _runStarted;
    private Task<OcppCloseInfo>? _runTask;
    private long _badMessageCount;
    private long _lateResponseCount;
    private int _consecutiveBad;
    private int _disposed;
    private bool _stopRequested;

    /// <summary>Creates a connection over a transport. Call <see cref="RunAsync"/> to start receiving.</summary>
    /// <param name="transport">The transport to the peer; the connection takes ownership of it.</param>
    /// <param name="handler">Answers the CALLs received from the peer.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Values are read once, here.</param>
    /// <param name="logger">The logger (event ids 1000–1999); <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for call timeouts; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    public OcppRpcConnection(IOcppTransport transport, IOcppRequestHandler handler, OcppRpcOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handler);
        options ??= new OcppRpcOptions();
        _transport = transport;
        _handler = handler;
        _responseObserver = handler as IOcppResponseObserver;
        _options = options;
        _defaultTimeout = options.DefaultCallTimeout;
        _maxConsecutiveBad = options.MaxConsecutiveBadMessages;
        _detailedErrors = options.DetailedErrors;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Raised on the receive loop for every malformed or rejected frame and every frame with an unknown MessageTypeId.
    /// Handlers must be quick and must not throw (exceptions are logged and swallowed).
    /// </summary>
    public event Action<OcppRpcConnection, OcppBadMessage>? BadMessage;

    /// <summary>The charge point identity of the peer, for logs; <see langword="null"/> when not set.</summary>
    public string? Identity { get; init; }

    /// <summary>The transport's description of the remote end, if any.</summary>
    public string? RemoteAddress => _transport.RemoteAddress;

    /// <summary><see langword="true"/> once the receive loop has ended or the connection was disposed.</summary>
    public bool IsDisconnected => Volatile.Read(ref _disconnected);

    /// <summary>The number of malformed or rejected frames received, including unknown MessageTypeIds.</summary>
    public long BadMessageCount => Interlocked.Read(ref _badMessageCount);

    /// <summary>The number of CALLRESULT/CALLERROR frames dropped because their unique id was unknown or had expired (timed out).</summary>
    public long LateResponseCount => Interlocked.Read(ref _lateResponseCount);

    /// <summary>
    /// Runs the single receive loop until the transport closes, the connection is lost or
    /// <paramref name="cancellationToken"/> is cancelled. Never throws for peer input. On exit every pending or queued
    /// <see cref="CallAsync"/> completes with <see cref="OcppCallStatus.Disconnected"/>. When cancelled, the transport
    /// is closed with 1001 (EndpointUnavailable), best effort.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>How the connection ended.</returns>
    /// <exception cref="InvalidOperationException">The loop was already started.</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public Task<OcppCloseInfo> RunAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _runStarted, 1) != 0)
        {
            throw new InvalidOperationException("RunAsync was already called on this connection.");
        }

        var task = RunCoreAsync(cancellationToken);
        _runTask = task;
        return task;
    }

    /// <summary>
    /// Sends a CALL (OCPP-J 1.6 §4.2.1) and waits for its CALLRESULT or CALLERROR. At most one CALL is in flight: later
    /// callers queue in FIFO order. Failures are values: see <see cref="OcppCallResult.Status"/>.
    /// </summary>
    /// <param name="action">The action name, e.g. <c>GetConfiguration</c>.</param>
    /// <param name="payload">The request payload, written straight into the frame.</param>
    /// <param name="timeout">How long to wait for the answer once the CALL is sent; <see langword="null"/> for
    /// <see cref="OcppRpcOptions.DefaultCallTimeout"/> (30 s by default).</param>
    /// <param name="cancellationToken">Stops waiting. A caller cancelled while queued leaves the queue; cancelling the
    /// caller whose CALL is on the wire does not let the next CALL go before this one is answered or times out.</param>
    /// <returns>The result: <see cref="OcppCallStatus.Result"/> with the payload, <see cref="OcppCallStatus.Error"/>,
    /// <see cref="OcppCallStatus.Timeout"/> or <see cref="OcppCallStatus.Disconnected"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="action"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="payload"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (nor infinite).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<OcppCallResult> CallAsync(string action, IOcppJsonWritable payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => OcppMetrics.Source.HasListeners()
            ? CallTracedAsync(action, payload, timeout, cancellationToken)
            : CallCoreAsync(action, payload, timeout, null, cancellationToken);

    /// <summary><see cref="CallAsync"/> inside an "OCPP {Action}" client span.</summary>
    private async ValueTask<OcppCallResult> CallTracedAsync(string action, IOcppJsonWritable payload, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        using var activity = OcppMetrics.StartOutboundCall(action, Identity);
        try
        {
            var result = await CallCoreAsync(action, payload, timeout, activity, cancellationToken).ConfigureAwait(false);
            if (activity is not null)
            {
                OcppMetrics.SetOutcome(activity, result);
            }

            return result;
        }
        catch (Exception ex) when (activity is not null)
        {
            OcppMetrics.SetFailure(activity, ex);
            throw;
        }
    }

    private async ValueTask<OcppCallResult> CallCoreAsync(string action, IOcppJsonWritable payload, TimeSpan? timeout, Activity? activity, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(payload);
        if (timeout.HasValue)
        {
            OcppRpcOptions.ValidateTimeout(timeout.Value, nameof(timeout));
        }

        var effectiveTimeout = timeout ?? (_options.ActionTimeouts.Count == 0 ? _defaultTimeout : _options.TimeoutFor(action));
        cancellationToken.ThrowIfCancellationRequested();
        var uniqueId = Guid.NewGuid().ToString("N");
        activity?.SetTag(OcppMetrics.UniqueIdTag, uniqueId);
        if (IsDisconnected)
        {
            return NotSent(uniqueId, action, effectiveTimeout);
        }

        if (Volatile.Read(ref _closing) != 0)
        {
            return NotSent(uniqueId, action, effectiveTimeout);
        }

        var callGate = _callGate ?? EnsureCallGate();
        if (!callGate.Wait(0))
        {
            // One CALL is in flight: queue behind it, at most MaxQueuedCalls deep (back-pressure on the callers).
            if (Interlocked.Increment(ref _queuedCalls) > _options.MaxQueuedCalls)
            {
                Interlocked.Decrement(ref _queuedCalls);
                throw new OcppException($"{_options.MaxQueuedCalls} calls are already queued on this connection; {action} was not sent.", OcppErrorCode.GenericError);
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
            try
            {
                await callGate.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return NotSent(uniqueId, action, effectiveTimeout);
            }
            finally
            {
                Interlocked.Decrement(ref _queuedCalls);
            }

            if (Volatile.Read(ref _closing) != 0)
            {
                callGate.Release();
                return NotSent(uniqueId, action, effectiveTimeout);
            }
        }

        // The gate is held from here until the pending call completes (answer, timeout or disconnect).
        var buffer = OcppFrameBuffer.Rent();
        PendingCall pending;
        try
        {
            try
            {
                OcppFrameWriter.WriteCall(buffer.Writer, uniqueId, action, payload);
            }
            catch
            {
                callGate.Release();
                throw;
            }

            pending = new PendingCall(this, uniqueId, action, effectiveTimeout, _timeProvider.GetTimestamp());
            bool registered;
            lock (_sync)
            {
                registered = !_disconnected;
                if (registered)
                {
                    _inFlight = pending;
                }
            }

            if (!registered)
            {
                callGate.Release();
                return NotSent(uniqueId, action, effectiveTimeout);
            }

            if (effectiveTimeout != Timeout.InfiniteTimeSpan)
            {
                var timer = _timeProvider.CreateTimer(static state => ((PendingCall)state!).OnTimeout(), pending, effectiveTimeout, Timeout.InfiniteTimeSpan);
                pending.Timer = timer;
                if (pending.Completion.Task.IsCompleted)
                {
                    timer.Dispose();
                }
            }

            try
            {
                await SendFrameAsync(buffer.WrittenMemory).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SendFailed(_logger, Identity, ex);
                TryCompleteInFlight(pending, OcppCallResult.FromDisconnect(uniqueId, action, effectiveTimeout));
            }
        }
        finally
        {
            OcppFrameBuffer.Return(buffer);
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private SemaphoreSlim EnsureCallGate()
    {
        var created = new SemaphoreSlim(1, 1);
        return Interlocked.CompareExchange(ref _callGate, created, null) ?? created;
    }

    /// <summary>
    /// Stops the connection at once, as a server does when its application stops (OCPP-J 1.6 §5; WebSocket 1001 "going
    /// away"): sends the 1001 (EndpointUnavailable) close frame (at most 2 s), waits for the peer's close frame to end
    /// the receive loop (at most 2 s), then ends the loop if it still runs; CALLs in flight or being handled complete
    /// as disconnected. Unlike <see cref="CloseAsync"/> it does not wait for them. Cancelling <see cref="RunAsync"/>'s
    /// token does the same; this needs no linked token per connection.
    /// </summary>
    /// <returns>A task that completes when the connection has stopped or was given up on; never faults.</returns>
    public async Task StopAsync()
    {
        Volatile.Write(ref _stopRequested, true);
        if (!IsDisconnected && Volatile.Read(ref _disposed) == 0)
        {
            using var closeTimeout = new CancellationTokenSource(s_closeWait);
            try
            {
                await _transport.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Connection closing", closeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SendFailed(_logger, Identity, ex);
            }

            var run = _runTask;
            if (run is not null && !run.IsCompleted)
            {
                try
                {
                    await run.WaitAsync(s_closeWait).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The peer did not answer the close frame: stop the loop below.
                }
            }
        }

        CancelLifetime();
    }

    /// <summary>The result of a CALL that never went on the wire because the connection had ended.</summary>
    private static OcppCallResult NotSent(string uniqueId, string action, TimeSpan timeout)
    {
        OcppMetrics.RecordOutboundCall(action, OcppCallStatus.Disconnected, elapsed: null);
        return OcppCallResult.FromDisconnect(uniqueId, action, timeout);
    }

    /// <summary>
    /// Like <see cref="CallAsync"/>, but returns the CALLRESULT payload and throws for any other outcome.
    /// </summary>
    /// <param name="action">The action name.</param>
    /// <param name="payload">The request payload.</param>
    /// <param name="timeout">The call timeout; <see langword="null"/> for <see cref="OcppRpcOptions.DefaultCallTimeout"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The UTF-8 JSON payload of the CALLRESULT (a copy).</returns>
    /// <exception cref="OcppCallErrorException">The peer answered with a CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before an answer arrived.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> CallOrThrowAsync(string action, IOcppJsonWritable payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(action, payload, timeout, cancellationToken).ConfigureAwait(false);
        return result.EnsureSuccess();
    }

    /// <summary>
    /// Closes gracefully: no further CALL is sent (they complete as <see cref="OcppCallStatus.Disconnected"/>), the CALL
    /// in flight and the CALLs being handled get up to <see cref="OcppRpcOptions.GracefulCloseTimeout"/> to finish, then
    /// the closing handshake starts; <see cref="RunAsync"/> returns once it completes.
    /// </summary>
    /// <param name="status">The close status; 1000 (NormalClosure) by default.</param>
    /// <param name="description">An optional close reason (at most 123 UTF-8 bytes).</param>
    /// <param name="cancellationToken">Cancels sending the close frame.</param>
    /// <returns>A task that completes when the close frame was sent.</returns>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null, CancellationToken cancellationToken = default)
    {
        // Graceful: no new CALLs go out; the CALL in flight may still be answered and CALLs being handled may still be
        // answered, for at most GracefulCloseTimeout; then the close handshake.
        Interlocked.Exchange(ref _closing, 1);
        var deadline = _timeProvider.GetTimestamp();
        while (!IsDisconnected && _timeProvider.GetElapsedTime(deadline) < _options.GracefulCloseTimeout)
        {
            bool busy;
            lock (_sync)
            {
                busy = _inFlight is not null || _incomingInProgress is { Count: > 0 };
            }

            if (!busy)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        await _transport.CloseAsync(status, description, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the connection (1000, best effort), waits briefly for the receive loop to end, completes every pending
    /// call with <see cref="OcppCallStatus.Disconnected"/> and disposes the transport.
    /// </summary>
    /// <returns>A task that completes when the connection is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!IsDisconnected)
        {
            using var closeTimeout = new CancellationTokenSource(s_closeWait);
            try
            {
                await _transport.CloseAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SendFailed(_logger, Identity, ex);
            }
        }

        var run = _runTask;
        if (run is not null && !run.IsCompleted)
        {
            try
            {
                await run.WaitAsync(s_closeWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The peer did not complete the closing handshake in time; stop the loop below.
            }
        }

        CancelLifetime();
        if (run is not null)
        {
            await run.ConfigureAwait(false);
        }

        MarkDisconnected();
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<OcppCloseInfo> RunCoreAsync(CancellationToken cancellationToken)
    {
        // The caller's token cancels the lifetime (one registration, no linked source); the loop watches the lifetime.
        using var stop = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => _ = ((OcppRpcConnection)state!).StopAsync(), this)
            : default;
        var token = _lifetime.Token;
        var webSocket = _transport as WebSocketOcppTransport;
        var buffer = new PooledBufferWriter(ReceiveInitialCapacity, rentLazily: true);
        OcppCloseInfo info;
        Log.ReceiveLoopStarted(_logger, Identity, _transport.RemoteAddress);
        try
        {
            while (true)
            {
                OcppReceiveResult received;
                try
                {
                    if (webSocket is null || !webSocket.CanReceive)
                    {
                        received = await _transport.ReceiveAsync(buffer, token).ConfigureAwait(false);
                    }
                    else
                    {
                        // The built-in WebSocket transport: await the socket's zero-byte read right here, so an idle
                        // connection keeps no state machine of the transport alive (nor allocates one per message).
                        ValueWebSocketReceiveResult waited = default;
                        Exception? lost = null;
                        try
                        {
                            waited = await webSocket.WaitForMessageAsync(token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (WebSocketOcppTransport.IsConnectionLoss(ex) || (ex is OperationCanceledException && !token.IsCancellationRequested))
                        {
                            lost = ex;
                        }

                        received = lost is null
                            ? await webSocket.ReceiveAfterWaitAsync(buffer, waited, token).ConfigureAwait(false)
                            : webSocket.LostResult(lost);
                    }
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    info = new OcppCloseInfo(null, null, IsCancelled: true);
                    break;
                }
                catch (Exception ex)
                {
                    Log.ReceiveFailed(_logger, Identity, ex);
                    info = new OcppCloseInfo(null, ex.Message, IsCancelled: false);
                    break;
                }

                if (received.IsClose)
                {
                    info = new OcppCloseInfo(received.CloseStatus, received.CloseDescription, IsCancelled: Volatile.Read(ref _stopRequested));
                    break;
                }

                var keepGoing = true;
                try
                {
                    keepGoing = await ProcessFrameAsync(buffer.WrittenMemory).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Log.FrameProcessingFailed(_logger, Identity, ex);
                }

                // Give the buffer back between messages: an idle connection holds no receive buffer.
                buffer.ClearAndRelease();
                if (!keepGoing)
                {
                    info = new OcppCloseInfo(WebSocketCloseStatus.ProtocolError, ReasonTooManyBadFrames, IsCancelled: false);
                    break;
                }
            }
        }
        finally
        {
            MarkDisconnected();
            buffer.Dispose();
        }

        if (info.IsCancelled && Volatile.Read(ref _disposed) == 0)
        {
            using var closeTimeout = new CancellationTokenSource(s_closeWait);
            try
            {
                await _transport.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Connection closing", closeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SendFailed(_logger, Identity, ex);
            }
        }

        Log.ReceiveLoopEnded(_logger, Identity, info.CloseStatus, info.CloseDescription, info.IsCancelled);
        return info;
    }

    /// <returns><see langword="false"/> when the connection must close because of too many bad frames.</returns>
    private async ValueTask<bool> ProcessFrameAsync(ReadOnlyMemory<byte> frame)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.FrameReceived(_logger, Identity, FrameRedaction.ToLogText(frame.Span));
        }

        var parsed = OcppFrameParser.Parse(frame.Span);
        switch (parsed.Kind)
        {
            case OcppFrameKind.Call:
                var id = parsed.UniqueId!;
                bool duplicate;
                lock (_sync)
                {
                    duplicate = _incomingInProgress is { Count: > 0 } inProgress && inProgress.Contains(id);
                }

                if (duplicate)
                {
                    return await OnBadFrameAsync(ReasonDuplicateId, frame.Length, id, OcppErrorCode.ProtocolError).ConfigureAwait(false);
                }

                _consecutiveBad = 0;
                await DispatchCallAsync(id, parsed.Action!, frame.Slice(parsed.PayloadOffset, parsed.PayloadLength)).ConfigureAwait(false);
                return true;

            case OcppFrameKind.CallResult:
            case OcppFrameKind.CallError:
                _consecutiveBad = 0;
                OnResponse(in parsed, frame.Span);
                return true;

            case OcppFrameKind.UnknownType:
                Interlocked.Increment(ref _badMessageCount);
                OcppMetrics.RecordBadMessage();
                Log.UnknownMessageType(_logger, Identity, parsed.MessageTypeId);
                RaiseBadMessage(new OcppBadMessage(ReasonUnknownType, frame.Length, null, null));
                return true;

            default:
                return await OnBadFrameAsync(parsed.Reason!, frame.Length, parsed.ReplyId, parsed.ReplyCode).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> OnBadFrameAsync(string reason, int frameLength, string? replyId, OcppErrorCode replyCode)
    {
        Interlocked.Increment(ref _badMessageCount);
        OcppMetrics.RecordBadMessage();
        var consecutive = ++_consecutiveBad;
        Log.BadFrame(_logger, Identity, frameLength, reason, replyId is null ? null : replyCode.ToWireString(), replyId);
        RaiseBadMessage(new OcppBadMessage(reason, frameLength, replyId, replyId is null ? null : replyCode));
        if (replyId is not null)
        {
            await SendCallErrorAsync(replyId, replyCode, reason).ConfigureAwait(false);
        }

        if (consecutive >= _maxConsecutiveBad)
        {
            Log.TooManyBadFrames(_logger, Identity, consecutive);
            using var closeTimeout = new CancellationTokenSource(s_closeWait);
            try
            {
                await _transport.CloseAsync(WebSocketCloseStatus.ProtocolError, ReasonTooManyBadFrames, closeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SendFailed(_logger, Identity, ex);
            }

            return false;
        }

        return true;
    }

    private void RaiseBadMessage(OcppBadMessage info)
    {
        var handler = BadMessage;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, info);
        }
        catch (Exception ex)
        {
            Log.EventHandlerFailed(_logger, Identity, nameof(BadMessage), ex);
        }
    }

    private void OnResponse(in OcppFrame frame, ReadOnlySpan<byte> bytes)
    {
        var id = frame.UniqueId!;
        PendingCall? pending;
        lock (_sync)
        {
            pending = _inFlight;
        }

        if (pending is null || !string.Equals(pending.UniqueId, id, StringComparison.Ordinal))
        {
            DropUnmatched(frame.Kind, id);
            return;
        }

        OcppCallResult result;
        var payload = bytes.Slice(frame.PayloadOffset, frame.PayloadLength);
        if (frame.Kind == OcppFrameKind.CallResult)
        {
            result = OcppCallResult.FromResult(id, pending.Action, pending.Timeout, payload);
        }
        else
        {
            result = OcppCallResult.FromError(id, pending.Action, pending.Timeout, frame.ErrorCode!, frame.ErrorDescription, payload);
            Log.CallErrorReceived(_logger, Identity, pending.Action, id, frame.ErrorCode!);
        }

        if (!TryCompleteInFlight(pending, result))
        {
            // Timed out (or disconnected) between the lookup and now.
            DropUnmatched(frame.Kind, id);
        }
    }

    private void DropUnmatched(OcppFrameKind kind, string uniqueId)
    {
        Interlocked.Increment(ref _lateResponseCount);
        OcppMetrics.RecordLateResponse();
        bool expired;
        lock (_sync)
        {
            expired = _expiredIds is not null && Array.IndexOf(_expiredIds, uniqueId) >= 0;
        }

        Log.UnmatchedResponse(_logger, Identity, kind == OcppFrameKind.CallResult ? "CALLRESULT" : "CALLERROR", expired ? "expired" : "unknown", uniqueId);
    }

    private async ValueTask DispatchCallAsync(string uniqueId, string action, ReadOnlyMemory<byte> payload)
    {
        // The span is current while the handler runs, so CALLs the handler makes are its children.
        var activity = OcppMetrics.StartInboundCall(action, uniqueId, Identity);
        ValueTask<OcppResponse> pending;
        try
        {
            pending = _handler.HandleAsync(new OcppIncomingCall(uniqueId, action, payload), _lifetime.Token);
        }
        catch (Exception ex)
        {
            if (TryResponseFromException(ex, uniqueId, action, out var failure))
            {
                await SendResponseAsync(uniqueId, action, failure, activity).ConfigureAwait(false);
            }

            activity?.Dispose();
            return;
        }

        if (pending.IsCompleted)
        {
            OcppResponse response;
            try
            {
                response = pending.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                if (!TryResponseFromException(ex, uniqueId, action, out response))
                {
                    activity?.Dispose();
                    return;
                }
            }

            await SendResponseAsync(uniqueId, action, response, activity).ConfigureAwait(false);
            activity?.Dispose();
            return;
        }

        // Await the handler off the receive loop so that it may itself make a CALL without deadlocking.
        lock (_sync)
        {
            (_incomingInProgress ??= new HashSet<string>(StringComparer.Ordinal)).Add(uniqueId);
        }

        _ = CompleteCallAsync(uniqueId, action, pending, activity);
    }

    private async Task CompleteCallAsync(string uniqueId, string action, ValueTask<OcppResponse> pending, Activity? activity)
    {
        using var span = activity;
        var response = default(OcppResponse);
        var send = true;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            send = TryResponseFromException(ex, uniqueId, action, out response);
        }
        finally
        {
            lock (_sync)
            {
                _incomingInProgress?.Remove(uniqueId);
            }
        }

        if (send)
        {
            await SendResponseAsync(uniqueId, action, response, activity).ConfigureAwait(false);
        }
    }

    /// <returns><see langword="false"/> when no answer must be sent (the connection is ending).</returns>
    private bool TryResponseFromException(Exception ex, string uniqueId, string action, out OcppResponse response)
    {
        switch (ex)
        {
            case OperationCanceledException when _lifetime.IsCancellationRequested:
                response = default;
                return false;
            case OcppCallErrorException callError:
                response = OcppResponse.Error(
                    callError.ErrorCode,
                    callError.ErrorDescription,
                    callError.ErrorDetailsJson is null ? null : new RawJsonWritable(callError.ErrorDetailsJson));
                return true;
            default:
                Log.HandlerFailed(_logger, Identity, action, uniqueId, ex);
                response = OcppResponse.Error(OcppErrorCode.InternalError, _detailedErrors ? ex.Message : GenericInternalError);
                return true;
        }
    }

    private async ValueTask SendResponseAsync(string uniqueId, string action, OcppResponse response, Activity? activity)
    {
        var buffer = OcppFrameBuffer.Rent();
        try
        {
            string? errorCode = null;
            try
            {
                if (response.IsError)
                {
                    errorCode = response.ErrorCode.ToWireString();
                    OcppFrameWriter.WriteCallError(buffer.Writer, uniqueId, errorCode, response.ErrorDescription, response.ErrorDetails);
                }
                else if (response.Payload is not null)
                {
                    OcppFrameWriter.WriteCallResult(buffer.Writer, uniqueId, response.Payload);
                }
                else
                {
                    errorCode = OcppErrorCode.InternalError.ToWireString();
                    OcppFrameWriter.WriteCallError(buffer.Writer, uniqueId, errorCode, GenericInternalError, null);
                }
            }
            catch (Exception ex)
            {
                // Our own response could not be written: InternalError, never a code that blames the peer.
                Log.ResponseWriteFailed(_logger, Identity, action, uniqueId, ex);
                buffer.Reset();
                errorCode = OcppErrorCode.InternalError.ToWireString();
                OcppFrameWriter.WriteCallError(buffer.Writer, uniqueId, errorCode, GenericInternalError, null);
            }

            OcppMetrics.RecordInboundCall(action, errorCode is not null);
            if (activity is not null)
            {
                OcppMetrics.SetOutcome(activity, errorCode);
            }

            await SendFrameAsync(buffer.WrittenMemory).ConfigureAwait(false);
            _responseObserver?.OnResponseSent(uniqueId, action, true);
        }
        catch (Exception ex)
        {
            Log.SendFailed(_logger, Identity, ex);
            _responseObserver?.OnResponseSent(uniqueId, action, false);
        }
        finally
        {
            OcppFrameBuffer.Return(buffer);
        }
    }

    private async ValueTask SendCallErrorAsync(string uniqueId, OcppErrorCode code, string description)
    {
        var buffer = OcppFrameBuffer.Rent();
        try
        {
            OcppFrameWriter.WriteCallError(buffer.Writer, uniqueId, code.ToWireString(), description, null);
            await SendFrameAsync(buffer.WrittenMemory).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SendFailed(_logger, Identity, ex);
        }
        finally
        {
            OcppFrameBuffer.Return(buffer);
        }
    }

    private ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.FrameSent(_logger, Identity, FrameRedaction.ToLogText(frame.Span));
        }

        return _transport.SendAsync(frame, _lifetime.Token);
    }

    private bool TryCompleteInFlight(PendingCall pending, OcppCallResult result)
    {
        lock (_sync)
        {
            if (!ReferenceEquals(_inFlight, pending))
            {
                return false;
            }

            _inFlight = null;
            if (result.Status == OcppCallStatus.Timeout)
            {
                (_expiredIds ??= new string?[ExpiredIdCapacity])[_expiredNext] = pending.UniqueId;
                _expiredNext = (_expiredNext + 1) % ExpiredIdCapacity;
            }
        }

        pending.Timer?.Dispose();
        _callGate!.Release();
        OcppMetrics.RecordOutboundCall(pending.Action, result.Status, _timeProvider.GetElapsedTime(pending.StartTimestamp));
        pending.Completion.TrySetResult(result);
        return true;
    }

    private void OnTimeout(PendingCall pending)
    {
        if (TryCompleteInFlight(pending, OcppCallResult.FromTimeout(pending.UniqueId, pending.Action, pending.Timeout)))
        {
            OcppMetrics.RecordTimeout(pending.Action);
            Log.CallTimedOut(_logger, Identity, pending.Action, pending.UniqueId, pending.Timeout);
        }
    }

    private void MarkDisconnected()
    {
        PendingCall? pending;
        lock (_sync)
        {
            _disconnected = true;
            pending = _inFlight;
        }

        CancelLifetime();
        if (pending is not null)
        {
            TryCompleteInFlight(pending, OcppCallResult.FromDisconnect(pending.UniqueId, pending.Action, pending.Timeout));
        }
    }

    private void CancelLifetime()
    {
        try
        {
            _lifetime.Cancel();
        }
        catch (AggregateException ex)
        {
            Log.EventHandlerFailed(_logger, Identity, "cancellation", ex);
        }
    }

    private sealed class PendingCall
    {
        private readonly OcppRpcConnection _owner;

        public PendingCall(OcppRpcConnection owner, string uniqueId, string action, TimeSpan timeout, long startTimestamp)
        {
            _owner = owner;
            UniqueId = uniqueId;
            Action = action;
            Timeout = timeout;
            StartTimestamp = startTimestamp;
        }

        /// <summary>When the CALL was registered, just before its frame is sent (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long StartTimestamp { get; }

        public string UniqueId { get; }

        public string Action { get; }

        public TimeSpan Timeout { get; }

        public TaskCompletionSource<OcppCallResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITimer? Timer { get; set; }

        public void OnTimeout() => _owner.OnTimeout(this);
    }
}
