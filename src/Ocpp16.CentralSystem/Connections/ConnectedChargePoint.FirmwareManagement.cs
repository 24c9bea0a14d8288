using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Firmware Management profile (OCPP 1.6 §5.9, §5.19) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>GetDiagnostics.req (OCPP 1.6 §5.9).</summary>
    /// <param name="request">The request: the upload location (URI), optional retries, retry interval (s) and time window.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetDiagnostics"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetDiagnostics.conf: the file name of the diagnostics, when there is one.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetDiagnosticsResponse> GetDiagnosticsAsync(GetDiagnosticsRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetDiagnostics.req with the configured timeout; see <see cref="GetDiagnosticsAsync(GetDiagnosticsRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetDiagnostics.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetDiagnosticsResponse> GetDiagnosticsAsync(GetDiagnosticsRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>UpdateFirmware.req (OCPP 1.6 §5.19).</summary>
    /// <param name="request">The request: the download location (URI), retrieve date and optional retries and retry interval (s).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["UpdateFirmware"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated UpdateFirmware.conf: an empty confirmation; progress follows as FirmwareStatusNotification.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<UpdateFirmwareResponse> UpdateFirmwareAsync(UpdateFirmwareRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>UpdateFirmware.req with the configured timeout; see <see cref="UpdateFirmwareAsync(UpdateFirmwareRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated UpdateFirmware.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<UpdateFirmwareResponse> UpdateFirmwareAsync(UpdateFirmwareRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);
}
