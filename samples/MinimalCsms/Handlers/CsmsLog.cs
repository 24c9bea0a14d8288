using Ocpp16.Messages;

namespace MinimalCsms;

/// <summary>The sample's log messages, event ids 5000–5099 (README.md, "Logging"). IdTags only at Debug.</summary>
internal static partial class CsmsLog
{
    [LoggerMessage(5000, LogLevel.Information, "{ChargePointId}: BootNotification from {Vendor} {Model} → Accepted")]
    public static partial void Boot(ILogger logger, string chargePointId, string vendor, string model);

    [LoggerMessage(5001, LogLevel.Information, "{ChargePointId}: Authorize → {Status}")]
    public static partial void Authorize(ILogger logger, string chargePointId, AuthorizationStatus status);

    [LoggerMessage(5002, LogLevel.Information, "{ChargePointId}: StartTransaction on connector {ConnectorId} → transaction {TransactionId}, meterStart {MeterStart} Wh, {Status}")]
    public static partial void Start(ILogger logger, string chargePointId, int connectorId, int transactionId, int meterStart, AuthorizationStatus status);

    [LoggerMessage(5003, LogLevel.Debug, "{ChargePointId}: MeterValues connector {ConnectorId}, transaction {TransactionId}: {EnergyWh} Wh")]
    public static partial void MeterValues(ILogger logger, string chargePointId, int connectorId, int? transactionId, decimal? energyWh);

    [LoggerMessage(5004, LogLevel.Information, "{ChargePointId}: StopTransaction {TransactionId}, meterStop {MeterStop} Wh ({Reason})")]
    public static partial void Stop(ILogger logger, string chargePointId, int transactionId, int meterStop, Reason reason);

    [LoggerMessage(5005, LogLevel.Information, "{ChargePointId}: connector {ConnectorId} {Status} ({ErrorCode})")]
    public static partial void Status(ILogger logger, string chargePointId, int connectorId, ChargePointStatus status, ChargePointErrorCode errorCode);

    [LoggerMessage(5006, LogLevel.Error, "A database write failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(5007, LogLevel.Information, "{ChargePointId}: {Action} {Status}")]
    public static partial void Notification(ILogger logger, string chargePointId, string action, string status);

    [LoggerMessage(5008, LogLevel.Warning, "{ChargePointId}: security event {Type} at {Timestamp}")]
    public static partial void SecurityEvent(ILogger logger, string chargePointId, string type, DateTimeOffset timestamp);

    [LoggerMessage(5009, LogLevel.Information, "Data directory {Path}, schema version {Version}")]
    public static partial void Database(ILogger logger, string path, int version);
}
