using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages;

namespace Ocpp16.Messages.Serialization;

/// <summary>
/// Primitive readers and writers shared by the generated code. Every reader expects the <see cref="Utf8JsonReader"/>
/// on the value token and leaves it there; paths are relative segments such as <c>".idTag"</c>.
/// </summary>
internal static class OcppJson
{
    private const string ExpectedString = "expected a JSON string";

    public static bool ReadString(ref Utf8JsonReader reader, ref OcppReadState state, string segment, int maxLength, out string? value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = null;
            return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, ExpectedString);
        }

        value = reader.GetString()!;
        if (maxLength >= 0 && state.CheckConstraints && value.Length > maxLength && CodePointCount(value) > maxLength)
        {
            return state.Report(OcppErrorCode.PropertyConstraintViolation, segment, "string longer than maxLength " + maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }

    /// <summary>
    /// Reads a JSON Schema integer into an <see cref="int"/>. With <paramref name="zeroFractionIsInteger"/> (draft-06)
    /// 1.0 and 1e2 are integers; without it (draft-04) a fraction or exponent makes the value a non-integer number.
    /// Integers outside the 32-bit range are a PropertyConstraintViolation (an implementation bound).
    /// </summary>
    public static bool ReadInt32(ref Utf8JsonReader reader, ref OcppReadState state, string segment, bool zeroFractionIsInteger, out int value)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            value = 0;
            return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON integer");
        }

        if (reader.TryGetInt32(out value))
        {
            return true;
        }

        // A number that is not an Int32: either it has a fraction/exponent (not an integer) or it is out of range.
        if (!zeroFractionIsInteger && !reader.HasValueSequence && reader.ValueSpan.IndexOfAny(".eE"u8) >= 0)
        {
            return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON integer (no fraction or exponent in draft-04)");
        }

        if (reader.TryGetDecimal(out var d) && decimal.Truncate(d) == d)
        {
            if (d is >= int.MinValue and <= int.MaxValue)
            {
                // e.g. 1.0 or 1e2: an integer under draft-06 semantics.
                value = (int)d;
                return true;
            }

            return state.Fatal(OcppErrorCode.PropertyConstraintViolation, segment, "integer out of the supported range (32-bit)");
        }

        if (reader.TryGetDouble(out var dbl) && Math.Floor(dbl) == dbl)
        {
            return state.Fatal(OcppErrorCode.PropertyConstraintViolation, segment, "integer out of the supported range (32-bit)");
        }

        return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON integer, got a number with a fraction");
    }

    public static bool ReadDecimal(ref Utf8JsonReader reader, ref OcppReadState state, string segment, bool multipleOfTenth, out decimal value)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            value = 0;
            return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON number");
        }

        // Short numbers (the usual case) are built from their digits; the rest go through the general parser.
        var token = reader.HasValueSequence ? default : reader.ValueSpan;
        if (!(token.Length > 0 && OcppNumber.TryParseSimpleDecimal(token, out value)) && !reader.TryGetDecimal(out value))
        {
            return state.Fatal(OcppErrorCode.PropertyConstraintViolation, segment, "number out of the supported range (decimal)");
        }

        // Exact on the JSON text (7.30 and 73e-1 pass, 7.35 and 1e-30 do not), whatever decimal makes of it.
        if (multipleOfTenth && state.CheckMultipleOf && !(token.Length > 0 ? OcppNumber.IsMultipleOfTenth(token) : decimal.Remainder(value, 0.1m) == 0m))
        {
            return state.Report(OcppErrorCode.PropertyConstraintViolation, segment, "number is not a multiple of 0.1");
        }

        return true;
    }

    public static bool ReadBoolean(ref Utf8JsonReader reader, ref OcppReadState state, string segment, out bool value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            default:
                value = false;
                return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON boolean");
        }
    }

    public static bool ReadDateTime(ref Utf8JsonReader reader, ref OcppReadState state, string segment, out DateTimeOffset value)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = default;
            return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, ExpectedString);
        }

        bool ok;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            ok = OcppDateTime.TryParse(reader.ValueSpan, out value);
        }
        else
        {
            var s = reader.GetString()!;
            ok = OcppDateTime.TryParse(Encoding.UTF8.GetBytes(s), out value);
        }

        if (!ok)
        {
            // No typed value can hold a malformed date-time.
            return state.Fatal(OcppErrorCode.PropertyConstraintViolation, segment, "string is not an RFC 3339 date-time");
        }

        return true;
    }

    public static bool ExpectObject(ref Utf8JsonReader reader, ref OcppReadState state, string segment)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        return state.Fatal(segment.Length == 0 ? OcppErrorCode.FormationViolation : OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON object");
    }

    public static bool ExpectArray(ref Utf8JsonReader reader, ref OcppReadState state, string segment)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return true;
        }

        return state.Fatal(OcppErrorCode.TypeConstraintViolation, segment, "expected a JSON array");
    }

    /// <summary>Handles a property that the schema does not define (additionalProperties: false).</summary>
    public static bool UnknownProperty(ref Utf8JsonReader reader, ref OcppReadState state)
    {
        string name = reader.GetString() ?? string.Empty;
        if (!reader.Read() || !reader.TrySkip())
        {
            return state.Fatal(OcppErrorCode.FormationViolation, string.Empty, "truncated JSON");
        }

        if (state.CheckConstraints)
        {
            return state.Report(OcppErrorCode.FormationViolation, "." + name, "property not defined by the schema");
        }

        return true;
    }

    public static bool Required(ref OcppReadState state, string segment)
        => state.Fatal(OcppErrorCode.OccurenceConstraintViolation, segment, "required property missing");

    public static bool TooFewItems(ref OcppReadState state, string segment, int minItems)
        => state.Report(OcppErrorCode.OccurenceConstraintViolation, segment, "array has fewer than minItems " + minItems.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static bool UnknownEnum(ref OcppReadState state, string segment)
        => state.Fatal(OcppErrorCode.PropertyConstraintViolation, segment, "value not in the schema's enum");

    public static bool EnumNotAllowedHere(ref OcppReadState state, string segment)
        => state.Report(OcppErrorCode.PropertyConstraintViolation, segment, "value not in the schema's enum");

    /// <summary>Number of Unicode code points in <paramref name="value"/> (JSON Schema counts maxLength so).</summary>
    public static int CodePointCount(string value)
    {
        var count = value.Length;
        foreach (var c in value)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }

    // ---- Validation of values built in code (outgoing messages) ----

    public static bool CheckString(string? value, ref OcppReadState state, string segment, bool required, int maxLength)
    {
        if (value is null)
        {
            return !required || Required(ref state, segment);
        }

        if (maxLength >= 0 && state.CheckConstraints && value.Length > maxLength && CodePointCount(value) > maxLength)
        {
            return state.Report(OcppErrorCode.PropertyConstraintViolation, segment, "string longer than maxLength " + maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return true;
    }

    public static bool CheckDecimal(decimal? value, ref OcppReadState state, string segment, bool multipleOfTenth)
    {
        if (value is { } v && multipleOfTenth && state.CheckMultipleOf && decimal.Remainder(v, 0.1m) != 0m)
        {
            return state.Report(OcppErrorCode.PropertyConstraintViolation, segment, "number is not a multiple of 0.1");
        }

        return true;
    }

    // ---- Writing ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteDateTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[OcppDateTime.FormattedLength];
        OcppDateTime.Format(value, buffer);
        writer.WriteString(name, buffer);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteDateTimeValue(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[OcppDateTime.FormattedLength];
        OcppDateTime.Format(value, buffer);
        writer.WriteStringValue(buffer);
    }

    public static bool ListEquals<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.Count != b.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < a.Count; i++)
        {
            if (!comparer.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
