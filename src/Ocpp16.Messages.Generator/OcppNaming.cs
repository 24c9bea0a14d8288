using System.Collections.Generic;
using System.Text;

namespace Ocpp16.Messages.Generator
{
    /// <summary>
    /// The specification's names for nested types and enums, which the 1.6 schemas do not carry, and the action
    /// catalog (direction, feature profile, spec section) from the OCPP 1.6 specification and the Security Whitepaper.
    /// </summary>
    internal static class OcppNaming
    {
        /// <summary>
        /// Path (schema file without ".json", then "/property", "[]" for array items) to type name. Lookup tries the
        /// full path first, then drops leading segments, so "idTagInfo/status" covers every IdTagInfo.
        /// </summary>
        private static readonly Dictionary<string, string> PathNames = new Dictionary<string, string>
        {
            ["idTagInfo"] = "IdTagInfo",
            ["idTagInfo/status"] = "AuthorizationStatus",
            ["BootNotificationResponse/status"] = "RegistrationStatus",
            ["CancelReservationResponse/status"] = "CancelReservationStatus",
            ["ChangeAvailability/type"] = "AvailabilityType",
            ["ChangeAvailabilityResponse/status"] = "AvailabilityStatus",
            ["ChangeConfigurationResponse/status"] = "ConfigurationStatus",
            ["ClearCacheResponse/status"] = "ClearCacheStatus",
            ["chargingProfilePurpose"] = "ChargingProfilePurposeType",
            ["chargingProfileKind"] = "ChargingProfileKindType",
            ["recurrencyKind"] = "RecurrencyKindType",
            ["chargingRateUnit"] = "ChargingRateUnitType",
            ["chargingSchedule"] = "ChargingSchedule",
            ["chargingSchedulePeriod[]"] = "ChargingSchedulePeriod",
            ["chargingProfile"] = "ChargingProfile",
            ["csChargingProfiles"] = "ChargingProfile",
            ["ClearChargingProfileResponse/status"] = "ClearChargingProfileStatus",
            ["DataTransferResponse/status"] = "DataTransferStatus",
            ["DiagnosticsStatusNotification/status"] = "DiagnosticsStatus",
            ["FirmwareStatusNotification/status"] = "FirmwareStatus",
            ["GetCompositeScheduleResponse/status"] = "GetCompositeScheduleStatus",
            ["configurationKey[]"] = "KeyValue",
            ["meterValue[]"] = "MeterValue",
            ["transactionData[]"] = "MeterValue",
            ["sampledValue[]"] = "SampledValue",
            ["sampledValue[]/context"] = "ReadingContext",
            ["sampledValue[]/format"] = "ValueFormat",
            ["sampledValue[]/measurand"] = "Measurand",
            ["sampledValue[]/phase"] = "Phase",
            ["sampledValue[]/location"] = "Location",
            ["sampledValue[]/unit"] = "UnitOfMeasure",
            ["RemoteStartTransactionResponse/status"] = "RemoteStartStopStatus",
            ["RemoteStopTransactionResponse/status"] = "RemoteStartStopStatus",
            ["ReserveNowResponse/status"] = "ReservationStatus",
            ["Reset/type"] = "ResetType",
            ["ResetResponse/status"] = "ResetStatus",
            ["localAuthorizationList[]"] = "AuthorizationData",
            ["SendLocalList/updateType"] = "UpdateType",
            ["SendLocalListResponse/status"] = "UpdateStatus",
            ["SetChargingProfileResponse/status"] = "ChargingProfileStatus",
            ["StatusNotification/errorCode"] = "ChargePointErrorCode",
            ["StatusNotification/status"] = "ChargePointStatus",
            ["StopTransaction/reason"] = "Reason",
            ["TriggerMessage/requestedMessage"] = "MessageTrigger",
            ["TriggerMessageResponse/status"] = "TriggerMessageStatus",
            ["UnlockConnectorResponse/status"] = "UnlockStatus",
        };

