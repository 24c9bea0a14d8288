using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>What the engine tells the public facade (which outlives an in-process reboot of the engine).</summary>
internal interface IEngineHost
{
    void OnConnectionStateChanged(ChargePointConnectionState state);

    void OnRegistrationChanged(RegistrationStatus status);

    void OnConnectorStatusChanged(ConnectorStatusChange change);

    void OnTransactionStarted(TransactionChange change);

    void OnTransactionStopped(TransactionChange change);

    void OnPayloadViolation(OcppPayloadViolation violation);

    /// <summary>
    /// A reset completed: the engine is to stop and, when <paramref name="inProcess"/>
    /// (<see cref="ResetOutcome.RestartInProcess"/>), a new one starts on the same storage.
    /// </summary>
    void OnRestartRequested(bool inProcess);

    /// <summary>The handler of DataTransfer.req from the Central System for a vendorId, or <see langword="null"/>.</summary>
    Func<DataTransferRequest, CancellationToken, ValueTask<DataTransferResponse>>? FindDataTransferHandler(string vendorId);
}

/// <summary>
/// The charge point engine: the loop, the connection, the outbox, the connectors and the feature modules, composed.
/// One instance lives from start to stop (or to an in-process reboot); all state is touched on <see cref="Loop"/> only.
/// </summary>
internal sealed class ChargePointEngine : IOcppViolationSink
{
    /// <summary>How long to wait before sending BootNotification again after it failed or was not accepted without an interval.</summary>
    internal static readonly TimeSpan DefaultBootRetry = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping waits for the answer to the CALL on the wire.</summary>
    internal static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(5);

    private readonly IEngineHost _host;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<FeatureModule> _modules = [];
    private readonly ConnectionSupervisor _supervisor;
    private readonly Dictionary<MessageTrigger, ITriggerableMessage> _triggers = [];
    private readonly List<ITransactionObserver> _transactionObservers = [];
    private readonly List<ITransactionAdmission> _admissions = [];
    private CancellationTokenSource? _cts;
    private Task _loopTask = Task.CompletedTask;
    private Task _connectionTask = Task.CompletedTask;
    private TimeSpan _clockOffset;
    private bool _acceptedSinceBoot;
    private EngineLoop.LoopTimer? _bootRetry;
    private EngineLoop.LoopTimer? _heartbeat;
    private readonly List<(Action Unsubscribe, string Name)> _subscriptions = [];
    private readonly Dictionary<Type, object> _shared = [];
    private readonly Security.ConnectionSettings _defaultConnectionSettings;

