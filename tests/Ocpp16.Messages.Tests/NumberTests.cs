using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages.Serialization;

namespace Ocpp16.Messages.Tests;

/// <summary>
/// JSON numbers read from their digits (<see cref="OcppNumber"/>): the exact <c>multipleOf 0.1</c> check on the text and
/// the <see cref="decimal"/> built from short numbers, which must equal what <see cref="Utf8JsonReader.TryGetDecimal"/>
/// gives, bit for bit (value, scale and sign).
/// </summary>
public sealed class NumberTests
{
    private static readonly OcppValidationOptions Tolerant = new() { TolerateMultipleOf = true };

    [Theory]
    [InlineData("7.3")]
    [InlineData("7.30")]
    [InlineData("7.300000000000000000000000000000000000")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("0.0")]
    [InlineData("-0.000")]
    [InlineData("12")]
    [InlineData("1200")]
    [InlineData("-0.1")]
    [InlineData("-2.2")]
    [InlineData("100000.5")]
    [InlineData("1e-1")]
    [InlineData("1E-1")]
    [InlineData("73e-1")]
    [InlineData("730e-2")]
    [InlineData("0.05E1")]
    [InlineData("0.10E1")]
    [InlineData("0.05e+1")]
    [InlineData("5e0")]
    [InlineData("1e28")]
    [InlineData("1e400")]
    [InlineData("0e-400")]
    [InlineData("0.000000000000000000000000000000000001e35")]
    [InlineData("1e99999999999999999999999")]
    [InlineData("123456789012345678901234567890.1")]
    public void IsMultipleOfTenth_Accepts(string number)
        => Assert.True(OcppNumber.IsMultipleOfTenth(Encoding.UTF8.GetBytes(number)), number);

    [Theory]
    [InlineData("7.35")]
    [InlineData("6.25")]
    [InlineData("-6.25")]
    [InlineData("16.67")]
    [InlineData("0.01")]
    [InlineData("7.300001")]
    [InlineData("7.350")]
    [InlineData("1e-2")]
    [InlineData("1E-2")]
    [InlineData("0.05")]
    [InlineData("0.05E0")]
    [InlineData("0.005e1")]
    [InlineData("735e-2")]
    [InlineData("1.000000000000000000001")]
    [InlineData("1.000000000000000000000000000001")]
    [InlineData("1e-30")]
    [InlineData("1e-400")]
    [InlineData("1e-99999999999999999999999")]
    [InlineData("-1e-99999999999999999999999")]
    [InlineData("123456789012345678901234567890.12")]
    public void IsMultipleOfTenth_Rejects(string number)
        => Assert.False(OcppNumber.IsMultipleOfTenth(Encoding.UTF8.GetBytes(number)), number);

    /// <summary>The digit check agrees with <c>decimal.Remainder</c> wherever the decimal holds the number exactly.</summary>
    [Fact]
    public void IsMultipleOfTenth_AgreesWithDecimalRemainder_OnExactDecimals()
    {
        var random = new Random(20261121);
        for (var i = 0; i < 20_000; i++)
        {
            var text = RandomNumber(random, allowExponent: true);
            var utf8 = Encoding.UTF8.GetBytes(text);
            if (!TryGetDecimal(utf8, out var d) || !IsExact(text, d))
            {
                continue;
            }

            Assert.True(OcppNumber.IsMultipleOfTenth(utf8) == (decimal.Remainder(d, 0.1m) == 0m), text);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("0.000")]
    [InlineData("32.0")]
    [InlineData("7.30")]
    [InlineData("0.05")]
    [InlineData("-12.5")]
    [InlineData("1234567890123456789")]
    [InlineData("9999999999999999999")]
    [InlineData("0.000000000000000001")]
    [InlineData("999999999.9999999999")]
    [InlineData("-4294967296.5")]
    public void ScanSimpleDecimal_GivesTheDecimalOfTryGetDecimal(string number)
    {
        var utf8 = Encoding.UTF8.GetBytes(number);
        Assert.Equal(utf8.Length, OcppNumber.ScanSimpleDecimal(utf8, out var value, out _));
        Assert.True(TryGetDecimal(utf8, out var expected));
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(value));
    }

    [Fact]
    public void ScanSimpleDecimal_GivesTheDecimalOfTryGetDecimal_OnRandomNumbers()
    {
        var random = new Random(3);
        var simple = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = RandomNumber(random, allowExponent: false);
            var utf8 = Encoding.UTF8.GetBytes(text);
            var length = OcppNumber.ScanSimpleDecimal(utf8, out var value, out var multiple);
            if (length < 0)
            {
                Assert.True(utf8.Count(b => b is >= (byte)'0' and <= (byte)'9') > OcppNumber.MaxSimpleDigits, text);
                continue;
            }

            simple++;
            Assert.Equal(utf8.Length, length);
            Assert.True(TryGetDecimal(utf8, out var expected), text);
            Assert.Equal(decimal.GetBits(expected), decimal.GetBits(value));
            Assert.Equal(OcppNumber.IsMultipleOfTenth(utf8), multiple);
        }

