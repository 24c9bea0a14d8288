using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;
using Ocpp16.Transport;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.ChargePoint;

/// <summary>
/// An OCPP 1.6-J Charge Point (Core profile): connects to the Central System over WebSocket (reconnecting with
/// exponential backoff), sends BootNotification and honours Accepted/Pending/Rejected, heartbeats, StatusNotification
/// per connector and for connector 0, authorizes IdTags (Authorize, authorization cache, offline rules), runs
/// transactions (StartTransaction, MeterValues at MeterValueSampleInterval, StopTransaction) and answers the Core
/// CS→CP actions. Its behaviour runs on one serialized loop, so hardware events never race.
/// </summary>
/// <remarks>
/// Transaction messages (StartTransaction, transaction MeterValues, StopTransaction) are queued in order and kept
/// across disconnects until delivered (OCPP 1.6 §4.10 "transaction-related messages"), retried on CALLERROR up to
/// TransactionMessageAttempts times with TransactionMessageRetryInterval.
/// </remarks>
public sealed partial class ChargePoint : IAsyncDisposable, IOcppViolationSink
{
    private readonly ChargePointOptions _options;
    private readonly IChargePointHardware _hardware;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ConnectorState[] _connectors;
    private readonly Channel<Func<ValueTask>> _work = Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Outbox _outbox;
    private readonly Dictionary<string, IdTagInfo> _authorizationCache = new(StringComparer.Ordinal);
    private readonly RequestHandler _requestHandler;
    private readonly Persistence.IChargePointStore _store;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ActiveTransaction> _transactions = new();
    private readonly Lock _stateGate = new();
    private CancellationTokenSource? _cts;
    private Task[] _tasks = [];
    private volatile OcppRpcConnection? _connection;
    private volatile bool _accepted;
    private RegistrationStatus? _registrationStatus;
    private ChargePointConnectionState _connectionState;
    private TimeSpan _clockOffset;
    private (string IdTag, DateTimeOffset Expires)? _pendingAuthorization;
    private ChargePointStatus _stationStatus = ChargePointStatus.Available;
    private bool _stationInoperative;
    private int _nextLocalTransactionId;
    private int _heartbeatGeneration;

    /// <summary>Creates a Charge Point. It does nothing until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Identity, Central System URL, BootNotification fields, timeouts and configuration overrides.</param>
    /// <param name="hardware">Connectors (with meters) and the RFID reader.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">Clock and timers; default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid (missing identity or URL, fields too long, unknown configuration key).</exception>
    public ChargePoint(ChargePointOptions options, IChargePointHardware hardware, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hardware);
        options.Validate();
        _options = options;
        _hardware = hardware;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Ocpp16.ChargePoint");
        _time = timeProvider ?? TimeProvider.System;
        _connectors = new ConnectorState[hardware.Connectors.Count + 1];
        for (var i = 0; i < hardware.Connectors.Count; i++)
        {
            var hw = hardware.Connectors[i];
            if (hw.ConnectorId != i + 1)
            {
                throw new ArgumentException("Connectors must be numbered 1..n in order.", nameof(hardware));
            }

            _connectors[i + 1] = new ConnectorState(hw) { Plugged = hw.IsPluggedIn };
        }

        _store = options.DataDirectory is { Length: > 0 } dataDirectory
            ? new Persistence.SqliteChargePointStore(dataDirectory)
            : new Persistence.InMemoryChargePointStore();
        try
        {
            // Precedence: defaults < options.Configuration < values the Central System changed in an earlier run.
            Configuration = new ChargePointConfiguration(hardware.Connectors.Count, options.Configuration, _store.SaveConfigurationValue);
            foreach (var (key, reason) in Configuration.ApplySaved(_store.LoadConfigurationValues()))
            {
                ChargePointLog.SavedConfigurationSkipped(_logger, options.Identity, key, reason);
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }

        _outbox = new Outbox(this);
        _requestHandler = new RequestHandler(this);
        Configuration.Changed += (_, key) =>
        {
            if (key == "HeartbeatInterval")
            {
                Post(() =>
                {
                    RestartHeartbeat();
                    return ValueTask.CompletedTask;
                });
            }
        };
    }

    /// <summary>The configuration keys (OCPP 1.6 §9.1), as read by GetConfiguration and changed by ChangeConfiguration.</summary>
    public ChargePointConfiguration Configuration { get; }

