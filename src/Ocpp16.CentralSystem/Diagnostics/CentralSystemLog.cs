using Microsoft.Extensions.Logging;

namespace Ocpp16.CentralSystem;

/// <summary>Log messages of the Central System facade. Event ids 4000–4099 (README.md, "Logging").</summary>
internal static partial class CentralSystemLog
{
    [LoggerMessage(4000, LogLevel.Information, "Charge point {ChargePointId} connected from {RemoteAddress}")]
    public static partial void Connected(ILogger logger, string chargePointId, string? remoteAddress);

    [LoggerMessage(4001, LogLevel.Information, "Charge point {ChargePointId} disconnected ({CloseStatus})")]
    public static partial void Disconnected(ILogger logger, string chargePointId, string closeStatus);

    [LoggerMessage(4002, LogLevel.Warning, "Charge point {ChargePointId} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(4003, LogLevel.Information, "Charge point {ChargePointId} connected again; the previous connection is closed")]
    public static partial void Replaced(ILogger logger, string chargePointId);

    [LoggerMessage(4004, LogLevel.Warning, "{ChargePointId}: {Action} {Kind} {Direction} violates its schema ({Verdict}): {Violations}")]
    public static partial void PayloadViolation(ILogger logger, string chargePointId, string action, Ocpp16.Messages.OcppPayloadDirection direction, string kind, string verdict, string violations);

    [LoggerMessage(4005, LogLevel.Warning, "Invalid charge point identity in the URL")]
    public static partial void InvalidIdentity(ILogger logger);

    [LoggerMessage(4006, LogLevel.Error, "Charge point {ChargePointId}: a {EventName} subscriber threw; the connection is unaffected")]
    public static partial void SubscriberFailed(ILogger logger, string chargePointId, string eventName, Exception exception);

    [LoggerMessage(4007, LogLevel.Error, "Charge point {ChargePointId}: work run after a response failed")]
    public static partial void AfterResponseFailed(ILogger logger, string chargePointId, Exception exception);

    [LoggerMessage(4008, LogLevel.Warning, "Charge point {ChargePointId}: {Action} refused with SecurityError, registration status {RegistrationStatus} (OCPP 1.6 §4.2)")]
    public static partial void RefusedByRegistration(ILogger logger, string chargePointId, string action, string registrationStatus);

    [LoggerMessage(4009, LogLevel.Information, "Charge point {ChargePointId} refused with 404: not in the charge point registry")]
    public static partial void UnknownChargePoint(ILogger logger, string chargePointId);
}
