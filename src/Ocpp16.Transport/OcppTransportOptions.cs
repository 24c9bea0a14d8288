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
}
