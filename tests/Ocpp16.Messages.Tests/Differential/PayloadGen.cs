using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>
/// FsCheck generators of schema-valid OCPP payloads, driven by the official schema: optional properties present or absent,
/// properties in random order, strings within maxLength (UTF-16 length, see <see cref="KnownDifferencesTests"/>) mixing ASCII,
/// characters that JSON must escape, other BMP characters and surrogate pairs, enum values, int32 integers, decimals with one
/// decimal place, RFC 3339 date-times with or without fractions and with <c>Z</c> or an offset, arrays of minItems to
/// minItems + 3 items. Every sample is a fresh tree.
/// </summary>
internal static class PayloadGen
{
    /// <summary>Characters of the JSON-escaping kind: quote, backslash, control characters, and what the default encoder escapes.</summary>
    private static readonly string[] Escapes = ["\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0001", "\u001f", "\u007f", "<", ">", "&", "'", "+", "`"];

    private static readonly string[] OtherBmp = ["é", "ß", "ñ", "Ω", "Ж", "中", "文", "€", "\u2028", "\u00a0", "ﬁ", "\ufeff", "ÿ"];

    private static readonly string[] Astral = ["😀", "𝄞", "🚗", "𠜎"];

    public static Gen<JsonObject> Valid(JsonObject root) => Object(root, root);

    public static Gen<JsonObject> Object(JsonObject root, JsonObject schema)
    {
        var s = SchemaNode.Resolve(root, schema);
        var required = SchemaNode.Required(s);
        var props = SchemaNode.Properties(root, s);
        var perProperty = props.Select(p =>
        {
            var value = Value(root, p.Schema).Select(v => (p.Name, (JsonNode?)v));
            return required.Contains(p.Name)
                ? value.Select(v => (v.Name, v.Item2, Present: true))
                : Gen.Frequency((1, Gen.Constant((p.Name, (JsonNode?)null, Present: false))), (1, value.Select(v => (v.Name, v.Item2, Present: true))));
        });
        return Gen.CollectToArray(perProperty)
            .SelectMany(entries => Gen.Shuffle(entries.Where(e => e.Present).ToArray()))
            .Select(entries =>
            {
                var o = new JsonObject();
                foreach (var (name, value, _) in entries)
                {
                    o[name] = value;
                }

                return o;
            });
    }

    public static Gen<JsonNode> Value(JsonObject root, JsonObject schema)
    {
        var s = SchemaNode.Resolve(root, schema);
        return SchemaNode.Type(s) switch
        {
            "object" => Object(root, s).Select(o => (JsonNode)o),
            "array" => Array(root, s),
            "integer" => Int32().Select(i => (JsonNode)JsonValue.Create(i)),
            "number" => OneDecimal().Select(d => (JsonNode)JsonValue.Create(d)),
            "boolean" => Gen.Elements(true, false).Select(b => (JsonNode)JsonValue.Create(b)),
            "string" => StringValue(s).Select(v => (JsonNode)JsonValue.Create(v)),
            var t => throw new NotSupportedException("type " + t),
        };
    }

    private static Gen<JsonNode> Array(JsonObject root, JsonObject s)
    {
        var items = SchemaNode.Items(root, s);
        var min = SchemaNode.MinItems(s) ?? 0;
        return Gen.Choose(min, min + 3)
            .SelectMany(n => Gen.ArrayOf(Value(root, items), n))
            .Select(values => (JsonNode)new JsonArray(values.ToArray<JsonNode?>()));
    }

    private static Gen<string> StringValue(JsonObject s)
    {
        if (SchemaNode.Enum(s) is { } values)
        {
            return Gen.Elements(values.ToArray());
        }

        return SchemaNode.Format(s) switch
        {
            "date-time" => DateTime(),
            "uri" => Uri(SchemaNode.MaxLength(s)),
            null => SchemaNode.MaxLength(s) is { } max
                ? Gen.Frequency((3, Gen.Choose(0, Math.Min(max, 40))), (1, Gen.Choose(0, max)), (1, Gen.Constant(max))).SelectMany(TextOfUtf16Length)
                : Gen.Choose(0, 40).SelectMany(TextOfUtf16Length),
            var f => throw new NotSupportedException("format " + f),
        };
    }

