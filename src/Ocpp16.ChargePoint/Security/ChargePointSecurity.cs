using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Security;

/// <summary>
/// Turns the security options of <see cref="ChargePointOptions"/> into WebSocket client options and checks that they
/// fit the chosen security profile (OCPP 1.6 Security Whitepaper ed. 3, §2 "Security Profiles").
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
            if (options.TransportFactory is null && options.CentralSystemUri is { } uri
                && !string.Equals(uri.Scheme, "wss", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(uri.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Security profile {profile} needs TLS: ChargePointOptions.CentralSystemUri must be wss://.");
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
    }

    /// <summary>The WebSocket client options for one connection attempt.</summary>
    public static OcppWebSocketClientOptions CreateClientOptions(ChargePointOptions options, int webSocketPingIntervalSeconds)
    {
        var client = new OcppWebSocketClientOptions
        {
            // Profile 3 authenticates with the certificate only (no Basic auth).
            BasicAuthPassword = options.SecurityProfile == 3 ? null : options.Password,
        };

        // WebSocketPingInterval (OCPP 1.6 §9.1): ping every N seconds and give the pong PongTimeout to arrive, so a dead
        // Central System is noticed even when nothing is sent; 0 = no pings.
        if (webSocketPingIntervalSeconds > 0)
        {
            client.KeepAliveInterval = TimeSpan.FromSeconds(webSocketPingIntervalSeconds);
            client.KeepAliveTimeout = options.PongTimeout;
        }
        else
        {
            client.KeepAliveInterval = TimeSpan.Zero;
        }

        if (options.CentralSystemRootCertificates.Count > 0)
        {
            client.RemoteCertificateValidationCallback = OcppCertificateValidation.CreateServerCertificateValidator(options.CentralSystemRootCertificates);
        }

        if (options.ClientCertificate is { } certificate)
        {
            client.ClientCertificates = [certificate];
        }

        return client;
    }
}