    public ChargePointEngine(ChargePointOptions options, IChargePointHardware hardware, IChargePointStorage storage, ILoggerFactory loggerFactory, TimeProvider time, IEngineHost host)
    {
        Options = options;
        Hardware = hardware;
        Storage = storage;
        _host = host;
        _loggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("Ocpp16.ChargePoint");
        Identity = options.Identity;
        Loop = new EngineLoop(time, Logger, Identity);
        Outbox = new Outbox(Loop, time.GetUtcNow, options.Validation, this);
        Router = new ActionRouter(Loop, options.Validation, this, action => ChargePointLog.Received(Logger, Identity, action));
        Connectors = new ConnectorManager(this, hardware.Connectors);
        Journal = new TransactionJournal(this);
        Durable = new DurableQueue(this);
        Authorizer = new Authorizer(this);
        _defaultConnectionSettings = Security.ConnectionSettings.FromOptions(options);
        ConnectionSettings = _ => ValueTask.FromResult(_defaultConnectionSettings);
        ChargingLimits = new ChargingLimitController(this);
        Connectors.AddContributor(ChargingLimits);

        var core = new CoreProfile(this);
        _modules.Add(core);
        Core = core;
        var profiles = options.FeatureProfiles;
        if (profiles.Contains(OcppFeatureProfile.FirmwareManagement))
        {
            _modules.Add(new Features.FirmwareManagement.FirmwareManagementProfile(this));
        }

        if (profiles.Contains(OcppFeatureProfile.LocalAuthListManagement))
        {
            _modules.Add(new Features.LocalAuthList.LocalAuthListProfile(this));
        }

        if (profiles.Contains(OcppFeatureProfile.Reservation))
        {
            _modules.Add(new Features.Reservation.ReservationProfile(this));
        }

        if (profiles.Contains(OcppFeatureProfile.RemoteTrigger))
        {
            _modules.Add(new Features.RemoteTrigger.RemoteTriggerProfile(this));
        }

        if (profiles.Contains(OcppFeatureProfile.SmartCharging))
        {
            _modules.Add(new Features.SmartCharging.SmartChargingProfile(this));
        }

        if (profiles.Contains(OcppFeatureProfile.Security))
        {
            _modules.Add(new Features.Security.SecurityExtension(this));
        }

        Configuration = new ChargePointConfiguration(CoreKeys.Declare(hardware.Connectors.Count, _modules.Select(m => m.Profile).Distinct().ToList()).Concat(_modules.SelectMany(m => m.ConfigurationKeys)));
        foreach (var definition in options.ConfigurationKeys)
        {
            Configuration.Declare(definition);
        }

        Configuration.Narrow(options.ConfigurationKeyRanges);
        Configuration.ApplyInitialValues(options.Configuration);
        Configuration.EnsureValid(options.ConfigurationKeyRanges.Keys, "ChargePointOptions.ConfigurationKeyRanges");
        var saved = storage.Load(ConfigurationCollection).Select(r => new KeyValuePair<string, string>(r.Key, JsonSerializer.Deserialize(r.Value, StorageJsonContext.Default.String) ?? string.Empty));
        foreach (var (key, reason) in Configuration.ApplySavedValues(saved))
        {
            ChargePointLog.SavedConfigurationSkipped(Logger, Identity, key, reason);
        }

        foreach (var module in _modules)
        {
            module.RegisterActions(Router);
        }

        Configuration.Changed += OnConfigurationChanged;
        _supervisor = new ConnectionSupervisor(options, Configuration, Loop, Router, loggerFactory, OnConnected, OnDisconnected, host.OnConnectionStateChanged, ct => ConnectionSettings(ct), a => ConnectionAttempted?.Invoke(a));
    }

    /// <summary>The storage collection of configuration values changed by the Central System (key → JSON string).</summary>
    public const string ConfigurationCollection = "config";

    public ChargePointOptions Options { get; }

    public IChargePointHardware Hardware { get; }

    public IChargePointStorage Storage { get; }

    /// <summary>
    /// Writes <paramref name="batch"/> atomically; a storage failure is logged as the failed write of <paramref name="what"/>
    /// (event 3022) and returned as <see langword="false"/>, for the caller to answer Rejected/Failed or carry on.
    /// </summary>
    public bool TryWrite(ChargePointStorageBatch batch, string what)
    {
        try
        {
            Storage.Write(batch);
            return true;
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.StateWriteFailed(Logger, Identity, what, e);
            return false;
        }
    }

    public ILogger Logger { get; }

    public string Identity { get; }

    public EngineLoop Loop { get; }

    public Outbox Outbox { get; }

    public ActionRouter Router { get; }

    public ConnectorManager Connectors { get; }

    public TransactionJournal Journal { get; }

    /// <summary>The durable lane's messages that belong to no transaction (critical security events).</summary>
    public DurableQueue Durable { get; }

    /// <summary>Where security events go: the Security module when registered, else nowhere.</summary>
    public ISecurityEventSink SecurityEvents { get; set; } = NoSecurityEvents.Instance;

    /// <summary>
    /// What the next connection attempt uses (called off the loop: return an immutable snapshot). Default: the options;
    /// the Security module replaces it (SecurityProfile, AuthorizationKey, installed certificates).
    /// </summary>
    public Func<CancellationToken, ValueTask<Security.ConnectionSettings>> ConnectionSettings { get; set; }

    /// <summary>Raised on the loop after each connection attempt, successful or not.</summary>
    public event Action<Security.ConnectionAttempt>? ConnectionAttempted;

    /// <summary>Raised on the loop when the Central System's time moved the clock by a second or more (SettingSystemTime).</summary>
    public event Action<TimeSpan>? ClockAdjusted;

    /// <summary>Cancelled when the engine stops: work that runs off the loop (file transfers) ends with it.</summary>
    public CancellationToken StoppingToken => _cts?.Token ?? CancellationToken.None;

