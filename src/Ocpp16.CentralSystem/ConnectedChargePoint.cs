using System.Net.WebSockets;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// A charge point connected to this Central System: its identity and typed calls for the CS→CP actions.
/// Obtained from <see cref="OcppCentralSystem"/> or passed to the handlers. Owned by the Central System, which closes it.
/// </summary>
public sealed class ConnectedChargePoint : IOcppViolationSink
{
    private readonly OcppRpcConnection _connection;
    private readonly CentralSystemOptions _options;
    private readonly OcppCentralSystem? _owner;

    internal ConnectedChargePoint(string id, OcppRpcConnection connection, CentralSystemOptions options, string? remoteAddress, DateTimeOffset connectedAt, OcppCentralSystem? owner = null)
    {
        Id = id;
        _owner = owner;
        _connection = connection;
        _options = options;
        RemoteAddress = remoteAddress;
        ConnectedAt = connectedAt;
    }

    /// <summary>The charge point identity (the URL's last path segment, URL-decoded).</summary>
    public string Id { get; }

    /// <summary>The remote IP address, when known.</summary>
    public string? RemoteAddress { get; }

    /// <summary>When the WebSocket connection was accepted (UTC).</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Whether the connection has closed.</summary>
    public bool IsDisconnected => _connection.IsDisconnected;

    internal OcppRpcConnection Connection => _connection;

    /// <summary>
    /// Sends a CS→CP request and returns the typed response (OCPP-J 1.6 §4: one CALL in flight, later ones queue).
    /// The request is validated before sending and the response after receiving.
    /// </summary>
    /// <typeparam name="TResponse">The response type of the action.</typeparam>
    /// <param name="request">The request, e.g. a <see cref="ResetRequest"/>.</param>
    /// <param name="cancellationToken">Cancels waiting (the CALL stays in flight until answered or timed out).</param>
    /// <returns>The validated response.</returns>
    /// <exception cref="ArgumentException">The request violates its schema; nothing was sent.</exception>
    /// <exception cref="OcppCallErrorException">The charge point answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within <see cref="CentralSystemOptions.CallTimeout"/>.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed first.</exception>
    /// <exception cref="OcppProtocolException">The response violates its schema.</exception>
    public Task<TResponse> CallAsync<TResponse>(IOcppRequest<TResponse> request, CancellationToken cancellationToken = default)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
        => OcppTypedRpc.CallAsync(_connection, request, _options.Validation, this, _options.CallTimeout, cancellationToken).AsTask();

    /// <summary>The next older live connection with the same identity, if any (the Central System's registry chain).</summary>
    internal ConnectedChargePoint? OlderSameIdentity { get; set; }

    /// <summary>Reports a payload violation to the owning Central System (its log, metric and event).</summary>
    /// <param name="violation">The violation.</param>
    void IOcppViolationSink.Report(OcppPayloadViolation violation) => _owner?.ReportViolation(this, violation);

    /// <summary>
    /// Sends any CS→CP request and returns the raw result as a value: the CALLRESULT payload (not yet validated),
    /// a CALLERROR, a timeout or a disconnect. For generic tooling such as an HTTP command API.
    /// </summary>
    /// <param name="request">The request; validated before sending.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The call result.</returns>
    /// <exception cref="ArgumentException">The request violates its schema; nothing was sent.</exception>
    public async Task<OcppCallResult> SendAsync(IOcppRequest request, CancellationToken cancellationToken = default)
    {
        OcppTypedRpc.ValidateOutgoingRequest(request, _options.Validation, this);

        return await _connection.CallAsync(request.Action, request, _options.CallTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RemoteStartTransaction (OCPP 1.6 §5.11).</summary>
    /// <param name="request">IdTag, optional connector and TxProfile.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<RemoteStartTransactionResponse> RemoteStartTransactionAsync(RemoteStartTransactionRequest request, CancellationToken cancellationToken = default) => CallAsync(request, cancellationToken);

    /// <summary>RemoteStopTransaction (OCPP 1.6 §5.12).</summary>
    /// <param name="transactionId">The TransactionId to stop.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<RemoteStopTransactionResponse> RemoteStopTransactionAsync(int transactionId, CancellationToken cancellationToken = default)
        => CallAsync(new RemoteStopTransactionRequest { TransactionId = transactionId }, cancellationToken);

    /// <summary>GetConfiguration (OCPP 1.6 §5.8).</summary>
    /// <param name="keys">Keys to read, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Known keys with values, and unknown keys.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<GetConfigurationResponse> GetConfigurationAsync(IReadOnlyList<string>? keys = null, CancellationToken cancellationToken = default)
        => CallAsync(new GetConfigurationRequest { Key = keys }, cancellationToken);

    /// <summary>ChangeConfiguration (OCPP 1.6 §5.3).</summary>
    /// <param name="key">Key, at most 50 characters.</param>
    /// <param name="value">Value, at most 500 characters.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted, Rejected, RebootRequired or NotSupported.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<ChangeConfigurationResponse> ChangeConfigurationAsync(string key, string value, CancellationToken cancellationToken = default)
        => CallAsync(new ChangeConfigurationRequest { Key = key, Value = value }, cancellationToken);

    /// <summary>Reset (OCPP 1.6 §5.14).</summary>
    /// <param name="type">Soft or Hard.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<ResetResponse> ResetAsync(ResetType type, CancellationToken cancellationToken = default)
        => CallAsync(new ResetRequest { Type = type }, cancellationToken);

    /// <summary>UnlockConnector (OCPP 1.6 §5.18).</summary>
    /// <param name="connectorId">Connector 1..n.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Unlocked, UnlockFailed or NotSupported.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<UnlockConnectorResponse> UnlockConnectorAsync(int connectorId, CancellationToken cancellationToken = default)
        => CallAsync(new UnlockConnectorRequest { ConnectorId = connectorId }, cancellationToken);

    /// <summary>ChangeAvailability (OCPP 1.6 §5.2).</summary>
    /// <param name="connectorId">0 for the whole charge point, or 1..n.</param>
    /// <param name="type">Inoperative or Operative.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted, Rejected or Scheduled.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<ChangeAvailabilityResponse> ChangeAvailabilityAsync(int connectorId, AvailabilityType type, CancellationToken cancellationToken = default)
        => CallAsync(new ChangeAvailabilityRequest { ConnectorId = connectorId, Type = type }, cancellationToken);

    /// <summary>ClearCache (OCPP 1.6 §5.4).</summary>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>Accepted or Rejected.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<ClearCacheResponse> ClearCacheAsync(CancellationToken cancellationToken = default)
        => CallAsync(new ClearCacheRequest(), cancellationToken);

    /// <summary>DataTransfer to the charge point (OCPP 1.6 §5.6).</summary>
    /// <param name="request">Vendor id (at most 255 characters), message id and data.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The charge point's status and data.</returns>
    /// <exception cref="OcppException">See <see cref="CallAsync{TResponse}"/>.</exception>
    public Task<DataTransferResponse> DataTransferAsync(DataTransferRequest request, CancellationToken cancellationToken = default) => CallAsync(request, cancellationToken);

    /// <summary>Closes the connection.</summary>
    /// <param name="description">Close reason sent to the charge point.</param>
    /// <param name="cancellationToken">Cancels the close handshake.</param>
    /// <returns>A task that completes when closed.</returns>
    public Task CloseAsync(string? description = null, CancellationToken cancellationToken = default)
        => _connection.CloseAsync(WebSocketCloseStatus.NormalClosure, description, cancellationToken);

    /// <summary>Returns the identity.</summary>
    /// <returns><see cref="Id"/>.</returns>
    public override string ToString() => Id;
}