        /// <summary>Security Whitepaper definitions ("#/definitions/X") to type name.</summary>
        private static readonly Dictionary<string, string> DefinitionNames = new Dictionary<string, string>
        {
            ["CertificateSignedStatusEnumType"] = "CertificateSignedStatus",
            ["CertificateHashDataType"] = "CertificateHashData",
            ["HashAlgorithmEnumType"] = "HashAlgorithm",
            ["DeleteCertificateStatusEnumType"] = "DeleteCertificateStatus",
            ["MessageTriggerEnumType"] = "ExtendedMessageTrigger",
            ["TriggerMessageStatusEnumType"] = "TriggerMessageStatus",
            ["CertificateUseEnumType"] = "CertificateUse",
            ["GetInstalledCertificateStatusEnumType"] = "GetInstalledCertificateStatus",
            ["LogParametersType"] = "LogParameters",
            ["LogEnumType"] = "LogType",
            ["LogStatusEnumType"] = "LogStatus",
            ["InstallCertificateStatusEnumType"] = "InstallCertificateStatus",
            ["UploadLogStatusEnumType"] = "UploadLogStatus",
            ["GenericStatusEnumType"] = "GenericStatus",
            ["FirmwareStatusEnumType"] = "SignedFirmwareStatus",
            ["FirmwareType"] = "Firmware",
            ["UpdateFirmwareStatusEnumType"] = "UpdateFirmwareStatus",
            ["CertificateSigningUseEnumType"] = "CertificateSigningUse",
        };

