using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Ocpp16.Messages.Serialization;

/// <summary>
/// The optimistic first pass of every generated reader (<c>Fast_*</c> in the generated codec): a forward-only scanner
/// that reads a payload only when it is certainly valid, and otherwise gives up. It accepts ordinary JSON — any JSON
/// whitespace between tokens, strings without escapes, valid UTF-8, numbers without exponent — and checks every schema
/// constraint strictly. Anything else (an escape, null, an unknown or repeated property, a number with an exponent or
/// with more than 19 digits, an integer of 10 digits or more, a violated constraint, malformed JSON) makes a
/// <c>Try</c> method return <see langword="false"/>; the generated reader then reads the payload again with
/// <see cref="System.Text.Json.Utf8JsonReader"/> and <see cref="OcppReadState"/>, which decide and report exactly.
/// So what this reader accepts is a subset of what the exact path accepts without a violation, with equal values;
/// the tests check that on the differential corpus. It never throws.
/// </summary>
/// <remarks>
/// Conventions: a value reader starts on the first byte of its value and stops right after it. Only the structural
/// methods (<see cref="TryEndMember"/>, <see cref="TryEndItem"/>, <see cref="TryEndDocument"/>) skip whitespace after a
/// value, and they accept nothing but whitespace, a comma or the closing bracket there, so a literal or number is
/// always followed by a delimiter (<c>truex</c> or <c>12a</c> give up).
/// </remarks>
internal ref struct OcppFastReader
{
    /// <summary>Bytes that end the fast scan of a string: the closing quote, or what needs the exact path (escape, control character).</summary>
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\"u8);

    /// <summary>As <see cref="StringStops"/>, plus every non-ASCII byte: a string that ends at a quote is then plain ASCII.</summary>
    private static readonly SearchValues<byte> AsciiStringStops = SearchValues.Create(AsciiStringStopBytes());

    private readonly ReadOnlySpan<byte> _json;
    private int _pos;

    /// <summary>Starts at the first token of <paramref name="utf8Json"/> (leading whitespace skipped).</summary>
    public OcppFastReader(ReadOnlySpan<byte> utf8Json)
    {
        _json = utf8Json;
        _pos = 0;
        SkipWhitespace();
    }

    /// <summary>After the root value: only whitespace may follow.</summary>
    public bool TryEndDocument()
    {
        SkipWhitespace();
        return _pos == _json.Length;
    }

    /// <summary>Reads <c>{</c>; <paramref name="empty"/> when <c>}</c> follows (then read too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryBeginObject(out bool empty) => TryBegin((byte)'{', (byte)'}', out empty);

    /// <summary>Reads <c>[</c>; <paramref name="empty"/> when <c>]</c> follows (then read too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryBeginArray(out bool empty) => TryBegin((byte)'[', (byte)']', out empty);

    /// <summary>After a property value: <c>,</c> (then the next name must come) or <c>}</c> (<paramref name="end"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEndMember(out bool end) => TryEndElement((byte)'}', out end);

    /// <summary>After an array item: <c>,</c> or <c>]</c> (<paramref name="end"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEndItem(out bool end) => TryEndElement((byte)']', out end);

    /// <summary>The first byte of the property name that starts here (after its quote), or 0 when no name starts here.</summary>
    public readonly byte PeekNameStart()
    {
        var pos = _pos;
        return (uint)(pos + 1) < (uint)_json.Length && _json[pos] == '"' ? _json[pos + 1] : (byte)0;
    }

    /// <summary>
    /// Reads the property name when it is exactly <paramref name="quotedName"/> (the name with its quotes, a constant,
    /// so the comparison unrolls). The closing quote is part of the match: an escaped name or a longer one never matches,
    /// and the caller gives up on a name that matches none of the schema's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryMatchName(ReadOnlySpan<byte> quotedName)
    {
        if (!_json.Slice(_pos).StartsWith(quotedName))
        {
            return false;
        }

        _pos += quotedName.Length;
        return true;
    }

    /// <summary>Reads the colon after a property name (whitespace allowed around it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadColon()
    {
        var next = Peek();
        if (next != ':')
        {
            SkipWhitespace();
            if (Peek() != ':')
            {
                return false;
            }
        }

        _pos++;
        next = Peek();
        if (next is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            SkipWhitespace();
        }

        return true;
    }

    /// <summary>Reads a string without escapes: the raw UTF-8 bytes between the quotes (not checked to be valid UTF-8).</summary>
    public bool TryReadStringBytes(out ReadOnlySpan<byte> utf8)
    {
        var json = _json;
        var pos = _pos;
        if ((uint)pos >= (uint)json.Length || json[pos] != '"')
        {
            utf8 = default;
            return false;
        }

        var rest = json.Slice(pos + 1);
        var length = rest.IndexOfAny(StringStops);
        if (length < 0 || rest[length] != '"')
        {
            utf8 = default;
            return false;
        }

        utf8 = rest.Slice(0, length);
        _pos = pos + length + 2;
        return true;
    }

    /// <summary>
    /// Reads a string without escapes that is valid UTF-8 and, when <paramref name="maxLength"/> ≥ 0, has at most that
    /// many code points (JSON Schema counts maxLength so; for ASCII, bytes = code points).
    /// </summary>
    public bool TryReadString(int maxLength, [NotNullWhen(true)] out string? value)
    {
        value = null;
        var json = _json;
        var pos = _pos;
        if ((uint)pos >= (uint)json.Length || json[pos] != '"')
        {
            return false;
        }

        var rest = json.Slice(pos + 1);
        var length = rest.IndexOfAny(AsciiStringStops);
        if (length < 0)
        {
            return false;
        }

        if (rest[length] == '"')
        {
            // Plain ASCII (the usual case): bytes are code points, and Latin-1 decodes ASCII without a validation pass.
            if (maxLength >= 0 && length > maxLength)
            {
                return false;
            }

            value = Encoding.Latin1.GetString(rest.Slice(0, length));
        }
        else if (rest[length] >= 0x80)
        {
            var tail = rest.Slice(length).IndexOfAny(StringStops);
            if (tail < 0 || rest[length + tail] != '"')
            {
                return false;
            }

            length += tail;
            var utf8 = rest.Slice(0, length);
            if (!Utf8.IsValid(utf8) || (maxLength >= 0 && length > maxLength && CodePointCount(utf8) > maxLength))
            {
                return false;
            }

            value = Encoding.UTF8.GetString(utf8);
        }
        else
        {
            return false;
        }

        _pos = pos + length + 2;
        return true;
    }

    /// <summary>Reads an RFC 3339 date-time string (as <see cref="OcppDateTime.TryParse"/>).</summary>
    public bool TryReadDateTime(out DateTimeOffset value)
    {
        if (!TryReadStringBytes(out var utf8))
        {
            value = default;
            return false;
        }

        return OcppDateTime.TryParse(utf8, out value);
    }

    /// <summary>Reads an integer of at most 9 digits (always an <see cref="int"/>), without fraction or exponent.</summary>
    public bool TryReadInt32(out int value)
    {
        var json = _json;
        var pos = _pos;
        value = 0;
        var negative = false;
        if ((uint)pos < (uint)json.Length && json[pos] == '-')
        {
            negative = true;
            pos++;
        }

        if ((uint)pos >= (uint)json.Length)
        {
            return false;
        }

        var digit = (uint)(json[pos] - '0');
        if (digit > 9)
        {
            return false;
        }

        var result = (int)digit;
        pos++;
        if (digit != 0)
        {
            var count = 1;
            while ((uint)pos < (uint)json.Length && (digit = (uint)(json[pos] - '0')) <= 9)
            {
                if (++count > 9)
                {
                    return false;
                }

                result = (result * 10) + (int)digit;
                pos++;
            }
        }

        if ((uint)pos < (uint)json.Length)
        {
            var next = json[pos];
            if (next == '.' || (next | 0x20) == 'e' || (uint)(next - '0') <= 9)
            {
                return false;
            }
        }

        value = negative ? -result : result;
        _pos = pos;
        return true;
    }

    /// <summary>Reads a number without exponent of at most 19 digits (see <see cref="OcppNumber.ScanSimpleDecimal"/>), a multiple of 0.1 when asked.</summary>
    public bool TryReadDecimal(bool multipleOfTenth, out decimal value)
    {
        var length = OcppNumber.ScanSimpleDecimal(_json.Slice(_pos), out value, out var isMultiple);
        if (length < 0 || (multipleOfTenth && !isMultiple))
        {
            return false;
        }

        _pos += length;
        return true;
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public bool TryReadBoolean(out bool value)
    {
        var rest = _json.Slice(_pos);
        if (rest.StartsWith("true"u8))
        {
            _pos += 4;
            value = true;
            return true;
        }

        if (rest.StartsWith("false"u8))
        {
            _pos += 5;
            value = false;
            return true;
        }

        value = false;
        return false;
    }

    private static byte[] AsciiStringStopBytes()
    {
        var bytes = new byte[32 + 2 + 128];
        for (var i = 0; i < 32; i++)
        {
            bytes[i] = (byte)i;
        }

        bytes[32] = (byte)'"';
        bytes[33] = (byte)'\\';
        for (var i = 0; i < 128; i++)
        {
            bytes[34 + i] = (byte)(0x80 + i);
        }

        return bytes;
    }

    /// <summary>Code points of valid UTF-8: every byte that is not a continuation byte starts one.</summary>
    private static int CodePointCount(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly byte Peek() => (uint)_pos < (uint)_json.Length ? _json[_pos] : (byte)0;

    private void SkipWhitespace()
    {
        var json = _json;
        var pos = _pos;
        while ((uint)pos < (uint)json.Length && json[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            pos++;
        }

        _pos = pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryBegin(byte open, byte close, out bool empty)
    {
        empty = false;
        if (Peek() != open)
        {
            return false;
        }

        _pos++;
        var next = Peek();
        if (next is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            SkipWhitespace();
            next = Peek();
        }

        if (next == close)
        {
            _pos++;
            empty = true;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryEndElement(byte close, out bool end)
    {
        var next = Peek();
        if (next is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            SkipWhitespace();
            next = Peek();
        }

        if (next == ',')
        {
            _pos++;
            next = Peek();
            if (next is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                SkipWhitespace();
            }

            end = false;
            return true;
        }

        end = next == close;
        if (end)
        {
            _pos++;
        }

        return end;
    }
}
