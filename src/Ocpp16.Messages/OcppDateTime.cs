using System.Runtime.CompilerServices;

namespace Ocpp16.Messages;

/// <summary>
/// RFC 3339 date-time (JSON Schema <c>format: date-time</c>) parsing and OCPP's canonical formatting
/// (UTC, milliseconds, <c>Z</c>: <c>2026-11-21T10:15:30.123Z</c>).
/// </summary>
public static class OcppDateTime
{
    /// <summary>Length in bytes of the canonical format <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (24).</summary>
    public const int FormattedLength = 24;

    /// <summary>
    /// Formats <paramref name="value"/> converted to UTC as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (sub-millisecond ticks are
    /// truncated) into <paramref name="destination"/>, which must hold at least <see cref="FormattedLength"/> bytes.
    /// </summary>
    /// <param name="value">The instant.</param>
    /// <param name="destination">At least 24 bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 24 bytes.</exception>
    public static void Format(DateTimeOffset value, Span<byte> destination)
    {
        if (destination.Length < FormattedLength)
        {
            throw new ArgumentException("Destination too short.", nameof(destination));
        }

        var utc = value.UtcDateTime;
        Write4(destination, 0, utc.Year);
        destination[4] = (byte)'-';
        Write2(destination, 5, utc.Month);
        destination[7] = (byte)'-';
        Write2(destination, 8, utc.Day);
        destination[10] = (byte)'T';
        Write2(destination, 11, utc.Hour);
        destination[13] = (byte)':';
        Write2(destination, 14, utc.Minute);
        destination[16] = (byte)':';
        Write2(destination, 17, utc.Second);
        destination[19] = (byte)'.';
        var ms = utc.Millisecond;
        destination[20] = (byte)('0' + (ms / 100));
        destination[21] = (byte)('0' + (ms / 10 % 10));
        destination[22] = (byte)('0' + (ms % 10));
        destination[23] = (byte)'Z';
    }

    /// <summary>Formats <paramref name="value"/> as a string in the canonical form (see <see cref="Format(DateTimeOffset, Span{byte})"/>).</summary>
    /// <param name="value">The instant.</param>
    /// <returns>For example <c>"2026-11-21T10:15:30.123Z"</c>.</returns>
    public static string ToWireString(DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[FormattedLength];
        Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>
    /// Parses an RFC 3339 <c>date-time</c>: <c>YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)</c>, with
    /// <c>T</c>/<c>Z</c> in either case and any number of fraction digits (beyond 7 are truncated). Leap second 60
    /// is rejected because no <see cref="DateTimeOffset"/> holds it.
    /// </summary>
    /// <param name="utf8">The text, without quotes.</param>
    /// <param name="value">The parsed instant, with its offset.</param>
    /// <returns><see langword="false"/> when the text is not an RFC 3339 date-time.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        value = default;
        if (utf8.Length < 20)
        {
            return false;
        }

        if (!Read(utf8, 0, 4, out var year) || utf8[4] != '-' || !Read(utf8, 5, 2, out var month) || utf8[7] != '-'
            || !Read(utf8, 8, 2, out var day) || (utf8[10] | 0x20) != 't' || !Read(utf8, 11, 2, out var hour)
            || utf8[13] != ':' || !Read(utf8, 14, 2, out var minute) || utf8[16] != ':' || !Read(utf8, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var pos = 19;
        long fractionTicks = 0;
        if (utf8[pos] == '.')
        {
            pos++;
            var start = pos;
            long scale = TimeSpan.TicksPerSecond;
            while (pos < utf8.Length && IsDigit(utf8[pos]))
            {
                if (scale > 1)
                {
                    scale /= 10;
                    fractionTicks += (utf8[pos] - '0') * scale;
                }

                pos++;
            }

            if (pos == start)
            {
                return false;
            }
        }

        if (pos >= utf8.Length)
        {
            return false;
        }

        TimeSpan offset;
        if ((utf8[pos] | 0x20) == 'z')
        {
            offset = TimeSpan.Zero;
            pos++;
        }
        else if (utf8[pos] is (byte)'+' or (byte)'-')
        {
            var negative = utf8[pos] == '-';
            if (utf8.Length - pos != 6 || !Read(utf8, pos + 1, 2, out var oh) || utf8[pos + 3] != ':' || !Read(utf8, pos + 4, 2, out var om) || oh > 23 || om > 59)
            {
                return false;
            }

            offset = new TimeSpan(oh, om, 0);
            if (negative)
            {
                offset = -offset;
            }

            if (offset > TimeSpan.FromHours(14) || offset < TimeSpan.FromHours(-14))
            {
                return false;
            }

            pos += 6;
        }
        else
        {
            return false;
        }

        if (pos != utf8.Length)
        {
            return false;
        }

        try
        {
            var dt = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
            value = new DateTimeOffset(dt, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // The instant converted to UTC falls outside DateTimeOffset's range (year 1 / 9999 edges).
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool Read(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private static void Write2(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + (v / 10));
        d[at + 1] = (byte)('0' + (v % 10));
    }

    private static void Write4(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + (v / 1000));
        d[at + 1] = (byte)('0' + (v / 100 % 10));
        d[at + 2] = (byte)('0' + (v / 10 % 10));
        d[at + 3] = (byte)('0' + (v % 10));
    }
}
