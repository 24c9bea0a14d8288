using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ocpp16.Messages.Tests.Infrastructure;

/// <summary>
/// Builds deterministic, schema-valid payloads from a schema: <see cref="Minimal"/> (only required properties, arrays with
/// minItems items) and <see cref="Full"/> (every property, strings exactly at maxLength, arrays with 2 items, date-times
/// with milliseconds and Z, numbers that are multiples of 0.1). Values vary with a counter so that swapped fields show.
/// </summary>
internal sealed class SampleGenerator
{
    private static readonly DateTime BaseInstant = new(2026, 11, 21, 10, 15, 30, 123, DateTimeKind.Utc);

    private readonly JsonObject _root;
    private readonly bool _full;
    private int _counter;

    private SampleGenerator(JsonObject root, bool full)
    {
        _root = root;
        _full = full;
    }

    public static JsonObject Minimal(JsonObject schema) => new SampleGenerator(schema, full: false).Object(schema);

    public static JsonObject Full(JsonObject schema) => new SampleGenerator(schema, full: true).Object(schema);

    public static JsonObject Minimal(string fileName) => Minimal(SchemaRepository.Load(fileName));

    public static JsonObject Full(string fileName) => Full(SchemaRepository.Load(fileName));

    /// <summary>Formats an instant as OCPP's canonical wire form, independently of the library.</summary>
    public static string Canonical(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns a string of exactly <paramref name="length"/> characters made from <paramref name="seed"/>.</summary>
    public static string StringOfLength(string seed, int length)
    {
        var sb = new StringBuilder(length);
        while (sb.Length < length)
        {
            sb.Append(seed);
        }

        return sb.ToString(0, length);
    }

    private JsonObject Object(JsonObject schema)
    {
        var resolved = SchemaNode.Resolve(_root, schema);
        var required = SchemaNode.Required(resolved);
        var result = new JsonObject();
        foreach (var (propName, propSchema) in SchemaNode.Properties(_root, resolved))
        {
            if (_full || required.Contains(propName))
            {
                result[propName] = Value(propSchema, propName);
            }
        }

        return result;
    }

    private JsonNode Value(JsonObject schema, string name)
    {
        var s = SchemaNode.Resolve(_root, schema);
        var n = _counter++;
        switch (SchemaNode.Type(s))
        {
            case "object":
                return Object(s);
            case "array":
                var items = SchemaNode.Items(_root, s);
                var count = _full ? 2 : SchemaNode.MinItems(s) ?? 0;
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    array.Add(Value(items, name + "Item"));
                }

                return array;
            case "integer":
                return JsonValue.Create(100 + (n * 7));
            case "number":
                // 16.5, 17.6, 18.7 ...: all exact multiples of 0.1.
                return JsonValue.Create(16.5m + (n * 1.1m));
            case "boolean":
                return JsonValue.Create(n % 2 == 0);
            case "string":
                return JsonValue.Create(StringValue(s, name, n));
            default:
                throw new NotSupportedException("type " + SchemaNode.Type(s));
        }
    }

    private string StringValue(JsonObject s, string name, int n)
    {
        if (SchemaNode.Enum(s) is { } values)
        {
            return values[n % values.Count];
        }

        var max = SchemaNode.MaxLength(s);
        switch (SchemaNode.Format(s))
        {
            case "date-time":
                return Canonical(BaseInstant.AddMilliseconds(n * 61_001L));
            case "uri":
                var uri = "https://example.com/" + name + "/" + n.ToString(CultureInfo.InvariantCulture);
                return max is { } m && uri.Length > m ? uri[..m] : uri;
            case null:
                break;
            default:
                throw new NotSupportedException("format " + SchemaNode.Format(s));
        }

        if (_full)
        {
            // Exactly at the limit: the boundary must be accepted.
            var seed = name + n.ToString(CultureInfo.InvariantCulture) + "-";
            return max is { } limit ? StringOfLength(seed, limit) : seed + "value";
        }

        var shortValue = name[..1] + n.ToString(CultureInfo.InvariantCulture);
        return max is { } l && shortValue.Length > l ? shortValue[..l] : shortValue;
    }
}
