using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Answers the Firmware Management actions a Charge Point sends (OCPP 1.6 §4.4, §4.5). Without one (or a delegate per
/// action) both notifications are acknowledged. Registered like <see cref="ICentralSystemCoreHandler"/>.
/// </summary>
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
