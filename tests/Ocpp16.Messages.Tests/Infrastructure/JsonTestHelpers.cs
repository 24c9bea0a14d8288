using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp16.Messages.Tests.Infrastructure;

internal static class JsonTestHelpers
{
    public static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>Writes <paramref name="message"/> with a default (compact) <see cref="Utf8JsonWriter"/>.</summary>
    public static byte[] Write(IOcppJsonWritable message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            message.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string WriteString(IOcppJsonWritable message) => Encoding.UTF8.GetString(Write(message));

    /// <summary>A deep copy in which every number is replaced by its value as a normalized decimal (16.50 → 16.5, 1e1 → 10).</summary>
    public static JsonNode? NormalizeNumbers(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var o = new JsonObject();
                foreach (var (k, v) in obj)
                {
                    o[k] = NormalizeNumbers(v);
                }

                return o;
            case JsonArray arr:
                var a = new JsonArray();
                foreach (var v in arr)
                {
                    a.Add(NormalizeNumbers(v));
                }

                return a;
            default:
                var value = node.AsValue();
                if (value.GetValueKind() == JsonValueKind.Number)
                {
                    var d = decimal.Parse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
                    return JsonValue.Create(d / 1.000000000000000000000000000000000m);
                }

                return JsonNode.Parse(value.ToJsonString());
        }
    }

    public static void AssertSemanticallyEqual(JsonNode expected, JsonNode actual)
    {
        var e = NormalizeNumbers(expected);
        var a = NormalizeNumbers(actual);
        Assert.True(JsonNode.DeepEquals(e, a), $"JSON differs.\nexpected: {e?.ToJsonString()}\nactual:   {a?.ToJsonString()}");
    }

    /// <summary>Fails when a whitespace byte occurs outside a JSON string literal.</summary>
    public static void AssertNoWhitespace(ReadOnlySpan<byte> json)
    {
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                Assert.Fail($"whitespace at byte {i} of {Encoding.UTF8.GetString(json)}");
            }
        }
    }

    /// <summary>Fails unless the properties of every object in <paramref name="written"/> appear in the schema's order.</summary>
    public static void AssertSchemaOrder(JsonObject root, JsonObject schema, JsonNode? written, string path = "$")
    {
        var s = SchemaNode.Resolve(root, schema);
        switch (SchemaNode.Type(s))
        {
            case "object":
                var order = SchemaNode.Properties(root, s).Select(p => p.Name).ToList();
                var props = SchemaNode.Properties(root, s).ToDictionary(p => p.Name, p => p.Schema);
                var last = -1;
                foreach (var (name, value) in written!.AsObject())
                {
                    var index = order.IndexOf(name);
                    Assert.True(index >= 0, $"{path}.{name} is not in the schema");
                    Assert.True(index > last, $"{path}.{name} is written out of the schema's order ({string.Join(",", written.AsObject().Select(p => p.Key))})");
                    last = index;
                    AssertSchemaOrder(root, props[name], value, path + "." + name);
                }

                break;
            case "array":
                var items = SchemaNode.Items(root, s);
                var i = 0;
                foreach (var item in written!.AsArray())
                {
                    AssertSchemaOrder(root, items, item, $"{path}[{i++}]");
                }

                break;
        }
    }

    /// <summary>A deep copy with the property order of every object reversed.</summary>
    public static JsonNode? Reversed(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Reverse().Select(p => KeyValuePair.Create(p.Key, Reversed(p.Value)))),
        JsonArray arr => new JsonArray(arr.Select(Reversed).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
