using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Reservation profile (OCPP 1.6 §5.1, §5.13) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>CancelReservation.req (OCPP 1.6 §5.1).</summary>
    /// <param name="request">The request: the reservation id.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["CancelReservation"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated CancelReservation.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<CancelReservationResponse> CancelReservationAsync(CancelReservationRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>CancelReservation.req with the configured timeout; see <see cref="CancelReservationAsync(CancelReservationRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated CancelReservation.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<CancelReservationResponse> CancelReservationAsync(CancelReservationRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>ReserveNow.req (OCPP 1.6 §5.13).</summary>
    /// <param name="request">The request: connector (0 = any), expiry date, idTag, optional parentIdTag and the reservation id.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ReserveNow"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ReserveNow.conf: Accepted, Faulted, Occupied, Rejected or Unavailable.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ReserveNowResponse> ReserveNowAsync(ReserveNowRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ReserveNow.req with the configured timeout; see <see cref="ReserveNowAsync(ReserveNowRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ReserveNow.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ReserveNowResponse> ReserveNowAsync(ReserveNowRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
