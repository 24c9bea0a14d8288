using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// Transactions (OCPP 1.6 §3.6, §4.8, §4.10, §5.11, §5.12, §5.18): local start and stop by IdTag, remote start and stop,
/// the EV side disconnecting, faults, unlocking, IdTags the Central System no longer accepts, and the recovery after a
/// power loss. Every start and stop is journaled before energy is switched.
/// </summary>
internal sealed class Transactions
{
    private readonly ChargePointEngine _engine;
    private readonly Metering _metering;
    private readonly List<(int TransactionId, TaskCompletionSource<RemoteStopTransactionResponse> Answer)> _remoteStopsWaiting = [];
    private PendingAuthorization? _pending;

    public Transactions(ChargePointEngine engine, Metering metering)
    {
        _engine = engine;
        _metering = metering;
        engine.Journal.StartConfirmed += OnStartConfirmed;
        engine.Journal.StopConfirmed += OnStopConfirmed;
    }

    /// <summary>
    /// An IdTag authorized before an EV was plugged in: the next connector plugged within ConnectionTimeOut starts (with
    /// the TxProfile of the RemoteStartTransaction that asked for it, if any).
    /// </summary>
    private sealed record PendingAuthorization(string IdTag, string? ParentIdTag, int? ConnectorId, ChargingProfile? ChargingProfile, EngineLoop.LoopTimer Timeout);

    // ------------------------------------------------------------------ recovery (§4.10, power loss)

