using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Remote Trigger profile (OCPP 1.6 §5.17) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>TriggerMessage.req (OCPP 1.6 §5.17).</summary>
    /// <param name="request">The request: the message to trigger and optionally the connector.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["TriggerMessage"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated TriggerMessage.conf: Accepted, Rejected or NotImplemented; the triggered CALL follows.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<TriggerMessageResponse> TriggerMessageAsync(TriggerMessageRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>TriggerMessage.req with the configured timeout; see <see cref="TriggerMessageAsync(TriggerMessageRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated TriggerMessage.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<TriggerMessageResponse> TriggerMessageAsync(TriggerMessageRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