        Assert.True(simple > 10_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("-x")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1.e5")]
    [InlineData("01")]
    [InlineData("-01.5")]
    [InlineData("1e5")]
    [InlineData("1.5E-1")]
    [InlineData("1.5.5")]
    [InlineData("12345678901234567890")]
    [InlineData("0.00000000000000000001")]
    public void ScanSimpleDecimal_LeavesEverythingElseToTheGeneralParser(string number)
        => Assert.Equal(-1, OcppNumber.ScanSimpleDecimal(Encoding.UTF8.GetBytes(number), out _, out _));

    [Theory]
    [InlineData("1,", 1)]
    [InlineData("2.5}", 3)]
    [InlineData("-0.10 ", 5)]
    [InlineData("7]", 1)]
    public void ScanSimpleDecimal_StopsBeforeTheDelimiter(string text, int length)
        => Assert.Equal(length, OcppNumber.ScanSimpleDecimal(Encoding.UTF8.GetBytes(text), out _, out _));

    /// <summary>Through a reader: <c>limit</c> of SetChargingProfile carries <c>multipleOf 0.1</c>.</summary>
    [Theory]
    [InlineData("7.3", "7.3")]
    [InlineData("7.30", "7.30")]
    [InlineData("1e-1", "0.1")]
    [InlineData("0.05E1", "0.5")]
    [InlineData("0.10E1", "1.0")]
    [InlineData("-0.1", "-0.1")]
    [InlineData("12", "12")]
    [InlineData("1e2", "100")]
    [InlineData("32.00000000000000000000000000", "32.00000000000000000000000000")]
    public void Limit_MultipleOfTenth_IsAccepted(string limit, string expected)
    {
        Assert.True(SetChargingProfileRequest.TryRead(Payload(limit), out var value, out var violation), $"{limit}: {violation}");
        Assert.Equal(expected, Limit(value).ToString(CultureInfo.InvariantCulture));
        Assert.True(TryGetDecimal(Encoding.UTF8.GetBytes(limit), out var general));
        Assert.Equal(decimal.GetBits(general), decimal.GetBits(Limit(value)));
    }

    [Theory]
    [InlineData("7.35")]
    [InlineData("7.350")]
    [InlineData("1e-2")]
    [InlineData("735e-2")]
    [InlineData("0.05")]
    [InlineData("-6.25")]
    [InlineData("1.000000000000000000001")]
    [InlineData("1.000000000000000000000000000001")]
    [InlineData("1e-30")]
    [InlineData("1e-400")]
    public void Limit_NotMultipleOfTenth_IsRejected_UnlessTolerated(string limit)
    {
        var json = Payload(limit);
        Assert.False(SetChargingProfileRequest.TryRead(json, out var value, out var violation), limit);
        Assert.Null(value);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit", violation.Path);
        Assert.Equal("number is not a multiple of 0.1", violation.Message);

        Assert.True(SetChargingProfileRequest.TryRead(json, Tolerant, out var tolerated, out var none), $"{limit}: {none}");
        Assert.Null(none);
        Assert.True(TryGetDecimal(Encoding.UTF8.GetBytes(limit), out var expected));
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(Limit(tolerated)));
    }

    [Theory]
    [InlineData("1e29")]
    [InlineData("1e400")]
    [InlineData("-79228162514264337593543950336")]
    public void Limit_BeyondDecimal_IsRejectedAsOutOfRange_EvenWhenTolerated(string limit)
    {
        foreach (var options in new[] { null, Tolerant })
        {
            Assert.False(SetChargingProfileRequest.TryRead(Payload(limit), options, out _, out var violation), limit);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
            Assert.Equal("number out of the supported range (decimal)", violation.Message);
        }
    }

    private static decimal Limit(SetChargingProfileRequest? request)
        => request!.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod[0].Limit;

    private static byte[] Payload(string limit)
        => Encoding.UTF8.GetBytes(
            "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\","
            + "\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":"
            + "[{\"startPeriod\":0,\"limit\":" + limit + "}]}}}");

    private static bool TryGetDecimal(byte[] utf8, out decimal value)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return reader.TryGetDecimal(out value);
    }

    /// <summary>Whether <paramref name="d"/> is exactly the number <paramref name="text"/> (not rounded by decimal).</summary>
    private static bool IsExact(string text, decimal d)
    {
        // text = m × 10^k; d = dm × 10^-scale.
        var parts = text.Split('e', 'E');
        var negative = parts[0].StartsWith('-');
        var unsigned = parts[0].TrimStart('-');
        var dot = unsigned.IndexOf('.', StringComparison.Ordinal);
        var fractionDigits = dot < 0 ? 0 : unsigned.Length - dot - 1;
        var m = BigInteger.Parse(unsigned.Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var k = (parts.Length > 1 ? int.Parse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0) - fractionDigits;
        if (negative)
        {
            m = -m;
        }

        var bits = decimal.GetBits(d);
        var dm = ((new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0])) * (d < 0 ? -1 : 1);
        var e = k + d.Scale;
        return e >= 0 ? m * BigInteger.Pow(10, e) == dm : m == dm * BigInteger.Pow(10, -e);
    }

    private static string RandomNumber(Random random, bool allowExponent)
    {
        var sb = new StringBuilder();
        if (random.Next(4) == 0)
        {
            sb.Append('-');
        }

        var integerDigits = random.Next(6) == 0 ? random.Next(1, 24) : random.Next(1, 6);
        sb.Append(integerDigits == 1 ? (char)('0' + random.Next(10)) : (char)('1' + random.Next(9)));
        for (var i = 1; i < integerDigits; i++)
        {
            sb.Append((char)('0' + random.Next(10)));
        }

        if (random.Next(3) != 0)
        {
            sb.Append('.');
            var fractionDigits = random.Next(6) == 0 ? random.Next(1, 24) : random.Next(1, 5);
            for (var i = 0; i < fractionDigits; i++)
            {
                sb.Append(random.Next(3) == 0 ? '0' : (char)('0' + random.Next(10)));
            }
        }

        if (allowExponent && random.Next(3) == 0)
        {
            sb.Append(random.Next(2) == 0 ? 'e' : 'E');
            var sign = random.Next(3);
            if (sign > 0)
            {
                sb.Append(sign == 1 ? '-' : '+');
            }

            sb.Append(random.Next(0, 12).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
