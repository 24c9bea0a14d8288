using System.Text;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>
/// The generated readers first try a fast path (<c>OcppFastReader</c>) that reads only payloads it certainly accepts and
/// gives up on anything else, which the exact path (Utf8JsonReader) then reads and reports. These inputs sit on the
/// edge of what the fast path takes: it must accept the plain ones, give up on the rest, and never disagree with the
/// exact path. The differential suite checks the same agreement on every generated case.
/// </summary>
public sealed class FastPathTests
{
    public static TheoryData<string, string> Accepted() => new()
    {
        { "Authorize.json", "{\"idTag\":\"04A2B3C4\"}" },
        { "Authorize.json", " \t\r\n{ \"idTag\" \n:\t\"04A2B3C4\" \r\n} \n" },
        { "Authorize.json", "{\"idTag\":\"\"}" },
        { "Authorize.json", "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("é", 20)) + "\"}" },
        { "Authorize.json", "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("😀", 20)) + "\"}" },
        { "Authorize.json", "{\"idTag\":\"tab\u007Fdel\"}" },
        { "Heartbeat.json", "{}" },
        { "Heartbeat.json", "{ \n }" },
        { "CancelReservation.json", "{\"reservationId\":0}" },
        { "CancelReservation.json", "{\"reservationId\":-0}" },
        { "CancelReservation.json", "{\"reservationId\":999999999}" },
        { "CancelReservation.json", "{\"reservationId\":-999999999}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[],\"unknownKey\":[]}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[ {\"key\":\"K\",\"readonly\":true} , {\"key\":\"L\",\"readonly\":false,\"value\":\"1\"} ]}" },
        { "MeterValues.json", "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-21T10:15:30.123+01:00\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"Wh\"}]}]}" },
        { "SetChargingProfile.json", "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":-0.0},{\"startPeriod\":60,\"limit\":16.50}],\"minChargingRate\":6}}}" },
    };

