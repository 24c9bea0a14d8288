using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

// Typed calls of the Core profile (OCPP 1.6 §5) (errors: see the remarks on ConnectedChargePoint).
public sealed partial class ConnectedChargePoint
{
    /// <summary>ChangeAvailability.req (OCPP 1.6 §5.2).</summary>
    /// <param name="request">The request: connector 0 (the whole charge point) or 1..n, Inoperative or Operative.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ChangeAvailability"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ChangeAvailability.conf: Accepted, Rejected or Scheduled.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeAvailabilityResponse> ChangeAvailabilityAsync(ChangeAvailabilityRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ChangeAvailability.req with the configured timeout; see <see cref="ChangeAvailabilityAsync(ChangeAvailabilityRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ChangeAvailability.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeAvailabilityResponse> ChangeAvailabilityAsync(ChangeAvailabilityRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>ChangeConfiguration.req (OCPP 1.6 §5.3).</summary>
    /// <param name="request">The request: a key (at most 50 characters) and its new value (at most 500).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ChangeConfiguration"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ChangeConfiguration.conf: Accepted, Rejected, RebootRequired or NotSupported.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeConfigurationResponse> ChangeConfigurationAsync(ChangeConfigurationRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ChangeConfiguration.req with the configured timeout; see <see cref="ChangeConfigurationAsync(ChangeConfigurationRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ChangeConfiguration.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeConfigurationResponse> ChangeConfigurationAsync(ChangeConfigurationRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>ClearCache.req (OCPP 1.6 §5.4).</summary>
    /// <param name="request">The request: nothing (the authorization cache is cleared).</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["ClearCache"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated ClearCache.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ClearCacheResponse> ClearCacheAsync(ClearCacheRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>ClearCache.req with the configured timeout; see <see cref="ClearCacheAsync(ClearCacheRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated ClearCache.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ClearCacheResponse> ClearCacheAsync(ClearCacheRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>DataTransfer.req (OCPP 1.6 §5.6).</summary>
    /// <param name="request">The request: a vendor id (at most 255 characters), optional message id and data.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["DataTransfer"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated DataTransfer.conf: the charge point's status and data.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<DataTransferResponse> DataTransferAsync(DataTransferRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>DataTransfer.req with the configured timeout; see <see cref="DataTransferAsync(DataTransferRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated DataTransfer.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<DataTransferResponse> DataTransferAsync(DataTransferRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>GetConfiguration.req (OCPP 1.6 §5.8).</summary>
    /// <param name="request">The request: the keys to read, or none for all.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["GetConfiguration"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated GetConfiguration.conf: the known keys with values and read-only flags, and the unknown keys.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetConfigurationResponse> GetConfigurationAsync(GetConfigurationRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>GetConfiguration.req with the configured timeout; see <see cref="GetConfigurationAsync(GetConfigurationRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated GetConfiguration.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetConfigurationResponse> GetConfigurationAsync(GetConfigurationRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>RemoteStartTransaction.req (OCPP 1.6 §5.11).</summary>
    /// <param name="request">The request: the idTag, optionally the connector and a TxProfile charging profile.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["RemoteStartTransaction"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated RemoteStartTransaction.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<RemoteStartTransactionResponse> RemoteStartTransactionAsync(RemoteStartTransactionRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>RemoteStartTransaction.req with the configured timeout; see <see cref="RemoteStartTransactionAsync(RemoteStartTransactionRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated RemoteStartTransaction.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<RemoteStartTransactionResponse> RemoteStartTransactionAsync(RemoteStartTransactionRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>RemoteStopTransaction.req (OCPP 1.6 §5.12).</summary>
    /// <param name="request">The request: the transaction id.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["RemoteStopTransaction"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated RemoteStopTransaction.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<RemoteStopTransactionResponse> RemoteStopTransactionAsync(RemoteStopTransactionRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>RemoteStopTransaction.req with the configured timeout; see <see cref="RemoteStopTransactionAsync(RemoteStopTransactionRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated RemoteStopTransaction.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<RemoteStopTransactionResponse> RemoteStopTransactionAsync(RemoteStopTransactionRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>Reset.req (OCPP 1.6 §5.14).</summary>
    /// <param name="request">The request: Soft or Hard.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["Reset"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated Reset.conf: Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ResetResponse> ResetAsync(ResetRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>Reset.req with the configured timeout; see <see cref="ResetAsync(ResetRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated Reset.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ResetResponse> ResetAsync(ResetRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>UnlockConnector.req (OCPP 1.6 §5.18).</summary>
    /// <param name="request">The request: connector 1..n.</param>
    /// <param name="timeout">How long to wait for the answer; <see langword="null"/> for <see cref="CentralSystemOptions.ActionTimeouts"/>["UnlockConnector"] or <see cref="CentralSystemOptions.CallTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated UnlockConnector.conf: Unlocked, UnlockFailed or NotSupported.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<UnlockConnectorResponse> UnlockConnectorAsync(UnlockConnectorRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => CallAsync(request, timeout, cancellationToken);

