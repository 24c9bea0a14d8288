using System.Buffers;
using System.Net.WebSockets;

namespace Ocpp16.Transport;

/// <summary>
/// An <see cref="IOcppTransport"/> over any <see cref="WebSocket"/>: a <see cref="ClientWebSocket"/> on the charge point
/// (see <see cref="OcppWebSocketClient"/>) or the socket accepted by ASP.NET Core on the Central System
/// (see <c>Ocpp16.CentralSystem.OcppWebSocketServer</c>). OCPP-J 1.6 §3 and RFC 6455.
/// </summary>
/// <remarks>
/// Only text messages are accepted: a binary message closes the connection with 1003
/// (<see cref="WebSocketCloseStatus.InvalidMessageType"/>), a message larger than
/// <see cref="OcppTransportOptions.MaxMessageSize"/> with 1009 (<see cref="WebSocketCloseStatus.MessageTooBig"/>); in both
/// cases <see cref="ReceiveAsync"/> returns a close result with that status. A peer's close frame is echoed.
/// The transport owns the socket: <see cref="DisposeAsync"/> disposes it.
/// </remarks>
public sealed class WebSocketOcppTransport : IOcppTransport
{
    private const int ReceiveChunk = 4096;
    private static readonly TimeSpan s_closeEchoTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _webSocket;
    private readonly int _maxMessageSize;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private WebSocketCloseStatus? _localCloseStatus;
    private string? _localCloseDescription;
    private int _disposed;

