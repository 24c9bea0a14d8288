using System.Text.Json.Serialization;

// Plain classes equivalent to the generated message types, for the System.Text.Json reflection baseline:
// no validation, no required-ness, lists as List<T>, enums as strings (wire names via JsonStringEnumMemberName),
// decimals where the schema has multipleOf, DateTimeOffset for date-times.
namespace Ocpp16.Benchmarks.Pocos;

public sealed class BootNotificationReq
{
    public string? ChargePointVendor { get; set; }
    public string? ChargePointModel { get; set; }
    public string? ChargePointSerialNumber { get; set; }
    public string? ChargeBoxSerialNumber { get; set; }
    public string? FirmwareVersion { get; set; }
    public string? Iccid { get; set; }
    public string? Imsi { get; set; }
    public string? MeterType { get; set; }
    public string? MeterSerialNumber { get; set; }
}

public sealed class MeterValuesReq
{
    public int ConnectorId { get; set; }
    public int? TransactionId { get; set; }
    public List<MeterValue>? MeterValue { get; set; }
}

public sealed class MeterValue
{
    public DateTimeOffset Timestamp { get; set; }
    public List<SampledValue>? SampledValue { get; set; }
}

public sealed class SampledValue
{
    public string? Value { get; set; }
    public ReadingContext? Context { get; set; }
    public ValueFormat? Format { get; set; }
    public Measurand? Measurand { get; set; }
    public Phase? Phase { get; set; }
    public Location? Location { get; set; }
    public UnitOfMeasure? Unit { get; set; }
}

public sealed class StopTransactionReq
{
    public string? IdTag { get; set; }
    public int MeterStop { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public int TransactionId { get; set; }
    public Reason? Reason { get; set; }
    public List<MeterValue>? TransactionData { get; set; }
}

public sealed class SetChargingProfileReq
{
    public int ConnectorId { get; set; }
    public ChargingProfile? CsChargingProfiles { get; set; }
}

public sealed class ChargingProfile
{
    public int ChargingProfileId { get; set; }
    public int? TransactionId { get; set; }
    public int StackLevel { get; set; }
    public ChargingProfilePurposeType ChargingProfilePurpose { get; set; }
    public ChargingProfileKindType ChargingProfileKind { get; set; }
    public RecurrencyKindType? RecurrencyKind { get; set; }
    public DateTimeOffset? ValidFrom { get; set; }
    public DateTimeOffset? ValidTo { get; set; }
    public ChargingSchedule? ChargingSchedule { get; set; }
}

public sealed class ChargingSchedule
{
    public int? Duration { get; set; }
    public DateTimeOffset? StartSchedule { get; set; }
    public ChargingRateUnitType ChargingRateUnit { get; set; }
    public List<ChargingSchedulePeriod>? ChargingSchedulePeriod { get; set; }
    public decimal? MinChargingRate { get; set; }
}

public sealed class ChargingSchedulePeriod
{
    public int StartPeriod { get; set; }
    public decimal Limit { get; set; }
    public int? NumberPhases { get; set; }
}

public sealed class SendLocalListReq
{
    public int ListVersion { get; set; }
    public List<AuthorizationData>? LocalAuthorizationList { get; set; }
    public UpdateType UpdateType { get; set; }
}

public sealed class AuthorizationData
{
    public string? IdTag { get; set; }
    public IdTagInfo? IdTagInfo { get; set; }
}

public sealed class IdTagInfo
{
    public DateTimeOffset? ExpiryDate { get; set; }
    public string? ParentIdTag { get; set; }
    public AuthorizationStatus Status { get; set; }
}

public sealed class GetConfigurationConf
{
    public List<KeyValue>? ConfigurationKey { get; set; }
    public List<string>? UnknownKey { get; set; }
}

public sealed class KeyValue
{
    public string? Key { get; set; }
    public bool Readonly { get; set; }
    public string? Value { get; set; }
}

public enum ReadingContext
{
    [JsonStringEnumMemberName("Interruption.Begin")] InterruptionBegin,
    [JsonStringEnumMemberName("Interruption.End")] InterruptionEnd,
    [JsonStringEnumMemberName("Sample.Clock")] SampleClock,
    [JsonStringEnumMemberName("Sample.Periodic")] SamplePeriodic,
    [JsonStringEnumMemberName("Transaction.Begin")] TransactionBegin,
    [JsonStringEnumMemberName("Transaction.End")] TransactionEnd,
    Trigger,
    Other,
}

public enum ValueFormat
{
    Raw,
    SignedData,
}

public enum Measurand
{
    [JsonStringEnumMemberName("Energy.Active.Export.Register")] EnergyActiveExportRegister,
    [JsonStringEnumMemberName("Energy.Active.Import.Register")] EnergyActiveImportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Register")] EnergyReactiveExportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Register")] EnergyReactiveImportRegister,
    [JsonStringEnumMemberName("Energy.Active.Export.Interval")] EnergyActiveExportInterval,
    [JsonStringEnumMemberName("Energy.Active.Import.Interval")] EnergyActiveImportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Interval")] EnergyReactiveExportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Interval")] EnergyReactiveImportInterval,
    [JsonStringEnumMemberName("Power.Active.Export")] PowerActiveExport,
    [JsonStringEnumMemberName("Power.Active.Import")] PowerActiveImport,
    [JsonStringEnumMemberName("Power.Offered")] PowerOffered,
    [JsonStringEnumMemberName("Power.Reactive.Export")] PowerReactiveExport,
    [JsonStringEnumMemberName("Power.Reactive.Import")] PowerReactiveImport,
    [JsonStringEnumMemberName("Power.Factor")] PowerFactor,
    [JsonStringEnumMemberName("Current.Import")] CurrentImport,
    [JsonStringEnumMemberName("Current.Export")] CurrentExport,
    [JsonStringEnumMemberName("Current.Offered")] CurrentOffered,
    Voltage,
    Frequency,
    Temperature,
    SoC,
    RPM,
}

public enum Phase
{
    L1,
    L2,
    L3,
    N,
    [JsonStringEnumMemberName("L1-N")] L1N,
    [JsonStringEnumMemberName("L2-N")] L2N,
    [JsonStringEnumMemberName("L3-N")] L3N,
    [JsonStringEnumMemberName("L1-L2")] L1L2,
    [JsonStringEnumMemberName("L2-L3")] L2L3,
    [JsonStringEnumMemberName("L3-L1")] L3L1,
}

public enum Location
{
    Cable,
    EV,
    Inlet,
    Outlet,
    Body,
}

public enum UnitOfMeasure
{
    Wh,
    kWh,
    varh,
    kvarh,
    W,
    kW,
    VA,
    kVA,
    var,
    kvar,
    A,
    V,
    K,
    Celcius,
    Celsius,
    Fahrenheit,
    Percent,
}

public enum Reason
{
    EmergencyStop,
    EVDisconnected,
    HardReset,
    Local,
    Other,
    PowerLoss,
    Reboot,
    Remote,
    SoftReset,
    UnlockCommand,
    DeAuthorized,
}

public enum ChargingProfilePurposeType
{
    ChargePointMaxProfile,
    TxDefaultProfile,
    TxProfile,
}

public enum ChargingProfileKindType
{
    Absolute,
    Recurring,
    Relative,
}

public enum RecurrencyKindType
{
    Daily,
    Weekly,
}

public enum ChargingRateUnitType
{
    A,
    W,
}

public enum UpdateType
{
    Differential,
    Full,
}

public enum AuthorizationStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
    ConcurrentTx,
}
