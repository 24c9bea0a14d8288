using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint;

public sealed partial class ChargePoint
{
    /// <summary>Answers the CS→CP actions; every handler's work runs on the charge point loop.</summary>
    private sealed class RequestHandler(ChargePoint cp) : IOcppRequestHandler
    {
        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            ChargePointLog.Received(cp._logger, cp._options.Identity, call.Action);
            return call.Action switch
            {
                RemoteStartTransactionRequest.ActionName => Dispatch<RemoteStartTransactionRequest, RemoteStartTransactionResponse>(call, cp.OnRemoteStartAsync, cancellationToken),
                RemoteStopTransactionRequest.ActionName => Dispatch<RemoteStopTransactionRequest, RemoteStopTransactionResponse>(call, cp.OnRemoteStopAsync, cancellationToken),
                GetConfigurationRequest.ActionName => Dispatch<GetConfigurationRequest, GetConfigurationResponse>(call, cp.OnGetConfigurationAsync, cancellationToken),
                ChangeConfigurationRequest.ActionName => Dispatch<ChangeConfigurationRequest, ChangeConfigurationResponse>(call, cp.OnChangeConfigurationAsync, cancellationToken),
                ResetRequest.ActionName => Dispatch<ResetRequest, ResetResponse>(call, cp.OnResetAsync, cancellationToken),
                UnlockConnectorRequest.ActionName => Dispatch<UnlockConnectorRequest, UnlockConnectorResponse>(call, cp.OnUnlockConnectorAsync, cancellationToken),
                ChangeAvailabilityRequest.ActionName => Dispatch<ChangeAvailabilityRequest, ChangeAvailabilityResponse>(call, cp.OnChangeAvailabilityAsync, cancellationToken),
                ClearCacheRequest.ActionName => Dispatch<ClearCacheRequest, ClearCacheResponse>(call, cp.OnClearCacheAsync, cancellationToken),
                DataTransferRequest.ActionName => Dispatch<DataTransferRequest, DataTransferResponse>(call, cp.OnDataTransferAsync, cancellationToken),
                _ => ValueTask.FromResult(OcppTypedRpc.Unhandled(call.Action)),
            };
        }

