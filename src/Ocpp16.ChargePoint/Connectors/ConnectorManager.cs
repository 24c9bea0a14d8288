using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Connectors;

/// <summary>What a module adds to a connector's status (OCPP 1.6 §7.7): consulted on every status resolution.</summary>
internal enum ConnectorStatusHint
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>The connector is reserved (Reservation): Reserved instead of Available.</summary>
    Reserved,

    /// <summary>The EVSE offers no energy (a Smart Charging limit of 0): SuspendedEVSE instead of Charging.</summary>
    SuspendedEvse,
}

/// <summary>A module that contributes to connector statuses (Reservation, Smart Charging).</summary>
internal interface IConnectorStatusContributor
{
    /// <summary>The hint for connector <paramref name="connectorId"/> now.</summary>
    ConnectorStatusHint GetHint(int connectorId);
}

/// <summary>The state of one connector, owned by the loop; each field names the module that writes it.</summary>
internal sealed class ConnectorState(IConnector hardware)
{
    public IConnector Hardware { get; } = hardware;

    public int Id => Hardware.ConnectorId;

    /// <summary>Hardware: an EV is connected.</summary>
    public bool Plugged { get; set; }

    /// <summary>Hardware: the EV does not take energy (SuspendedEV).</summary>
    public bool EvSuspended { get; set; }

    /// <summary>Hardware: the fault that makes the connector unusable, or <see langword="null"/>.</summary>
    public ConnectorEvent? Fault { get; set; }

    /// <summary>Hardware: an error reported with the current status (not a fault), or <see langword="null"/>.</summary>
    public ConnectorEvent? Warning { get; set; }

    /// <summary>Availability: operative (persisted).</summary>
    public bool Operative { get; set; } = true;

    /// <summary>Availability: Inoperative requested while a transaction runs; applied when it ends (Scheduled, §5.2).</summary>
    public bool InoperativeScheduled { get; set; }

    /// <summary>Transactions: the running transaction (not yet stopped), or <see langword="null"/>.</summary>
    public Features.Core.JournalTransaction? Transaction { get; set; }

    /// <summary>Transactions: the transaction ended and the EV is still connected (Finishing).</summary>
    public bool Finishing { get; set; }

    /// <summary>
    /// Transactions: an authorization waits for the EV on this connector, or an admitted IdTag is starting on a reserved
    /// connector with the EV already plugged in (Preparing).
    /// </summary>
    public bool AwaitingPlug { get; set; }

    /// <summary>Transactions: energy suspended by the charge point for the running transaction (IdTag no longer valid).</summary>
    public bool SuspendedByChargePoint { get; set; }

    /// <summary>The status last reported (StatusNotification) and its error code.</summary>
    public ChargePointStatus? ReportedStatus { get; set; }

    public ChargePointErrorCode ReportedErrorCode { get; set; }

    /// <summary>The status resolved last (may not be reported yet: MinimumStatusDuration).</summary>
    public ChargePointStatus ResolvedStatus { get; set; } = ChargePointStatus.Available;

    public EngineLoop.LoopTimer? PendingReport { get; set; }

    /// <summary>Firmware Management: no new transaction while a firmware installation waits for the running ones to end (Unavailable).</summary>
    public bool BlockedForFirmware { get; set; }

    /// <summary>Whether a new transaction may start here now (no transaction, no fault, operative, not blocked for a firmware installation).</summary>
    public bool IsFree => Transaction is null && Fault is null && Operative && !BlockedForFirmware;
}

/// <summary>
/// The connectors and the status machine (OCPP 1.6 §4.9, §7.7): resolves each connector's status from its state and the
/// contributors, and sends StatusNotification on every change (after MinimumStatusDuration when set; offline, only the
/// latest status of each connector is kept and sent after the boot).
/// </summary>
internal sealed class ConnectorManager
{
    private readonly ChargePointEngine _engine;
    private readonly List<IConnectorStatusContributor> _contributors = [];
    private ChargePointStatus? _stationReported;

    public ConnectorManager(ChargePointEngine engine, IReadOnlyList<IConnector> hardware)
    {
        _engine = engine;
        var connectors = new ConnectorState[hardware.Count];
        for (var i = 0; i < hardware.Count; i++)
        {
            if (hardware[i].ConnectorId != i + 1)
            {
                throw new ArgumentException("IChargePointHardware.Connectors must be numbered 1..n in order.", nameof(hardware));
            }

            connectors[i] = new ConnectorState(hardware[i]);
        }

        All = connectors;
    }

    /// <summary>Connectors 1..n (index 0 is connector 1).</summary>
    public IReadOnlyList<ConnectorState> All { get; }

    /// <summary>Station-level availability (ChangeAvailability of connector 0).</summary>
    public bool StationOperative { get; set; } = true;

    public void AddContributor(IConnectorStatusContributor contributor) => _contributors.Add(contributor);

    /// <summary>
    /// Raised on the loop when the resolved status of a connector (0 = the station) changes, before its StatusNotification
    /// is queued (Reservation ends a reservation whose connector becomes Faulted or Unavailable). Handlers must not
    /// update connectors synchronously: post the work to the loop.
    /// </summary>
    public event Action<int, ChargePointStatus>? StatusResolved;

    /// <summary>The connector, or <see langword="null"/> for an id outside 1..n.</summary>
    public ConnectorState? Find(int connectorId) => connectorId >= 1 && connectorId <= All.Count ? All[connectorId - 1] : null;

