using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Smart Charging profile (OCPP 1.6 §5.5, §5.7, §5.16) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>ClearChargingProfile.req (OCPP 1.6 §5.5).</summary>
    /// <param name="request">The request: optional id, connector, purpose and stack level to match.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ClearChargingProfile"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ClearChargingProfile.conf: Accepted or Unknown.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ClearChargingProfileResponse> ClearChargingProfileAsync(ClearChargingProfileRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ClearChargingProfile.req with the configured timeout; see <see cref="ClearChargingProfileAsync(ClearChargingProfileRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ClearChargingProfile.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ClearChargingProfileResponse> ClearChargingProfileAsync(ClearChargingProfileRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>GetCompositeSchedule.req (OCPP 1.6 §5.7).</summary>
    /// <param name="request">The request: the connector (0 = the grid connection), duration in seconds, optional rate unit.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetCompositeSchedule"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetCompositeSchedule.conf: the status and, when Accepted, the composite schedule.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetCompositeScheduleResponse> GetCompositeScheduleAsync(GetCompositeScheduleRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetCompositeSchedule.req with the configured timeout; see <see cref="GetCompositeScheduleAsync(GetCompositeScheduleRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetCompositeSchedule.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetCompositeScheduleResponse> GetCompositeScheduleAsync(GetCompositeScheduleRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>SetChargingProfile.req (OCPP 1.6 §5.16).</summary>
    /// <param name="request">The request: the connector (0 = the charge point) and the charging profile (check it first with <see cref="Toolkit.ChargingProfileValidator"/>).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["SetChargingProfile"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated SetChargingProfile.conf: Accepted, Rejected or NotSupported.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SetChargingProfileResponse> SetChargingProfileAsync(SetChargingProfileRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>SetChargingProfile.req with the configured timeout; see <see cref="SetChargingProfileAsync(SetChargingProfileRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated SetChargingProfile.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SetChargingProfileResponse> SetChargingProfileAsync(SetChargingProfileRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
