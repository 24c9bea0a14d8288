using System.Globalization;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>The names and declarations of the Core profile's configuration keys (OCPP 1.6 §9.1).</summary>
internal static class CoreKeys
{
    public const string AllowOfflineTxForUnknownId = nameof(AllowOfflineTxForUnknownId);
    public const string AuthorizationCacheEnabled = nameof(AuthorizationCacheEnabled);
    public const string AuthorizeRemoteTxRequests = nameof(AuthorizeRemoteTxRequests);
    public const string ClockAlignedDataInterval = nameof(ClockAlignedDataInterval);
    public const string ConnectionTimeOut = nameof(ConnectionTimeOut);
    public const string ConnectorPhaseRotation = nameof(ConnectorPhaseRotation);
    public const string ConnectorPhaseRotationMaxLength = nameof(ConnectorPhaseRotationMaxLength);
    public const string GetConfigurationMaxKeys = nameof(GetConfigurationMaxKeys);
    public const string HeartbeatInterval = nameof(HeartbeatInterval);
    public const string LocalAuthorizeOffline = nameof(LocalAuthorizeOffline);
    public const string LocalPreAuthorize = nameof(LocalPreAuthorize);
    public const string MeterValuesAlignedData = nameof(MeterValuesAlignedData);
    public const string MeterValuesAlignedDataMaxLength = nameof(MeterValuesAlignedDataMaxLength);
    public const string MeterValuesSampledData = nameof(MeterValuesSampledData);
    public const string MeterValuesSampledDataMaxLength = nameof(MeterValuesSampledDataMaxLength);
    public const string MeterValueSampleInterval = nameof(MeterValueSampleInterval);
    public const string MinimumStatusDuration = nameof(MinimumStatusDuration);
    public const string NumberOfConnectors = nameof(NumberOfConnectors);
    public const string ResetRetries = nameof(ResetRetries);
    public const string StopTransactionOnEVSideDisconnect = nameof(StopTransactionOnEVSideDisconnect);
    public const string StopTransactionOnInvalidId = nameof(StopTransactionOnInvalidId);
    public const string StopTxnAlignedData = nameof(StopTxnAlignedData);
    public const string StopTxnAlignedDataMaxLength = nameof(StopTxnAlignedDataMaxLength);
    public const string StopTxnSampledData = nameof(StopTxnSampledData);
    public const string StopTxnSampledDataMaxLength = nameof(StopTxnSampledDataMaxLength);
    public const string SupportedFeatureProfiles = nameof(SupportedFeatureProfiles);
    public const string SupportedFeatureProfilesMaxLength = nameof(SupportedFeatureProfilesMaxLength);
    public const string TransactionMessageAttempts = nameof(TransactionMessageAttempts);
    public const string TransactionMessageRetryInterval = nameof(TransactionMessageRetryInterval);
    public const string UnlockConnectorOnEVSideDisconnect = nameof(UnlockConnectorOnEVSideDisconnect);
    public const string WebSocketPingInterval = nameof(WebSocketPingInterval);

