using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ocpp16.Transport;

/// <summary>
/// Options of <see cref="OcppWebSocketClient.ConnectAsync"/>.
/// </summary>
public sealed class OcppWebSocketClientOptions
{
    private TimeSpan _keepAliveInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The password for HTTP Basic authentication (OCPP 1.6 Security Whitepaper, security profiles 1 and 2); the user
    /// name is the charge point identity. Default <see langword="null"/>: no <c>Authorization</c> header. Never logged.
    /// </summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>
    /// The interval of WebSocket ping/pong keep-alive frames. Default 30 seconds; <see cref="TimeSpan.Zero"/> disables them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan KeepAliveInterval
    {
        get => _keepAliveInterval;
        set
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The keep-alive interval must not be negative.");
            }

            _keepAliveInterval = value;
        }
    }

    /// <summary>
    /// How long to wait for the pong answering a keep-alive ping before the connection is considered dead and aborted
    /// (a dead peer is detected even when nothing is being sent). Default <see cref="Timeout.InfiniteTimeSpan"/>:
    /// keep-alive frames are unsolicited pongs and no answer is expected. Needs a positive <see cref="KeepAliveInterval"/>.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Validates the server certificate for <c>wss://</c>; default <see langword="null"/>: the system's validation.</summary>
    public RemoteCertificateValidationCallback? RemoteCertificateValidationCallback { get; set; }

    /// <summary>Client certificates for TLS client authentication (security profile 3); default <see langword="null"/>: none.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>The options of the resulting transport (e.g. <see cref="OcppTransportOptions.MaxMessageSize"/>); default <see langword="null"/>: the defaults.</summary>
    public OcppTransportOptions? Transport { get; set; }
}

/// <summary>
/// Opens the charge point's WebSocket connection to a Central System (OCPP-J 1.6 §3).
/// </summary>
public static class OcppWebSocketClient
{
    /// <summary>The WebSocket subprotocol of OCPP 1.6-J (OCPP-J 1.6 §3.1.2).</summary>
    public const string SubProtocol = "ocpp1.6";

    /// <summary>
    /// Connects to <c>{baseUri}/{Uri.EscapeDataString(chargePointIdentity)}</c> with subprotocol <c>ocpp1.6</c>
    /// (OCPP-J 1.6 §3.1.1: the identity is the last path segment).
    /// </summary>
    /// <param name="baseUri">The Central System endpoint, e.g. <c>wss://csms.example.com/ocpp</c> (a trailing slash is
    /// fine; <c>http</c>/<c>https</c> are mapped to <c>ws</c>/<c>wss</c>).</param>
    /// <param name="chargePointIdentity">The charge point identity; URL-escaped into the last path segment, and the user name for Basic authentication.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The connected transport (owning its <see cref="ClientWebSocket"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseUri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="chargePointIdentity"/> is null or empty, or <paramref name="baseUri"/> is not absolute or not ws/wss/http/https.</exception>
    /// <exception cref="WebSocketException">The connection or handshake failed (e.g. HTTP 401 or 400).</exception>
    /// <exception cref="OcppProtocolException">The server did not select the <c>ocpp1.6</c> subprotocol (code ProtocolError).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<WebSocketOcppTransport> ConnectAsync(Uri baseUri, string chargePointIdentity, OcppWebSocketClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(chargePointIdentity);
        options ??= new OcppWebSocketClientOptions();
        var uri = BuildUri(baseUri, chargePointIdentity);

        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(SubProtocol);
            socket.Options.KeepAliveInterval = options.KeepAliveInterval;
            if (options.KeepAliveTimeout != Timeout.InfiniteTimeSpan && options.KeepAliveInterval > TimeSpan.Zero)
            {
                socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
            }
            if (options.BasicAuthPassword is not null)
            {
                var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(chargePointIdentity + ":" + options.BasicAuthPassword));
                socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
            }

            if (options.RemoteCertificateValidationCallback is not null)
            {
                socket.Options.RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback;
            }

            if (options.ClientCertificates is not null)
            {
                socket.Options.ClientCertificates = options.ClientCertificates;
            }

            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(socket.SubProtocol, SubProtocol, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.ProtocolError, "ocpp1.6 subprotocol required", closeTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
                {
                    // Best effort.
                }

                throw new OcppProtocolException(
                    "The Central System at " + uri.GetLeftPart(UriPartial.Path) + " did not select the WebSocket subprotocol 'ocpp1.6' (selected: '" + (socket.SubProtocol ?? "none") + "').");
            }

            return new WebSocketOcppTransport(socket, options.Transport) { RemoteAddress = uri.GetLeftPart(UriPartial.Path) };
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Builds <c>{baseUri}/{escaped identity}</c>, mapping http(s) to ws(s) and tolerating a trailing slash.</summary>
    internal static Uri BuildUri(Uri baseUri, string chargePointIdentity)
    {
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URI must be absolute.", nameof(baseUri));
        }

        var scheme = baseUri.Scheme.ToUpperInvariant() switch
        {
            "WS" or "HTTP" => "ws",
            "WSS" or "HTTPS" => "wss",
            _ => throw new ArgumentException("The base URI must use ws, wss, http or https.", nameof(baseUri)),
        };

        var path = baseUri.AbsolutePath;
        if (!path.EndsWith('/'))
        {
            path += "/";
        }

        var text = scheme + "://" + baseUri.Authority + path + Uri.EscapeDataString(chargePointIdentity) + baseUri.Query;
        return new Uri(text, UriKind.Absolute);
    }
}
