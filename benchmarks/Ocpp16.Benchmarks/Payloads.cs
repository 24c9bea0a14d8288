using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ocpp16.Benchmarks;

/// <summary>
/// Realistic, schema-valid payloads (compact UTF-8 JSON) for the six benchmarked messages. Deterministic: the same
/// bytes every run. <see cref="MessageBenchmarks.Setup"/> proves each one valid with both the generated reader and
/// NJsonSchema before anything is measured.
/// </summary>
public static class Payloads
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, 123, TimeSpan.Zero);

    /// <summary>BootNotification.req with all nine properties (a charger with a cellular modem).</summary>
    public static byte[] BootNotification() => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("chargePointVendor", "Ocpp16 Chargers");
        w.WriteString("chargePointModel", "DC-2xCCS-150");
        w.WriteString("chargePointSerialNumber", "CP-2026-000417");
        w.WriteString("chargeBoxSerialNumber", "CB-2026-000417");
        w.WriteString("firmwareVersion", "3.4.1+build.2026-11-02");
        w.WriteString("iccid", "8931440400012345678");
        w.WriteString("imsi", "204043212345678");
        w.WriteString("meterType", "Eastron SDM630-MID");
        w.WriteString("meterSerialNumber", "MTR-00093122");
        w.WriteEndObject();
    });

    /// <summary>MeterValues.req: one meterValue with 4 sampledValues (the hot-path shape).</summary>
    public static byte[] MeterValues() => Build(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("connectorId", 1);
        w.WriteNumber("transactionId", 42);
        w.WriteStartArray("meterValue");
        w.WriteStartObject();
        w.WriteString("timestamp", "2026-11-21T10:15:30.123Z");
        w.WriteStartArray("sampledValue");
        Sample(w, "12345", "Sample.Periodic", "Energy.Active.Import.Register", "Outlet", "Wh");
        Sample(w, "50000", "Sample.Periodic", "Power.Active.Import", "Outlet", "W");
        Sample(w, "125.0", "Sample.Periodic", "Current.Offered", "Outlet", "A");
        Sample(w, "57", "Sample.Periodic", "SoC", "EV", "Percent");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>StopTransaction.req with transactionData: 10 meterValues (begin, 8 periodic, end) of 3 sampledValues each.</summary>
    public static byte[] StopTransaction() => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("idTag", "04A2B3C4D5E6F7");
        w.WriteNumber("meterStop", 1_254_310);
        w.WriteString("timestamp", Iso(Start.AddMinutes(135)));
        w.WriteNumber("transactionId", 734_512);
        w.WriteString("reason", "EVDisconnected");
        w.WriteStartArray("transactionData");
        for (var i = 0; i < 10; i++)
        {
            var context = i == 0 ? "Transaction.Begin" : i == 9 ? "Transaction.End" : "Sample.Periodic";
            w.WriteStartObject();
            w.WriteString("timestamp", Iso(Start.AddMinutes(15 * i)));
            w.WriteStartArray("sampledValue");
            Sample(w, (1_200_000 + (i * 6_034)).ToString(CultureInfo.InvariantCulture), context, "Energy.Active.Import.Register", "Outlet", "Wh");
            Sample(w, (i is 0 or 9 ? 0 : 22_080 - (i * 150)).ToString(CultureInfo.InvariantCulture), context, "Power.Active.Import", "Outlet", "W");
            Sample(w, (20 + (i * 8)).ToString(CultureInfo.InvariantCulture), context, "SoC", "EV", "Percent");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>SetChargingProfile.req: a daily recurring TxDefaultProfile with 24 hourly periods.</summary>
    public static byte[] SetChargingProfile() => Build(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("connectorId", 1);
        w.WriteStartObject("csChargingProfiles");
        w.WriteNumber("chargingProfileId", 1001);
        w.WriteNumber("stackLevel", 1);
        w.WriteString("chargingProfilePurpose", "TxDefaultProfile");
        w.WriteString("chargingProfileKind", "Recurring");
        w.WriteString("recurrencyKind", "Daily");
        w.WriteString("validFrom", "2026-11-01T00:00:00.000Z");
        w.WriteString("validTo", "2027-11-01T00:00:00.000Z");
        w.WriteStartObject("chargingSchedule");
        w.WriteNumber("duration", 86_400);
        w.WriteString("startSchedule", "2026-11-01T00:00:00.000Z");
        w.WriteString("chargingRateUnit", "A");
        w.WriteStartArray("chargingSchedulePeriod");
        decimal[] limits = [32.0m, 32.0m, 32.0m, 32.0m, 32.0m, 32.0m, 24.5m, 16.0m, 10.0m, 10.0m, 12.5m, 16.0m,
                            16.0m, 16.0m, 12.5m, 10.0m, 8.0m, 6.0m, 6.0m, 8.0m, 13.3m, 20.0m, 25.0m, 32.0m];
        for (var h = 0; h < 24; h++)
        {
            w.WriteStartObject();
            w.WriteNumber("startPeriod", h * 3600);
            w.WriteNumber("limit", limits[h]);
            w.WriteNumber("numberPhases", 3);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("minChargingRate", 6.0m);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>SendLocalList.req (Full): 100 entries, each with idTagInfo (expiryDate, status, every 4th a parentIdTag).</summary>
    public static byte[] SendLocalList() => Build(w =>
    {
        string[] statuses = ["Accepted", "Accepted", "Accepted", "Blocked", "Accepted", "Expired", "Accepted", "Invalid"];
        w.WriteStartObject();
        w.WriteNumber("listVersion", 57);
        w.WriteStartArray("localAuthorizationList");
        for (var i = 0; i < 100; i++)
        {
            w.WriteStartObject();
            w.WriteString("idTag", "04A2B3C4D5" + (0x1000 + (i * 37)).ToString("X4", CultureInfo.InvariantCulture));
            w.WriteStartObject("idTagInfo");
            w.WriteString("expiryDate", Iso(Start.AddDays(30 + i)));
            if (i % 4 == 0)
            {
                w.WriteString("parentIdTag", "FLEET-" + (i / 4).ToString("D4", CultureInfo.InvariantCulture));
            }

            w.WriteString("status", statuses[i % statuses.Length]);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("updateType", "Full");
        w.WriteEndObject();
    });

    /// <summary>GetConfiguration.conf: 50 configurationKey entries (OCPP 1.6 standard keys, then vendor keys).</summary>
    public static byte[] GetConfigurationConf() => Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("configurationKey");
        for (var i = 0; i < ConfigurationKeys.Length; i++)
        {
            var (key, ro, value) = ConfigurationKeys[i];
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WriteBoolean("readonly", ro);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static readonly (string Key, bool Readonly, string Value)[] ConfigurationKeys =
    [
        ("AllowOfflineTxForUnknownId", false, "false"),
        ("AuthorizationCacheEnabled", false, "true"),
        ("AuthorizeRemoteTxRequests", false, "true"),
        ("BlinkRepeat", false, "3"),
        ("ClockAlignedDataInterval", false, "900"),
        ("ConnectionTimeOut", false, "60"),
        ("ConnectorPhaseRotation", false, "0.RST,1.RST,2.RTS"),
        ("ConnectorPhaseRotationMaxLength", true, "3"),
        ("GetConfigurationMaxKeys", true, "100"),
        ("HeartbeatInterval", false, "300"),
        ("LightIntensity", false, "80"),
        ("LocalAuthorizeOffline", false, "true"),
        ("LocalPreAuthorize", false, "false"),
        ("MaxEnergyOnInvalidId", false, "0"),
        ("MeterValuesAlignedData", false, "Energy.Active.Import.Register,Power.Active.Import"),
        ("MeterValuesAlignedDataMaxLength", true, "8"),
        ("MeterValuesSampledData", false, "Energy.Active.Import.Register,Power.Active.Import,Current.Offered,SoC"),
        ("MeterValuesSampledDataMaxLength", true, "8"),
        ("MeterValueSampleInterval", false, "60"),
        ("MinimumStatusDuration", false, "0"),
        ("NumberOfConnectors", true, "2"),
        ("ResetRetries", false, "3"),
        ("StopTransactionOnEVSideDisconnect", false, "true"),
        ("StopTransactionOnInvalidId", false, "true"),
        ("StopTxnAlignedData", false, "Energy.Active.Import.Register"),
        ("StopTxnAlignedDataMaxLength", true, "8"),
        ("StopTxnSampledData", false, "Energy.Active.Import.Register,Power.Active.Import,SoC"),
        ("StopTxnSampledDataMaxLength", true, "8"),
        ("SupportedFeatureProfiles", true, "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"),
        ("SupportedFeatureProfilesMaxLength", true, "6"),
        ("TransactionMessageAttempts", false, "5"),
        ("TransactionMessageRetryInterval", false, "30"),
        ("UnlockConnectorOnEVSideDisconnect", false, "true"),
        ("WebSocketPingInterval", false, "30"),
        ("LocalAuthListEnabled", false, "true"),
        ("LocalAuthListMaxLength", true, "10000"),
        ("SendLocalListMaxLength", true, "500"),
        ("ReserveConnectorZeroSupported", true, "false"),
        ("ChargeProfileMaxStackLevel", true, "10"),
        ("ChargingScheduleAllowedChargingRateUnit", true, "Current,Power"),
        ("ChargingScheduleMaxPeriods", true, "48"),
        ("ConnectorSwitch3to1PhaseSupported", true, "false"),
        ("MaxChargingProfilesInstalled", true, "20"),
        ("SecurityProfile", false, "2"),
        ("CpoName", false, "Example CPO B.V."),
        ("CertificateStoreMaxLength", true, "8"),
        ("AdditionalRootCertificateCheck", true, "false"),
        ("Vendor.DisplayLanguage", false, "en-GB"),
        ("Vendor.CableLockTimeout", false, "15"),
        ("Vendor.ModemApn", false, "iot.example.net"),
    ];

    private static void Sample(Utf8JsonWriter w, string value, string context, string measurand, string location, string unit)
    {
        w.WriteStartObject();
        w.WriteString("value", value);
        w.WriteString("context", context);
        w.WriteString("measurand", measurand);
        w.WriteString("location", location);
        w.WriteString("unit", unit);
        w.WriteEndObject();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
