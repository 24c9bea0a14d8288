using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

public sealed partial class ChargePoint
{
    private sealed class ConnectorState(IConnector hardware)
    {
        public IConnector Hardware { get; } = hardware;

        public int Id => Hardware.ConnectorId;

        public ChargePointStatus Status { get; set; } = ChargePointStatus.Available;

        /// <summary>The error code last reported in a StatusNotification.</summary>
        public ChargePointErrorCode ErrorCode { get; set; } = ChargePointErrorCode.NoError;

        /// <summary>The error code of the current fault (reported while <see cref="Faulted"/>).</summary>
        public ChargePointErrorCode FaultCode { get; set; } = ChargePointErrorCode.NoError;

        public string? Info { get; set; }

        public bool Plugged { get; set; }

        public bool Faulted { get; set; }

        public bool Inoperative { get; set; }

        public bool InoperativeScheduled { get; set; }

        public bool Finishing { get; set; }

        public ActiveTransaction? Transaction { get; set; }

        /// <summary>An IdTag authorized for this connector (remote start) waiting for the EV to be plugged in.</summary>
        public string? AuthorizedIdTag { get; set; }

        public int AuthorizationGeneration { get; set; }
    }

    private sealed class ActiveTransaction
    {
        public required int LocalId { get; init; }


        public required int ConnectorId { get; init; }

        public required string IdTag { get; init; }

        public required long MeterStartWh { get; init; }

        public required DateTimeOffset StartTime { get; init; }

        public MeterValue? BeginSample { get; init; }

        /// <summary>Set by the outbox as soon as StartTransaction.conf arrives, before later messages are built.</summary>
        public volatile int TransactionIdValue;

        public volatile bool HasTransactionId;

        public int? TransactionId => HasTransactionId ? TransactionIdValue : null;

        /// <summary>False once stopped; the record stays until its StopTransaction is delivered.</summary>
        public bool Active { get; set; } = true;

        public long? LastMeterWh { get; set; }

        public DateTimeOffset? LastMeterTime { get; set; }

        public Persistence.StoredTransaction ToStored()
            => new(LocalId, ConnectorId, IdTag, MeterStartWh, StartTime, TransactionId, Active, LastMeterWh, LastMeterTime);
    }

    private void SaveTransaction(ActiveTransaction tx) => _store.SaveTransaction(tx.ToStored());

    /// <summary>
    /// Called by the outbox (not on the loop) as soon as a transaction message is answered, before the next message is
    /// built: records the TransactionId from StartTransaction.conf, and forgets the transaction once its
    /// StopTransaction is delivered.
    /// </summary>
    private void OnTransactionMessageDelivered(ActiveTransaction tx, IOcppResponse response)
    {
        switch (response)
        {
            case StartTransactionResponse start:
                tx.TransactionIdValue = start.TransactionId;
                tx.HasTransactionId = true;
                SaveTransaction(tx);
                break;
            case StopTransactionResponse:
                _store.DeleteTransaction(tx.LocalId);
                _transactions.TryRemove(tx.LocalId, out _);
                break;
        }
    }

    /// <summary>
    /// Loads the durable state at start: re-queues undelivered transaction messages in order, and stops every
    /// transaction that was running when the charge point went down with reason PowerLoss (reported once back
    /// online, OCPP 1.6 §4.10).
    /// </summary>
    private void RestoreFromStore()
    {
        foreach (var stored in _store.LoadTransactions())
        {
            var tx = new ActiveTransaction
            {
                LocalId = stored.LocalId,
                ConnectorId = stored.ConnectorId,
                IdTag = stored.IdTag,
                MeterStartWh = stored.MeterStartWh,
                StartTime = stored.StartTime,
                Active = stored.Active,
                LastMeterWh = stored.LastMeterWh,
                LastMeterTime = stored.LastMeterTime,
            };
            if (stored.TransactionId is { } id)
            {
                tx.TransactionIdValue = id;
                tx.HasTransactionId = true;
            }

            _transactions[tx.LocalId] = tx;
            _nextLocalTransactionId = Math.Max(_nextLocalTransactionId, tx.LocalId);
        }

        foreach (var message in _store.LoadMessages())
        {
            if (_transactions.TryGetValue(message.LocalTransactionId, out var tx))
            {
                _outbox.Restore(message, tx);
            }
            else
            {
                _store.Remove(message.Sequence);
            }
        }

        foreach (var tx in _transactions.Values.Where(t => t.Active).OrderBy(t => t.LocalId).ToList())
        {
            tx.Active = false;
            SaveTransaction(tx);
            ChargePointLog.TransactionStopped(_logger, _options.Identity, tx.TransactionId, tx.ConnectorId, Reason.PowerLoss, tx.LastMeterWh ?? tx.MeterStartWh);
            _outbox.EnqueueTransactionMessage(
                new StopTransactionRequest
                {
                    TransactionId = tx.TransactionId ?? 0,
                    IdTag = tx.IdTag,
                    MeterStop = (int)(tx.LastMeterWh ?? tx.MeterStartWh),
                    Timestamp = tx.LastMeterTime ?? tx.StartTime,
                    Reason = Reason.PowerLoss,
                },
                tx);
        }
    }