    /// <summary>The identity this Charge Point connects with.</summary>
    public string Identity => _options.Identity;

    /// <summary>The connection state.</summary>
    public ChargePointConnectionState ConnectionState
    {
        get
        {
            lock (_stateGate)
            {
                return _connectionState;
            }
        }
    }

    /// <summary>The last BootNotification answer, or <see langword="null"/> before the first one.</summary>
    public RegistrationStatus? RegistrationStatus
    {
        get
        {
            lock (_stateGate)
            {
                return _registrationStatus;
            }
        }
    }

    /// <summary>Raised when <see cref="ConnectionState"/> changes.</summary>
    public event EventHandler<ChargePointConnectionState>? ConnectionStateChanged;

    /// <summary>Raised (on the charge point loop) when a connector's status changes.</summary>
    public event EventHandler<ConnectorStatusChange>? ConnectorStatusChanged;

    /// <summary>Raised (on the charge point loop) when a transaction starts (TransactionId <see langword="null"/> until accepted) or is accepted.</summary>
    public event EventHandler<TransactionChange>? TransactionStarted;

    /// <summary>Raised (on the charge point loop) when a transaction stops.</summary>
    public event EventHandler<TransactionChange>? TransactionStopped;

    /// <summary>
    /// Raised when a payload violates its schema: a received one (answered with the mapped CALLERROR, or accepted
    /// under a Lenient policy) or one of our own (not sent / answered InternalError). Never carries the offending values.
    /// </summary>
    public event EventHandler<OcppPayloadViolation>? PayloadViolation;

    /// <summary>
    /// Optional handler for DataTransfer.req from the Central System (OCPP 1.6 §5.6). Default: answers
    /// <see cref="DataTransferStatus.UnknownVendorId"/>.
    /// </summary>
    public Func<DataTransferRequest, CancellationToken, ValueTask<DataTransferResponse>>? DataTransferHandler { get; set; }

    /// <summary>The current status of connector <paramref name="connectorId"/> (0 = the Charge Point).</summary>
    /// <param name="connectorId">0..n.</param>
    /// <returns>The status last reported.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such connector.</exception>
    public ChargePointStatus GetConnectorStatus(int connectorId)
    {
        if (connectorId == 0)
        {
            return _stationStatus;
        }

        return Connector(connectorId).Status;
    }

    /// <summary>The TransactionId of the transaction running on connector <paramref name="connectorId"/>, or <see langword="null"/>.</summary>
    /// <param name="connectorId">1..n.</param>
    /// <returns>The id, or <see langword="null"/> when there is no transaction or it has not been accepted yet.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No such connector.</exception>
    public int? GetTransactionId(int connectorId) => Connector(connectorId).Transaction?.TransactionId;

    /// <summary>
    /// Starts the Charge Point: connects (and keeps reconnecting), boots, and starts listening to the hardware.
    /// Returns once started; the work continues in the background until <see cref="StopAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>A task that completes when started.</returns>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_cts is not null)
        {
            throw new InvalidOperationException("The charge point is already started.");
        }

        _cts = new CancellationTokenSource();
        var ct = _cts.Token;
        RestoreFromStore();
        foreach (var c in _connectors.Skip(1))
        {
            var state = c;
            state.Hardware.StateChanged += (_, e) => Post(() => OnConnectorEventAsync(state, e));
        }

        if (_hardware.RfidReader is { } reader)
        {
            reader.IdTagPresented += (_, tag) => Post(() => OnIdTagPresentedAsync(tag));
        }

