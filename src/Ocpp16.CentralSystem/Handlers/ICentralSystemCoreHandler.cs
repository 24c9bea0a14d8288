using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Answers the Core profile actions a Charge Point sends (OCPP 1.6 §4). Register one with
/// <see cref="Ocpp16CentralSystemBuilder.AddCoreHandler{THandler}"/> (scoped by default: a new instance, in a new DI
/// scope, per CALL); single actions can instead be answered by delegates (<see cref="Ocpp16CentralSystemBuilder.Handle{TRequest, TResponse}"/>).
/// Without either, the defaults apply: BootNotification Accepted with <see cref="CentralSystemOptions.HeartbeatInterval"/>,
/// Heartbeat with the current time, StatusNotification, MeterValues and StopTransaction acknowledged, DataTransfer
/// UnknownVendorId; Authorize and StartTransaction are answered NotSupported (they need the application's decision).
/// A handler may throw <see cref="Transport.OcppCallErrorException"/> to answer a chosen CALLERROR; any other exception
/// is answered InternalError. To call the charge point after the answer is sent, use
/// <see cref="ConnectedChargePoint.AfterResponse"/>.
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