    private static ChargePointStatus ComputeStatus(ConnectorState c)
    {
        if (c.Faulted)
        {
            return ChargePointStatus.Faulted;
        }

        if (c.Transaction is not null)
        {
            return ChargePointStatus.Charging;
        }

        if (c.Inoperative)
        {
            return ChargePointStatus.Unavailable;
        }

        if (c.Plugged && c.Finishing)
        {
            return ChargePointStatus.Finishing;
        }

        return c.Plugged || c.AuthorizedIdTag is not null ? ChargePointStatus.Preparing : ChargePointStatus.Available;
    }

    private void UpdateStatus(ConnectorState c)
    {
        var status = ComputeStatus(c);
        var error = c.Faulted ? c.FaultCode : ChargePointErrorCode.NoError;
        if (status == c.Status && error == c.ErrorCode)
        {
            return;
        }

        c.Status = status;
        c.ErrorCode = error;
        SendStatusNotification(c.Id, status, error, c.Faulted ? c.Info : null);
    }

    private void SendStatusNotification(int connectorId, ChargePointStatus status, ChargePointErrorCode errorCode, string? info)
    {
        ChargePointLog.StatusChanged(_logger, _options.Identity, connectorId, status, errorCode);
        var timestamp = Now;
        if (_accepted)
        {
            _outbox.Enqueue(
                () => new StatusNotificationRequest { ConnectorId = connectorId, Status = status, ErrorCode = errorCode, Info = info, Timestamp = timestamp },
                transactional: false,
                onResponse: null);
        }

        ConnectorStatusChanged?.Invoke(this, new ConnectorStatusChange(connectorId, status, errorCode));
    }

    // ------------------------------------------------------------------ hardware events

