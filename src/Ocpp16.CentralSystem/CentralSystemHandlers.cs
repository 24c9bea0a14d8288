using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Answers the Core profile actions a Charge Point sends (OCPP 1.6 §4). Register one with
/// <see cref="Ocpp16CentralSystemBuilder.AddCoreHandler{THandler}"/>; without one, these actions are answered
/// NotSupported. A handler may throw <see cref="Transport.OcppCallErrorException"/> to answer a chosen CALLERROR;
/// any other exception is answered InternalError.
/// </summary>
public interface ICentralSystemCoreHandler
{
    /// <summary>Authorize.req (OCPP 1.6 §4.1): decide whether the IdTag may charge.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The IdTagInfo to answer.</returns>
    ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken);

    /// <summary>BootNotification.req (OCPP 1.6 §4.2): register the charge point; answer Accepted/Pending/Rejected with the heartbeat interval in seconds.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The registration status, current time and interval.</returns>
    ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken);

    /// <summary>DataTransfer.req from the charge point (OCPP 1.6 §4.3).</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The status (UnknownVendorId when the vendor is not known).</returns>
    ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken);

    /// <summary>Heartbeat.req (OCPP 1.6 §4.6): answer the current time.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The current time (UTC).</returns>
    ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken);

    /// <summary>MeterValues.req (OCPP 1.6 §4.7): energy in Wh, power in W, current in A per SampledValue.unit.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken);

    /// <summary>StartTransaction.req (OCPP 1.6 §4.8): assign a TransactionId and answer the IdTagInfo; meterStart in Wh.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The TransactionId and IdTagInfo.</returns>
    ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken);

    /// <summary>StatusNotification.req (OCPP 1.6 §4.9) for connector 0 (the charge point) or 1..n.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken);

    /// <summary>StopTransaction.req (OCPP 1.6 §4.10): meterStop in Wh; may arrive long after the fact (offline queue).</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>Optionally the IdTagInfo of the IdTag.</returns>
    ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken);
}

/// <summary>Answers the Firmware Management actions a Charge Point sends (OCPP 1.6 §4.4, §4.5).</summary>
public interface ICentralSystemFirmwareManagementHandler
{
    /// <summary>DiagnosticsStatusNotification.req (OCPP 1.6 §4.4).</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<DiagnosticsStatusNotificationResponse> OnDiagnosticsStatusNotificationAsync(ConnectedChargePoint chargePoint, DiagnosticsStatusNotificationRequest request, CancellationToken cancellationToken);

    /// <summary>FirmwareStatusNotification.req (OCPP 1.6 §4.5).</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<FirmwareStatusNotificationResponse> OnFirmwareStatusNotificationAsync(ConnectedChargePoint chargePoint, FirmwareStatusNotificationRequest request, CancellationToken cancellationToken);
}

/// <summary>Answers the Security extension actions a Charge Point sends (OCPP 1.6 Security Whitepaper ed. 3).</summary>
public interface ICentralSystemSecurityHandler
{
    /// <summary>LogStatusNotification.req.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<LogStatusNotificationResponse> OnLogStatusNotificationAsync(ConnectedChargePoint chargePoint, LogStatusNotificationRequest request, CancellationToken cancellationToken);

    /// <summary>SecurityEventNotification.req.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<SecurityEventNotificationResponse> OnSecurityEventNotificationAsync(ConnectedChargePoint chargePoint, SecurityEventNotificationRequest request, CancellationToken cancellationToken);

    /// <summary>SignCertificate.req: a CSR (PEM, at most 5500 characters) to be signed.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>Accepted or Rejected.</returns>
    ValueTask<SignCertificateResponse> OnSignCertificateAsync(ConnectedChargePoint chargePoint, SignCertificateRequest request, CancellationToken cancellationToken);

    /// <summary>SignedFirmwareStatusNotification.req.</summary>
    /// <param name="chargePoint">The connected charge point that sent it.</param>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The (empty) confirmation.</returns>
    ValueTask<SignedFirmwareStatusNotificationResponse> OnSignedFirmwareStatusNotificationAsync(ConnectedChargePoint chargePoint, SignedFirmwareStatusNotificationRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Decides whether a charge point may connect (OCPP 1.6 Security Whitepaper ed. 3, §2: security profile 1 HTTP Basic
/// auth, profile 2 TLS + Basic auth, profile 3 TLS client certificate). A ready-made one that implements all three is
/// <see cref="Security.ChargePointCredentialAuthenticator"/> (<c>AddCredentialStore</c>).
/// </summary>
public interface IChargePointAuthenticator
{
    /// <summary>Checks a connecting charge point before the WebSocket upgrade.</summary>
    /// <param name="context">Identity, Basic auth password (never log it) and the HTTP request.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns><see langword="true"/> to accept; <see langword="false"/> refuses the handshake with HTTP 401.</returns>
    ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken);
}

/// <summary>What an <see cref="IChargePointAuthenticator"/> sees of a connecting charge point.</summary>
/// <param name="ChargePointId">The identity from the URL's last path segment (URL-decoded).</param>
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
