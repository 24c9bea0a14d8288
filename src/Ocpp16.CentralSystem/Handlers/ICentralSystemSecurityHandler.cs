using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Answers the Security extension actions a Charge Point sends (OCPP 1.6 Security Whitepaper ed. 3). Without one (or a
/// delegate per action) the three notifications are acknowledged and SignCertificate is answered NotSupported (signing
/// needs the application's CA). Registered like <see cref="ICentralSystemCoreHandler"/>.
/// </summary>
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
