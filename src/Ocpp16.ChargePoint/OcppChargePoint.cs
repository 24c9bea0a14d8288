using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint;

/// <summary>
/// An OCPP 1.6-J Charge Point: connects to the Central System over WebSocket (reconnecting with exponential backoff),
/// registers with BootNotification (§4.2), reports connector statuses (§4.9), authorizes IdTags (§4.1, with the
/// authorization cache and the offline rules), runs transactions from the hardware's events and the Central System's
/// commands, and answers every CS→CP action of its feature profiles. Its behaviour runs on one serialized loop, so
/// hardware events never race; transaction messages go through a journal, so no crash, power loss or network loss
/// loses or duplicates one (§4.10).
/// </summary>
/// <remarks>
/// A Reset (§5.14) ends the engine and, when the hardware says so (<see cref="ResetOutcome.RestartInProcess"/>), starts a
/// new one on the same storage: a new connection and BootNotification, with the same events on this object.
/// </remarks>
public sealed class OcppChargePoint : IAsyncDisposable
{
    /// <summary>The feature profiles this version implements as engine modules.</summary>
    internal static readonly IReadOnlySet<OcppFeatureProfile> AvailableProfiles = new HashSet<OcppFeatureProfile>
    {
        OcppFeatureProfile.Core,
        OcppFeatureProfile.FirmwareManagement,
        OcppFeatureProfile.LocalAuthListManagement,
        OcppFeatureProfile.Reservation,
        OcppFeatureProfile.RemoteTrigger,
        OcppFeatureProfile.SmartCharging,
        OcppFeatureProfile.Security,
    };

    private readonly ChargePointOptions _options;
    private readonly IChargePointHardware _hardware;
    private readonly IChargePointStorage _storage;
    private readonly bool _ownsStorage;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly Host _host;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Dictionary<string, Func<DataTransferRequest, CancellationToken, ValueTask<DataTransferResponse>>> _dataTransferHandlers = new(StringComparer.Ordinal);
    private ChargePointEngine _engine;
    private bool _engineUsed;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a Charge Point. It does nothing until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Identity, Central System URL, BootNotification fields, timeouts, feature profiles and configuration.</param>
    /// <param name="hardware">Connectors (with meters), the id token reader and the other hardware hooks.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">Clock and timers; default <see cref="TimeProvider.System"/> (tests pass a fake clock).</param>
    /// <param name="storage">
    /// Where the durable state lives; <see langword="null"/> for <see cref="SqliteChargePointStorage"/> in
    /// <see cref="ChargePointOptions.DataDirectory"/>, or <see cref="InMemoryChargePointStorage"/> without one. A storage
    /// passed here is not disposed by the charge point.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid (each problem names the option), a configuration value is invalid, or the connectors are not numbered 1..n.</exception>
    /// <exception cref="ChargePointStorageException">The storage cannot be opened.</exception>
    public OcppChargePoint(ChargePointOptions options, IChargePointHardware hardware, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, IChargePointStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hardware);
        options.Validate();
        if (hardware.Connectors.Count == 0)
        {
            throw new ArgumentException("The hardware has no connector.", nameof(hardware));
        }