        // Every log line of this charge point's background work carries its identity as a scope.
        using (_logger.BeginScope("ChargePoint {ChargePointId}", _options.Identity))
        {
            _tasks =
            [
                Task.Run(() => RunLoopAsync(ct), CancellationToken.None),
                Task.Run(() => RunConnectionAsync(ct), CancellationToken.None),
                Task.Run(() => _outbox.RunAsync(ct), CancellationToken.None),
            ];
        }
        return Task.CompletedTask;
    }

    /// <summary>Stops the Charge Point and closes the connection. Queued transaction messages stay queued (in memory).</summary>
    /// <param name="cancellationToken">Cancels waiting for the background work to end.</param>
    /// <returns>A task that completes when stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var cts = _cts;
        if (cts is null)
        {
            return;
        }

        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "Stopping", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Closing is best effort.
            }
        }

        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: every background task ends by cancellation.
        }

        SetConnectionState(ChargePointConnectionState.Disconnected);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _cts?.Dispose();
        _store.Dispose();
    }

    private DateTimeOffset Now => _time.GetUtcNow() + _clockOffset;

    private ConnectorState Connector(int connectorId)
    {
        if (connectorId < 1 || connectorId >= _connectors.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"Connectors are numbered 1..{_connectors.Length - 1}.");
        }

        return _connectors[connectorId];
    }

    // ------------------------------------------------------------------ the serialized loop

    private void Post(Func<ValueTask> work) => _work.Writer.TryWrite(work);

    private Task<T> RunOnLoopAsync<T>(Func<ValueTask<T>> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(async () =>
        {
            try
            {
                tcs.TrySetResult(await work().ConfigureAwait(false));
            }
            catch (Exception e)
            {
                tcs.TrySetException(e);
            }
        });
        return tcs.Task;
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ChargePointLog.LoopError(_logger, _options.Identity, e);
            }
        }
    }

    private void PostAfter(TimeSpan delay, Func<ValueTask> work)
    {
        var ct = _cts?.Token ?? CancellationToken.None;
        _ = Task.Delay(delay, _time, ct).ContinueWith(t =>
        {
            if (!t.IsCanceled)
            {
                Post(work);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // ------------------------------------------------------------------ connection and boot

    private void SetConnectionState(ChargePointConnectionState state)
    {
        lock (_stateGate)
        {
            if (_connectionState == state)
            {
                return;
            }

            _connectionState = state;
        }

        ConnectionStateChanged?.Invoke(this, state);
    }

    private async Task RunConnectionAsync(CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectMinDelay, _options.ReconnectMaxDoublings, _options.ReconnectMaxDelay, _options.ReconnectRandomRange);
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            SetConnectionState(first ? ChargePointConnectionState.Connecting : ChargePointConnectionState.Reconnecting);
            OcppMetrics.RecordReconnect(isFirstAttempt: first);
            first = false;
            IOcppTransport transport;
            try
            {
                if (_options.TransportFactory is { } factory)
                {
                    transport = await factory(ct).ConfigureAwait(false);
                }
                else
                {
                    ChargePointLog.Connecting(_logger, _options.Identity, _options.CentralSystemUri!);
                    transport = await OcppWebSocketClient.ConnectAsync(
                        _options.CentralSystemUri!,
                        _options.Identity,
                        Security.ChargePointSecurity.CreateClientOptions(_options, Configuration.GetInt32("WebSocketPingInterval")),
                        ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var wait = backoff.Next();
                ChargePointLog.ConnectFailed(_logger, _options.Identity, wait.TotalSeconds, e.Message);
                await DelayAsync(wait, ct).ConfigureAwait(false);
                continue;
            }

            backoff.Reset();
            var connection = new OcppRpcConnection(
                transport,
                _requestHandler,
                new OcppRpcOptions { DefaultCallTimeout = _options.CallTimeout },
                _loggerFactory.CreateLogger("Ocpp16.Transport"),
                _time);
            await using (connection.ConfigureAwait(false))
            {
                using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var run = connection.RunAsync(connectionCts.Token);
                _connection = connection;
                SetConnectionState(ChargePointConnectionState.Connected);
                ChargePointLog.Connected(_logger, _options.Identity);
                var boot = BootAsync(connection, connectionCts.Token);
                OcppCloseInfo closeInfo;
                try
                {
                    closeInfo = await run.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    _connection = null;
                    break;
                }

                _connection = null;
                await connectionCts.CancelAsync().ConfigureAwait(false);
                try
                {
                    await boot.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The boot sequence ends with the connection.
                }

                ChargePointLog.Disconnected(_logger, _options.Identity, closeInfo.CloseStatus?.ToString() ?? (closeInfo.IsCancelled ? "stopped" : "connection lost"));
                _outbox.OnDisconnected();
            }

            if (!ct.IsCancellationRequested)
            {
                SetConnectionState(ChargePointConnectionState.Reconnecting);
                await DelayAsync(backoff.Next(), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task BootAsync(OcppRpcConnection connection, CancellationToken ct)
    {
        if (_accepted)
        {
            // Already registered before this reconnect: no new BootNotification (OCPP 1.6 §4.2 is sent after a (re)boot),
            // but report the current statuses the Central System may have missed.
            Post(OnAcceptedAsync);
            return;
        }

        while (!ct.IsCancellationRequested)
        {
            var request = new BootNotificationRequest
            {
                ChargePointVendor = _options.ChargePointVendor,
                ChargePointModel = _options.ChargePointModel,
                ChargePointSerialNumber = _options.ChargePointSerialNumber,
                ChargeBoxSerialNumber = _options.ChargeBoxSerialNumber,
                FirmwareVersion = _options.FirmwareVersion,
                MeterType = _options.MeterType,
                MeterSerialNumber = _options.MeterSerialNumber,
            };
            TimeSpan retry;
            try
            {
                var response = await OcppTypedRpc.CallAsync(connection, request, _options.Validation, this, null, ct).ConfigureAwait(false);
                ChargePointLog.BootAnswered(_logger, _options.Identity, response.Status, response.Interval);
                lock (_stateGate)
                {
                    _registrationStatus = response.Status;
                }

                _clockOffset = response.CurrentTime - _time.GetUtcNow();
                if (response.Status == Messages.RegistrationStatus.Accepted)
                {
                    if (response.Interval > 0)
                    {
                        Configuration.SetInternal("HeartbeatInterval", response.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    _accepted = true;
                    Post(OnAcceptedAsync);
                    return;
                }

                retry = TimeSpan.FromSeconds(response.Interval > 0 ? response.Interval : 10);
            }
            catch (OcppException e) when (e is OcppConnectionClosedException)
            {
                return;
            }
            catch (OcppException e)
            {
                ChargePointLog.CallFailed(_logger, _options.Identity, BootNotificationRequest.ActionName, e.Message);
                retry = TimeSpan.FromSeconds(10);
            }

            await Task.Delay(retry, _time, ct).ConfigureAwait(false);
        }
    }

    private ValueTask OnAcceptedAsync()
    {
        // StatusNotification for connector 0 and each connector (OCPP 1.6 §4.9), then the heartbeat.
        SendStatusNotification(0, _stationStatus, ChargePointErrorCode.NoError, null);
        for (var i = 1; i < _connectors.Length; i++)
        {
            var c = _connectors[i];
            c.Status = ComputeStatus(c);
            c.ErrorCode = c.Faulted ? c.FaultCode : ChargePointErrorCode.NoError;
            SendStatusNotification(c.Id, c.Status, c.ErrorCode, c.Faulted ? c.Info : null);
        }

        RestartHeartbeat();
        _outbox.Wake();
        return ValueTask.CompletedTask;
    }

    private void RestartHeartbeat()
    {
        var generation = ++_heartbeatGeneration;
        var interval = Configuration.GetInt32("HeartbeatInterval");
        if (interval <= 0 || !_accepted)
        {
            return;
        }

        PostAfter(TimeSpan.FromSeconds(interval), () =>
        {
            if (generation == _heartbeatGeneration && _accepted)
            {
                _outbox.Enqueue(
                    () => new HeartbeatRequest(),
                    transactional: false,
                    onResponse: r => _clockOffset = r.CurrentTime - _time.GetUtcNow());
                RestartHeartbeat();
            }

            return ValueTask.CompletedTask;
        });
    }

    internal bool IsReadyToSend => _accepted && _connection is not null;

    internal OcppValidationPolicy Validation => _options.Validation;

    /// <inheritdoc />
    void IOcppViolationSink.Report(OcppPayloadViolation violation) => ReportViolation(violation);

    internal void ReportViolation(OcppPayloadViolation violation)
    {
        OcppMetrics.RecordValidationFailure(violation);
        ChargePointLog.PayloadViolation(_logger, _options.Identity, violation.Action, violation.Direction, violation.IsRequest ? "request" : "response", violation.Accepted ? "accepted" : "rejected", string.Join("; ", violation.Violations));
        PayloadViolation?.Invoke(this, violation);
    }

    internal OcppRpcConnection? CurrentConnection => _connection;

    internal ILogger Logger => _logger;

    internal TimeProvider Time => _time;

    internal TimeSpan CallTimeout => _options.CallTimeout;
}