    /// <summary>A service shared by modules (the firmware updater that both Firmware Management and Security use), created once.</summary>
    public T GetShared<T>(Func<T> create)
        where T : class
    {
        if (!_shared.TryGetValue(typeof(T), out var service))
        {
            service = create();
            _shared[typeof(T)] = service;
        }

        return (T)service;
    }

    public Authorizer Authorizer { get; }

    public CoreProfile Core { get; }

    /// <summary>Pushes the effective charging limits to the hardware (the sources are Smart Charging's).</summary>
    public ChargingLimitController ChargingLimits { get; }

    /// <summary>Smart Charging's check of the ChargingProfile of RemoteStartTransaction, when the profile is registered.</summary>
    public IRemoteStartChargingProfiles? RemoteStartProfiles { get; set; }

    public ChargePointConfiguration Configuration { get; }

    public IEngineHost Host => _host;

    /// <summary>The registered modules.</summary>
    public IReadOnlyList<FeatureModule> Modules => _modules;

    /// <summary>The last BootNotification answer of this engine's life.</summary>
    public RegistrationStatus? Registration { get; private set; }

    /// <summary>The Central System's clock (the local clock corrected by the last BootNotification/Heartbeat answer).</summary>
    public DateTimeOffset Now => Loop.Time.GetUtcNow() + _clockOffset;

    public IReadOnlyList<ITransactionObserver> TransactionObservers => _transactionObservers;

    public void AddTransactionObserver(ITransactionObserver observer) => _transactionObservers.Add(observer);

    public void AddTrigger(ITriggerableMessage trigger) => _triggers[trigger.Trigger] = trigger;

    public void AddAdmission(ITransactionAdmission admission) => _admissions.Add(admission);

