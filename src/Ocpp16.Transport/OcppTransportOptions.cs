namespace Ocpp16.Transport;

/// <summary>
/// Options of a <see cref="WebSocketOcppTransport"/>.
/// </summary>
public sealed class OcppTransportOptions
{
    /// <summary>The default of <see cref="MaxMessageSize"/>: 1 MiB (1,048,576 bytes).</summary>
    public const int DefaultMaxMessageSize = 1024 * 1024;

    private int _maxMessageSize = DefaultMaxMessageSize;

    /// <summary>
    /// The largest accepted incoming message, in bytes of UTF-8. A larger message closes the connection with
    /// status 1009 (<see cref="System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig"/>). Default 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 16.</exception>
    public int MaxMessageSize
    {
        get => _maxMessageSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 16);
            _maxMessageSize = value;
        }
    }

    /// <summary>
    /// Server side (<c>Ocpp16.CentralSystem.OcppWebSocketServer</c>): the interval of WebSocket pings sent to the peer. Default
    /// <see langword="null"/>: the server's default keep-alive (Kestrel's unsolicited pongs). Use with
    /// <see cref="KeepAliveTimeout"/> to detect dead charge points.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; set; }

    /// <summary>
    /// Server side: how long to wait for the pong answering a ping before the connection is aborted. Default
    /// <see langword="null"/>: no deadline.
    /// </summary>
    public TimeSpan? KeepAliveTimeout { get; set; }
}
