using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>date-time values: read with or without fractions and with Z or an offset, written in UTC with milliseconds and Z.</summary>
public sealed class DateTimeTests
{
    [Theory]
    [InlineData("2026-11-21T10:15:30.123Z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T10:15:30Z", "2026-11-21T10:15:30.000Z")]
    [InlineData("2026-11-21T10:15:30.5Z", "2026-11-21T10:15:30.500Z")]
    [InlineData("2026-11-21T10:15:30.12Z", "2026-11-21T10:15:30.120Z")]
    [InlineData("2026-11-21T10:15:30.1239Z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T10:15:30.123456789Z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T12:15:30.123+02:00", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T12:15:30+02:00", "2026-11-21T10:15:30.000Z")]
    [InlineData("2026-11-21T04:45:30.123-05:30", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21T10:15:30.123+00:00", "2026-11-21T10:15:30.123Z")]
    [InlineData("2026-11-21t10:15:30.123z", "2026-11-21T10:15:30.123Z")]
    [InlineData("2027-01-01T00:30:00.000+01:00", "2026-12-31T23:30:00.000Z")]
    [InlineData("2028-02-29T23:59:59.999Z", "2028-02-29T23:59:59.999Z")]
    public void Heartbeat_currentTime_is_read_and_written_back_in_UTC_with_milliseconds(string wire, string expected)
    {
        var json = JsonTestHelpers.Utf8($"{{\"currentTime\":\"{wire}\"}}");

        var ok = HeartbeatResponse.TryRead(json, null, out var response, out var violation);

        Assert.True(ok, violation?.ToString());
        var expectedInstant = DateTimeOffset.ParseExact(expected, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Equal(expectedInstant.UtcDateTime, new DateTime(response!.CurrentTime.UtcDateTime.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc));
        Assert.Equal($"{{\"currentTime\":\"{expected}\"}}", JsonTestHelpers.WriteString(response));
        Assert.Equal(expected, OcppDateTime.ToWireString(response.CurrentTime));
    }

    [Theory]
    [InlineData("2026-11-21T10:15:30")]           // no zone
    [InlineData("2026-11-21 10:15:30Z")]          // space instead of T
    [InlineData("2026-11-21T10:15:30.Z")]         // empty fraction
    [InlineData("2026-11-21T10:15Z")]             // no seconds
    [InlineData("2026-11-21")]                    // date only
    [InlineData("2026-13-01T10:15:30Z")]          // month 13
    [InlineData("2026-02-29T10:15:30Z")]          // not a leap year
    [InlineData("2026-11-21T24:00:00Z")]          // hour 24
    [InlineData("2026-11-21T10:60:00Z")]          // minute 60
    [InlineData("2026-11-21T10:15:30+0200")]      // offset without colon
    [InlineData("2026-11-21T10:15:30+02")]        // offset without minutes
    [InlineData("2026-11-21T10:15:30.123ZZ")]     // trailing garbage
    [InlineData("26-11-21T10:15:30Z")]            // two-digit year
    [InlineData("")]
    [InlineData("1763720130")]                    // epoch seconds as a string
    public void Malformed_date_times_are_a_PropertyConstraintViolation(string wire)
    {
        var json = JsonTestHelpers.Utf8($"{{\"currentTime\":\"{wire}\"}}");

        Assert.False(HeartbeatResponse.TryRead(json, null, out var response, out var violation));
        Assert.Null(response);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.currentTime", violation.Path);

        Assert.False(OcppDateTime.TryParse(Encoding.UTF8.GetBytes(wire), out _));
    }

    [Fact]
    public void A_date_time_as_a_JSON_number_is_a_TypeConstraintViolation()
    {
        Assert.False(HeartbeatResponse.TryRead("{\"currentTime\":1763720130}"u8, null, out _, out var violation));
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.currentTime", violation.Path);
    }

    [Fact]
    public void Instants_compare_by_UTC_time_whatever_the_offset_they_were_read_with()
    {
        Assert.True(HeartbeatResponse.TryRead("{\"currentTime\":\"2026-11-21T10:15:30.123Z\"}"u8, null, out var utc, out _));
        Assert.True(HeartbeatResponse.TryRead("{\"currentTime\":\"2026-11-21T12:15:30.123+02:00\"}"u8, null, out var plusTwo, out _));
        Assert.True(HeartbeatResponse.TryRead("{\"currentTime\":\"2026-11-21T10:15:30.124Z\"}"u8, null, out var later, out _));

        Assert.Equal(utc, plusTwo);
        Assert.Equal(utc!.GetHashCode(), plusTwo!.GetHashCode());
        Assert.NotEqual(utc, later);
    }

    [Fact]
    public void A_local_DateTimeOffset_built_in_code_is_written_in_UTC()
    {
        var response = new HeartbeatResponse { CurrentTime = new DateTimeOffset(2026, 6, 1, 2, 0, 0, 7, TimeSpan.FromHours(-9.5)) };

        Assert.Equal("{\"currentTime\":\"2026-06-01T11:30:00.007Z\"}", JsonTestHelpers.WriteString(response));
    }

    [Fact]
    public void Sub_millisecond_ticks_are_truncated_not_rounded()
    {
        var instant = new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9999);

        Assert.Equal("2026-12-31T23:59:59.999Z", OcppDateTime.ToWireString(instant));
    }

    [Theory]
    [InlineData(1, 1, 1, 0, 0, 0, 0, "0001-01-01T00:00:00.000Z")]
    [InlineData(9999, 12, 31, 23, 59, 59, 999, "9999-12-31T23:59:59.999Z")]
    [InlineData(2026, 1, 2, 3, 4, 5, 6, "2026-01-02T03:04:05.006Z")]
    public void OcppDateTime_formats_the_canonical_form(int y, int mo, int d, int h, int mi, int s, int ms, string expected)
    {
        var instant = new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.Zero);
        Assert.Equal(expected, OcppDateTime.ToWireString(instant));
        Assert.Equal(OcppDateTime.FormattedLength, expected.Length);

        Assert.True(OcppDateTime.TryParse(Encoding.ASCII.GetBytes(expected), out var parsed));
        Assert.Equal(instant, parsed);
        Assert.Throws<ArgumentException>(() => OcppDateTime.Format(instant, new byte[OcppDateTime.FormattedLength - 1]));
    }

    [Fact]
    public void Date_times_outside_the_representable_range_are_rejected_not_thrown()
    {
        Assert.False(OcppDateTime.TryParse("0001-01-01T00:00:00+01:00"u8, out _));
        Assert.False(OcppDateTime.TryParse("9999-12-31T23:59:59-01:00"u8, out _));
        Assert.False(HeartbeatResponse.TryRead("{\"currentTime\":\"0001-01-01T00:00:00+01:00\"}"u8, null, out _, out var violation));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(DateTimePlaces))]
    public void Every_date_time_place_normalizes_an_offset_to_UTC(string schemaFile, string mutationId)
    {
        var place = MutationCatalog.Find(schemaFile, mutationId);
        var payload = (place with { NewValue = JsonValue.Create("2026-11-21T12:15:30+02:00") }).Apply();

        Assert.True(SchemaRepository.ReaderFor(schemaFile)(JsonTestHelpers.Utf8(payload), null, out var message, out var violation), violation?.ToString());

        var written = JsonNode.Parse(JsonTestHelpers.Write(message!))!;
        JsonNode node = written;
        foreach (var step in place.Steps)
        {
            node = step is int i ? node.AsArray()[i]! : node.AsObject()[(string)step]!;
        }

        Assert.Equal("2026-11-21T10:15:30.000Z", node.GetValue<string>());
    }

    public static IEnumerable<object[]> DateTimePlaces() => MutationCatalog.Rows(MutationKind.MalformedDateTime);
}
