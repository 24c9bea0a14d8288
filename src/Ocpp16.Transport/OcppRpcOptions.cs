namespace Ocpp16.Transport;

/// <summary>
/// Options of an <see cref="OcppRpcConnection"/>.
/// </summary>
public sealed class OcppRpcOptions
{
    private TimeSpan _defaultCallTimeout = TimeSpan.FromSeconds(30);
    private int _maxConsecutiveBadMessages = 10;
    private int _maxQueuedCalls = 1000;

    /// <summary>
    /// How long <see cref="OcppRpcConnection.CallAsync"/> waits for the CALLRESULT/CALLERROR when the caller gives no
    /// timeout. Default 30 seconds. <see cref="Timeout.InfiniteTimeSpan"/> waits until the connection closes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan DefaultCallTimeout
    {
        get => _defaultCallTimeout;
        set
        {
            ValidateTimeout(value, nameof(value));
            _defaultCallTimeout = value;
        }
    }

    /// <summary>
    /// How many outbound CALLs may wait behind the one in flight (OCPP-J allows one at a time). A CALL beyond the bound
    /// is refused at once with an <see cref="OcppException"/> instead of queueing without limit. Default 1000; at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxQueuedCalls
    {
        get => _maxQueuedCalls;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxQueuedCalls = value;
        }
    }

    /// <summary>
    /// How long <see cref="OcppRpcConnection.CloseAsync"/> lets the CALL in flight and the CALLs being handled finish
    /// before the close handshake. Default 5 seconds.
    /// </summary>
    public TimeSpan GracefulCloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Call timeouts for particular actions (e.g. a longer one for <c>GetDiagnostics</c>), overriding
    /// <see cref="DefaultCallTimeout"/> when the caller gives no timeout. Keys are action names (ordinal). Default empty.
    /// </summary>
    public IDictionary<string, TimeSpan> ActionTimeouts { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>The timeout for <paramref name="action"/>: its entry in <see cref="ActionTimeouts"/>, else <see cref="DefaultCallTimeout"/>.</summary>
    /// <param name="action">The action name.</param>
    /// <returns>The timeout to apply.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The configured entry is zero or negative.</exception>
    public TimeSpan TimeoutFor(string action)
    {
        if (ActionTimeouts.Count != 0 && ActionTimeouts.TryGetValue(action, out var timeout))
        {
            ValidateTimeout(timeout, nameof(ActionTimeouts));
            return timeout;
        }

        return DefaultCallTimeout;
    }

    /// <summary>
    /// After this many malformed frames in a row (see docs/wire-behaviour.md) the connection is closed with 1002
    /// (<see cref="System.Net.WebSockets.WebSocketCloseStatus.ProtocolError"/>). Default 10; at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxConsecutiveBadMessages
    {
        get => _maxConsecutiveBadMessages;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConsecutiveBadMessages = value;
        }
    }

    /// <summary>
    /// When <see langword="true"/>, the message of an exception thrown by a request handler is sent to the peer as the
    /// errorDescription of the InternalError CALLERROR. Default <see langword="false"/>: a generic description is sent,
    /// because exception text can leak internals.
    /// </summary>
    public bool DetailedErrors { get; set; }

    internal static void ValidateTimeout(TimeSpan value, string paramName)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The timeout must be positive or Timeout.InfiniteTimeSpan.");
        }
    }
}
