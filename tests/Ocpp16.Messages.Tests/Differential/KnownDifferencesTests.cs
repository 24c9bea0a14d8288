using System.Text;
using NJsonSchema.Validation;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>
/// The classes of input on which NJsonSchema 10.x (the oracle) and our strict reader give different verdicts. Each class
/// is kept out of the generators of <see cref="DifferentialTests"/> and pinned down here with both verdicts, and a note of
/// which side follows JSON Schema (draft-04 for the 56 schemas of OCPP 1.6, draft-06 for the 22 of the Security
/// extension; both defer <c>date-time</c> to RFC 3339 §5.6) and the OCPP specification. A change on either side makes a
/// test here fail, which is the point: the difference must then be decided again, not absorbed.
/// The last tests pin inputs where both reject although RFC 3339 allows them.
/// </summary>
public sealed class KnownDifferencesTests
{
    // ---- 1. date-time: NJsonSchema accepts forms that are no RFC 3339 date-time. We are right. ----

    /// <summary>
    /// NJsonSchema's date-time check is <c>DateTimeOffset.TryParseExact</c> over a list of .NET formats that includes a space
    /// separator, no zone, a date alone, <c>yyyyMMdd</c>, <c>yyyy-MM</c>, <c>yyyy</c>, an offset without a colon (the
    /// <c>K</c> specifier) and an empty fraction (<c>.FFFFFFF</c>). RFC 3339 §5.6 requires
    /// <c>full-date "T" full-time</c> with <c>time-offset = "Z" / time-numoffset</c>, <c>time-numoffset = ("+" / "-")
    /// time-hour ":" time-minute</c> and <c>time-secfrac = "." 1*DIGIT</c>; JSON Schema draft-04 §7.3.1 and draft-06 §8.3.1
    /// name RFC 3339 §5.6. So these are invalid and our PropertyConstraintViolation is right.
    /// </summary>
    [Theory]
    [InlineData("2026-11-21 10:15:30")]
    [InlineData("2026-11-21 10:15:30Z")]
    [InlineData("2026-11-21 10:15:30.123+01:00")]
    [InlineData("2026-11-21T10:15:30")]
    [InlineData("2026-11-21T10:15:30.123")]
    [InlineData("2026-11-21T10:15")]
    [InlineData("2026-11-21T10")]
    [InlineData("2026-11-21")]
    [InlineData("20261121")]
    [InlineData("2026-11")]
    [InlineData("2026")]
    [InlineData("2026-11-21T10:15:30+0100")]
    [InlineData("2026-11-21T10:15:30.Z")]
    public void DateTime_NotRfc3339_NJsonSchemaAccepts_WeReject(string value)
    {
        var json = "{\"currentTime\":\"" + value + "\"}";
        Assert.Empty(Oracle.Validate("HeartbeatResponse.json", json));
        AssertRejected("HeartbeatResponse.json", json, OcppErrorCode.PropertyConstraintViolation, "$.currentTime");
    }

    // ---- 2. date-time: NJsonSchema rejects RFC 3339 date-times. We are right. ----

    /// <summary>
    /// RFC 3339 §5.6, NOTE: "T" and "Z" may alternatively be lower case; <c>time-secfrac = "." 1*DIGIT</c> puts no bound on
    /// the fraction digits. NJsonSchema's .NET formats are case-sensitive and take at most 7 fraction digits. We accept both
    /// (beyond 7 digits the fraction is truncated to .NET's 100 ns ticks).
    /// </summary>
    [Theory]
    [InlineData("2026-11-21t10:15:30z", "2026-11-21T10:15:30.000Z")]
    [InlineData("2026-11-21t10:15:30.123Z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T10:15:30.5z", "2026-11-21T10:15:30.500Z")]
    [InlineData("2026-11-21T10:15:30.12345678Z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T10:15:30.123456789+01:00", "2026-11-21T09:15:30.123Z")]
    public void DateTime_Rfc3339_NJsonSchemaRejects_WeAccept(string value, string written)
    {
        var json = "{\"currentTime\":\"" + value + "\"}";
        var oracle = Oracle.Validate("HeartbeatResponse.json", json);
        Assert.Equal(ValidationErrorKind.DateTimeExpected, Assert.Single(oracle).Kind);
        var message = AssertAccepted("HeartbeatResponse.json", json);
        Assert.Equal("{\"currentTime\":\"" + written + "\"}", JsonTestHelpers.WriteString(message));
    }