    /// <summary>The Core keys with their defaults (the reference DC station's values where it declares them).</summary>
    public static IEnumerable<ConfigurationKeyDefinition> Declare(int numberOfConnectors, IEnumerable<OcppFeatureProfile> profiles)
    {
        const OcppFeatureProfile core = OcppFeatureProfile.Core;
        var supported = string.Join(",", profiles.Where(p => p != OcppFeatureProfile.Security).Select(ProfileName));
        yield return Bool(AllowOfflineTxForUnknownId, true, "Unknown IdTags may start a transaction while offline.");
        yield return Bool(AuthorizationCacheEnabled, true, "Answers to Authorize, StartTransaction and StopTransaction are kept in the authorization cache.");
        yield return Bool(AuthorizeRemoteTxRequests, false, "RemoteStartTransaction is authorized (local list, cache or Authorize) like a local start.");
        yield return Int(ClockAlignedDataInterval, 0, 0, 86_400, "s", "Interval of the clock-aligned meter values (MeterValuesAlignedData), aligned to midnight UTC; 0 = none.");
        yield return Int(ConnectionTimeOut, 60, 0, 3_600, "s", "How long an authorization waits for the EV to be plugged in.");
        yield return new ConfigurationKeyDefinition
        {
            Name = ConnectorPhaseRotation, Type = ConfigurationKeyType.String, DefaultValue = "NotApplicable", Profile = core,
            MaxItemsKey = ConnectorPhaseRotationMaxLength,
            Description = "The phase rotation per connector (e.g. 0.RST,1.RST), or NotApplicable.",
        };
        yield return ReadOnlyInt(ConnectorPhaseRotationMaxLength, numberOfConnectors + 1, "Most items in ConnectorPhaseRotation.");
        yield return ReadOnlyInt(GetConfigurationMaxKeys, 50, "Most keys one GetConfiguration may ask for by name.");
        yield return Int(HeartbeatInterval, 60, 0, 86_400, "s", "Interval of Heartbeat; set by BootNotification.conf too (clamped to the range); 0 = none.");
        yield return Bool(LocalAuthorizeOffline, true, "While offline, IdTags known to the local list or the cache are authorized locally.");
        yield return Bool(LocalPreAuthorize, false, "While online, IdTags Accepted by the local list or the cache start at once, without waiting for Authorize.");
        yield return Measurands(MeterValuesAlignedData, "Energy.Active.Import.Register", MeterValuesAlignedDataMaxLength, "Measurands of the clock-aligned MeterValues.");
        yield return ReadOnlyInt(MeterValuesAlignedDataMaxLength, 8, "Most measurands in MeterValuesAlignedData.");
        yield return Measurands(MeterValuesSampledData, "Energy.Active.Import.Register,SoC,Power.Offered,Current.Offered,Power.Active.Import", MeterValuesSampledDataMaxLength, "Measurands of the sampled MeterValues of a transaction.");
        yield return ReadOnlyInt(MeterValuesSampledDataMaxLength, 8, "Most measurands in MeterValuesSampledData.");
        yield return Int(MeterValueSampleInterval, 60, 0, 86_400, "s", "Interval of the sampled MeterValues during a transaction; 0 = none.");
        yield return Int(MinimumStatusDuration, 0, 0, 3_600, "s", "How long a status must last before its StatusNotification is sent; 0 = at once.");
        yield return ReadOnlyInt(NumberOfConnectors, numberOfConnectors, "The number of connectors.");
        yield return Int(ResetRetries, 3, 0, 10, null, "How often an unsuccessful reset is retried.");
        yield return Bool(StopTransactionOnEVSideDisconnect, true, "Unplugging the EV stops the transaction (reason EVDisconnected); otherwise it is suspended (SuspendedEV).");
        yield return Bool(StopTransactionOnInvalidId, true, "A transaction whose IdTag the Central System does not accept is stopped (reason DeAuthorized); otherwise energy is suspended (SuspendedEVSE).");
        yield return Measurands(StopTxnAlignedData, "Energy.Active.Import.Register", StopTxnAlignedDataMaxLength, "Clock-aligned measurands kept in StopTransaction.transactionData.");
        yield return ReadOnlyInt(StopTxnAlignedDataMaxLength, 8, "Most measurands in StopTxnAlignedData.");
        yield return Measurands(StopTxnSampledData, "Energy.Active.Import.Register", StopTxnSampledDataMaxLength, "Sampled measurands kept in StopTransaction.transactionData.");
        yield return ReadOnlyInt(StopTxnSampledDataMaxLength, 8, "Most measurands in StopTxnSampledData.");
        yield return new ConfigurationKeyDefinition
        {
            Name = SupportedFeatureProfiles, Type = ConfigurationKeyType.StringList, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = supported, Profile = core,
            Description = "The feature profiles of the registered modules.",
        };
        yield return ReadOnlyInt(SupportedFeatureProfilesMaxLength, 7, "Most items in SupportedFeatureProfiles.");
        yield return Int(TransactionMessageAttempts, 3, 0, 100, null, "How often a transaction message is tried when the Central System answers CALLERROR or not in time (0 counts as 1).");
        yield return Int(TransactionMessageRetryInterval, 10, 0, 3_600, "s", "Wait before retrying a transaction message, multiplied by the attempts so far.");
        yield return Bool(UnlockConnectorOnEVSideDisconnect, true, "Unplugging the EV unlocks the connector (sockets only).");
        yield return Int(WebSocketPingInterval, 0, 0, 3_600, "s", "Interval of WebSocket pings; 0 = none. Applies at the next connection.");

        static ConfigurationKeyDefinition Bool(string name, bool value, string description) => new()
        {
            Name = name, Type = ConfigurationKeyType.Boolean, DefaultValue = value ? "true" : "false", Profile = core, Description = description,
        };

        static ConfigurationKeyDefinition Int(string name, int value, int min, int max, string? unit, string description) => new()
        {
            Name = name, Type = ConfigurationKeyType.Integer, DefaultValue = value.ToString(CultureInfo.InvariantCulture), Profile = core,
            Minimum = min, Maximum = max, Unit = unit, Description = description,
        };

        static ConfigurationKeyDefinition ReadOnlyInt(string name, int value, string description) => new()
        {
            Name = name, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = value.ToString(CultureInfo.InvariantCulture),
            Profile = core, Minimum = 0, Description = description,
        };

        static ConfigurationKeyDefinition Measurands(string name, string value, string maxKey, string description) => new()
        {
            Name = name, Type = ConfigurationKeyType.MeasurandList, DefaultValue = value, Profile = core, MaxItemsKey = maxKey, Description = description,
        };
    }

    /// <summary>The name of a feature profile in SupportedFeatureProfiles (OCPP 1.6 §9.1.34).</summary>
    public static string ProfileName(OcppFeatureProfile profile) => profile switch
    {
        OcppFeatureProfile.Core => "Core",
        OcppFeatureProfile.FirmwareManagement => "FirmwareManagement",
        OcppFeatureProfile.LocalAuthListManagement => "LocalAuthListManagement",
        OcppFeatureProfile.Reservation => "Reservation",
        OcppFeatureProfile.SmartCharging => "SmartCharging",
        OcppFeatureProfile.RemoteTrigger => "RemoteTrigger",
        _ => "Security",
    };
}
