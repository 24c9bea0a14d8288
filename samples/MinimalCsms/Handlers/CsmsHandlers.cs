using System.Globalization;
using MinimalCsms.Live;
using MinimalCsms.Persistence;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.Messages;

namespace MinimalCsms.Handlers;

/// <summary>
/// The Core profile: idTags evaluated by the library's <see cref="IIdTagEvaluator"/> over the database, every
/// BootNotification, status, transaction and meter value persisted (awaited: the answer goes out once committed),
/// live events for the dashboard. Scoped: one instance per CALL.
/// </summary>
internal sealed class CsmsCoreHandler(CsmsStore store, IIdTagEvaluator idTags, LiveFeed live, IConfiguration configuration, TimeProvider time, ILogger<CsmsCoreHandler> logger) : ICentralSystemCoreHandler
{
    public async ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var info = await idTags.EvaluateAsync(request.IdTag, IdTagUse.Authorize, cancellationToken).ConfigureAwait(false);
        CsmsLog.Authorize(logger, chargePoint.Id, info.Status);
        var response = new AuthorizeResponse { IdTagInfo = info };
        live.Log(chargePoint.Id, "in", "Authorize", request, response);
        return response;
    }

    public async ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.BootAsync(chargePoint.Id, request, RegistrationStatus.Accepted, now).ConfigureAwait(false);
        CsmsLog.Boot(logger, chargePoint.Id, request.ChargePointVendor, request.ChargePointModel);
        var response = new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            CurrentTime = now,
            Interval = configuration.GetValue("Csms:HeartbeatInterval", 60),
        };
        live.Log(chargePoint.Id, "in", "BootNotification", request, response);
        live.Publish("boot", chargePoint.Id, request.ChargePointModel);
        return response;
    }

    public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken)
    {
        var response = new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId };
        live.Log(chargePoint.Id, "in", "DataTransfer", request, response);
        return ValueTask.FromResult(response);
    }

    public async ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.HeartbeatAsync(chargePoint.Id, now).ConfigureAwait(false);
        var response = new HeartbeatResponse { CurrentTime = now };
        live.Log(chargePoint.Id, "in", "Heartbeat", request, response);
        return response;
    }

    public async ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken)
    {
        var energy = EnergyWh(request);
        await store.MeterValuesAsync(chargePoint.Id, request, energy).ConfigureAwait(false);
        CsmsLog.MeterValues(logger, chargePoint.Id, request.ConnectorId, request.TransactionId, energy);
        live.Log(chargePoint.Id, "in", "MeterValues", request, null);
        if (request.TransactionId is { } tx && live.HasSubscribers)
        {
            live.Publish("meter", chargePoint.Id, string.Create(CultureInfo.InvariantCulture, $"transaction {tx}: {energy} Wh"));
        }

        return new MeterValuesResponse();
    }

    public async ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken)
    {
        var info = await idTags.EvaluateAsync(request.IdTag, IdTagUse.StartTransaction, cancellationToken).ConfigureAwait(false);
        var id = await store.StartTransactionAsync(chargePoint.Id, request, info.Status).ConfigureAwait(false);
        CsmsLog.Start(logger, chargePoint.Id, request.ConnectorId, id, request.MeterStart, info.Status);
        var response = new StartTransactionResponse { TransactionId = id, IdTagInfo = info };
        live.Log(chargePoint.Id, "in", "StartTransaction", request, response);
        live.Publish("transaction", chargePoint.Id, string.Create(CultureInfo.InvariantCulture, $"transaction {id} started on connector {request.ConnectorId}"));
        return response;
    }

    public async ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await store.StatusAsync(chargePoint.Id, request, time.GetUtcNow()).ConfigureAwait(false);
        CsmsLog.Status(logger, chargePoint.Id, request.ConnectorId, request.Status, request.ErrorCode);
        live.Log(chargePoint.Id, "in", "StatusNotification", request, null);
        live.Publish("status", chargePoint.Id, string.Create(CultureInfo.InvariantCulture, $"connector {request.ConnectorId} {request.Status.ToWireString()}"));
        return new StatusNotificationResponse();
    }

    public async ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken)
    {
        await store.StopTransactionAsync(chargePoint.Id, request).ConfigureAwait(false);
        CsmsLog.Stop(logger, chargePoint.Id, request.TransactionId, request.MeterStop, request.Reason ?? Reason.Local);
        var response = new StopTransactionResponse
        {
            IdTagInfo = request.IdTag is { } tag ? await idTags.EvaluateAsync(tag, IdTagUse.StopTransaction, cancellationToken).ConfigureAwait(false) : null,
        };
        live.Log(chargePoint.Id, "in", "StopTransaction", request, response);
        live.Publish("transaction", chargePoint.Id, string.Create(CultureInfo.InvariantCulture, $"transaction {request.TransactionId} stopped"));
        return response;
    }

    /// <summary>The last Energy.Active.Import.Register reading of the request, in Wh.</summary>
    private static decimal? EnergyWh(MeterValuesRequest request)
    {
        decimal? energy = null;
        foreach (var mv in request.MeterValue)
        {
            foreach (var sv in mv.SampledValue)
            {
                if ((sv.Measurand ?? Measurand.EnergyActiveImportRegister) == Measurand.EnergyActiveImportRegister && sv.Phase is null
                    && decimal.TryParse(sv.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var v))
                {
                    energy = sv.Unit == UnitOfMeasure.KWh ? v * 1000 : v;
                }
            }
        }

        return energy;
    }
}