    // ---- 3. integer with a zero fraction or an exponent: depends on the schema's draft. ----

    /// <summary>
    /// Draft-04 (core §3.5) defines integer as "a JSON number without a fraction or exponent part", so for the 56 draft-04
    /// schemas of OCPP 1.6 <c>1.0</c> and <c>1e2</c> are not integers: NJsonSchema (IntegerExpected) and our reader
    /// (TypeConstraintViolation) agree. Draft-06 (core §4.2, validation §6.25) made integer "any number with a zero
    /// fractional part"; the reader applies each schema's own draft, so the Security extension's draft-06 schemas accept
    /// them (below), where NJsonSchema, which ignores <c>$schema</c>, does not.
    /// </summary>
    [Theory]
    [InlineData("1.0")]
    [InlineData("1.00")]
    [InlineData("1e2")]
    [InlineData("100E0")]
    [InlineData("-2.0")]
    public void IntegerWithZeroFraction_Draft04Schema_BothReject(string number)
    {
        var json = "{\"reservationId\":" + number + "}";
        Assert.Contains("draft-04", File.ReadAllText(Path.Combine(SchemaRepository.SchemaDirectory, "CancelReservation.json")), StringComparison.Ordinal);
        Assert.Equal(ValidationErrorKind.IntegerExpected, Assert.Single(Oracle.Validate("CancelReservation.json", json)).Kind);
        AssertRejected("CancelReservation.json", json, OcppErrorCode.TypeConstraintViolation, "$.reservationId");
    }

