using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Local Auth List Management profile (OCPP 1.6 §5.10, §5.15) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>GetLocalListVersion.req (OCPP 1.6 §5.10).</summary>
    /// <param name="request">The request: nothing.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetLocalListVersion"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetLocalListVersion.conf: the list version (0: empty list, -1: not supported).</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetLocalListVersionResponse> GetLocalListVersionAsync(GetLocalListVersionRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetLocalListVersion.req with the configured timeout; see <see cref="GetLocalListVersionAsync(GetLocalListVersionRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetLocalListVersion.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetLocalListVersionResponse> GetLocalListVersionAsync(GetLocalListVersionRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>SendLocalList.req (OCPP 1.6 §5.15).</summary>
    /// <param name="request">The request: the new list version, Full or Differential update, and the entries (see <see cref="Toolkit.LocalListManager"/>).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["SendLocalList"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated SendLocalList.conf: Accepted, Failed, NotSupported or VersionMismatch.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SendLocalListResponse> SendLocalListAsync(SendLocalListRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>SendLocalList.req with the configured timeout; see <see cref="SendLocalListAsync(SendLocalListRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated SendLocalList.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<SendLocalListResponse> SendLocalListAsync(SendLocalListRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
