using Microsoft.Extensions.Options;
using Ocpp16.CentralSystem;
using Ocpp16.Messages;

namespace MinimalCsms;

/// <summary>The sample CSMS's Core handler: IdTags from configuration, transactions in memory.</summary>
internal sealed partial class CsmsHandler(CsmsState state, IConfiguration configuration, TimeProvider time, ILogger<CsmsHandler> logger) : ICentralSystemCoreHandler
{
    public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var info = IdTagInfoFor(request.IdTag);
        LogAuthorize(logger, chargePoint.Id, info.Status);
        return ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = info });
    }

    public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken)
    {
        var cp = state.Get(chargePoint.Id);
        cp.Boot = request;
        cp.BootTime = time.GetUtcNow();
        LogBoot(logger, chargePoint.Id, request.ChargePointVendor, request.ChargePointModel);
        return ValueTask.FromResult(new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            CurrentTime = time.GetUtcNow(),
            Interval = configuration.GetValue("Csms:HeartbeatInterval", 60),
        });
    }

    public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId });

    public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        state.Get(chargePoint.Id).LastHeartbeat = now;
        return ValueTask.FromResult(new HeartbeatResponse { CurrentTime = now });
    }

    public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken)
    {
        decimal? energy = null;
        foreach (var mv in request.MeterValue)
        {
            foreach (var sv in mv.SampledValue)
            {
                if ((sv.Measurand ?? Measurand.EnergyActiveImportRegister) == Measurand.EnergyActiveImportRegister
                    && decimal.TryParse(sv.Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    energy = sv.Unit == UnitOfMeasure.KWh ? v * 1000 : v;
                }
            }
        }

        if (request.TransactionId is { } id && state.Transactions.TryGetValue(id, out var tx))
        {
            tx.MeterValuesCount++;
            tx.LastEnergyWh = energy ?? tx.LastEnergyWh;
        }

        LogMeterValues(logger, chargePoint.Id, request.ConnectorId, request.TransactionId, energy);
        return ValueTask.FromResult(new MeterValuesResponse());
    }

    public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken)
    {
        var info = IdTagInfoFor(request.IdTag);
        var id = state.NextTransactionId();
        state.Transactions[id] = new TransactionRecord
        {
            TransactionId = id,
            ChargePointId = chargePoint.Id,
            ConnectorId = request.ConnectorId,
            IdTag = request.IdTag,
            Status = info.Status,
            StartTime = request.Timestamp,
            MeterStartWh = request.MeterStart,
        };
        LogStart(logger, chargePoint.Id, request.ConnectorId, id, request.MeterStart, info.Status);
        return ValueTask.FromResult(new StartTransactionResponse { TransactionId = id, IdTagInfo = info });
    }

    public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        state.Get(chargePoint.Id).Connectors[request.ConnectorId] = request;
        LogStatus(logger, chargePoint.Id, request.ConnectorId, request.Status, request.ErrorCode);
        return ValueTask.FromResult(new StatusNotificationResponse());
    }

    public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken)
    {
        if (state.Transactions.TryGetValue(request.TransactionId, out var tx))
        {
            tx.MeterStopWh = request.MeterStop;
            tx.StopTime = request.Timestamp;
            tx.StopReason = request.Reason ?? Reason.Local;
        }

        LogStop(logger, chargePoint.Id, request.TransactionId, request.MeterStop, request.Reason ?? Reason.Local, tx is null ? 0 : request.MeterStop - tx.MeterStartWh);
        return ValueTask.FromResult(new StopTransactionResponse { IdTagInfo = request.IdTag is { } tag ? IdTagInfoFor(tag) : null });
    }

    private IdTagInfo IdTagInfoFor(string idTag)
    {
        var configured = configuration[$"IdTags:{idTag}"];
        var status = OcppEnums.TryParse(configured, out AuthorizationStatus s) ? s : AuthorizationStatus.Invalid;
        return new IdTagInfo { Status = status };
    }

    [LoggerMessage(5000, LogLevel.Information, "{ChargePointId}: BootNotification from {Vendor} {Model} → Accepted")]
    private static partial void LogBoot(ILogger logger, string chargePointId, string vendor, string model);

    [LoggerMessage(5001, LogLevel.Information, "{ChargePointId}: Authorize → {Status}")]
    private static partial void LogAuthorize(ILogger logger, string chargePointId, AuthorizationStatus status);

    [LoggerMessage(5002, LogLevel.Information, "{ChargePointId}: StartTransaction on connector {ConnectorId} → transaction {TransactionId}, meterStart {MeterStart} Wh, {Status}")]
    private static partial void LogStart(ILogger logger, string chargePointId, int connectorId, int transactionId, int meterStart, AuthorizationStatus status);

    [LoggerMessage(5003, LogLevel.Information, "{ChargePointId}: MeterValues connector {ConnectorId}, transaction {TransactionId}: {EnergyWh} Wh")]
    private static partial void LogMeterValues(ILogger logger, string chargePointId, int connectorId, int? transactionId, decimal? energyWh);

    [LoggerMessage(5004, LogLevel.Information, "{ChargePointId}: StopTransaction {TransactionId}, meterStop {MeterStop} Wh ({Reason}), {EnergyWh} Wh delivered")]
    private static partial void LogStop(ILogger logger, string chargePointId, int transactionId, int meterStop, Reason reason, int energyWh);

    [LoggerMessage(5005, LogLevel.Information, "{ChargePointId}: connector {ConnectorId} {Status} ({ErrorCode})")]
    private static partial void LogStatus(ILogger logger, string chargePointId, int connectorId, ChargePointStatus status, ChargePointErrorCode errorCode);
}

/// <summary>Security profile 1: a charge point with a configured password must present it (HTTP Basic).</summary>
internal sealed class ConfiguredPasswordAuthenticator(IConfiguration configuration) : IChargePointAuthenticator
{
    public ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken)
    {
        var expected = configuration[$"ChargePoints:{context.ChargePointId}:Password"];
        return ValueTask.FromResult(string.IsNullOrEmpty(expected) || OcppCentralSystem.SecretEquals(expected, context.Password));
    }
}
