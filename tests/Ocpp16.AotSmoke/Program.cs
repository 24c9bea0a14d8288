using System.Buffers;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages;

// Parses, validates and writes a few OCPP messages with nothing but the published (trimmed or AOT) program, and checks
// every result; exits 1 on the first wrong answer. Run by CI after `dotnet publish`.
var failures = 0;

Check("BootNotification round-trips", () =>
{
    const string json = """{"chargePointVendor":"Ocpp16","chargePointModel":"DC-2xCCS-100","firmwareVersion":"0.1.0"}""";
    return BootNotificationRequest.TryRead(Encoding.UTF8.GetBytes(json), out var boot, out _) && Write(boot) == json;
});

Check("MeterValues with an offset timestamp is written in UTC with milliseconds", () =>
{
    const string json = """{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-11-21T12:15:30+02:00","sampledValue":[{"value":"1234","measurand":"Energy.Active.Import.Register","unit":"Wh"},{"value":"57","measurand":"SoC","unit":"Percent"}]}]}""";
    return MeterValuesRequest.TryRead(Encoding.UTF8.GetBytes(json), out var mv, out _)
        && Write(mv).Contains("\"timestamp\":\"2026-11-21T10:15:30.000Z\"", StringComparison.Ordinal);
});

Check("a missing required property is OccurenceConstraintViolation at its path", () =>
    !StartTransactionRequest.TryRead("""{"connectorId":1,"idTag":"A","timestamp":"2026-11-21T10:00:00Z"}"""u8, out _, out var v)
    && v is { ErrorCode: OcppErrorCode.OccurenceConstraintViolation, Path: "$.meterStart" }
    && v.ErrorCode.ToWireString() == "OccurenceConstraintViolation");

Check("an enum value not in the schema is PropertyConstraintViolation", () =>
    !StatusNotificationRequest.TryRead("""{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}"""u8, out _, out var v)
    && v is { ErrorCode: OcppErrorCode.PropertyConstraintViolation, Path: "$.status" });

Check("multipleOf 0.1 is exact on decimals, tolerant on request", () =>
{
    var json = """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":7.35}]}}}"""u8.ToArray();
    var strictRejects = !SetChargingProfileRequest.TryRead(json, out _, out var v) && v!.Path == "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit";
    var tolerantAccepts = SetChargingProfileRequest.TryRead(json, new OcppValidationOptions { TolerateMultipleOf = true }, out var p, out _)
        && p.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod[0].Limit == 7.35m;
    return strictRejects && tolerantAccepts;
});

Check("the catalog reads every action by name", () =>
    OcppActions.All.Count == 39
    && OcppActions.TryGet("Heartbeat", out var heartbeat)
    && heartbeat.ReadRequest("{}"u8, null, out var request, out _)
    && request is HeartbeatRequest);

Console.WriteLine(failures == 0 ? "AOT smoke: all checks passed" : $"AOT smoke: {failures} check(s) failed");
return failures == 0 ? 0 : 1;

void Check(string name, Func<bool> check)
{
    bool ok;
    try
    {
        ok = check();
    }
    catch (Exception e)
    {
        Console.WriteLine($"  error: {e.GetType().Name}: {e.Message}");
        ok = false;
    }

    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}");
    if (!ok)
    {
        failures++;
    }
}

static string Write(IOcppJsonWritable message)
{
    var buffer = new ArrayBufferWriter<byte>();
    using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
    {
        message.WriteTo(writer);
    }

    return Encoding.UTF8.GetString(buffer.WrittenSpan);
}