    /// <summary>The same inputs on a draft-06 schema (ExtendedTriggerMessage.connectorId): here we are right.</summary>
    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("1e2", 100)]
    public void IntegerWithZeroFraction_Draft06Schema_NJsonSchemaRejects_WeAccept(string number, int value)
    {
        var json = "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":" + number + "}";
        Assert.Contains("draft-06", File.ReadAllText(Path.Combine(SchemaRepository.SchemaDirectory, "ExtendedTriggerMessage.json")), StringComparison.Ordinal);
        Assert.Equal(ValidationErrorKind.IntegerExpected, Assert.Single(Oracle.Validate("ExtendedTriggerMessage.json", json)).Kind);
        var message = Assert.IsType<ExtendedTriggerMessageRequest>(AssertAccepted("ExtendedTriggerMessage.json", json));
        Assert.Equal(value, message.ConnectorId);
    }

    // ---- 4. integers outside 32 bits: the schemas set no bound. NJsonSchema follows JSON Schema; we follow our types. ----

    /// <summary>
    /// No OCPP 1.6 schema bounds an integer (no minimum/maximum), so by JSON Schema 2147483648 is a valid connectorId,
    /// transactionId or reservationId and NJsonSchema accepts it. Our generated types hold <c>int</c>, so we reject with
    /// PropertyConstraintViolation ("bounds" in docs/wire-behaviour.md). By the schemas NJsonSchema is right; by the OCPP 1.6
    /// specification, whose integer fields are given as "integer" without a width, this is an implementation limit that
    /// should be documented (OCPP 2.0.1 does fix integer at 32 bits).
    /// </summary>
    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("9007199254740993")]
    public void IntegerOutsideInt32_NJsonSchemaAccepts_WeReject(string number)
    {
        var json = "{\"reservationId\":" + number + "}";
        Assert.Empty(Oracle.Validate("CancelReservation.json", json));
        AssertRejected("CancelReservation.json", json, OcppErrorCode.PropertyConstraintViolation, "$.reservationId");
    }

    /// <summary>
    /// Beyond 64 bits NJsonSchema gives no verdict at all: it throws (InvalidCastException "Object must implement IConvertible"
    /// on the BigInteger token in this setup; a JsonReaderException was seen with another Newtonsoft.Json). We reject with PropertyConstraintViolation.
    /// </summary>
    [Fact]
    public void IntegerOutsideInt64_NJsonSchemaThrows_WeReject()
    {
        const string json = "{\"reservationId\":99999999999999999999999}";
        Assert.ThrowsAny<Exception>(() => Oracle.Validate("CancelReservation.json", json));
        AssertRejected("CancelReservation.json", json, OcppErrorCode.PropertyConstraintViolation, "$.reservationId");
    }

    // ---- 5. maxLength counts code points. We are right. ----

    /// <summary>
    /// Draft-04 validation §5.2.1 and draft-06 §6.6: the length of a string is the number of its characters (RFC 7159
    /// characters, i.e. Unicode code points); the official JSON-Schema-Test-Suite has "two supplementary Unicode code
    /// points is long enough". NJsonSchema counts UTF-16 code units, so a 20-emoji idTag (40 units) fails its maxLength 20.
    /// We count code points and accept it. (OCPP 1.6 calls CiString "printable ASCII", which the schemas do not express;
    /// neither side checks it.)
    /// </summary>
    [Theory]
    [InlineData(20)]
    [InlineData(11)]
    public void MaxLength_AstralCharacters_NJsonSchemaRejects_WeAccept(int emoji)
    {
        var json = "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("😀", emoji)) + "\"}";
        Assert.Equal(ValidationErrorKind.StringTooLong, Assert.Single(Oracle.Validate("Authorize.json", json)).Kind);
        AssertAccepted("Authorize.json", json);
    }

    /// <summary>One code point over the limit: both reject.</summary>
    [Fact]
    public void MaxLength_OneCodePointOver_BothReject()
    {
        var json = "{\"idTag\":\"" + string.Concat(Enumerable.Repeat("😀", 21)) + "\"}";
        Assert.Equal(ValidationErrorKind.StringTooLong, Assert.Single(Oracle.Validate("Authorize.json", json)).Kind);
        AssertRejected("Authorize.json", json, OcppErrorCode.PropertyConstraintViolation, "$.idTag");
    }

    // ---- 6. format: uri. NJsonSchema checks it (loosely); we do not check it at all. ----

    /// <summary>
    /// GetDiagnostics.location and UpdateFirmware.location carry <c>"format": "uri"</c>. Draft-04 §7.3.6: valid "according to
    /// RFC 3986"; format checking is optional in draft-04 (§7.2) and draft-06 (§8.2), so not checking it is allowed, but
    /// NJsonSchema is the more exact side: an empty string or one with a space is no URI. docs/wire-behaviour.md lists no
    /// "format uri" row; decision needed whether to reject these with PropertyConstraintViolation.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("not a uri")]
    [InlineData("http://exa mple.com/diag")]
    public void UriFormat_NJsonSchemaRejects_WeAccept(string location)
    {
        var json = "{\"location\":\"" + location + "\"}";
        Assert.Equal(ValidationErrorKind.UriExpected, Assert.Single(Oracle.Validate("GetDiagnostics.json", json)).Kind);
        AssertAccepted("GetDiagnostics.json", json);
    }

    /// <summary>
    /// NJsonSchema's uri check is <c>Uri.TryCreate(..., RelativeOrAbsolute)</c>: relative references and Windows paths pass,
    /// though RFC 3986's <c>URI</c> requires a scheme. Both accept; neither is exact here.
    /// </summary>
    [Theory]
    [InlineData("/relative/path")]
    [InlineData("C:\\\\diag")]
    public void UriFormat_RelativeReference_BothAccept(string location)
    {
        var json = "{\"location\":\"" + location + "\"}";
        Assert.Empty(Oracle.Validate("GetDiagnostics.json", json));
        AssertAccepted("GetDiagnostics.json", json);
    }

    // ---- 7. Both reject, though RFC 3339 allows: what DateTimeOffset cannot hold. ----

    /// <summary>
    /// A leap second (RFC 3339 §5.6 allows <c>time-second</c> 60, §5.7) and offsets beyond ±14:00 (RFC 3339 allows up to
    /// ±23:59) are valid RFC 3339 but no <see cref="DateTimeOffset"/> holds them; both sides reject. Same verdict, so not a
    /// disagreement, but a shared deviation from RFC 3339 worth documenting.
    /// </summary>
    [Theory]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2026-11-21T10:15:30+15:00")]
    [InlineData("2026-11-21T10:15:30-23:59")]
    public void DateTime_Rfc3339ButNotRepresentable_BothReject(string value)
    {
        var json = "{\"currentTime\":\"" + value + "\"}";
        Assert.Equal(ValidationErrorKind.DateTimeExpected, Assert.Single(Oracle.Validate("HeartbeatResponse.json", json)).Kind);
        AssertRejected("HeartbeatResponse.json", json, OcppErrorCode.PropertyConstraintViolation, "$.currentTime");
    }

    /// <summary>
    /// 1e29 is an integer, so a multiple of 0.1, but it is beyond <see cref="decimal"/>: we reject it as out of range,
    /// NJsonSchema (double arithmetic) as NumberNotMultipleOf. Same verdict and code, different reasons.
    /// </summary>
    [Fact]
    public void MultipleOf_NumberBeyondDecimal_BothReject()
    {
        const string json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":100000000000000000000000000000.0}]}}}";
        var error = Assert.Single(Oracle.Validate("SetChargingProfile.json", json));
        Assert.Equal(ValidationErrorKind.NumberNotMultipleOf, error.Kind);
        AssertRejected("SetChargingProfile.json", json, OcppErrorCode.PropertyConstraintViolation, "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit");
    }

    // ---- 8. multipleOf on numbers that decimal cannot hold exactly: we check the JSON text, NJsonSchema a rounded value. ----

    /// <summary>
    /// JSON Schema's multipleOf holds when the value divided by 0.1 is an integer. 1e-30, 1e-400 and
    /// 1.000000000000000000000000000001 are not multiples of 0.1; we check the digits of the JSON text exactly and reject
    /// them. NJsonSchema reads them through Newtonsoft's <c>double</c>, where they round to 0 or 1, and accepts. We are
    /// right. (Before run 5 of the benchmarks our check was <c>decimal.Remainder</c> on the decimal, which rounds the same
    /// way and accepted them too.)
    /// </summary>
    [Theory]
    [InlineData("1e-30")]
    [InlineData("1e-400")]
    [InlineData("1.000000000000000000000000000001")]
    public void MultipleOf_BelowDecimalResolution_NJsonSchemaAccepts_WeReject(string limit)
    {
        var json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":" + limit + "}]}}}";
        Assert.Empty(Oracle.Validate("SetChargingProfile.json", json));
        AssertRejected("SetChargingProfile.json", json, OcppErrorCode.PropertyConstraintViolation, "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit");
    }

    private static IOcppMessage AssertAccepted(string fileName, string json)
    {
        var ok = SchemaRepository.ReaderFor(fileName)(Encoding.UTF8.GetBytes(json), null, out var message, out var violation);
        Assert.True(ok, $"our reader rejects {json}: {violation}");
        Assert.Null(violation);
        return message!;
    }

    private static void AssertRejected(string fileName, string json, OcppErrorCode code, string path)
    {
        var ok = SchemaRepository.ReaderFor(fileName)(Encoding.UTF8.GetBytes(json), null, out _, out var violation);
        Assert.False(ok, "our reader accepts " + json);
        Assert.Equal(code, violation!.ErrorCode);
        Assert.Equal(path, violation.Path);
    }
}
