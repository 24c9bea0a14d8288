using Microsoft.Extensions.Logging;

namespace Ocpp16.CentralSystem.Security;

/// <summary>
/// Log messages of the Central System's security profiles. Event ids 4100–4119 (README.md, "Logging"). Reasons are
/// fixed texts: never a password, hash or certificate content other than its subject.
/// </summary>
internal static partial class CentralSystemSecurityLog
{
    [LoggerMessage(4100, LogLevel.Information, "Charge point {ChargePointId} refused: not in the credential store")]
    public static partial void UnknownChargePoint(ILogger logger, string chargePointId);

    [LoggerMessage(4101, LogLevel.Information, "Charge point {ChargePointId} (security profile {SecurityProfile}) refused: {Reason}")]
    public static partial void Refused(ILogger logger, string chargePointId, int securityProfile, string reason);

    [LoggerMessage(4102, LogLevel.Information, "Charge point {ChargePointId} (security profile {SecurityProfile}) refused: client certificate {Subject} {Reason}")]
    public static partial void CertificateRefused(ILogger logger, string chargePointId, int securityProfile, string subject, string reason);

    [LoggerMessage(4103, LogLevel.Debug, "Charge point {ChargePointId} authenticated (security profile {SecurityProfile})")]
    public static partial void Authenticated(ILogger logger, string chargePointId, int securityProfile);

    [LoggerMessage(4104, LogLevel.Information, "Charge point {ChargePointId}: certificate issued to {Subject}, serial {SerialNumber}, valid until {NotAfter}")]
    public static partial void CertificateIssued(ILogger logger, string chargePointId, string subject, string serialNumber, string notAfter);

    [LoggerMessage(4105, LogLevel.Warning, "Charge point {ChargePointId}: certificate signing request rejected: {Reason}")]
    public static partial void SigningRejected(ILogger logger, string chargePointId, string reason);
}
