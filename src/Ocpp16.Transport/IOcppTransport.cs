using System.Buffers;
using System.Net.WebSockets;

namespace Ocpp16.Transport;

/// <summary>
/// A message-oriented, text-only duplex channel to one OCPP peer (OCPP-J 1.6 §3: one WebSocket per charge point).
/// The interface is deliberately tiny: receive one message, send one message, close.
/// </summary>
/// <remarks>
/// Implementations: <see cref="WebSocketOcppTransport"/> (any <see cref="WebSocket"/>) and
/// <see cref="InMemoryOcppTransport"/> (a connected pair for tests).
/// <see cref="ReceiveAsync"/> is called by one reader at a time (the RPC receive loop);
/// <see cref="SendAsync"/> may be called concurrently and serializes internally.
/// </remarks>
public interface IOcppTransport : IAsyncDisposable
{
    /// <summary>
    /// A description of the remote end (e.g. an IP address or URL) for logs, or <see langword="null"/> when unknown.
    /// </summary>
    string? RemoteAddress { get; }

    /// <summary>
    /// Receives exactly one complete text message and appends its UTF-8 bytes to <paramref name="destination"/>,
    /// or reports that the connection closed.
    /// </summary>
    /// <param name="destination">The buffer that receives the message bytes. On a close result its content is unspecified.</param>
    /// <param name="cancellationToken">Cancels the wait. A cancelled WebSocket receive aborts the socket.</param>
    /// <returns>
    /// A message result (<see cref="OcppReceiveResult.IsClose"/> is <see langword="false"/>, <see cref="OcppReceiveResult.Count"/>
    /// bytes written) or a close result carrying the close status and description (status <see langword="null"/> when the
    /// connection was lost without a close handshake). Once a close result was returned, later calls return close results too.
    /// </returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<OcppReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one complete UTF-8 text message. Safe to call concurrently: sends are serialized internally and never interleave.
    /// </summary>
    /// <param name="utf8Message">The message bytes (one OCPP-J frame); the memory may be reused once the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the send. A cancelled WebSocket send aborts the socket.</param>
    /// <returns>A task that completes when the message was handed to the underlying connection.</returns>
    /// <exception cref="OcppConnectionClosedException">The connection is closed or was lost.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts the closing handshake (RFC 6455 §7) with the given status. Does not wait for the peer's echo: the pending
    /// or next <see cref="ReceiveAsync"/> reports the close. A no-op when the connection is already closed; never throws
    /// for a lost connection.
    /// </summary>
    /// <param name="status">The close status, e.g. <see cref="WebSocketCloseStatus.NormalClosure"/> (1000).</param>
    /// <param name="description">An optional reason (at most 123 UTF-8 bytes on a WebSocket).</param>
    /// <param name="cancellationToken">Cancels sending the close frame.</param>
    /// <returns>A task that completes when the close frame was sent.</returns>
    ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default);
}

/// <summary>
/// The outcome of <see cref="IOcppTransport.ReceiveAsync"/>: either one complete text message or the end of the connection.
/// </summary>
public readonly struct OcppReceiveResult : IEquatable<OcppReceiveResult>
{
    private OcppReceiveResult(bool isClose, WebSocketCloseStatus? closeStatus, string? closeDescription, int count)
    {
        IsClose = isClose;
        CloseStatus = closeStatus;
        CloseDescription = closeDescription;
        Count = count;
    }

    /// <summary><see langword="true"/> when the connection closed (no message was received).</summary>
    public bool IsClose { get; }

    /// <summary>The close status when <see cref="IsClose"/>; <see langword="null"/> when the connection was lost without a close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>The close description when <see cref="IsClose"/>, if any.</summary>
    public string? CloseDescription { get; }

    /// <summary>The number of bytes of the message written to the destination buffer (0 for a close result).</summary>
    public int Count { get; }

    /// <summary>Creates a result for one received message of <paramref name="count"/> bytes.</summary>
    /// <param name="count">The message length in bytes, not negative.</param>
    /// <returns>A message result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static OcppReceiveResult Message(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new OcppReceiveResult(false, null, null, count);
    }

    /// <summary>Creates a result that reports the end of the connection.</summary>
    /// <param name="status">The close status, or <see langword="null"/> when the connection was lost.</param>
    /// <param name="description">The close description, if any.</param>
    /// <returns>A close result.</returns>
    public static OcppReceiveResult Closed(WebSocketCloseStatus? status, string? description) => new(true, status, description, 0);

    /// <inheritdoc />
    public bool Equals(OcppReceiveResult other) =>
        IsClose == other.IsClose && CloseStatus == other.CloseStatus && Count == other.Count &&
        string.Equals(CloseDescription, other.CloseDescription, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OcppReceiveResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsClose, CloseStatus, CloseDescription, Count);

    /// <summary>Compares two results by value.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(OcppReceiveResult left, OcppReceiveResult right) => left.Equals(right);

    /// <summary>Compares two results by value.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(OcppReceiveResult left, OcppReceiveResult right) => !left.Equals(right);
}
