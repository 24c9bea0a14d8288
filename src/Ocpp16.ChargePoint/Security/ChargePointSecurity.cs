using System.Security.Cryptography.X509Certificates;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Security;

/// <summary>
/// What one connection attempt uses (OCPP 1.6 Security Whitepaper ed. 3, §2 "Security Profiles"): the profile, the URL
/// and the credentials. Immutable: the Security module publishes a new one when the profile, the AuthorizationKey or
/// the certificates change; the connection supervisor reads it (off the loop) before each attempt.
/// </summary>
/// <param name="SecurityProfile">0 (nothing enforced), 1, 2 or 3.</param>
/// <param name="Uri">The Central System's base URL for this profile.</param>
/// <param name="Password">The HTTP Basic password (AuthorizationKey), or <see langword="null"/>; never logged.</param>
/// <param name="Roots">The CentralSystemRootCertificate(s) the server certificate must chain to; empty: the system's trust store.</param>
/// <param name="ClientCertificate">The ChargePointCertificate with its private key, or <see langword="null"/>.</param>
internal sealed record ConnectionSettings(int SecurityProfile, Uri? Uri, string? Password, X509Certificate2Collection Roots, X509Certificate2? ClientCertificate)
{
    /// <summary>The settings the options alone give (no Security module).</summary>
    public static ConnectionSettings FromOptions(ChargePointOptions options)
        => new(options.SecurityProfile, options.UriFor(options.SecurityProfile), options.Password, options.CentralSystemRootCertificates, options.ClientCertificate);

    /// <summary>Hides the password and keys from logs and test output.</summary>
    public override string ToString() => $"ConnectionSettings {{ SecurityProfile = {SecurityProfile}, Uri = {Uri}, Roots = {Roots.Count}, ClientCertificate = {ClientCertificate?.Subject} }}";
}

/// <summary>How one connection attempt went, reported to the loop (the Security module's fallback and security events).</summary>
internal sealed class ConnectionAttempt(ConnectionSettings settings)
{
    private volatile bool _serverCertificateRejected;

    public ConnectionSettings Settings { get; } = settings;

    /// <summary>The TLS handshake refused the Central System's certificate (InvalidCentralSystemCertificate).</summary>
    public bool ServerCertificateRejected
    {
        get => _serverCertificateRejected;
        set => _serverCertificateRejected = value;
    }

    /// <summary>Why the attempt failed, or <see langword="null"/> when it connected.</summary>
    public Exception? Error { get; set; }

    /// <summary>Whether the Central System refused the credentials with HTTP 401 (FailedToAuthenticateAtCentralSystem).</summary>
    /// <remarks>
    /// <see cref="System.Net.WebSockets.ClientWebSocket"/> reports a refused upgrade only in its message ("The server
    /// returned status code '401' when status code '101' was expected."), which is what this looks for.
    /// </remarks>
    public bool AuthenticationRefused => Error is System.Net.WebSockets.WebSocketException { Message: var m } && m.Contains("'401'", StringComparison.Ordinal);

    /// <summary>Whether TLS failed on the protocol version (InvalidTLSVersion): OpenSSL's and SChannel's wording.</summary>
    public bool TlsVersionRefused => ErrorSays("protocol version", "unsupported protocol", "wrong version number");

    /// <summary>
    /// Whether TLS failed because the two sides share no cipher suite (InvalidTLSCipherSuite): OpenSSL's "no shared
    /// cipher" / "no ciphers available" / "no cipher match" and SChannel's "do not possess a common algorithm"; and the
    /// generic handshake_failure alert (what a server sends when no offered suite is acceptable) only when this side
    /// offered no client certificate — with one (profile 3), that alert is as likely the server refusing it. Checked
    /// after <see cref="TlsVersionRefused"/>.
    /// </summary>
    public bool TlsCipherSuiteRefused
        => ErrorSays("no shared cipher", "no ciphers available", "no cipher match", "common algorithm")
            || (Settings.ClientCertificate is null && ErrorSays("handshake failure"));

