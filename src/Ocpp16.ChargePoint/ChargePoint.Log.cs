using Microsoft.Extensions.Logging;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>
/// Log messages of the Charge Point facade. Event ids 3000–3099 (documented in README.md, "Logging").
/// IdTags are logged only at Debug; passwords never.
/// </summary>
internal static partial class ChargePointLog
{
    /// <summary>Logs 3000 with any user information (<c>user:password@</c>) removed from <paramref name="uri"/>.</summary>
    public static void Connecting(ILogger logger, string identity, Uri uri)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            ConnectingTo(logger, identity, uri.IsAbsoluteUri && uri.UserInfo.Length != 0 ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString() : uri.ToString());
        }
    }

    [LoggerMessage(3000, LogLevel.Information, "Charge point {Identity} connecting to {Uri}")]
    private static partial void ConnectingTo(ILogger logger, string identity, string uri);

    [LoggerMessage(3001, LogLevel.Information, "Charge point {Identity} connected")]
    public static partial void Connected(ILogger logger, string identity);

    [LoggerMessage(3002, LogLevel.Warning, "Charge point {Identity} could not connect; retrying in {DelaySeconds:F1} s: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string identity, double delaySeconds, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Charge point {Identity} disconnected ({CloseStatus})")]
    public static partial void Disconnected(ILogger logger, string identity, string closeStatus);

    [LoggerMessage(3004, LogLevel.Information, "BootNotification answered {Status}, interval {Interval} s")]
    public static partial void BootAnswered(ILogger logger, RegistrationStatus status, int interval);

    [LoggerMessage(3005, LogLevel.Information, "Connector {ConnectorId} status {Status} ({ErrorCode})")]
    public static partial void StatusChanged(ILogger logger, int connectorId, ChargePointStatus status, ChargePointErrorCode errorCode);

    [LoggerMessage(3006, LogLevel.Information, "Transaction started on connector {ConnectorId}, meterStart {MeterStart} Wh")]
    public static partial void TransactionStarting(ILogger logger, int connectorId, long meterStart);

    [LoggerMessage(3007, LogLevel.Information, "Transaction {TransactionId} on connector {ConnectorId} accepted ({Status})")]
    public static partial void TransactionStarted(ILogger logger, int transactionId, int connectorId, AuthorizationStatus status);

    [LoggerMessage(3008, LogLevel.Information, "Transaction {TransactionId} on connector {ConnectorId} stopped: {Reason}, meterStop {MeterStop} Wh")]
    public static partial void TransactionStopped(ILogger logger, int? transactionId, int connectorId, Reason reason, long meterStop);

    [LoggerMessage(3009, LogLevel.Debug, "IdTag {IdTag} presented: {Status}")]
    public static partial void IdTagAuthorized(ILogger logger, string idTag, AuthorizationStatus status);

    [LoggerMessage(3010, LogLevel.Information, "Authorization result {Status}")]
    public static partial void AuthorizationResult(ILogger logger, AuthorizationStatus status);

    [LoggerMessage(3011, LogLevel.Warning, "{Action} failed: {Reason}")]
    public static partial void CallFailed(ILogger logger, string action, string reason);

    [LoggerMessage(3012, LogLevel.Warning, "Transaction message {Action} failed (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    public static partial void TransactionMessageRetry(ILogger logger, string action, int attempt, int maxAttempts, string reason);

    [LoggerMessage(3013, LogLevel.Information, "Received {Action} from the Central System")]
    public static partial void Received(ILogger logger, string action);

    [LoggerMessage(3014, LogLevel.Warning, "{Action} {Kind} {Direction} violates its schema ({Verdict}): {Violations}")]
    public static partial void PayloadViolation(ILogger logger, string action, OcppPayloadDirection direction, string kind, string verdict, string violations);

    [LoggerMessage(3015, LogLevel.Error, "Unexpected error in the charge point loop")]
    public static partial void LoopError(ILogger logger, Exception exception);

    [LoggerMessage(3016, LogLevel.Information, "Reset ({Type}) requested by the Central System")]
    public static partial void Resetting(ILogger logger, ResetType type);

    [LoggerMessage(3017, LogLevel.Debug, "MeterValues queued for connector {ConnectorId}: {EnergyWh} Wh")]
    public static partial void MeterSampled(ILogger logger, int connectorId, decimal energyWh);
}
