using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Security extension (OCPP 1.6 Security Whitepaper ed. 3) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>CertificateSigned.req (OCPP 1.6 Security Whitepaper §4.1 (A02)).</summary>
    /// <param name="request">The request: the signed certificate chain (PEM, at most 10000 characters).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["CertificateSigned"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated CertificateSigned.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<CertificateSignedResponse> CertificateSignedAsync(CertificateSignedRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>CertificateSigned.req with the configured timeout; see <see cref="CertificateSignedAsync(CertificateSignedRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated CertificateSigned.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<CertificateSignedResponse> CertificateSignedAsync(CertificateSignedRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>DeleteCertificate.req (OCPP 1.6 Security Whitepaper (M04)).</summary>
    /// <param name="request">The request: the hash data of the certificate to delete.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["DeleteCertificate"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated DeleteCertificate.conf: Accepted, Failed or NotFound.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<DeleteCertificateResponse> DeleteCertificateAsync(DeleteCertificateRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>DeleteCertificate.req with the configured timeout; see <see cref="DeleteCertificateAsync(DeleteCertificateRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated DeleteCertificate.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<DeleteCertificateResponse> DeleteCertificateAsync(DeleteCertificateRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>ExtendedTriggerMessage.req (OCPP 1.6 Security Whitepaper (F06)).</summary>
    /// <param name="request">The request: the message to trigger (including the security messages) and optionally the connector.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ExtendedTriggerMessage"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ExtendedTriggerMessage.conf: Accepted, Rejected or NotImplemented.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ExtendedTriggerMessageResponse> ExtendedTriggerMessageAsync(ExtendedTriggerMessageRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ExtendedTriggerMessage.req with the configured timeout; see <see cref="ExtendedTriggerMessageAsync(ExtendedTriggerMessageRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ExtendedTriggerMessage.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ExtendedTriggerMessageResponse> ExtendedTriggerMessageAsync(ExtendedTriggerMessageRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>GetInstalledCertificateIds.req (OCPP 1.6 Security Whitepaper (M03)).</summary>
    /// <param name="request">The request: the certificate type (CentralSystemRootCertificate or ManufacturerRootCertificate).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetInstalledCertificateIds"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetInstalledCertificateIds.conf: Accepted or NotFound, with the hash data of each certificate.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetInstalledCertificateIdsResponse> GetInstalledCertificateIdsAsync(GetInstalledCertificateIdsRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetInstalledCertificateIds.req with the configured timeout; see <see cref="GetInstalledCertificateIdsAsync(GetInstalledCertificateIdsRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetInstalledCertificateIds.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetInstalledCertificateIdsResponse> GetInstalledCertificateIdsAsync(GetInstalledCertificateIdsRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>GetLog.req (OCPP 1.6 Security Whitepaper (N01)).</summary>
    /// <param name="request">The request: the log type, request id, upload location and optional retries and time window.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetLog"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetLog.conf: Accepted, Rejected or AcceptedCanceled, and the file name.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetLogResponse> GetLogAsync(GetLogRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetLog.req with the configured timeout; see <see cref="GetLogAsync(GetLogRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetLog.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetLogResponse> GetLogAsync(GetLogRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>InstallCertificate.req (OCPP 1.6 Security Whitepaper (M05)).</summary>
    /// <param name="request">The request: the certificate type and the certificate (PEM, at most 5500 characters).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["InstallCertificate"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated InstallCertificate.conf: Accepted, Failed or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<InstallCertificateResponse> InstallCertificateAsync(InstallCertificateRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>InstallCertificate.req with the configured timeout; see <see cref="InstallCertificateAsync(InstallCertificateRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated InstallCertificate.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<InstallCertificateResponse> InstallCertificateAsync(InstallCertificateRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>SignedUpdateFirmware.req (OCPP 1.6 Security Whitepaper (L01)).</summary>
    /// <param name="request">The request: the firmware location, signing certificate, signature, retrieve date and request id.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["SignedUpdateFirmware"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated SignedUpdateFirmware.conf: Accepted, Rejected, AcceptedCanceled, InvalidCertificate or RevokedCertificate.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SignedUpdateFirmwareResponse> SignedUpdateFirmwareAsync(SignedUpdateFirmwareRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>SignedUpdateFirmware.req with the configured timeout; see <see cref="SignedUpdateFirmwareAsync(SignedUpdateFirmwareRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated SignedUpdateFirmware.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SignedUpdateFirmwareResponse> SignedUpdateFirmwareAsync(SignedUpdateFirmwareRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