    public static TheoryData<string, string> GivenUp() => new()
    {
        // Valid, but left to the exact path.
        { "Authorize.json", "{\"idTag\":\"A\\u0042C\"}" },
        { "Authorize.json", "{\"id\\u0054ag\":\"ABC\"}" },
        { "Authorize.json", "{\"idTag\":\"A\\\"B\"}" },
        { "Authorize.json", "{\"idTag\":\"A\",\"idTag\":\"B\"}" },
        { "Authorize.json", "\uFEFF{\"idTag\":\"ABC\"}" },
        { "CancelReservation.json", "{\"reservationId\":1234567890}" },
        { "ExtendedTriggerMessage.json", "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":1.0}" },
        { "SetChargingProfile.json", "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":73e-1}]}}}" },
        { "SetChargingProfile.json", "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":1.0000000000000000000}]}}}" },

        // Invalid: malformed JSON.
        { "Authorize.json", "" },
        { "Authorize.json", "   " },
        { "Authorize.json", "[]" },
        { "Authorize.json", "{\"idTag\":\"ABC\"" },
        { "Authorize.json", "{\"idTag\":\"ABC\",}" },
        { "Authorize.json", "{\"idTag\":\"ABC\"}x" },
        { "Authorize.json", "{\"idTag\":\"ABC\"}{}" },
        { "Authorize.json", "{\"idTag\" \"ABC\"}" },
        { "Authorize.json", "{\"idTag\":\"ABC\" \"x\":1}" },
        { "Authorize.json", "{\"idTag\":\"A\u0001B\"}" },
        { "Authorize.json", "{\"idTag\":\"ABC}" },
        { "Authorize.json", "{\"idTag\":'ABC'}" },
        { "Authorize.json", "{idTag:\"ABC\"}" },
        { "Authorize.json", "{\"idTag\":\"ABC\"}/*c*/" },
        { "Heartbeat.json", "{,}" },
        { "CancelReservation.json", "{\"reservationId\":01}" },
        { "CancelReservation.json", "{\"reservationId\":1x}" },
        { "CancelReservation.json", "{\"reservationId\":-}" },
        { "CancelReservation.json", "{\"reservationId\":+1}" },
        { "CancelReservation.json", "{\"reservationId\":1.}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":truex}]}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":tru}]}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":true},]}" },
        { "GetConfigurationResponse.json", "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":true}}" },

        // Invalid: schema violations.
        { "Authorize.json", "{}" },
        { "Authorize.json", "{\"idTag\":null}" },
        { "Authorize.json", "{\"idTag\":1}" },
        { "Authorize.json", "{\"idTag\":\"ABC\",\"x\":1}" },
        { "Authorize.json", "{\"idTag\":\"" + new string('A', 21) + "\"}" },
        { "Authorize.json", "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("é", 21)) + "\"}" },
        { "Authorize.json", "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("😀", 21)) + "\"}" },
        { "CancelReservation.json", "{\"reservationId\":1.0}" },
        { "CancelReservation.json", "{\"reservationId\":1e2}" },
        { "CancelReservation.json", "{\"reservationId\":\"1\"}" },
        { "CancelReservation.json", "{\"reservationId\":2147483648}" },
        { "Heartbeat.json", "{\"x\":1}" },
        { "HeartbeatResponse.json", "{\"currentTime\":\"2026-11-21 10:15:30Z\"}" },
        { "MeterValues.json", "{\"connectorId\":1,\"meterValue\":[]}" },
        { "MeterValues.json", "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-21T10:15:30Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"wh\"}]}]}" },
        { "StopTransaction.json", "{\"meterStop\":1,\"timestamp\":\"2026-11-21T10:15:30Z\",\"transactionId\":1,\"transactionData\":[{\"timestamp\":\"2026-11-21T10:15:30Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"Hertz\"}]}]}" },
        { "SetChargingProfile.json", "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":7.35}]}}}" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void PlainValidPayloads_TakeTheFastPath(string fileName, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.NotNull(ReadPaths.Fast(fileName, utf8));
        Assert.Null(ReadPaths.Disagreement(fileName, utf8));
        Assert.True(SchemaRepository.ReaderFor(fileName)(utf8, null, out var value, out var violation));
        Assert.Null(violation);
        Assert.Equal(JsonTestHelpers.WriteString(ReadPaths.Exact(fileName, utf8).Value!), JsonTestHelpers.WriteString(value));
    }

    [Theory]
    [MemberData(nameof(GivenUp))]
    public void EverythingElse_IsLeftToTheExactPath_WhoseVerdictTryReadGives(string fileName, string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.Null(ReadPaths.Fast(fileName, utf8));

        foreach (var options in new[] { null, new OcppValidationOptions { Mode = OcppValidationMode.Lenient }, new OcppValidationOptions { Mode = OcppValidationMode.Off } })
        {
            var exact = ReadPaths.Exact(fileName, utf8, options);
            var ok = SchemaRepository.ReaderFor(fileName)(utf8, options, out var value, out var violation);
            Assert.Equal(exact.Ok, ok);
            Assert.Equal(exact.Violations.FirstOrDefault()?.ToString(), violation?.ToString());
            if (ok)
            {
                Assert.Equal(JsonTestHelpers.WriteString(exact.Value!), JsonTestHelpers.WriteString(value!));
            }
        }
    }

    [Fact]
    public void InvalidUtf8_InAString_IsLeftToTheExactPath_WhichRejectsIt()
    {
        foreach (var bad in new byte[][] { [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x41, 0xFF] })
        {
            var utf8 = Encoding.UTF8.GetBytes("{\"idTag\":\"").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
            Assert.Null(ReadPaths.Fast("Authorize.json", utf8));
            Assert.False(AuthorizeRequest.TryRead(utf8, out _, out var violation));
            Assert.Equal(OcppErrorCode.FormationViolation, violation!.ErrorCode);
        }
    }

    [Fact]
    public void DuplicateProperty_TheExactPathKeepsTheLastValue()
    {
        var utf8 = Encoding.UTF8.GetBytes("{\"idTag\":\"A\",\"idTag\":\"B\"}");
        Assert.Null(ReadPaths.Fast("Authorize.json", utf8));
        Assert.True(AuthorizeRequest.TryRead(utf8, out var value, out _));
        Assert.Equal("B", value.IdTag);
    }

    [Fact]
    public void Decimals_KeepTheirScale_OnTheFastPath()
    {
        var json = Encoding.UTF8.GetBytes("{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":32.0},{\"startPeriod\":1,\"limit\":16.50},{\"startPeriod\":2,\"limit\":8}]}}}");
        var value = Assert.IsType<SetChargingProfileRequest>(ReadPaths.Fast("SetChargingProfile.json", json));
        Assert.Equal(
            ["32.0", "16.50", "8"],
            value.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod.Select(p => p.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("\"limit\":32.0}", JsonTestHelpers.WriteString(value), StringComparison.Ordinal);
    }
}