    /// <summary>The status of connector 0 (the charge point as a whole).</summary>
    public ChargePointStatus StationStatus => StationOperative ? ChargePointStatus.Available : ChargePointStatus.Unavailable;

    /// <summary>Resolves the status of <paramref name="c"/> (§7.7).</summary>
    public ChargePointStatus Resolve(ConnectorState c)
    {
        if (c.Fault is not null)
        {
            return ChargePointStatus.Faulted;
        }

        if (c.Transaction is not null)
        {
            if (c.SuspendedByChargePoint || HasHint(c.Id, ConnectorStatusHint.SuspendedEvse))
            {
                return ChargePointStatus.SuspendedEVSE;
            }

            return !c.Plugged || c.EvSuspended ? ChargePointStatus.SuspendedEV : ChargePointStatus.Charging;
        }

        if (!c.Operative || !StationOperative || c.BlockedForFirmware)
        {
            return ChargePointStatus.Unavailable;
        }

        if (c.Finishing && c.Plugged)
        {
            return ChargePointStatus.Finishing;
        }

        if (HasHint(c.Id, ConnectorStatusHint.Reserved))
        {
            // §4.9 G2: Reserved becomes Preparing only when an IdTag the reservation admits is presented (AwaitingPlug is
            // set only for admitted IdTags); an EV plugged in alone keeps it Reserved.
            return c.AwaitingPlug ? ChargePointStatus.Preparing : ChargePointStatus.Reserved;
        }

        return c.Plugged || c.AwaitingPlug ? ChargePointStatus.Preparing : ChargePointStatus.Available;
    }

    /// <summary>Re-resolves every connector and reports what changed.</summary>
    public void UpdateAll()
    {
        UpdateStation();
        foreach (var c in All)
        {
            Update(c);
        }
    }

    /// <summary>Re-resolves one connector and reports a change.</summary>
    public void Update(ConnectorState c)
    {
        var status = Resolve(c);
        var error = ErrorOf(c, status);
        if (status != c.ResolvedStatus)
        {
            c.ResolvedStatus = status;
            StatusResolved?.Invoke(c.Id, status);
            _engine.RaiseConnectorStatusChanged(new ConnectorStatusChange(c.Id, status, error));
        }

        if (status == c.ReportedStatus && error == c.ReportedErrorCode)
        {
            c.PendingReport?.Dispose();
            c.PendingReport = null;
            return;
        }

        var minimum = _engine.Configuration.GetInt32(CoreKeys.MinimumStatusDuration);
        if (minimum > 0 && c.ReportedStatus is not null && status != ChargePointStatus.Faulted)
        {
            // Report only once the status has lasted MinimumStatusDuration (OCPP 1.6 §9.1.19).
            c.PendingReport?.Dispose();
            c.PendingReport = _engine.Loop.Schedule(TimeSpan.FromSeconds(minimum), () =>
            {
                c.PendingReport = null;
                if (Resolve(c) == status)
                {
                    Report(c, status, ErrorOf(c, status));
                }
            });
            return;
        }

        Report(c, status, error);
    }

    /// <summary>Sends the status of connector 0 and of every connector (after an accepted BootNotification, §4.9).</summary>
    public void ReportAll()
    {
        _stationReported = null;
        UpdateStation();
        foreach (var c in All)
        {
            c.PendingReport?.Dispose();
            c.PendingReport = null;
            c.ResolvedStatus = Resolve(c);
            Report(c, c.ResolvedStatus, ErrorOf(c, c.ResolvedStatus));
        }
    }

    private void UpdateStation()
    {
        var status = StationStatus;
        if (status == _stationReported)
        {
            return;
        }

        _stationReported = status;
        StatusResolved?.Invoke(0, status);
        _engine.RaiseConnectorStatusChanged(new ConnectorStatusChange(0, status, ChargePointErrorCode.NoError));
        Send(0, status, ChargePointErrorCode.NoError, null);
    }

    private void Report(ConnectorState c, ChargePointStatus status, ChargePointErrorCode error)
    {
        c.ReportedStatus = status;
        c.ReportedErrorCode = error;
        ChargePointLog.StatusChanged(_engine.Logger, _engine.Identity, c.Id, status, error);
        Send(c.Id, status, error, status == ChargePointStatus.Faulted ? c.Fault : c.Warning);
    }

    private void Send(int connectorId, ChargePointStatus status, ChargePointErrorCode error, ConnectorEvent? detail)
    {
        var request = new StatusNotificationRequest
        {
            ConnectorId = connectorId,
            Status = status,
            ErrorCode = error,
            Info = detail?.Info,
            VendorId = detail?.VendorId,
            VendorErrorCode = detail?.VendorErrorCode,
            Timestamp = _engine.Now,
        };
        _engine.Outbox.Enqueue(new OutboxCall<StatusNotificationResponse>(request) { KeptOffline = true, CoalesceKey = "StatusNotification:" + connectorId });
    }

    private static ChargePointErrorCode ErrorOf(ConnectorState c, ChargePointStatus status)
        => status == ChargePointStatus.Faulted && c.Fault is { } fault ? fault.ErrorCode
            : c.Warning?.ErrorCode ?? ChargePointErrorCode.NoError;

    private bool HasHint(int connectorId, ConnectorStatusHint hint)
    {
        foreach (var contributor in _contributors)
        {
            if (contributor.GetHint(connectorId) == hint)
            {
                return true;
            }
        }

        return false;
    }
}