    /// <summary>UnlockConnector.req with the configured timeout; see <see cref="UnlockConnectorAsync(UnlockConnectorRequest, TimeSpan?, CancellationToken)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated UnlockConnector.conf.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<UnlockConnectorResponse> UnlockConnectorAsync(UnlockConnectorRequest request, CancellationToken cancellationToken) => CallAsync(request, null, cancellationToken);

    /// <summary>RemoteStopTransaction (OCPP 1.6 §5.12) of one transaction.</summary>
    /// <param name="transactionId">The TransactionId to stop.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<RemoteStopTransactionResponse> RemoteStopTransactionAsync(int transactionId, CancellationToken cancellationToken = default)
        => CallAsync(new RemoteStopTransactionRequest { TransactionId = transactionId }, null, cancellationToken);

    /// <summary>GetConfiguration (OCPP 1.6 §5.8) of some keys or all.</summary>
    /// <param name="keys">Keys to read, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Known keys with values, and unknown keys.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<GetConfigurationResponse> GetConfigurationAsync(IReadOnlyList<string>? keys = null, CancellationToken cancellationToken = default)
        => CallAsync(new GetConfigurationRequest { Key = keys }, null, cancellationToken);

    /// <summary>ChangeConfiguration (OCPP 1.6 §5.3) of one key.</summary>
    /// <param name="key">Key, at most 50 characters.</param>
    /// <param name="value">Value, at most 500 characters.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted, Rejected, RebootRequired or NotSupported.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeConfigurationResponse> ChangeConfigurationAsync(string key, string value, CancellationToken cancellationToken = default)
        => CallAsync(new ChangeConfigurationRequest { Key = key, Value = value }, null, cancellationToken);

    /// <summary>Reset (OCPP 1.6 §5.14).</summary>
    /// <param name="type">Soft or Hard.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ResetResponse> ResetAsync(ResetType type, CancellationToken cancellationToken = default)
        => CallAsync(new ResetRequest { Type = type }, null, cancellationToken);

    /// <summary>UnlockConnector (OCPP 1.6 §5.18).</summary>
    /// <param name="connectorId">Connector 1..n.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Unlocked, UnlockFailed or NotSupported.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<UnlockConnectorResponse> UnlockConnectorAsync(int connectorId, CancellationToken cancellationToken = default)
        => CallAsync(new UnlockConnectorRequest { ConnectorId = connectorId }, null, cancellationToken);

    /// <summary>ChangeAvailability (OCPP 1.6 §5.2).</summary>
    /// <param name="connectorId">0 for the whole charge point, or 1..n.</param>
    /// <param name="type">Inoperative or Operative.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted, Rejected or Scheduled.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ChangeAvailabilityResponse> ChangeAvailabilityAsync(int connectorId, AvailabilityType type, CancellationToken cancellationToken = default)
        => CallAsync(new ChangeAvailabilityRequest { ConnectorId = connectorId, Type = type }, null, cancellationToken);

    /// <summary>ClearCache (OCPP 1.6 §5.4).</summary>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="Transport.OcppException">See the remarks of <see cref="ConnectedChargePoint"/>.</exception>
    public Task<ClearCacheResponse> ClearCacheAsync(CancellationToken cancellationToken = default)
        => CallAsync(new ClearCacheRequest(), null, cancellationToken);
}