        _options = options;
        _hardware = hardware;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _host = new Host(this);
        _ownsStorage = storage is null;
        _storage = storage ?? (options.DataDirectory is { Length: > 0 } directory ? new SqliteChargePointStorage(directory) : new InMemoryChargePointStorage());
        try
        {
            _engine = CreateEngine();
        }
        catch
        {
            if (_ownsStorage)
            {
                _storage.Dispose();
            }

            throw;
        }
    }

    /// <summary>The identity this Charge Point connects with.</summary>
    public string Identity => _options.Identity;

    /// <summary>The running engine (tests).</summary>
    internal ChargePointEngine Engine => _engine;

    /// <summary>
    /// The configuration keys (OCPP 1.6 §9) of the running engine, as read by GetConfiguration and changed by
    /// ChangeConfiguration. A new instance after an in-process reset.
    /// </summary>
    public ChargePointConfiguration Configuration => _engine.Configuration;

    /// <summary>The connection state.</summary>
    public ChargePointConnectionState ConnectionState { get; private set; }

    /// <summary>The last BootNotification answer since the engine (re)started, or <see langword="null"/> before the first one.</summary>
    public RegistrationStatus? RegistrationStatus { get; private set; }

    /// <summary>Raised when <see cref="ConnectionState"/> changes.</summary>
    public event EventHandler<ChargePointConnectionState>? ConnectionStateChanged;

    /// <summary>Raised (on the charge point loop) when a BootNotification is answered.</summary>
    public event EventHandler<RegistrationStatus>? RegistrationStatusChanged;

    /// <summary>Raised (on the charge point loop) when a connector's status changes (before its StatusNotification, which MinimumStatusDuration may delay).</summary>
    public event EventHandler<ConnectorStatusChange>? ConnectorStatusChanged;

    /// <summary>Raised (on the charge point loop) when a transaction starts (TransactionId <see langword="null"/>) and again when StartTransaction.conf assigns its TransactionId.</summary>
    public event EventHandler<TransactionChange>? TransactionStarted;

    /// <summary>Raised (on the charge point loop) when a transaction stops.</summary>
    public event EventHandler<TransactionChange>? TransactionStopped;

    /// <summary>
    /// Raised when a payload violates its schema: a received one (answered with the mapped CALLERROR, or accepted
    /// under a Lenient policy) or one of our own (not sent / answered InternalError). Never carries the offending values.
    /// </summary>
    public event EventHandler<OcppPayloadViolation>? PayloadViolation;

    /// <summary>
    /// Registers the handler of DataTransfer.req (OCPP 1.6 §5.6) from the Central System for one vendorId; other vendorIds
    /// are answered UnknownVendorId. The handler answers Accepted, Rejected or UnknownMessageId with optional data.
    /// </summary>
    /// <param name="vendorId">The vendorId (compared ordinally), at most 255 characters.</param>
    /// <param name="handler">Produces the answer; an exception is answered with the CALLERROR InternalError.</param>
    /// <exception cref="ArgumentException">A handler for <paramref name="vendorId"/> is already registered.</exception>
    public void RegisterDataTransferHandler(string vendorId, Func<DataTransferRequest, CancellationToken, ValueTask<DataTransferResponse>> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(vendorId);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dataTransferHandlers)
        {
            _dataTransferHandlers.Add(vendorId, handler);
        }
    }

    /// <summary>Sends DataTransfer.req to the Central System (OCPP 1.6 §4.3) and returns its answer.</summary>
    /// <param name="vendorId">The vendorId, at most 255 characters.</param>
    /// <param name="messageId">The messageId, at most 50 characters, or <see langword="null"/>.</param>
    /// <param name="data">The data (any text), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer (the CALL may already be on the wire).</param>
    /// <returns>The Central System's answer.</returns>
    /// <exception cref="OcppConnectionClosedException">The charge point is offline or not accepted yet.</exception>
    /// <exception cref="OcppCallErrorException">The Central System answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within <see cref="ChargePointOptions.CallTimeout"/>.</exception>
    /// <exception cref="ArgumentException">The request violates its schema (e.g. a vendorId too long).</exception>
    public async Task<DataTransferResponse> SendDataTransferAsync(string vendorId, string? messageId, string? data, CancellationToken cancellationToken = default)
    {
        var request = new DataTransferRequest { VendorId = vendorId, MessageId = messageId, Data = data };
        OcppTypedRpc.ValidateOutgoingRequest(request, _options.Validation, null);
        var answer = new TaskCompletionSource<DataTransferResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = _engine;
        await engine.Loop.InvokeAsync(() =>
        {
            if (!engine.IsOnline)
            {
                answer.TrySetException(new OcppConnectionClosedException("The charge point is offline or not accepted by the Central System."));
                return true;
            }

            engine.Outbox.Enqueue(new OutboxCall<DataTransferResponse>(request, r => answer.TrySetResult(r), e => answer.TrySetException(e)));
            return true;
        }).ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reports a security event the hardware or the application detected (Security Whitepaper ed. 3, "Security events":
    /// e.g. <c>TamperDetectionActivated</c>, <c>MemoryExhaustion</c>, <c>SecurityLogWasCleared</c>): it is written to
    /// the security log (GetLog SecurityLog) and sent in SecurityEventNotification.req; a critical event (the
    /// whitepaper's table, or <paramref name="critical"/>) goes with guaranteed delivery (journaled, kept across
    /// offline periods and restarts), the others are sent when online (the latest of each type kept while offline).
    /// </summary>
    /// <param name="type">The event type, 1 to 50 characters.</param>
    /// <param name="techInfo">Additional information, at most 255 characters (longer text is cut), or <see langword="null"/>; never a secret.</param>
    /// <param name="critical">Whether the event is critical; <see langword="null"/> for the whitepaper's table (types it does not list: not critical).</param>
    /// <param name="cancellationToken">Cancels waiting for the event to be recorded.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty or longer than 50 characters.</exception>
    /// <exception cref="InvalidOperationException">The Security profile is not in <see cref="ChargePointOptions.FeatureProfiles"/>.</exception>
    public async Task ReportSecurityEventAsync(string type, string? techInfo = null, bool? critical = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (type.Length > 50)
        {
            throw new ArgumentException("A security event type has at most 50 characters.", nameof(type));
        }

        if (!_options.FeatureProfiles.Contains(OcppFeatureProfile.Security))
        {
            throw new InvalidOperationException("Security events need the Security profile in ChargePointOptions.FeatureProfiles.");
        }

        var engine = _engine;
        await engine.Loop.InvokeAsync(() =>
        {
            engine.SecurityEvents.Report(type, techInfo, critical);
            return true;
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current status of connector <paramref name="connectorId"/> (0 = the Charge Point as a whole).</summary>
    /// <param name="connectorId">0..n.</param>
    /// <returns>The status as resolved now (its StatusNotification may still be on its way).</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such connector.</exception>
    public ChargePointStatus GetConnectorStatus(int connectorId)
    {
        if (connectorId == 0)
        {
            return _engine.Connectors.StationStatus;
        }

        return (_engine.Connectors.Find(connectorId) ?? throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"Connectors are numbered 1..{_hardware.Connectors.Count}.")).ResolvedStatus;
    }

    /// <summary>The TransactionId of the transaction running on connector <paramref name="connectorId"/>.</summary>
    /// <param name="connectorId">1..n.</param>
    /// <returns>The id; <see langword="null"/> when there is no transaction or StartTransaction.conf has not arrived yet.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such connector.</exception>
    public int? GetTransactionId(int connectorId)
        => (_engine.Connectors.Find(connectorId) ?? throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"Connectors are numbered 1..{_hardware.Connectors.Count}.")).Transaction?.TransactionId;

    /// <summary>A consistent picture of the connection, the connectors and their transactions, taken on the loop.</summary>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The snapshot.</returns>
    public async Task<ChargePointSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var engine = _engine;
        return await engine.Loop.InvokeAsync(() => new ChargePointSnapshot(
            ConnectionState,
            engine.Registration,
            engine.Connectors.StationStatus,
            [.. engine.Connectors.All.Select(c => new ConnectorSnapshot(
                c.Id,
                c.ResolvedStatus,
                c.Fault?.ErrorCode ?? c.Warning?.ErrorCode ?? ChargePointErrorCode.NoError,
                c.Plugged,
                c.Transaction is { } tx ? new TransactionSnapshot(tx.TransactionId, tx.Record.IdTag, tx.Record.StartTime, tx.Record.MeterStart, tx.Record.LastMeter) : null))],
            engine.Journal.Transactions.Sum(t => t.QueuedMessages))).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the Charge Point: loads its state (the journal: undelivered messages are queued again and transactions cut
    /// by a power loss are stopped with reason PowerLoss), then connects (and keeps reconnecting) and boots. Returns once
    /// the state is loaded; the work continues in the background until <see cref="StopAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>A task that completes when started.</returns>
    /// <exception cref="InvalidOperationException">Already started, or disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The charge point is already started.");
            }

            if (_engineUsed)
            {
                _engine = CreateEngine();
            }

            _started = true;
            _engineUsed = true;
            await _engine.StartAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the Charge Point: closes the connection and ends its loop. The durable state stays in the storage.</summary>
    /// <param name="cancellationToken">Cancels waiting for the background work to end.</param>
    /// <returns>A task that completes when stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_started)
            {
                return;
            }

            _started = false;
            await _engine.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            SetConnectionState(ChargePointConnectionState.Disconnected);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        if (_ownsStorage)
        {
            _storage.Dispose();
        }

        _lifecycle.Dispose();
    }

    private ChargePointEngine CreateEngine() => new(_options, _hardware, _storage, _loggerFactory, _time, _host);

    private void SetConnectionState(ChargePointConnectionState state)
    {
        if (ConnectionState == state)
        {
            return;
        }

        ConnectionState = state;
        ConnectionStateChanged?.Invoke(this, state);
    }

    /// <summary>Reset: the old engine stops; in process, a new one starts on the same storage.</summary>
    private async Task RestartAsync(bool inProcess)
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_started)
            {
                return;
            }

            await _engine.StopAsync().ConfigureAwait(false);
            SetConnectionState(ChargePointConnectionState.Disconnected);
            RegistrationStatus = null;
            if (inProcess)
            {
                _engine = CreateEngine();
                await _engine.StartAsync().ConfigureAwait(false);
            }
            else
            {
                _started = false;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private sealed class Host(OcppChargePoint owner) : IEngineHost
    {
        public void OnConnectionStateChanged(ChargePointConnectionState state) => owner.SetConnectionState(state);

        public void OnRegistrationChanged(RegistrationStatus status)
        {
            owner.RegistrationStatus = status;
            owner.RegistrationStatusChanged?.Invoke(owner, status);
        }

        public void OnConnectorStatusChanged(ConnectorStatusChange change) => owner.ConnectorStatusChanged?.Invoke(owner, change);

        public void OnTransactionStarted(TransactionChange change) => owner.TransactionStarted?.Invoke(owner, change);

        public void OnTransactionStopped(TransactionChange change) => owner.TransactionStopped?.Invoke(owner, change);

        public void OnPayloadViolation(OcppPayloadViolation violation) => owner.PayloadViolation?.Invoke(owner, violation);

        public void OnRestartRequested(bool inProcess) => _ = owner.RestartAsync(inProcess);

        public Func<DataTransferRequest, CancellationToken, ValueTask<DataTransferResponse>>? FindDataTransferHandler(string vendorId)
        {
            lock (owner._dataTransferHandlers)
            {
                return owner._dataTransferHandlers.GetValueOrDefault(vendorId);
            }
        }
    }
}