    /// <summary>Whether every <see cref="ITransactionAdmission"/> lets <paramref name="idTag"/> start on the connector.</summary>
    public bool Admits(int connectorId, string idTag, string? parentIdTag, bool authorized)
    {
        foreach (var admission in _admissions)
        {
            if (!admission.MayStart(connectorId, idTag, parentIdTag, authorized))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The message that TriggerMessage can ask for, if a module provides it.</summary>
    public ITriggerableMessage? FindTrigger(MessageTrigger trigger) => _triggers.GetValueOrDefault(trigger);

    /// <summary>Starts the loop, loads the state of every module, then starts connecting.</summary>
    public async Task StartAsync()
    {
        _cts = new CancellationTokenSource();
        var ct = _cts.Token;
        _loopTask = Task.Run(() => Loop.RunAsync(ct), CancellationToken.None);

        // Connect while the state loads: the connection is handed to the loop, which takes it after the load (so the
        // BootNotification and the journaled messages go out in order), and a booting station is on the wire sooner.
        var loaded = Loop.InvokeAsync(async () =>
        {
            Durable.Load();
            foreach (var module in _modules)
            {
                await module.StartAsync().ConfigureAwait(false);
            }

            ChargingLimits.Start();
            Connectors.UpdateAll();
            return true;
        });
        SubscribeToHardware();
        _connectionTask = Task.Run(() => _supervisor.RunAsync(ct), CancellationToken.None);
        try
        {
            await loaded.ConfigureAwait(false);
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Hardware events are posted to the loop, behind the state load, so none is handled before it.</summary>
    private void SubscribeToHardware()
    {
        foreach (var connector in Connectors.All)
        {
            var state = connector;
            EventHandler<ConnectorEvent> handler = (_, e) => Loop.Post(() => Core.Transactions.OnConnectorEventAsync(state, e));
            state.Hardware.StateChanged += handler;
            _subscriptions.Add((() => state.Hardware.StateChanged -= handler, "connector"));
        }

        if (Hardware.IdTokenReader is { } reader)
        {
            EventHandler<string> handler = (_, idTag) => Loop.Post(() => Core.Transactions.OnIdTokenPresentedAsync(idTag));
            reader.IdTokenPresented += handler;
            _subscriptions.Add((() => reader.IdTokenPresented -= handler, "reader"));
        }
    }

    /// <summary>Stops: the connection is closed (1001), the loop ends, timers stop. The state stays in storage.</summary>
    public async Task StopAsync()
    {
        foreach (var (unsubscribe, _) in _subscriptions)
        {
            unsubscribe();
        }

        _subscriptions.Clear();

        // Let the CALL on the wire be answered and journaled (at most GracefulStopTimeout), then close with 1001.
        if (!Loop.IsStopped)
        {
            try
            {
                var drained = await Loop.InvokeAsync(Outbox.StopSendingAsync).ConfigureAwait(false);
                await drained.WaitAsync(GracefulStopTimeout, Loop.Time).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or ObjectDisposedException)
            {
                // Stopped meanwhile, or the answer did not come: the message goes out again after the restart.
            }
        }

        _supervisor.Stop();
        if (_cts is { } cts)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _connectionTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        Loop.Stop();
        try
        {
            await _loopTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _cts?.Dispose();
        _cts = null;
    }

    /// <summary>Closes the connection; it reconnects after the backoff delay.</summary>
    public Task ReconnectAsync(string reason) => _supervisor.CloseCurrentAsync(reason);

    /// <summary>Whether the connection is open and the Central System accepted this charge point.</summary>
    public bool IsOnline => Outbox.IsConnected && Outbox.Gate == SendGate.Accepted;

    // ------------------------------------------------------------------ connection and registration (OCPP 1.6 §4.2)

    private void OnConnected(OcppRpcConnection connection)
    {
        if (!_acceptedSinceBoot)
        {
            Outbox.Gate = Registration == RegistrationStatus.Rejected ? SendGate.Rejected : SendGate.Pending;
            Outbox.Enqueue(NewBootNotification(), atFront: true);
        }

        Outbox.OnConnected(connection);
    }

    private void OnDisconnected(OcppRpcConnection connection, OcppCloseInfo? closeInfo)
    {
        _bootRetry?.Dispose();
        _bootRetry = null;
        Outbox.RemoveQueued(i => i.Action == BootNotificationRequest.ActionName);
        Outbox.OnDisconnected();
    }

    private OutboxItem NewBootNotification()
        => new OutboxCall<BootNotificationResponse>(
            BootNotificationRequest.ActionName,
            () => new BootNotificationRequest
            {
                ChargePointVendor = Options.ChargePointVendor,
                ChargePointModel = Options.ChargePointModel,
                ChargePointSerialNumber = Options.ChargePointSerialNumber,
                ChargeBoxSerialNumber = Options.ChargeBoxSerialNumber,
                FirmwareVersion = Options.FirmwareVersion,
                Iccid = Options.Iccid,
                Imsi = Options.Imsi,
                MeterType = Options.MeterType,
                MeterSerialNumber = Options.MeterSerialNumber,
            },
            OnBootAnswered,
            OnBootFailed)
        {
            AllowedBeforeAccepted = true,
            KeptOffline = true, // queued just before the connection is handed to the outbox; removed on disconnect
        };

    /// <summary>Sends BootNotification now (TriggerMessage BootNotification, or a retry).</summary>
    public void SendBootNotification()
    {
        if (Outbox.IsConnected && !Outbox.Items.Any(i => i.Action == BootNotificationRequest.ActionName))
        {
            Outbox.Enqueue(NewBootNotification(), atFront: true);
        }
    }

    private void OnBootAnswered(BootNotificationResponse response)
    {
        ChargePointLog.BootAnswered(Logger, Identity, response.Status, response.Interval);
        SetClock(response.CurrentTime);
        Registration = response.Status;
        _host.OnRegistrationChanged(response.Status);
        switch (response.Status)
        {
            case RegistrationStatus.Accepted:
                if (response.Interval > 0)
                {
                    // Within HeartbeatInterval's range (ChargePointOptions.ConfigurationKeyRanges may narrow it).
                    Configuration.Set(CoreKeys.HeartbeatInterval, Configuration.Clamp(CoreKeys.HeartbeatInterval, response.Interval).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                var afterBoot = !_acceptedSinceBoot;
                if (afterBoot)
                {
                    // §4.9: after the boot, the status of connector 0 and of every connector (replacing statuses queued before).
                    Connectors.ReportAll();
                }

                _acceptedSinceBoot = true;
                Outbox.Gate = SendGate.Accepted;
                RestartHeartbeat();
                foreach (var module in _modules)
                {
                    module.OnRegistrationAccepted(afterBoot);
                }

                Outbox.Pump();
                break;
            case RegistrationStatus.Pending:
                Outbox.Gate = SendGate.Pending;
                ScheduleBootRetry(response.Interval);
                break;
            default:
                // §4.2: while Rejected, nothing is sent but BootNotification after the interval.
                Outbox.Gate = SendGate.Rejected;
                ScheduleBootRetry(response.Interval);
                break;
        }
    }

    private void OnBootFailed(Exception error)
    {
        if (error is OcppConnectionClosedException)
        {
            return; // A new connection sends a new BootNotification.
        }

        ChargePointLog.CallFailed(Logger, Identity, BootNotificationRequest.ActionName, error.Message);
        ScheduleBootRetry(0);
    }

    private void ScheduleBootRetry(int intervalSeconds)
    {
        _bootRetry?.Dispose();
        _bootRetry = Loop.Schedule(intervalSeconds > 0 ? TimeSpan.FromSeconds(intervalSeconds) : DefaultBootRetry, () =>
        {
            _bootRetry = null;
            if (!_acceptedSinceBoot)
            {
                SendBootNotification();
            }
        });
    }

    // ------------------------------------------------------------------ heartbeat (OCPP 1.6 §4.6)

    private void RestartHeartbeat()
    {
        _heartbeat?.Dispose();
        _heartbeat = null;
        var interval = Configuration.GetInt32(CoreKeys.HeartbeatInterval);
        if (interval <= 0 || !_acceptedSinceBoot)
        {
            return;
        }

        _heartbeat = Loop.Schedule(TimeSpan.FromSeconds(interval), () =>
        {
            _heartbeat = null;
            SendHeartbeat();
            RestartHeartbeat();
        });
    }

    /// <summary>Queues a Heartbeat when online (never while offline: heartbeats do not pile up).</summary>
    public void SendHeartbeat(bool triggered = false)
    {
        if (!Outbox.IsConnected || (!triggered && Outbox.Gate != SendGate.Accepted) || Outbox.Items.Any(i => i.Action == HeartbeatRequest.ActionName))
        {
            return;
        }

        Outbox.Enqueue(new OutboxCall<HeartbeatResponse>(new HeartbeatRequest(), r => SetClock(r.CurrentTime)) { AllowedBeforeAccepted = triggered });
    }

    /// <summary>Takes the Central System's time (OCPP 1.6 §4.2, §4.6); a move of a second or more raises <see cref="ClockAdjusted"/>.</summary>
    private void SetClock(DateTimeOffset centralSystemTime)
    {
        var offset = centralSystemTime - Loop.Time.GetUtcNow();
        var moved = offset - _clockOffset;
        _clockOffset = offset;
        if (moved.Duration() >= TimeSpan.FromSeconds(1))
        {
            ClockAdjusted?.Invoke(moved);
        }
    }

    private void OnConfigurationChanged(object? sender, ConfigurationKeyChange change)
    {
        if (string.Equals(change.Key, CoreKeys.HeartbeatInterval, StringComparison.Ordinal))
        {
            RestartHeartbeat();
        }
    }

    // ------------------------------------------------------------------ events for the facade

    public void RaiseConnectorStatusChanged(ConnectorStatusChange change) => _host.OnConnectorStatusChanged(change);

    public void RaiseTransactionStarted(TransactionChange change) => _host.OnTransactionStarted(change);

    public void RaiseTransactionStopped(TransactionChange change) => _host.OnTransactionStopped(change);

    /// <inheritdoc />
    void IOcppViolationSink.Report(OcppPayloadViolation violation)
    {
        OcppMetrics.RecordValidationFailure(violation);
        ChargePointLog.PayloadViolation(Logger, Identity, violation.Action, violation.Direction, violation.IsRequest ? "request" : "response", violation.Accepted ? "accepted" : "rejected", string.Join("; ", violation.Violations));
        _host.OnPayloadViolation(violation);
    }

    /// <summary>Creates a logger for a component.</summary>
    public ILogger CreateLogger(string category) => _loggerFactory.CreateLogger(category);
}
