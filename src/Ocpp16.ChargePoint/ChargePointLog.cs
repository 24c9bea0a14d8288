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

    [LoggerMessage(3004, LogLevel.Information, "{ChargePointId}: BootNotification answered {Status}, interval {Interval} s")]
    public static partial void BootAnswered(ILogger logger, string chargePointId, RegistrationStatus status, int interval);

    [LoggerMessage(3005, LogLevel.Information, "{ChargePointId}: Connector {ConnectorId} status {Status} ({ErrorCode})")]
    public static partial void StatusChanged(ILogger logger, string chargePointId, int connectorId, ChargePointStatus status, ChargePointErrorCode errorCode);

    [LoggerMessage(3006, LogLevel.Information, "{ChargePointId}: Transaction started on connector {ConnectorId}, meterStart {MeterStart} Wh")]
    public static partial void TransactionStarting(ILogger logger, string chargePointId, int connectorId, long meterStart);

    [LoggerMessage(3007, LogLevel.Information, "{ChargePointId}: Transaction {TransactionId} on connector {ConnectorId} accepted ({Status})")]
    public static partial void TransactionStarted(ILogger logger, string chargePointId, int transactionId, int connectorId, AuthorizationStatus status);

    [LoggerMessage(3008, LogLevel.Information, "{ChargePointId}: Transaction {TransactionId} on connector {ConnectorId} stopped: {Reason}, meterStop {MeterStop} Wh")]
    public static partial void TransactionStopped(ILogger logger, string chargePointId, int? transactionId, int connectorId, Reason reason, long meterStop);

    [LoggerMessage(3009, LogLevel.Debug, "{ChargePointId}: IdTag {IdTag} presented")]
    public static partial void IdTagPresented(ILogger logger, string chargePointId, string idTag);

    [LoggerMessage(3010, LogLevel.Information, "{ChargePointId}: Authorization result {Status}")]
    public static partial void AuthorizationResult(ILogger logger, string chargePointId, AuthorizationStatus status);

    [LoggerMessage(3011, LogLevel.Warning, "{ChargePointId}: {Action} failed: {Reason}")]
    public static partial void CallFailed(ILogger logger, string chargePointId, string action, string reason);

    [LoggerMessage(3012, LogLevel.Warning, "{ChargePointId}: Transaction message {Action} failed (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    public static partial void TransactionMessageRetry(ILogger logger, string chargePointId, string action, int attempt, int maxAttempts, string reason);

    [LoggerMessage(3013, LogLevel.Information, "{ChargePointId}: Received {Action} from the Central System")]
    public static partial void Received(ILogger logger, string chargePointId, string action);

    [LoggerMessage(3014, LogLevel.Warning, "{ChargePointId}: {Action} {Kind} {Direction} violates its schema ({Verdict}): {Violations}")]
    public static partial void PayloadViolation(ILogger logger, string chargePointId, string action, OcppPayloadDirection direction, string kind, string verdict, string violations);

    [LoggerMessage(3015, LogLevel.Error, "{ChargePointId}: Unexpected error in the charge point loop")]
    public static partial void LoopError(ILogger logger, string chargePointId, Exception exception);

    [LoggerMessage(3016, LogLevel.Information, "{ChargePointId}: Reset ({Type}) requested by the Central System")]
    public static partial void Resetting(ILogger logger, string chargePointId, ResetType type);

    [LoggerMessage(3017, LogLevel.Debug, "{ChargePointId}: MeterValues queued for connector {ConnectorId}: {EnergyWh} Wh")]
    public static partial void MeterSampled(ILogger logger, string chargePointId, int connectorId, decimal energyWh);

    [LoggerMessage(3018, LogLevel.Warning, "{ChargePointId}: Saved value of configuration key {Key} not applied: {Reason}")]
    public static partial void SavedConfigurationSkipped(ILogger logger, string chargePointId, string key, string reason);

    [LoggerMessage(3019, LogLevel.Warning, "{ChargePointId}: Transaction message {Action} of local transaction {LocalTransactionId} given up: {Reason}")]
    public static partial void TransactionMessageDiscarded(ILogger logger, string chargePointId, string action, int localTransactionId, string reason);

    [LoggerMessage(3020, LogLevel.Error, "{ChargePointId}: {Action} was delivered but the journal could not record it; it is sent again after a restart")]
    public static partial void JournalWriteFailed(ILogger logger, string chargePointId, string action, Exception exception);

    [LoggerMessage(3021, LogLevel.Warning, "{ChargePointId}: Journaled {Action} of local transaction {LocalTransactionId} cannot be read or has no transaction; dropped")]
    public static partial void JournalRecordDropped(ILogger logger, string chargePointId, string action, int localTransactionId);

    [LoggerMessage(3022, LogLevel.Error, "{ChargePointId}: Storing the {What} failed")]
    public static partial void StateWriteFailed(ILogger logger, string chargePointId, string what, Exception exception);

    [LoggerMessage(3023, LogLevel.Error, "{ChargePointId}: Hardware of connector {ConnectorId} failed to {Operation}")]
    public static partial void HardwareFailed(ILogger logger, string chargePointId, int connectorId, string operation, Exception exception);

    [LoggerMessage(3024, LogLevel.Information, "{ChargePointId}: Transaction {TransactionId} on connector {ConnectorId} resumed after a restart")]
    public static partial void TransactionResumed(ILogger logger, string chargePointId, int connectorId, int? transactionId);

    [LoggerMessage(3025, LogLevel.Error, "{ChargePointId}: Reset failed after {Attempts} attempts (ResetRetries)")]
    public static partial void ResetFailed(ILogger logger, string chargePointId, int attempts);

    [LoggerMessage(3026, LogLevel.Information, "Charge point {Identity} disconnected: stopping")]
    public static partial void DisconnectedOnStop(ILogger logger, string identity);

    [LoggerMessage(3027, LogLevel.Information, "{ChargePointId}: A presented IdTag is not authorized: {Reason}")]
    public static partial void IdTagRefused(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(3028, LogLevel.Information, "{ChargePointId}: SendLocalList {UpdateType} listVersion {ListVersion} with {Entries} entries: {Status}; the list has version {Version}, {Count} entries")]
    public static partial void LocalListUpdated(ILogger logger, string chargePointId, UpdateType updateType, int listVersion, int entries, UpdateStatus status, int version, int count);

    [LoggerMessage(3029, LogLevel.Debug, "{ChargePointId}: Charging limit of connector {ConnectorId}: {Amperes} A, {Watts} W (none when both are empty)")]
    public static partial void ChargingLimitApplied(ILogger logger, string chargePointId, int connectorId, decimal? amperes, decimal? watts);

    [LoggerMessage(3030, LogLevel.Information, "{ChargePointId}: ReserveNow {ReservationId} for connector {ConnectorId}: {Status}")]
    public static partial void ReservationAnswered(ILogger logger, string chargePointId, int reservationId, int connectorId, ReservationStatus status);

    [LoggerMessage(3031, LogLevel.Information, "{ChargePointId}: Reservation {ReservationId} of connector {ConnectorId} ended: {Why}")]
    public static partial void ReservationEnded(ILogger logger, string chargePointId, int reservationId, int connectorId, string why);

    [LoggerMessage(3032, LogLevel.Information, "{ChargePointId}: ChargingProfile {ChargingProfileId} installed on connector {ConnectorId} ({Purpose}, stackLevel {StackLevel})")]
    public static partial void ChargingProfileInstalled(ILogger logger, string chargePointId, int chargingProfileId, int connectorId, ChargingProfilePurposeType purpose, int stackLevel);

    [LoggerMessage(3033, LogLevel.Information, "{ChargePointId}: ChargingProfile {ChargingProfileId} for connector {ConnectorId} rejected: {Reason}")]
    public static partial void ChargingProfileRejected(ILogger logger, string chargePointId, int chargingProfileId, int connectorId, string reason);

    [LoggerMessage(3034, LogLevel.Information, "{ChargePointId}: {Count} ChargingProfiles removed ({ChargingProfileIds})")]
    public static partial void ChargingProfilesCleared(ILogger logger, string chargePointId, int count, string chargingProfileIds);

    [LoggerMessage(3035, LogLevel.Information, "{ChargePointId}: Firmware update {RequestId}: {Status}")]
    public static partial void FirmwareStatus(ILogger logger, string chargePointId, int? requestId, string status);

    [LoggerMessage(3036, LogLevel.Warning, "{ChargePointId}: {What} failed (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    public static partial void TransferFailed(ILogger logger, string chargePointId, string what, int attempt, int maxAttempts, string reason);

    [LoggerMessage(3037, LogLevel.Information, "{ChargePointId}: {What} upload {RequestId}: {Status}")]
    public static partial void UploadStatus(ILogger logger, string chargePointId, string what, int? requestId, string status);

    [LoggerMessage(3038, LogLevel.Information, "{ChargePointId}: Security event {Type} (critical: {Critical})")]
    public static partial void SecurityEvent(ILogger logger, string chargePointId, string type, bool critical);

    [LoggerMessage(3039, LogLevel.Warning, "{ChargePointId}: {What} rejected: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string chargePointId, string what, string reason);

    [LoggerMessage(3040, LogLevel.Warning, "{ChargePointId}: Security profile {Profile} did not connect in {Attempts} attempts; back to profile {Previous}")]
    public static partial void SecurityProfileFallback(ILogger logger, string chargePointId, int profile, int attempts, int previous);

    [LoggerMessage(3041, LogLevel.Information, "{ChargePointId}: Security profile {Profile} in use (was {Previous})")]
    public static partial void SecurityProfileChanged(ILogger logger, string chargePointId, int profile, int previous);
}