/// <summary>Firmware Management notifications: the last diagnostics and firmware status of each charge point is kept.</summary>
internal sealed class CsmsFirmwareHandler(CsmsStore store, LiveFeed live, ILogger<CsmsFirmwareHandler> logger) : ICentralSystemFirmwareManagementHandler
{
    public async ValueTask<DiagnosticsStatusNotificationResponse> OnDiagnosticsStatusNotificationAsync(ConnectedChargePoint chargePoint, DiagnosticsStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await store.FirmwareStatusAsync(chargePoint.Id, "diagnostics_status", request.Status.ToWireString()).ConfigureAwait(false);
        CsmsLog.Notification(logger, chargePoint.Id, "DiagnosticsStatusNotification", request.Status.ToWireString());
        live.Log(chargePoint.Id, "in", "DiagnosticsStatusNotification", request, null);
        return new DiagnosticsStatusNotificationResponse();
    }

    public async ValueTask<FirmwareStatusNotificationResponse> OnFirmwareStatusNotificationAsync(ConnectedChargePoint chargePoint, FirmwareStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await store.FirmwareStatusAsync(chargePoint.Id, "firmware_status", request.Status.ToWireString()).ConfigureAwait(false);
        CsmsLog.Notification(logger, chargePoint.Id, "FirmwareStatusNotification", request.Status.ToWireString());
        live.Log(chargePoint.Id, "in", "FirmwareStatusNotification", request, null);
        return new FirmwareStatusNotificationResponse();
    }
}

/// <summary>
/// The Security extension's charge point messages: security events are stored, log and signed firmware status are
/// kept, and certificate signing requests are signed by the certificate authority of <c>Csms:CertificateAuthority</c>
/// (then CertificateSigned follows) or Rejected when none is configured.
/// </summary>
internal sealed class CsmsSecurityHandler(CsmsStore store, LiveFeed live, ILogger<CsmsSecurityHandler> logger, IServiceProvider services) : ICentralSystemSecurityHandler
{
    public ValueTask<LogStatusNotificationResponse> OnLogStatusNotificationAsync(ConnectedChargePoint chargePoint, LogStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        CsmsLog.Notification(logger, chargePoint.Id, "LogStatusNotification", request.Status.ToWireString());
        live.Log(chargePoint.Id, "in", "LogStatusNotification", request, null);
        return ValueTask.FromResult(new LogStatusNotificationResponse());
    }

    public async ValueTask<SecurityEventNotificationResponse> OnSecurityEventNotificationAsync(ConnectedChargePoint chargePoint, SecurityEventNotificationRequest request, CancellationToken cancellationToken)
    {
        await store.SecurityEventAsync(chargePoint.Id, request.Type, request.Timestamp, request.TechInfo).ConfigureAwait(false);
        CsmsLog.SecurityEvent(logger, chargePoint.Id, request.Type, request.Timestamp);
        live.Log(chargePoint.Id, "in", "SecurityEventNotification", request, null);
        return new SecurityEventNotificationResponse();
    }

    public async ValueTask<SignCertificateResponse> OnSignCertificateAsync(ConnectedChargePoint chargePoint, SignCertificateRequest request, CancellationToken cancellationToken)
    {
        var authority = services.GetService<Ocpp16.CentralSystem.Security.ICertificateAuthority>();
        var response = authority is null
            ? new SignCertificateResponse { Status = GenericStatus.Rejected }
            : await Ocpp16.CentralSystem.Security.CertificateAuthorityExtensions.AnswerSignCertificateAsync(authority, chargePoint, request, cancellationToken).ConfigureAwait(false);
        CsmsLog.Notification(logger, chargePoint.Id, "SignCertificate", authority is null ? "Rejected (no certificate authority configured)" : response.Status.ToWireString());
        live.Log(chargePoint.Id, "in", "SignCertificate", "{\"csr\":\"…\"}", Json.Of(response));
        return response;
    }

    public async ValueTask<SignedFirmwareStatusNotificationResponse> OnSignedFirmwareStatusNotificationAsync(ConnectedChargePoint chargePoint, SignedFirmwareStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await store.FirmwareStatusAsync(chargePoint.Id, "firmware_status", request.Status.ToWireString()).ConfigureAwait(false);
        CsmsLog.Notification(logger, chargePoint.Id, "SignedFirmwareStatusNotification", request.Status.ToWireString());
        live.Log(chargePoint.Id, "in", "SignedFirmwareStatusNotification", request, null);
        return new SignedFirmwareStatusNotificationResponse();
    }
}