    private async ValueTask OnConnectorEventAsync(ConnectorState c, ConnectorEvent e)
    {
        switch (e.Kind)
        {
            case ConnectorEventKind.Plugged:
                c.Plugged = true;
                c.Finishing = false;
                if (c.AuthorizedIdTag is { } remoteTag && c.Transaction is null && !c.Faulted && !c.Inoperative)
                {
                    await StartTransactionAsync(c, remoteTag).ConfigureAwait(false);
                    return;
                }

                if (_pendingAuthorization is { } pending && pending.Expires > Now && c.Transaction is null && !c.Faulted && !c.Inoperative)
                {
                    _pendingAuthorization = null;
                    await StartTransactionAsync(c, pending.IdTag).ConfigureAwait(false);
                    return;
                }

                UpdateStatus(c);
                break;
            case ConnectorEventKind.Unplugged:
                c.Plugged = false;
                c.Finishing = false;
                if (c.Transaction is not null)
                {
                    if (Configuration.GetBoolean("StopTransactionOnEVSideDisconnect"))
                    {
                        await StopTransactionAsync(c, Reason.EVDisconnected, null).ConfigureAwait(false);
                        if (Configuration.GetBoolean("UnlockConnectorOnEVSideDisconnect"))
                        {
                            await c.Hardware.UnlockAsync().ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        // The transaction continues, suspended by the EV (OCPP 1.6 §3.6 StopTransactionOnEVSideDisconnect=false).
                        c.Status = ChargePointStatus.SuspendedEV;
                        SendStatusNotification(c.Id, c.Status, ChargePointErrorCode.NoError, null);
                        return;
                    }
                }

                UpdateStatus(c);
                break;
            case ConnectorEventKind.Faulted:
                c.Faulted = true;
                c.FaultCode = e.ErrorCode == ChargePointErrorCode.NoError ? ChargePointErrorCode.OtherError : e.ErrorCode;
                c.Info = e.Info;
                if (c.Transaction is not null)
                {
                    // Stopping reports the new status (Faulted) once.
                    await StopTransactionAsync(c, Reason.Other, null).ConfigureAwait(false);
                }
                else
                {
                    UpdateStatus(c);
                }

                break;
            case ConnectorEventKind.FaultCleared:
                if (c.Faulted)
                {
                    c.Faulted = false;
                    c.Info = null;
                    UpdateStatus(c);
                }

                break;
        }
    }

    private async ValueTask OnIdTagPresentedAsync(string idTag)
    {
        // The same IdTag stops its own transaction (local stop, OCPP 1.6 §3.5 / §4.10).
        foreach (var c in _connectors.AsSpan(1))
        {
            if (c.Transaction is { } tx && string.Equals(tx.IdTag, idTag, StringComparison.Ordinal))
            {
                await StopTransactionAsync(c, Reason.Local, idTag).ConfigureAwait(false);
                return;
            }
        }

        // Presenting the card again cancels an authorization that waits for a plug.
        if (_pendingAuthorization is { } pending && pending.IdTag == idTag && pending.Expires > Now)
        {
            _pendingAuthorization = null;
            return;
        }

        await AuthorizeAsync(idTag, info =>
        {
            ChargePointLog.AuthorizationResult(_logger, _options.Identity, info.Status);
            ChargePointLog.IdTagAuthorized(_logger, _options.Identity, idTag, info.Status);
            if (info.Status != AuthorizationStatus.Accepted)
            {
                return ValueTask.CompletedTask;
            }

            var ready = _connectors.Skip(1).FirstOrDefault(x => x.Plugged && x.Transaction is null && !x.Faulted && !x.Inoperative && x.AuthorizedIdTag is null && !x.Finishing)
                ?? _connectors.Skip(1).FirstOrDefault(x => x.Plugged && x.Transaction is null && !x.Faulted && !x.Inoperative && x.AuthorizedIdTag is null);
            if (ready is not null)
            {
                return StartTransactionAsync(ready, idTag);
            }

            // Authorized before plugging in: the next connector plugged within ConnectionTimeOut starts charging.
            _pendingAuthorization = (idTag, Now + TimeSpan.FromSeconds(Math.Max(1, Configuration.GetInt32("ConnectionTimeOut"))));
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Authorizes an IdTag: from the authorization cache when LocalPreAuthorize allows, by Authorize.req when online,
    /// else by the offline rules (LocalAuthorizeOffline, AllowOfflineTxForUnknownId). The continuation runs on the loop.
    /// </summary>
    private ValueTask AuthorizeAsync(string idTag, Func<IdTagInfo, ValueTask> then)
    {
        var cacheEnabled = Configuration.GetBoolean("AuthorizationCacheEnabled");
        if (cacheEnabled && Configuration.GetBoolean("LocalPreAuthorize") && TryGetCached(idTag) is { Status: AuthorizationStatus.Accepted } cachedOnline)
        {
            return then(cachedOnline);
        }

        if (!IsReadyToSend)
        {
            return then(OfflineAuthorization(idTag));
        }

        _outbox.Enqueue(
            () => new AuthorizeRequest { IdTag = idTag },
            transactional: false,
            onResponse: null,
            onCompleted: (response, error) => Post(() =>
            {
                if (response is not null)
                {
                    Cache(idTag, response.IdTagInfo);
                    return then(response.IdTagInfo);
                }

                return then(OfflineAuthorization(idTag));
            }));
        return ValueTask.CompletedTask;
    }

    private IdTagInfo OfflineAuthorization(string idTag)
    {
        if (Configuration.GetBoolean("LocalAuthorizeOffline") && TryGetCached(idTag) is { } cached)
        {
            return cached;
        }

        return new IdTagInfo { Status = Configuration.GetBoolean("AllowOfflineTxForUnknownId") ? AuthorizationStatus.Accepted : AuthorizationStatus.Invalid };
    }

    private IdTagInfo? TryGetCached(string idTag)
    {
        if (!Configuration.GetBoolean("AuthorizationCacheEnabled") || !_authorizationCache.TryGetValue(idTag, out var info))
        {
            return null;
        }

        if (info.ExpiryDate is { } expiry && expiry <= Now)
        {
            return new IdTagInfo { Status = AuthorizationStatus.Expired, ExpiryDate = expiry, ParentIdTag = info.ParentIdTag };
        }

        return info;
    }

    private void Cache(string idTag, IdTagInfo info)
    {
        if (Configuration.GetBoolean("AuthorizationCacheEnabled"))
        {
            _authorizationCache[idTag] = info;
        }
    }

    // ------------------------------------------------------------------ transactions

    private async ValueTask StartTransactionAsync(ConnectorState c, string idTag)
    {
        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var start = Now;
        var tx = new ActiveTransaction
        {
            LocalId = ++_nextLocalTransactionId,
            ConnectorId = c.Id,
            IdTag = idTag,
            MeterStartWh = (long)reading.EnergyActiveImportRegisterWh,
            StartTime = start,
            BeginSample = BuildMeterValue(reading, Configuration.GetMeasurands("StopTxnSampledData"), ReadingContext.TransactionBegin, start),
        };
        c.AuthorizedIdTag = null;
        c.AuthorizationGeneration++;
        c.Finishing = false;
        if (c.Status != ChargePointStatus.Preparing)
        {
            // A transaction starts from Preparing (OCPP 1.6 §4.9 state diagram).
            c.Status = ChargePointStatus.Preparing;
            SendStatusNotification(c.Id, ChargePointStatus.Preparing, ChargePointErrorCode.NoError, null);
        }

        c.Transaction = tx;
        _transactions[tx.LocalId] = tx;
        SaveTransaction(tx);
        ChargePointLog.TransactionStarting(_logger, _options.Identity, c.Id, tx.MeterStartWh);
        _outbox.EnqueueTransactionMessage(
            new StartTransactionRequest { ConnectorId = c.Id, IdTag = idTag, MeterStart = (int)tx.MeterStartWh, Timestamp = start },
            tx,
            (response, _) => Post(() => OnStartTransactionAnsweredAsync(c, tx, response as StartTransactionResponse)));
        await c.Hardware.SetEnergizedAsync(true).ConfigureAwait(false);
        UpdateStatus(c);
        ScheduleSample(c, tx);
        TransactionStarted?.Invoke(this, new TransactionChange(c.Id, null, tx.MeterStartWh, null));
    }

    private async ValueTask OnStartTransactionAnsweredAsync(ConnectorState c, ActiveTransaction tx, StartTransactionResponse? response)
    {
        if (response is null)
        {
            return;
        }

        Cache(tx.IdTag, response.IdTagInfo);
        ChargePointLog.TransactionStarted(_logger, _options.Identity, response.TransactionId, c.Id, response.IdTagInfo.Status);
        TransactionStarted?.Invoke(this, new TransactionChange(c.Id, response.TransactionId, tx.MeterStartWh, null));
        if (response.IdTagInfo.Status != AuthorizationStatus.Accepted && ReferenceEquals(c.Transaction, tx))
        {
            if (Configuration.GetBoolean("StopTransactionOnInvalidId"))
            {
                await StopTransactionAsync(c, Reason.DeAuthorized, null).ConfigureAwait(false);
            }
            else
            {
                await c.Hardware.SetEnergizedAsync(false).ConfigureAwait(false);
                c.Status = ChargePointStatus.SuspendedEVSE;
                SendStatusNotification(c.Id, c.Status, ChargePointErrorCode.NoError, null);
            }
        }
    }

    private async ValueTask StopTransactionAsync(ConnectorState c, Reason reason, string? stoppingIdTag)
    {
        var tx = c.Transaction;
        if (tx is null)
        {
            return;
        }

        await c.Hardware.SetEnergizedAsync(false).ConfigureAwait(false);
        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var stop = Now;
        var meterStop = (long)reading.EnergyActiveImportRegisterWh;
        var endSample = BuildMeterValue(reading, Configuration.GetMeasurands("StopTxnSampledData"), ReadingContext.TransactionEnd, stop);
        var transactionData = new List<MeterValue>(2);
        if (tx.BeginSample is not null)
        {
            transactionData.Add(tx.BeginSample);
        }

        if (endSample is not null)
        {
            transactionData.Add(endSample);
        }

        c.Transaction = null;
        c.Finishing = c.Plugged;
        tx.Active = false;
        tx.LastMeterWh = meterStop;
        tx.LastMeterTime = stop;
        SaveTransaction(tx);
        ChargePointLog.TransactionStopped(_logger, _options.Identity, tx.TransactionId, c.Id, reason, meterStop);
        _outbox.EnqueueTransactionMessage(
            new StopTransactionRequest
            {
                TransactionId = tx.TransactionId ?? 0,
                IdTag = stoppingIdTag ?? tx.IdTag,
                MeterStop = (int)meterStop,
                Timestamp = stop,
                Reason = reason,
                TransactionData = transactionData.Count > 0 ? transactionData : null,
            },
            tx,
            (response, _) =>
            {
                if ((response as StopTransactionResponse)?.IdTagInfo is { } info)
                {
                    Post(() =>
                    {
                        Cache(tx.IdTag, info);
                        return ValueTask.CompletedTask;
                    });
                }
            });
        UpdateStatus(c);
        TransactionStopped?.Invoke(this, new TransactionChange(c.Id, tx.TransactionId, meterStop, reason));
        if (c.InoperativeScheduled)
        {
            c.InoperativeScheduled = false;
            c.Inoperative = true;
            UpdateStatus(c);
        }
    }

    // ------------------------------------------------------------------ meter values

    /// <summary>
    /// Samples a running transaction every MeterValueSampleInterval seconds, counted from its start (OCPP 1.6 §9.1.21);
    /// the interval is read again at every tick, so a ChangeConfiguration takes effect at the next sample. 0 = none
    /// (checked again every 5 s).
    /// </summary>
    private void ScheduleSample(ConnectorState c, ActiveTransaction tx)
    {
        var interval = Configuration.GetInt32("MeterValueSampleInterval");
        PostAfter(TimeSpan.FromSeconds(interval > 0 ? interval : 5), async () =>
        {
            if (!ReferenceEquals(c.Transaction, tx))
            {
                return;
            }

            if (Configuration.GetInt32("MeterValueSampleInterval") > 0)
            {
                await SampleAsync(c, tx).ConfigureAwait(false);
            }

            ScheduleSample(c, tx);
        });
    }

    private async ValueTask SampleAsync(ConnectorState c, ActiveTransaction tx)
    {
        var measurands = Configuration.GetMeasurands("MeterValuesSampledData");
        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var meterValue = BuildMeterValue(reading, measurands, ReadingContext.SamplePeriodic, Now);
        if (meterValue is null)
        {
            return;
        }

        ChargePointLog.MeterSampled(_logger, _options.Identity, c.Id, reading.EnergyActiveImportRegisterWh);
        tx.LastMeterWh = (long)reading.EnergyActiveImportRegisterWh;
        tx.LastMeterTime = meterValue.Timestamp;
        SaveTransaction(tx);
        _outbox.EnqueueTransactionMessage(new MeterValuesRequest { ConnectorId = c.Id, TransactionId = tx.TransactionId, MeterValue = [meterValue] }, tx);
    }

    /// <summary>Builds one MeterValue with a SampledValue per configured measurand the meter provides (OCPP 1.6 §7.17).</summary>
    private static MeterValue? BuildMeterValue(MeterReading reading, IReadOnlyList<Measurand> measurands, ReadingContext context, DateTimeOffset timestamp)
    {
        var values = new List<SampledValue>(measurands.Count);
        foreach (var m in measurands)
        {
            (decimal? value, UnitOfMeasure unit) = m switch
            {
                Measurand.EnergyActiveImportRegister => ((decimal?)reading.EnergyActiveImportRegisterWh, UnitOfMeasure.Wh),
                Measurand.PowerActiveImport => (reading.PowerActiveImportW, UnitOfMeasure.W),
                Measurand.CurrentImport => (reading.CurrentImportA, UnitOfMeasure.A),
                Measurand.CurrentOffered => (reading.CurrentOfferedA, UnitOfMeasure.A),
                Measurand.PowerOffered => (reading.PowerOfferedW, UnitOfMeasure.W),
                Measurand.Voltage => (reading.VoltageV, UnitOfMeasure.V),
                Measurand.SoC => (reading.StateOfChargePercent, UnitOfMeasure.Percent),
                _ => (null, UnitOfMeasure.Wh),
            };
            if (value is not { } v)
            {
                continue;
            }

            values.Add(new SampledValue
            {
                Value = v.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Context = context,
                Measurand = m,
                Location = m == Measurand.SoC ? Location.EV : Location.Outlet,
                Unit = unit,
            });
        }

        return values.Count == 0 ? null : new MeterValue { Timestamp = timestamp, SampledValue = values };
    }
}