        private ValueTask<OcppResponse> Dispatch<TRequest, TResponse>(OcppIncomingCall call, Func<TRequest, CancellationToken, ValueTask<TResponse>> handler, CancellationToken ct)
            where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
            where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
            => OcppTypedRpc.Dispatch(call, cp._options.Validation, handler, cp, ct);
    }

    private ValueTask<RemoteStartTransactionResponse> OnRemoteStartAsync(RemoteStartTransactionRequest request, CancellationToken ct)
        => new(RunOnLoopAsync(() =>
        {
            var status = RemoteStartStopStatus.Rejected;
            ConnectorState? c = null;
            if (request.ConnectorId is { } id)
            {
                if (id >= 1 && id < _connectors.Length)
                {
                    c = _connectors[id];
                }
            }
            else
            {
                // No connector given: the Charge Point chooses (OCPP 1.6 §5.11); prefer one with an EV plugged in.
                c = _connectors.Skip(1).FirstOrDefault(x => x.Plugged && IsFree(x)) ?? _connectors.Skip(1).FirstOrDefault(IsFree);
            }

            if (c is not null && IsFree(c) && (request.ChargingProfile is null || request.ChargingProfile.ChargingProfilePurpose == ChargingProfilePurposeType.TxProfile))
            {
                status = RemoteStartStopStatus.Accepted;
                var target = c;
                var idTag = request.IdTag;
                Post(() => BeginRemoteStartAsync(target, idTag));
            }

            return ValueTask.FromResult(new RemoteStartTransactionResponse { Status = status });
        }));

    private static bool IsFree(ConnectorState c) => c.Transaction is null && !c.Faulted && !c.Inoperative && c.AuthorizedIdTag is null;

    private ValueTask BeginRemoteStartAsync(ConnectorState c, string idTag)
    {
        if (Configuration.GetBoolean("AuthorizeRemoteTxRequests"))
        {
            return AuthorizeAsync(idTag, info => info.Status == AuthorizationStatus.Accepted ? ArmRemoteStartAsync(c, idTag) : ValueTask.CompletedTask);
        }

        return ArmRemoteStartAsync(c, idTag);
    }

    private ValueTask ArmRemoteStartAsync(ConnectorState c, string idTag)
    {
        if (!IsFree(c))
        {
            return ValueTask.CompletedTask;
        }

        if (c.Plugged)
        {
            return StartTransactionAsync(c, idTag);
        }

        // Wait for the EV for ConnectionTimeOut seconds (OCPP 1.6 §9.1.8), then give up.
        c.AuthorizedIdTag = idTag;
        var generation = ++c.AuthorizationGeneration;
        UpdateStatus(c);
        PostAfter(TimeSpan.FromSeconds(Math.Max(1, Configuration.GetInt32("ConnectionTimeOut"))), () =>
        {
            if (c.AuthorizationGeneration == generation && c.AuthorizedIdTag is not null && c.Transaction is null)
            {
                c.AuthorizedIdTag = null;
                UpdateStatus(c);
            }

            return ValueTask.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask<RemoteStopTransactionResponse> OnRemoteStopAsync(RemoteStopTransactionRequest request, CancellationToken ct)
        => new(RunOnLoopAsync(() =>
        {
            var c = _connectors.Skip(1).FirstOrDefault(x => x.Transaction?.TransactionId == request.TransactionId);
            if (c is null)
            {
                return ValueTask.FromResult(new RemoteStopTransactionResponse { Status = RemoteStartStopStatus.Rejected });
            }

            Post(() => StopTransactionAsync(c, Reason.Remote, null));
            return ValueTask.FromResult(new RemoteStopTransactionResponse { Status = RemoteStartStopStatus.Accepted });
        }));

    private ValueTask<GetConfigurationResponse> OnGetConfigurationAsync(GetConfigurationRequest request, CancellationToken ct)
    {
        var known = new List<KeyValue>();
        var unknown = new List<string>();
        var keys = request.Key is { Count: > 0 } requested ? requested : Configuration.Keys;
        foreach (var key in keys)
        {
            if (Configuration.TryGet(key, out var value, out var readOnly))
            {
                known.Add(new KeyValue { Key = key, Readonly = readOnly, Value = value });
            }
            else
            {
                unknown.Add(key);
            }
        }

        return ValueTask.FromResult(new GetConfigurationResponse
        {
            ConfigurationKey = known.Count > 0 ? known : null,
            UnknownKey = unknown.Count > 0 ? unknown : null,
        });
    }

    private ValueTask<ChangeConfigurationResponse> OnChangeConfigurationAsync(ChangeConfigurationRequest request, CancellationToken ct)
        => ValueTask.FromResult(new ChangeConfigurationResponse { Status = Configuration.TrySet(request.Key, request.Value) });

    private ValueTask<ResetResponse> OnResetAsync(ResetRequest request, CancellationToken ct)
    {
        ChargePointLog.Resetting(_logger, _options.Identity, request.Type);
        Post(async () =>
        {
            var reason = request.Type == ResetType.Hard ? Reason.HardReset : Reason.SoftReset;
            foreach (var c in _connectors.AsSpan(1).ToArray())
            {
                await StopTransactionAsync(c, reason, null).ConfigureAwait(false);
            }

            // Let the StopTransactions go out before rebooting (bounded: undelivered ones stay queued anyway).
            await _outbox.WaitUntilDrainedAsync(_options.CallTimeout).ConfigureAwait(false);

            // Simulated reboot: register again with a new BootNotification on a fresh connection.
            _accepted = false;
            _heartbeatGeneration++;
            if (_connection is { } connection)
            {
                PostAfter(TimeSpan.FromMilliseconds(200), async () =>
                {
                    await connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "Reset").ConfigureAwait(false);
                });
            }
        });
        return ValueTask.FromResult(new ResetResponse { Status = ResetStatus.Accepted });
    }

    private ValueTask<UnlockConnectorResponse> OnUnlockConnectorAsync(UnlockConnectorRequest request, CancellationToken ct)
        => new(RunOnLoopAsync(async () =>
        {
            if (request.ConnectorId < 1 || request.ConnectorId >= _connectors.Length)
            {
                return new UnlockConnectorResponse { Status = UnlockStatus.NotSupported };
            }

            var c = _connectors[request.ConnectorId];
            await StopTransactionAsync(c, Reason.UnlockCommand, null).ConfigureAwait(false);
            var unlocked = await c.Hardware.UnlockAsync(ct).ConfigureAwait(false);
            return new UnlockConnectorResponse { Status = unlocked ? UnlockStatus.Unlocked : UnlockStatus.UnlockFailed };
        }));

    private ValueTask<ChangeAvailabilityResponse> OnChangeAvailabilityAsync(ChangeAvailabilityRequest request, CancellationToken ct)
        => new(RunOnLoopAsync(() =>
        {
            if (request.ConnectorId < 0 || request.ConnectorId >= _connectors.Length)
            {
                return ValueTask.FromResult(new ChangeAvailabilityResponse { Status = AvailabilityStatus.Rejected });
            }

            var inoperative = request.Type == AvailabilityType.Inoperative;
            var targets = request.ConnectorId == 0 ? _connectors.Skip(1).ToArray() : [_connectors[request.ConnectorId]];
            var scheduled = false;
            foreach (var c in targets)
            {
                if (inoperative && c.Transaction is not null)
                {
                    // Applied when the transaction ends (OCPP 1.6 §5.2).
                    c.InoperativeScheduled = true;
                    scheduled = true;
                    continue;
                }

                c.InoperativeScheduled = false;
                c.Inoperative = inoperative;
                UpdateStatus(c);
            }

            if (request.ConnectorId == 0)
            {
                _stationInoperative = inoperative;
                var stationStatus = inoperative ? ChargePointStatus.Unavailable : ChargePointStatus.Available;
                if (stationStatus != _stationStatus)
                {
                    _stationStatus = stationStatus;
                    SendStatusNotification(0, stationStatus, ChargePointErrorCode.NoError, null);
                }
            }

            return ValueTask.FromResult(new ChangeAvailabilityResponse { Status = scheduled ? AvailabilityStatus.Scheduled : AvailabilityStatus.Accepted });
        }));

    private ValueTask<ClearCacheResponse> OnClearCacheAsync(ClearCacheRequest request, CancellationToken ct)
        => new(RunOnLoopAsync(() =>
        {
            _authorizationCache.Clear();
            return ValueTask.FromResult(new ClearCacheResponse { Status = ClearCacheStatus.Accepted });
        }));

    private ValueTask<DataTransferResponse> OnDataTransferAsync(DataTransferRequest request, CancellationToken ct)
        => DataTransferHandler is { } handler
            ? handler(request, ct)
            : ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId });
}
