using System.Runtime.CompilerServices;

namespace Ocpp16.Messages.Serialization;

/// <summary>
/// JSON numbers read from their UTF-8 digits: the exact <c>multipleOf 0.1</c> check and a <see cref="decimal"/> built
/// directly from the digits of short numbers (the same value and scale <c>Utf8JsonReader.TryGetDecimal</c> gives).
/// </summary>
internal static class OcppNumber
{
    /// <summary>Most digits a simple number may have for <see cref="ScanSimpleDecimal"/>: 19 always fit in a <see cref="ulong"/>.</summary>
    public const int MaxSimpleDigits = 19;

    /// <summary>
    /// Reads a number of the form <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c> with at most <see cref="MaxSimpleDigits"/> digits
    /// from the start of <paramref name="utf8"/> and stops before the first byte that cannot continue it. Returns the
    /// number of bytes read, or -1 when the text does not start with such a number, has more digits, or goes on with an
    /// exponent or a second fraction (<c>e</c>, <c>E</c>, <c>.</c>): those are left to the general parser.
    /// </summary>
    /// <param name="utf8">The text, starting at the number.</param>
    /// <param name="value">The value with the scale of the text (<c>32.0</c> has scale 1; <c>-0.0</c> keeps its sign).</param>
    /// <param name="multipleOfTenth">Whether the number is an exact multiple of 0.1 (at most one fraction digit that is not a trailing zero).</param>
    /// <returns>The length of the number, or -1.</returns>
    public static int ScanSimpleDecimal(ReadOnlySpan<byte> utf8, out decimal value, out bool multipleOfTenth)
    {
        value = 0m;
        multipleOfTenth = false;
        var pos = 0;
        var negative = false;
        if (pos < utf8.Length && utf8[pos] == '-')
        {
            negative = true;
            pos++;
        }

        if (pos >= utf8.Length)
        {
            return -1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var first = utf8[pos];
        if (first == '0')
        {
            pos++;
            if (pos < utf8.Length && IsDigit(utf8[pos]))
            {
                return -1;
            }
        }
        else if (IsDigit(first))
        {
            do
            {
                if (++digits > MaxSimpleDigits)
                {
                    return -1;
                }

                mantissa = (mantissa * 10) + (uint)(utf8[pos] - '0');
                pos++;
            }
            while (pos < utf8.Length && IsDigit(utf8[pos]));
        }
        else
        {
            return -1;
        }

        var scale = 0;
        var significantFraction = 0;
        if (pos < utf8.Length && utf8[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < utf8.Length && IsDigit(utf8[pos]))
            {
                if (++digits > MaxSimpleDigits)
                {
                    return -1;
                }

                var digit = (uint)(utf8[pos] - '0');
                mantissa = (mantissa * 10) + digit;
                pos++;
                if (digit != 0)
                {
                    significantFraction = pos - start;
                }
            }

            scale = pos - start;
            if (scale == 0)
            {
                return -1;
            }
        }

        if (pos < utf8.Length && (utf8[pos] == '.' || (utf8[pos] | 0x20) == 'e'))
        {
            return -1;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)scale);
        multipleOfTenth = significantFraction <= 1;
        return pos;
    }

    /// <summary>
    /// Reads a whole JSON number token of the simple form (see <see cref="ScanSimpleDecimal"/>); false when the token is
    /// anything else (exponent, more than 19 digits), which the caller then parses in general.
    /// </summary>
    /// <param name="token">The number token, exactly.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the whole token was read.</returns>
    public static bool TryParseSimpleDecimal(ReadOnlySpan<byte> token, out decimal value)
        => ScanSimpleDecimal(token, out value, out _) == token.Length;

    /// <summary>
    /// Whether a JSON number token (RFC 8259 grammar: <c>-?int frac? exp?</c>, as <c>Utf8JsonReader</c> has checked it)
    /// is an exact multiple of 0.1, i.e. its value times 10 is an integer. Exact for any length and any exponent: the
    /// digits are written as an integer <c>s</c> times <c>10^k</c> after dropping trailing zeros; the number is a
    /// multiple of 0.1 iff it is zero or <c>k ≥ -1</c>. So 7.3, 7.30, 73e-1, 0.05E1, -0.1 and 12 are; 7.35, 1e-2 and
    /// 1.000000000000000000001 are not.
    /// </summary>
    /// <param name="token">The number token, exactly.</param>
    /// <returns><see langword="true"/> when the number is a multiple of 0.1.</returns>
    public static bool IsMultipleOfTenth(ReadOnlySpan<byte> token)
    {
        var pos = 0;
        if (pos < token.Length && token[pos] == '-')
        {
            pos++;
        }

        // Position (in digits, counted from the end of the integer part) of the last non-zero digit, and whether there is one.
        long lastNonZero = 0;
        var nonZero = false;
        long place = 0;
        while (pos < token.Length && IsDigit(token[pos]))
        {
            place++;
            if (token[pos] != '0')
            {
                lastNonZero = place;
                nonZero = true;
            }

            pos++;
        }

        var integerDigits = place;
        if (pos < token.Length && token[pos] == '.')
        {
            pos++;
            while (pos < token.Length && IsDigit(token[pos]))
            {
                place++;
                if (token[pos] != '0')
                {
                    lastNonZero = place;
                    nonZero = true;
                }

                pos++;
            }
        }

        if (!nonZero)
        {
            return true;
        }

        // Fraction digits up to the last non-zero one, before the exponent.
        var fractionDigits = lastNonZero - integerDigits;
        if (pos < token.Length && (token[pos] | 0x20) == 'e')
        {
            pos++;
            var negativeExponent = false;
            if (pos < token.Length && (token[pos] == '-' || token[pos] == '+'))
            {
                negativeExponent = token[pos] == '-';
                pos++;
            }

            // Saturate: an exponent beyond ±10^12 moves any token that fits in memory entirely across the decimal point.
            long exponent = 0;
            while (pos < token.Length && IsDigit(token[pos]))
            {
                if (exponent < 1_000_000_000_000)
                {
                    exponent = (exponent * 10) + (token[pos] - '0');
                }

                pos++;
            }

            fractionDigits += negativeExponent ? exponent : -exponent;
        }

        return fractionDigits <= 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