    private bool ErrorSays(params ReadOnlySpan<string> phrases)
    {
        for (var e = Error; e is not null; e = e.InnerException)
        {
            foreach (var phrase in phrases)
            {
                if (e.Message.Contains(phrase, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>
/// Turns <see cref="ConnectionSettings"/> into WebSocket client options and checks that the options fit the chosen
/// security profile (OCPP 1.6 Security Whitepaper ed. 3, §2 "Security Profiles").
/// </summary>
internal static class ChargePointSecurity
{
    /// <summary>Checks the security options at construction, so a misconfigured charge point fails early.</summary>
    public static void Validate(ChargePointOptions options)
    {
        var profile = options.SecurityProfile;
        if (profile is 1 or 2)
        {
            if (string.IsNullOrEmpty(options.Password))
            {
                throw new ArgumentException($"Security profile {profile} needs ChargePointOptions.Password (HTTP Basic auth).");
            }

            if (options.Identity.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Security profile {profile} uses the identity as the HTTP Basic user name, which cannot contain ':'.");
            }
        }

        if (profile is 2 or 3)
        {
            if (options.TransportFactory is null && options.UriFor(profile) is { } uri && !IsTls(uri))
            {
                throw new ArgumentException($"Security profile {profile} needs TLS: ChargePointOptions.CentralSystemUri (or SecurityProfileUris[{profile}]) must be wss://.");
            }

            if (options.CentralSystemRootCertificates.Count == 0)
            {
                throw new ArgumentException($"Security profile {profile} needs ChargePointOptions.CentralSystemRootCertificates to validate the Central System's certificate.");
            }
        }

        if (profile == 3 && options.ClientCertificate is not { HasPrivateKey: true })
        {
            throw new ArgumentException("Security profile 3 needs ChargePointOptions.ClientCertificate with its private key.");
        }

        if (options.ClientCertificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("ChargePointOptions.ClientCertificate must have its private key.");
        }

        foreach (var (key, uri) in options.SecurityProfileUris)
        {
            if (key is < 0 or > 3 || !uri.IsAbsoluteUri || uri.Scheme is not ("ws" or "wss") || (key >= 2 && uri.Scheme != "wss"))
            {
                throw new ArgumentException($"ChargePointOptions.SecurityProfileUris[{key}] must be a profile 0 to 3 with an absolute ws:// URL (wss:// for profiles 2 and 3).");
            }
        }
    }

    /// <summary>Whether <paramref name="uri"/> is a TLS URL (wss or https).</summary>
    public static bool IsTls(Uri uri)
        => string.Equals(uri.Scheme, "wss", StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Scheme, "https", StringComparison.OrdinalIgnoreCase);

    /// <summary>The WebSocket client options for one connection attempt.</summary>
    /// <exception cref="InvalidOperationException">The settings cannot make a connection of their profile (no root, no certificate, no TLS URL).</exception>
    public static OcppWebSocketClientOptions CreateClientOptions(ConnectionAttempt attempt, int webSocketPingIntervalSeconds, TimeSpan pongTimeout)
    {
        var settings = attempt.Settings;
        var profile = settings.SecurityProfile;
        if (profile is 2 or 3)
        {
            if (settings.Uri is not { } uri || !IsTls(uri))
            {
                throw new InvalidOperationException($"Security profile {profile} needs a wss:// URL.");
            }

            if (settings.Roots.Count == 0)
            {
                throw new InvalidOperationException($"Security profile {profile} needs an installed CentralSystemRootCertificate.");
            }
        }

        if (profile == 3 && settings.ClientCertificate is not { HasPrivateKey: true })
        {
            throw new InvalidOperationException("Security profile 3 needs a ChargePointCertificate with its private key.");
        }

        var client = new OcppWebSocketClientOptions
        {
            // Profile 3 authenticates with the certificate only (no Basic auth).
            BasicAuthPassword = profile == 3 ? null : settings.Password,
        };

        // WebSocketPingInterval (OCPP 1.6 §9.1): ping every N seconds and give the pong PongTimeout to arrive, so a dead
        // Central System is noticed even when nothing is sent; 0 = no pings.
        if (webSocketPingIntervalSeconds > 0)
        {
            client.KeepAliveInterval = TimeSpan.FromSeconds(webSocketPingIntervalSeconds);
            client.KeepAliveTimeout = pongTimeout;
        }
        else
        {
            client.KeepAliveInterval = TimeSpan.Zero;
        }

        if (settings.Roots.Count > 0)
        {
            var validate = OcppCertificateValidation.CreateServerCertificateValidator(settings.Roots);
            client.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                var valid = validate(sender, certificate, chain, errors);
                if (!valid)
                {
                    attempt.ServerCertificateRejected = true;
                }

                return valid;
            };
        }

        if (settings.ClientCertificate is { } clientCertificate)
        {
            client.ClientCertificates = [clientCertificate];
        }

        return client;
    }
}