    /// <summary>One character (one or two UTF-16 units) of a random class.</summary>
    public static Gen<string> Character() => Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7e).Select(c => ((char)c).ToString())),
        (2, Gen.Elements(Escapes)),
        (2, Gen.Elements(OtherBmp)),
        (1, Gen.Elements(Astral)));

    /// <summary>A string of at most <paramref name="length"/> UTF-16 units (exactly that many unless a surrogate pair would not fit).</summary>
    public static Gen<string> TextOfUtf16Length(int length)
        => Gen.ArrayOf(Character(), length).Select(chars =>
        {
            var sb = new StringBuilder(length);
            foreach (var c in chars)
            {
                if (sb.Length + c.Length <= length)
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        });

    /// <summary>A string of exactly <paramref name="count"/> Unicode code points.</summary>
    public static Gen<string> TextOfCodePoints(int count)
        => Gen.ArrayOf(Character(), count).Select(chars => string.Concat(chars));

    public static Gen<int> Int32() => Gen.Frequency(
        (4, Gen.Choose(0, 1000)),
        (2, Gen.Choose(-1000, -1)),
        (3, Gen.Choose(int.MinValue, int.MaxValue)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, 0, -1, 1)));

    /// <summary>A decimal with exactly one decimal place (scale 1, e.g. <c>16.5</c>, <c>-3.0</c>), or now and then an integer.</summary>
    public static Gen<decimal> OneDecimal()
        => Gen.Frequency(
                (4, Gen.Choose(-1000, 10000).Select(k => (long)k)),
                (2, Gen.Choose(int.MinValue, int.MaxValue).Select(k => (long)k * 7)))
            .SelectMany(k => Gen.Frequency(
                (4, Gen.Constant(k * 0.1m)), // scale 1: 16.5, 3.0, -0.5
                (1, Gen.Constant((decimal)k))));

    /// <summary>An RFC 3339 date-time: year 1900..2199, 0 to 7 fraction digits, <c>Z</c> or an offset within ±14:00.</summary>
    public static Gen<string> DateTime()
        => Gen.Choose(1900, 2199).SelectMany(year => Gen.Choose(1, 12).SelectMany(month => Gen.Choose(1, System.DateTime.DaysInMonth(year, month)).Select(day => (year, month, day))))
            .SelectMany(d => Gen.Choose(0, 23).SelectMany(h => Gen.Choose(0, 59).SelectMany(m => Gen.Choose(0, 59).Select(sec => (d.year, d.month, d.day, h, m, sec)))))
            .SelectMany(t => Fraction().SelectMany(frac => Zone().Select(zone =>
                string.Create(CultureInfo.InvariantCulture, $"{t.year:D4}-{t.month:D2}-{t.day:D2}T{t.h:D2}:{t.m:D2}:{t.sec:D2}{frac}{zone}"))));

    private static Gen<string> Fraction() => Gen.Frequency(
        (3, Gen.Constant(string.Empty)),
        (3, Gen.Choose(0, 999).Select(ms => "." + ms.ToString("D3", CultureInfo.InvariantCulture))),
        (2, Gen.Choose(1, 7).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 9), n)).Select(digits => "." + string.Concat(digits))));

    private static Gen<string> Zone() => Gen.Frequency(
        (3, Gen.Constant("Z")),
        (1, Gen.Constant("-00:00")),
        (1, Gen.Constant("+14:00")),
        (1, Gen.Constant("-14:00")),
        (4, Gen.Elements('+', '-').SelectMany(sign => Gen.Choose(0, 13).SelectMany(h => Gen.Elements(0, 15, 30, 45).Select(m =>
            string.Create(CultureInfo.InvariantCulture, $"{sign}{h:D2}:{m:D2}"))))));

    /// <summary>An absolute URI (an FTP or HTTP(S) location as OCPP uses them), cut to <paramref name="maxLength"/>.</summary>
    private static Gen<string> Uri(int? maxLength)
        => Gen.Elements("ftp://", "http://", "https://", "ftp://user:pass@")
            .SelectMany(scheme => Gen.Elements("example.com", "10.0.0.1", "files.example.org:2121", "[::1]")
                .SelectMany(host => Gen.ListOf(Gen.Elements("a", "b", "diag", "fw", "1.2.3", "x_y", "%20", "~u")).Select(segments =>
                    scheme + host + "/" + string.Join('/', segments))))
            .Select(u => maxLength is { } m && u.Length > m ? u[..m] : u);
}
