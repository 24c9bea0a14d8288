namespace Ocpp16.CentralSystem;

/// <summary>
/// Decides whether a charge point may connect (OCPP 1.6 Security Whitepaper ed. 3, §2: security profile 1 HTTP Basic
/// auth, profile 2 TLS + Basic auth, profile 3 TLS client certificate). A ready-made one that implements all three is
/// <see cref="Security.ChargePointCredentialAuthenticator"/> (<c>AddCredentialStore</c>).
/// </summary>
public interface IChargePointAuthenticator
{
    /// <summary>
    /// Checks a connecting charge point before the WebSocket upgrade. Called only for requests that passed the cheap
    /// checks first (a valid identity, a WebSocket upgrade offering <c>ocpp1.6</c>, the registry and the duplicate
    /// connection policy), and by at most <see cref="CentralSystemOptions.MaxConcurrentAuthentications"/> requests at a
    /// time, so an expensive password hash cannot be triggered by any plain GET.
    /// </summary>
    /// <param name="context">Identity, Basic auth password (never log it) and the HTTP request.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns><see langword="true"/> to accept; <see langword="false"/> refuses the handshake with HTTP 401.</returns>
    ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken);
}

/// <summary>What an <see cref="IChargePointAuthenticator"/> sees of a connecting charge point.</summary>
/// <param name="ChargePointId">The identity: the <c>{chargePointId}</c> route value (URL-decoded).</param>
/// <param name="Password">The HTTP Basic password when the request carried Basic credentials for this identity; <see langword="null"/> otherwise.</param>
/// <param name="HttpContext">The upgrade request (remote address, client certificate, headers).</param>
public sealed record ChargePointAuthenticationContext(string ChargePointId, string? Password, Microsoft.AspNetCore.Http.HttpContext HttpContext)
{
    /// <summary>Whether the request came over TLS (<c>wss://</c>); security profiles 2 and 3 require it.</summary>
    public bool IsTls => HttpContext.Request.IsHttps;

    /// <summary>
    /// The negotiated TLS version, or <see cref="System.Security.Authentication.SslProtocols.None"/> without TLS (or when
    /// the server does not report it). Security profiles 2 and 3 require TLS 1.2 or newer.
    /// </summary>
    public System.Security.Authentication.SslProtocols TlsProtocol
        => IsTls ? HttpContext.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.Protocol ?? System.Security.Authentication.SslProtocols.None : System.Security.Authentication.SslProtocols.None;

    /// <summary>The remote IP address of the connection, when known.</summary>
    public System.Net.IPAddress? RemoteAddress => HttpContext.Connection.RemoteIpAddress;

    /// <summary>
    /// The TLS client certificate presented during the handshake (security profile 3), or <see langword="null"/>. With
    /// Kestrel's <c>ClientCertificateMode.DelayCertificate</c> it is only available after
    /// <see cref="GetClientCertificateAsync"/>.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate => HttpContext.Connection.ClientCertificate;

    /// <summary>
    /// Gets the TLS client certificate, asking the client for one (TLS renegotiation) when Kestrel is configured with
    /// <c>ClientCertificateMode.DelayCertificate</c> and none was sent yet.
    /// </summary>
    /// <param name="cancellationToken">Cancels the renegotiation.</param>
    /// <returns>The certificate, or <see langword="null"/> when the client has none or the connection is not TLS.</returns>
    public Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken = default)
        => IsTls ? HttpContext.Connection.GetClientCertificateAsync(cancellationToken) : Task.FromResult<System.Security.Cryptography.X509Certificates.X509Certificate2?>(null);

    /// <summary>Returns the identity only: the password is never printed.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"ChargePointAuthenticationContext {{ ChargePointId = {ChargePointId} }}";
}