    /// <summary>Wraps an open WebSocket.</summary>
    /// <param name="webSocket">The connected socket; the transport takes ownership of it.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    public WebSocketOcppTransport(WebSocket webSocket, OcppTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(webSocket);
        _webSocket = webSocket;
        _maxMessageSize = options?.MaxMessageSize ?? OcppTransportOptions.DefaultMaxMessageSize;
    }

    /// <summary>A description of the remote end for logs (the server URL on a client, the remote IP on a server), if known.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>The subprotocol negotiated during the handshake, normally <c>ocpp1.6</c>.</summary>
    public string? SubProtocol => _webSocket.SubProtocol;

    /// <summary>The underlying socket's state.</summary>
    public WebSocketState State => _webSocket.State;

    /// <inheritdoc />
    public ValueTask<OcppReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return ReceiveCoreAsync(destination, waited: null, cancellationToken);
    }

    /// <summary>Whether the socket can still deliver messages (open, or closed by us and waiting for the peer's close).</summary>
    internal bool CanReceive => _webSocket.State is WebSocketState.Open or WebSocketState.CloseSent;

    /// <summary>
    /// Waits for the next message with a zero-byte read and returns the socket's own pending operation, so that while a
    /// connection is idle no state machine of this layer (and no receive buffer) is alive. Pass the result to
    /// <see cref="ReceiveAfterWaitAsync"/>; map an exception with <see cref="IsConnectionLoss"/> and <see cref="LostResult"/>.
    /// </summary>
    internal ValueTask<ValueWebSocketReceiveResult> WaitForMessageAsync(CancellationToken cancellationToken)
        => _webSocket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);

    /// <summary>Receives the rest of the message whose start <see cref="WaitForMessageAsync"/> reported.</summary>
    internal ValueTask<OcppReceiveResult> ReceiveAfterWaitAsync(IBufferWriter<byte> destination, ValueWebSocketReceiveResult waited, CancellationToken cancellationToken)
        => ReceiveCoreAsync(destination, waited, cancellationToken);

    /// <summary>Whether <paramref name="ex"/>, thrown by a receive, means the connection is gone.</summary>
    internal static bool IsConnectionLoss(Exception ex) => ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException;

    /// <summary>The close result for a receive that failed with a connection loss.</summary>
    internal OcppReceiveResult LostResult(Exception ex)
        => OcppReceiveResult.Closed(_webSocket.CloseStatus, _webSocket.CloseStatusDescription ?? "Connection lost: " + ex.Message);

    private async ValueTask<OcppReceiveResult> ReceiveCoreAsync(IBufferWriter<byte> destination, ValueWebSocketReceiveResult? waited, CancellationToken cancellationToken)
    {
        var total = 0;

        // The first receive is a zero-byte read (done already when `waited` is set), so an idle connection holds no buffer.
        var pendingFirst = waited.HasValue;
        var zeroByteDone = pendingFirst;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            if (pendingFirst)
            {
                result = waited!.Value;
                pendingFirst = false;
            }
            else
            {
                if (!CanReceive)
                {
                    return ClosedResult();
                }

                Memory<byte> memory;
                if (!zeroByteDone)
                {
                    zeroByteDone = true;
                    memory = Memory<byte>.Empty;
                }
                else
                {
                    // Ask for at most one byte more than allowed so an oversize message is detected without reading it all.
                    var room = _maxMessageSize - total + 1;
                    memory = destination.GetMemory(Math.Min(room, ReceiveChunk));
                    if (memory.Length > room)
                    {
                        memory = memory[..room];
                    }
                }

                try
                {
                    result = await _webSocket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (IsConnectionLoss(ex) || ex is OperationCanceledException)
                {
                    // An OperationCanceledException without a cancellation request: the socket was aborted (see CloseAsync).
                    return LostResult(ex);
                }
            }

            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    if (_webSocket.State == WebSocketState.CloseReceived)
                    {
                        await TryCloseOutputAsync(_webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
                    }

                    return OcppReceiveResult.Closed(_webSocket.CloseStatus, _webSocket.CloseStatusDescription);

                case WebSocketMessageType.Binary:
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "OCPP-J accepts text frames only", CancellationToken.None).ConfigureAwait(false);
                    return OcppReceiveResult.Closed(WebSocketCloseStatus.InvalidMessageType, "OCPP-J accepts text frames only");
            }

            total += result.Count;
            if (total > _maxMessageSize)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", CancellationToken.None).ConfigureAwait(false);
                return OcppReceiveResult.Closed(WebSocketCloseStatus.MessageTooBig, "Message too big");
            }

            if (result.Count > 0)
            {
                destination.Advance(result.Count);
            }

            if (result.EndOfMessage)
            {
                return OcppReceiveResult.Message(total);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_webSocket.State != WebSocketState.Open)
            {
                throw new OcppConnectionClosedException("Cannot send: the WebSocket is " + _webSocket.State.ToString() + ".");
            }

            await _webSocket.SendAsync(utf8Message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            throw new OcppConnectionClosedException("Cannot send: the WebSocket connection was lost.", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default)
    {
        if (_webSocket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        _localCloseStatus ??= status;
        _localCloseDescription ??= description;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _webSocket.CloseOutputAsync(status, description, cancellationToken).ConfigureAwait(false);
                if (_webSocket.State == WebSocketState.CloseSent)
                {
                    _ = AbortUnlessClosedAsync();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The connection is already gone: nothing to close.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Disposes (aborting, if still open) the underlying socket. Call <see cref="CloseAsync"/> first for a clean close.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _webSocket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private OcppReceiveResult ClosedResult() =>
        OcppReceiveResult.Closed(_webSocket.CloseStatus ?? _localCloseStatus, _webSocket.CloseStatusDescription ?? _localCloseDescription);

    /// <summary>
    /// A peer that does not answer the close frame within the echo timeout (a dead route, a half-open TCP connection)
    /// is cut off (RFC 6455 §7.1.1): the pending receive ends as a connection loss and the socket is released.
    /// </summary>
    private async Task AbortUnlessClosedAsync()
    {
        await Task.Delay(s_closeEchoTimeout).ConfigureAwait(false);
        if (_webSocket.State == WebSocketState.CloseSent)
        {
            _webSocket.Abort();
        }
    }

    private async ValueTask TryCloseOutputAsync(WebSocketCloseStatus status, string? description)
    {
        using var timeout = new CancellationTokenSource(s_closeEchoTimeout);
        try
        {
            await CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Echoing the close frame is best effort.
        }
    }
}