        /// <summary>Action name to (direction, profile, section).</summary>
        public static readonly Dictionary<string, (string Direction, string Profile, string Section)> Actions = new Dictionary<string, (string, string, string)>
        {
            ["Authorize"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.1"),
            ["BootNotification"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.2"),
            ["DataTransfer"] = ("Both", "Core", "OCPP 1.6 §4.3 and §5.6"),
            ["DiagnosticsStatusNotification"] = ("ChargePointToCentralSystem", "FirmwareManagement", "OCPP 1.6 §4.4"),
            ["FirmwareStatusNotification"] = ("ChargePointToCentralSystem", "FirmwareManagement", "OCPP 1.6 §4.5"),
            ["Heartbeat"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.6"),
            ["MeterValues"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.7"),
            ["StartTransaction"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.8"),
            ["StatusNotification"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.9"),
            ["StopTransaction"] = ("ChargePointToCentralSystem", "Core", "OCPP 1.6 §4.10"),
            ["CancelReservation"] = ("CentralSystemToChargePoint", "Reservation", "OCPP 1.6 §5.1"),
            ["ChangeAvailability"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.2"),
            ["ChangeConfiguration"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.3"),
            ["ClearCache"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.4"),
            ["ClearChargingProfile"] = ("CentralSystemToChargePoint", "SmartCharging", "OCPP 1.6 §5.5"),
            ["GetCompositeSchedule"] = ("CentralSystemToChargePoint", "SmartCharging", "OCPP 1.6 §5.7"),
            ["GetConfiguration"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.8"),
            ["GetDiagnostics"] = ("CentralSystemToChargePoint", "FirmwareManagement", "OCPP 1.6 §5.9"),
            ["GetLocalListVersion"] = ("CentralSystemToChargePoint", "LocalAuthListManagement", "OCPP 1.6 §5.10"),
            ["RemoteStartTransaction"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.11"),
            ["RemoteStopTransaction"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.12"),
            ["ReserveNow"] = ("CentralSystemToChargePoint", "Reservation", "OCPP 1.6 §5.13"),
            ["Reset"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.14"),
            ["SendLocalList"] = ("CentralSystemToChargePoint", "LocalAuthListManagement", "OCPP 1.6 §5.15"),
            ["SetChargingProfile"] = ("CentralSystemToChargePoint", "SmartCharging", "OCPP 1.6 §5.16"),
            ["TriggerMessage"] = ("CentralSystemToChargePoint", "RemoteTrigger", "OCPP 1.6 §5.17"),
            ["UnlockConnector"] = ("CentralSystemToChargePoint", "Core", "OCPP 1.6 §5.18"),
            ["UpdateFirmware"] = ("CentralSystemToChargePoint", "FirmwareManagement", "OCPP 1.6 §5.19"),
            ["CertificateSigned"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, CertificateSigned"),
            ["DeleteCertificate"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, DeleteCertificate"),
            ["ExtendedTriggerMessage"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, ExtendedTriggerMessage"),
            ["GetInstalledCertificateIds"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, GetInstalledCertificateIds"),
            ["GetLog"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, GetLog"),
            ["InstallCertificate"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, InstallCertificate"),
            ["LogStatusNotification"] = ("ChargePointToCentralSystem", "Security", "OCPP 1.6 Security Whitepaper ed. 3, LogStatusNotification"),
            ["SecurityEventNotification"] = ("ChargePointToCentralSystem", "Security", "OCPP 1.6 Security Whitepaper ed. 3, SecurityEventNotification"),
            ["SignCertificate"] = ("ChargePointToCentralSystem", "Security", "OCPP 1.6 Security Whitepaper ed. 3, SignCertificate"),
            ["SignedFirmwareStatusNotification"] = ("ChargePointToCentralSystem", "Security", "OCPP 1.6 Security Whitepaper ed. 3, SignedFirmwareStatusNotification"),
            ["SignedUpdateFirmware"] = ("CentralSystemToChargePoint", "Security", "OCPP 1.6 Security Whitepaper ed. 3, SignedUpdateFirmware"),
        };

        /// <summary>Units and meanings for well-known fields, added to the generated documentation.</summary>
        public static readonly Dictionary<string, string> FieldNotes = new Dictionary<string, string>
        {
            ["connectorId"] = "Connector number: 0 = the Charge Point as a whole, 1..n = connectors.",
            ["transactionId"] = "The TransactionId assigned by the Central System in StartTransaction.conf.",
            ["idTag"] = "The IdTag (e.g. an RFID UID), at most 20 characters; treat as a secret in logs.",
            ["parentIdTag"] = "The parent IdTag (group), at most 20 characters.",
            ["meterStart"] = "Meter value at the start of the transaction, in Wh.",
            ["meterStop"] = "Meter value at the end of the transaction, in Wh.",
            ["interval"] = "Heartbeat interval (Accepted) or retry interval (Pending/Rejected), in seconds.",
            ["currentTime"] = "The Central System's current time (UTC).",
            ["timestamp"] = "The time of the event or sample.",
            ["limit"] = "Charging rate limit per chargingRateUnit (A or W); multipleOf 0.1 per the schema.",
            ["minChargingRate"] = "Minimum charging rate per chargingRateUnit (A or W); multipleOf 0.1 per the schema.",
            ["startPeriod"] = "Start of the period, in seconds from the start of the schedule.",
            ["duration"] = "Duration, in seconds.",
            ["numberPhases"] = "Number of phases that can be used for charging (default 3).",
            ["stackLevel"] = "The StackLevel: precedence among profiles of the same purpose; higher wins.",
            ["expiryDate"] = "When the IdTag expires.",
            ["retries"] = "How many times to retry.",
            ["retryInterval"] = "Seconds between retries.",
            ["reservationId"] = "The Reservation's id.",
            ["listVersion"] = "Version number of the LocalAuthorizationList.",
            ["value"] = "The value (a number as a string for SampledValue; at most 500 characters for a ConfigurationKey).",
            ["key"] = "The ConfigurationKey name, at most 50 characters.",
        };

        public static string? NameForPath(string path)
        {
            var p = path;
            while (true)
            {
                if (PathNames.TryGetValue(p, out var name))
                {
                    return name;
                }

                var slash = p.IndexOf('/');
                if (slash < 0)
                {
                    return null;
                }

                p = p.Substring(slash + 1);
            }
        }

        public static string? NameForDefinition(string definition)
            => DefinitionNames.TryGetValue(definition, out var name) ? name : null;

        public static string Pascal(string jsonName)
        {
            var sb = new StringBuilder(jsonName.Length);
            var upper = true;
            foreach (var c in jsonName)
            {
                if (c == '.' || c == '-' || c == ' ' || c == '_')
                {
                    upper = true;
                    continue;
                }

                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }

            return sb.ToString();
        }
    }
}