    /// <summary>
    /// Loads the journal and settles the transactions that were running when the charge point went down: resumed where
    /// the hardware says the session still runs, else stopped with reason PowerLoss, meterStop and timestamp of the last
    /// journaled reading (reported once back online).
    /// </summary>
    public async ValueTask RecoverAsync()
    {
        foreach (var c in _engine.Connectors.All)
        {
            c.Plugged = c.Hardware.IsPluggedIn;
        }

        foreach (var tx in _engine.Journal.Load())
        {
            var c = _engine.Connectors.Find(tx.ConnectorId);
            var resume = false;
            if (c is not null && c.Transaction is null)
            {
                var interrupted = new InterruptedTransaction(tx.ConnectorId, tx.Record.IdTag, tx.TransactionId, tx.Record.StartTime, tx.Record.MeterStart, tx.Record.LastMeter, tx.Record.LastMeterTime);
                try
                {
                    resume = await c.Hardware.CanResumeTransactionAsync(interrupted).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, tx.ConnectorId, "CanResumeTransaction", e);
                }
            }

            if (resume)
            {
                c!.Transaction = tx;
                c.SuspendedByChargePoint = tx.Record.Deauthorized;
                if (!c.Operative)
                {
                    // Inoperative was asked for while it ran: applied when it ends (Scheduled, §5.2).
                    c.Operative = true;
                    c.InoperativeScheduled = true;
                }

                _metering.StartSampling(tx);
                ChargePointLog.TransactionResumed(_engine.Logger, _engine.Identity, tx.ConnectorId, tx.TransactionId);
                continue;
            }

            ChargePointLog.TransactionStopped(_engine.Logger, _engine.Identity, tx.TransactionId, tx.ConnectorId, Reason.PowerLoss, tx.Record.LastMeter);
            _engine.Journal.Stop(tx, tx.Record.LastMeter, tx.Record.LastMeterTime, Reason.PowerLoss, null, null);
            _engine.RaiseTransactionStopped(new TransactionChange(tx.ConnectorId, tx.TransactionId, tx.Record.LastMeter, Reason.PowerLoss));
        }
    }

    // ------------------------------------------------------------------ hardware

    public async ValueTask OnConnectorEventAsync(ConnectorState c, ConnectorEvent e)
    {
        switch (e.Kind)
        {
            case ConnectorEventKind.Plugged:
                c.Plugged = true;
                c.Finishing = false;
                c.EvSuspended = false;
                if (c.Transaction is null && c.IsFree)
                {
                    if (_pending is { } pending && (pending.ConnectorId is null || pending.ConnectorId == c.Id) && _engine.Admits(c.Id, pending.IdTag, pending.ParentIdTag, authorized: true))
                    {
                        // Start first, then release the other connectors that waited for this authorization.
                        await StartAsync(c, pending.IdTag, pending.ParentIdTag, pending.ChargingProfile).ConfigureAwait(false);
                        ClearPending();
                        return;
                    }
                }

                break;
            case ConnectorEventKind.Unplugged:
                c.Plugged = false;
                c.Finishing = false;
                if (c.Transaction is not null)
                {
                    if (_engine.Configuration.GetBoolean(CoreKeys.StopTransactionOnEVSideDisconnect))
                    {
                        await StopAsync(c, Reason.EVDisconnected, null).ConfigureAwait(false);
                        if (_engine.Configuration.GetBoolean(CoreKeys.UnlockConnectorOnEVSideDisconnect) && !c.Hardware.HasFixedCable)
                        {
                            await c.Hardware.UnlockAsync().ConfigureAwait(false);
                        }

                        return;
                    }

                    // §9.1.23 StopTransactionOnEVSideDisconnect=false: the transaction goes on, suspended by the EV.
                }

                break;
            case ConnectorEventKind.EvSuspended:
                c.EvSuspended = true;
                break;
            case ConnectorEventKind.EvResumed:
                c.EvSuspended = false;
                break;
            case ConnectorEventKind.Faulted:
                c.Fault = e.ErrorCode == ChargePointErrorCode.NoError ? e with { ErrorCode = ChargePointErrorCode.OtherError } : e;
                if (c.Transaction is not null)
                {
                    await StopAsync(c, Reason.Other, null).ConfigureAwait(false);
                    return;
                }

                break;
            case ConnectorEventKind.FaultCleared:
                c.Fault = null;
                c.Warning = null;
                break;
            case ConnectorEventKind.Warning:
                c.Warning = e.ErrorCode == ChargePointErrorCode.NoError ? null : e;
                break;
        }

        _engine.Connectors.Update(c);
    }

    /// <summary>
    /// An IdTag was presented: it stops its own transaction (or one of a tag with the same parentIdTag, §3.4.4), cancels
    /// its own waiting authorization, or is authorized and starts a transaction on a plugged connector (or waits
    /// ConnectionTimeOut for one).
    /// </summary>
    public ValueTask OnIdTokenPresentedAsync(string idTag)
    {
        ChargePointLog.IdTagPresented(_engine.Logger, _engine.Identity, idTag);
        foreach (var c in _engine.Connectors.All)
        {
            if (c.Transaction is { } tx && SameIdTag(tx.Record.IdTag, idTag))
            {
                return StopAsync(c, Reason.Local, idTag);
            }
        }

        if (_pending is { } pending && SameIdTag(pending.IdTag, idTag))
        {
            ClearPending();
            return ValueTask.CompletedTask;
        }

        // Every free connector is reserved for someone else (§5.13): the IdTag is not even authorized. A tag that could
        // stop a transaction of its group (§3.4.4) is still authorized, to learn its parentIdTag.
        var free = _engine.Connectors.All.Where(c => c.IsFree).ToList();
        if (free.Count > 0 && _engine.Connectors.All.All(c => c.Transaction is null)
            && !free.Any(c => _engine.Admits(c.Id, idTag, _engine.Authorizer.FindLocally(idTag)?.ParentIdTag, authorized: false)))
        {
            ChargePointLog.IdTagRefused(_engine.Logger, _engine.Identity, "every free connector is reserved");
            return ValueTask.CompletedTask;
        }

        _engine.Authorizer.Authorize(idTag, result => _engine.Loop.Post(() => OnPresentedTagAuthorizedAsync(idTag, result)));
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnPresentedTagAuthorizedAsync(string idTag, AuthorizationResult result)
    {
        ChargePointLog.AuthorizationResult(_engine.Logger, _engine.Identity, result.Info.Status);
        if (!result.IsAccepted)
        {
            return;
        }

        // A tag of the same group (parentIdTag) may stop a transaction (§3.4.4 / §4.10 "stop by another IdTag").
        if (result.Info.ParentIdTag is { } parent)
        {
            foreach (var c in _engine.Connectors.All)
            {
                if (c.Transaction is { } tx && tx.Record.ParentIdTag is { } txParent && SameIdTag(txParent, parent))
                {
                    await StopAsync(c, Reason.Local, idTag).ConfigureAwait(false);
                    return;
                }
            }
        }

        var parentIdTag = result.Info.ParentIdTag;
        var admitted = _engine.Connectors.All.Where(c => c.IsFree && _engine.Admits(c.Id, idTag, parentIdTag, authorized: true)).ToList();
        var ready = admitted.FirstOrDefault(c => c.Plugged && c.IsFree && !c.Finishing && !c.AwaitingPlug)
            ?? admitted.FirstOrDefault(c => c.Plugged && c.IsFree && !c.AwaitingPlug);
        if (ready is not null)
        {
            await StartAsync(ready, idTag, parentIdTag, null).ConfigureAwait(false);
            ClearPending();
            return;
        }

        if (admitted.Count == 0)
        {
            ChargePointLog.IdTagRefused(_engine.Logger, _engine.Identity, "no connector admits it (reserved)");
            return;
        }

        // Authorized before the EV is plugged in (§3.6 "identification first"): every free connector it may use is
        // Preparing until one is plugged in or ConnectionTimeOut passes.
        AwaitPlug(idTag, parentIdTag, null, null);
    }

    private void AwaitPlug(string idTag, string? parentIdTag, int? connectorId, ChargingProfile? chargingProfile)
    {
        ClearPending();
        var timeout = _engine.Loop.Schedule(TimeSpan.FromSeconds(Math.Max(1, _engine.Configuration.GetInt32(CoreKeys.ConnectionTimeOut))), () =>
        {
            if (_pending?.IdTag == idTag)
            {
                ClearPending();
            }
        });
        _pending = new PendingAuthorization(idTag, parentIdTag, connectorId, chargingProfile, timeout);
        foreach (var c in _engine.Connectors.All.Where(c => c.IsFree && (connectorId is null || c.Id == connectorId) && _engine.Admits(c.Id, idTag, parentIdTag, authorized: true)))
        {
            c.AwaitingPlug = true;
            _engine.Connectors.Update(c);
        }
    }

    private void ClearPending()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        pending.Timeout.Dispose();
        _pending = null;
        foreach (var c in _engine.Connectors.All.Where(c => c.AwaitingPlug))
        {
            c.AwaitingPlug = false;
            _engine.Connectors.Update(c);
        }
    }

    // ------------------------------------------------------------------ start and stop

    private async ValueTask StartAsync(ConnectorState c, string idTag, string? parentIdTag, ChargingProfile? chargingProfile)
    {
        if (!c.IsFree || !_engine.Admits(c.Id, idTag, parentIdTag, authorized: true))
        {
            return;
        }

        // §4.9: a reserved connector with the EV plugged in goes Reserved → Preparing (G2) when its IdTag is presented,
        // then Preparing → Charging (B3); never Reserved → Charging.
        var wasAwaitingPlug = c.AwaitingPlug;
        if (c.ResolvedStatus == ChargePointStatus.Reserved)
        {
            c.AwaitingPlug = true;
            _engine.Connectors.Update(c);
        }

        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var now = _engine.Now;
        var starting = new TransactionStarting(c.Id, idTag, parentIdTag, _engine.Journal.NextLocalId, chargingProfile);
        foreach (var observer in _engine.TransactionObservers)
        {
            observer.OnStarting(starting);
        }

        var begin = Metering.Build(reading, _engine.Configuration.GetMeasurands(CoreKeys.StopTxnSampledData), ReadingContext.TransactionBegin, now);
        JournalTransaction tx;
        try
        {
            tx = _engine.Journal.Start(c.Id, idTag, parentIdTag, MeterRegister.Wh(reading.EnergyActiveImportRegisterWh), now, starting.ReservationId, begin, starting.Batch);
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.StateWriteFailed(_engine.Logger, _engine.Identity, "transaction start", e);
            c.AwaitingPlug = wasAwaitingPlug;
            _engine.Connectors.Update(c);
            return;
        }

        c.Transaction = tx;
        c.Finishing = false;
        c.AwaitingPlug = false;
        c.SuspendedByChargePoint = false;
        ChargePointLog.TransactionStarting(_engine.Logger, _engine.Identity, c.Id, tx.Record.MeterStart);
        await SwitchAsync(c, on: true).ConfigureAwait(false);
        _metering.StartSampling(tx);
        foreach (var observer in _engine.TransactionObservers)
        {
            observer.OnStarted(tx, starting);
        }

        _engine.Connectors.Update(c);
        _engine.RaiseTransactionStarted(new TransactionChange(c.Id, null, tx.Record.MeterStart, null));
    }

    /// <summary>Stops the transaction on <paramref name="c"/>, if any: energy off, final reading, StopTransaction journaled.</summary>
    public async ValueTask StopAsync(ConnectorState c, Reason reason, string? idTag)
    {
        if (c.Transaction is not { } tx)
        {
            return;
        }

        Metering.StopSampling(tx);
        await SwitchAsync(c, on: false).ConfigureAwait(false);
        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var now = _engine.Now;
        var end = Metering.Build(reading, _engine.Configuration.GetMeasurands(CoreKeys.StopTxnSampledData), ReadingContext.TransactionEnd, now);
        var meterStop = MeterRegister.Wh(reading.EnergyActiveImportRegisterWh);
        try
        {
            _engine.Journal.Stop(tx, meterStop, now, reason, idTag, end);
        }
        catch (ChargePointStorageException e)
        {
            // Energy is off either way; the journal still holds the transaction as running, so it is stopped (PowerLoss) after a restart.
            ChargePointLog.StateWriteFailed(_engine.Logger, _engine.Identity, "transaction stop", e);
        }

        c.Transaction = null;
        c.Finishing = c.Plugged;
        c.SuspendedByChargePoint = false;
        c.EvSuspended = false;
        ChargePointLog.TransactionStopped(_engine.Logger, _engine.Identity, tx.TransactionId, c.Id, reason, meterStop);
        foreach (var observer in _engine.TransactionObservers)
        {
            observer.OnStopped(tx);
        }

        _engine.Core.Availability.OnTransactionEnded(c);
        _engine.Connectors.Update(c);
        _engine.RaiseTransactionStopped(new TransactionChange(c.Id, tx.TransactionId, meterStop, reason));
    }

    private async ValueTask SwitchAsync(ConnectorState c, bool on)
    {
        try
        {
            if (on && !c.Hardware.HasFixedCable)
            {
                await c.Hardware.LockAsync().ConfigureAwait(false);
            }

            await c.Hardware.SetEnergyPermittedAsync(on && !c.SuspendedByChargePoint).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, c.Id, on ? "permit energy" : "stop energy", e);
        }
    }

    // ------------------------------------------------------------------ answers of the Central System

    private void OnStartConfirmed(JournalTransaction tx, StartTransactionResponse response)
    {
        ChargePointLog.TransactionStarted(_engine.Logger, _engine.Identity, response.TransactionId, tx.ConnectorId, response.IdTagInfo.Status);
        _engine.Authorizer.Learn(tx.Record.IdTag, response.IdTagInfo);
        var c = _engine.Connectors.Find(tx.ConnectorId);
        var running = c is not null && ReferenceEquals(c.Transaction, tx);
        if (running)
        {
            _engine.RaiseTransactionStarted(new TransactionChange(tx.ConnectorId, response.TransactionId, tx.Record.MeterStart, null));
        }

        // RemoteStopTransaction that arrived while this answer was on its way (§5.12).
        for (var i = _remoteStopsWaiting.Count - 1; i >= 0; i--)
        {
            var (id, answer) = _remoteStopsWaiting[i];
            if (id == response.TransactionId || !_engine.Journal.IsStartInFlight)
            {
                _remoteStopsWaiting.RemoveAt(i);
                answer.TrySetResult(RemoteStop(id));
            }
        }

        if (running && response.IdTagInfo.Status != AuthorizationStatus.Accepted)
        {
            // §9.1.24 StopTransactionOnInvalidId: stop (DeAuthorized), or keep the transaction with energy suspended.
            if (_engine.Configuration.GetBoolean(CoreKeys.StopTransactionOnInvalidId))
            {
                _engine.Loop.Post(() => StopAsync(c!, Reason.DeAuthorized, null));
            }
            else
            {
                _engine.Loop.Post(() => SuspendAsync(c!, tx));
            }
        }
    }

    private async ValueTask SuspendAsync(ConnectorState c, JournalTransaction tx)
    {
        if (!ReferenceEquals(c.Transaction, tx))
        {
            return;
        }

        try
        {
            _engine.Journal.SetDeauthorized(tx);
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.StateWriteFailed(_engine.Logger, _engine.Identity, "transaction", e);
        }

        c.SuspendedByChargePoint = true;
        await SwitchAsync(c, on: false).ConfigureAwait(false);
        _engine.Connectors.Update(c);
    }

    private void OnStopConfirmed(JournalTransaction tx, StopTransactionResponse response)
    {
        if (response.IdTagInfo is { } info)
        {
            _engine.Authorizer.Learn(tx.Record.IdTag, info);
        }
    }

    // ------------------------------------------------------------------ CS→CP

    /// <summary>
    /// RemoteStartTransaction (OCPP 1.6 §5.11): Rejected for connector 0 or a connector that does not exist, is not free
    /// or is reserved for another IdTag, for no such free connector, or for a ChargingProfile that is not a TxProfile,
    /// carries a transactionId, or that Smart Charging cannot install; otherwise Accepted, and after the answer is on
    /// the wire the IdTag is authorized (when AuthorizeRemoteTxRequests) and the transaction starts at once if an EV is
    /// plugged in, else when one is within ConnectionTimeOut. Its ChargingProfile becomes the transaction's TxProfile
    /// (without Smart Charging it is ignored).
    /// </summary>
    public ValueTask<RemoteStartTransactionResponse> OnRemoteStartAsync(RemoteStartTransactionRequest request, IncomingCall call)
    {
        var idTag = request.IdTag;
        var localParent = _engine.Authorizer.FindLocally(idTag)?.ParentIdTag;

        // Without AuthorizeRemoteTxRequests no parentIdTag will be learnt: what is known now decides.
        var final = !_engine.Configuration.GetBoolean(CoreKeys.AuthorizeRemoteTxRequests);
        ConnectorState? c;
        if (request.ConnectorId is { } id)
        {
            c = _engine.Connectors.Find(id);
        }
        else
        {
            var admitted = _engine.Connectors.All.Where(x => _engine.Admits(x.Id, idTag, localParent, authorized: final)).ToList();
            c = admitted.FirstOrDefault(x => x.Plugged && x.IsFree && !x.AwaitingPlug)
                ?? admitted.FirstOrDefault(x => x.IsFree && !x.AwaitingPlug);
        }

        var profile = request.ChargingProfile;
        var accepted = c is not null && c.IsFree && _engine.Connectors.StationOperative
            && _engine.Admits(c.Id, idTag, localParent, authorized: final)
            && (profile is null || (profile.ChargingProfilePurpose == ChargingProfilePurposeType.TxProfile && profile.TransactionId is null
                && (_engine.RemoteStartProfiles is not { } profiles || profiles.CanInstall(c.Id, profile))));
        if (!accepted)
        {
            return ValueTask.FromResult(new RemoteStartTransactionResponse { Status = RemoteStartStopStatus.Rejected });
        }

        var txProfile = _engine.RemoteStartProfiles is null ? null : profile;
        call.AfterResponse(() =>
        {
            if (_engine.Configuration.GetBoolean(CoreKeys.AuthorizeRemoteTxRequests))
            {
                _engine.Authorizer.Authorize(idTag, result => _engine.Loop.Post(() => result.IsAccepted ? ArmRemoteStartAsync(c!, idTag, result.Info.ParentIdTag, txProfile) : ValueTask.CompletedTask));
            }
            else
            {
                _engine.Loop.Post(() => ArmRemoteStartAsync(c!, idTag, localParent, txProfile));
            }
        });
        return ValueTask.FromResult(new RemoteStartTransactionResponse { Status = RemoteStartStopStatus.Accepted });
    }

    private ValueTask ArmRemoteStartAsync(ConnectorState c, string idTag, string? parentIdTag, ChargingProfile? chargingProfile)
    {
        if (!c.IsFree || !_engine.Admits(c.Id, idTag, parentIdTag, authorized: true))
        {
            return ValueTask.CompletedTask;
        }

        if (c.Plugged)
        {
            return StartThenClearPendingAsync(c, idTag, parentIdTag, chargingProfile);
        }

        AwaitPlug(idTag, parentIdTag, c.Id, chargingProfile);
        return ValueTask.CompletedTask;
    }

    private async ValueTask StartThenClearPendingAsync(ConnectorState c, string idTag, string? parentIdTag, ChargingProfile? chargingProfile)
    {
        await StartAsync(c, idTag, parentIdTag, chargingProfile).ConfigureAwait(false);
        ClearPending();
    }

    /// <summary>
    /// RemoteStopTransaction (OCPP 1.6 §5.12): Accepted for a running transaction with that TransactionId (stopped
    /// with reason Remote after the answer), Rejected otherwise. When a StartTransaction is on the wire, the answer waits
    /// for its result, so a RemoteStop for the id just assigned is never rejected.
    /// </summary>
    public ValueTask<RemoteStopTransactionResponse> OnRemoteStopAsync(RemoteStopTransactionRequest request, IncomingCall call)
    {
        if (FindRunning(request.TransactionId) is { } c)
        {
            call.AfterResponse(() => _engine.Loop.Post(() => StopAsync(c, Reason.Remote, null)));
            return ValueTask.FromResult(new RemoteStopTransactionResponse { Status = RemoteStartStopStatus.Accepted });
        }

        if (_engine.Journal.IsStartInFlight)
        {
            var answer = new TaskCompletionSource<RemoteStopTransactionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _remoteStopsWaiting.Add((request.TransactionId, answer));
            call.Deferred = true;
            call.AfterResponse(() =>
            {
                if (answer.Task.IsCompletedSuccessfully && answer.Task.Result.Status == RemoteStartStopStatus.Accepted && FindRunning(request.TransactionId) is { } later)
                {
                    _engine.Loop.Post(() => StopAsync(later, Reason.Remote, null));
                }
            });
            _engine.Loop.Schedule(_engine.Options.CallTimeout, () =>
            {
                if (_remoteStopsWaiting.Remove((request.TransactionId, answer)))
                {
                    answer.TrySetResult(RemoteStop(request.TransactionId));
                }
            });
            return new ValueTask<RemoteStopTransactionResponse>(answer.Task);
        }

        return ValueTask.FromResult(new RemoteStopTransactionResponse { Status = RemoteStartStopStatus.Rejected });
    }

    private RemoteStopTransactionResponse RemoteStop(int transactionId)
        => new() { Status = FindRunning(transactionId) is null ? RemoteStartStopStatus.Rejected : RemoteStartStopStatus.Accepted };

    private ConnectorState? FindRunning(int transactionId)
        => _engine.Connectors.All.FirstOrDefault(c => c.Transaction?.TransactionId == transactionId);

    /// <summary>
    /// UnlockConnector (OCPP 1.6 §5.18): NotSupported for a connector that does not exist or has a fixed cable;
    /// otherwise a running transaction is stopped first (reason UnlockCommand), then Unlocked or UnlockFailed.
    /// </summary>
    public async ValueTask<UnlockConnectorResponse> OnUnlockConnectorAsync(UnlockConnectorRequest request, IncomingCall call)
    {
        if (_engine.Connectors.Find(request.ConnectorId) is not { } c || c.Hardware.HasFixedCable)
        {
            return new UnlockConnectorResponse { Status = UnlockStatus.NotSupported };
        }

        await StopAsync(c, Reason.UnlockCommand, null).ConfigureAwait(false);
        bool unlocked;
        try
        {
            unlocked = await c.Hardware.UnlockAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, c.Id, "unlock", e);
            unlocked = false;
        }

        return new UnlockConnectorResponse { Status = unlocked ? UnlockStatus.Unlocked : UnlockStatus.UnlockFailed };
    }

    /// <summary>Stops every running transaction (Reset).</summary>
    public async ValueTask StopAllAsync(Reason reason)
    {
        foreach (var c in _engine.Connectors.All)
        {
            await StopAsync(c, reason, null).ConfigureAwait(false);
        }
    }

    /// <summary>IdTags compare case-insensitively (IdToken, OCPP 1.6 §7.20).</summary>
    public static bool SameIdTag(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
