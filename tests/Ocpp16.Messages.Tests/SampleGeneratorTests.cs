using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>Self-checks of the test's own schema-driven sample generator, so that the round-trip tests test what they claim.</summary>
public sealed partial class SampleGeneratorTests
{
    public static IEnumerable<object[]> Schemas() => SchemaRepository.AllFileNames();

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Samples_are_deterministic_and_shaped_as_promised(string schemaFile)
    {
        var schema = SchemaRepository.Load(schemaFile);
        var full = SampleGenerator.Full(schemaFile);
        var minimal = SampleGenerator.Minimal(schemaFile);

        Assert.True(JsonNode.DeepEquals(full, SampleGenerator.Full(schemaFile)));
        Assert.True(JsonNode.DeepEquals(minimal, SampleGenerator.Minimal(schemaFile)));
        Assert.Equal(SchemaNode.Properties(schema, schema).Select(p => p.Name), full.Select(p => p.Key));
        Assert.Equal(SchemaNode.Required(schema).Order(StringComparer.Ordinal), minimal.Select(p => p.Key).Order(StringComparer.Ordinal));

        Check(schema, schema, full, full: true);
        Check(schema, schema, minimal, full: false);
    }

    private static void Check(JsonObject root, JsonObject schema, JsonNode value, bool full)
    {
        var s = SchemaNode.Resolve(root, schema);
        switch (SchemaNode.Type(s))
        {
            case "object":
                foreach (var (name, propSchema) in SchemaNode.Properties(root, s))
                {
                    if (value.AsObject()[name] is { } child)
                    {
                        Check(root, propSchema, child, full);
                    }
                }

                break;
            case "array":
                var array = value.AsArray();
                Assert.Equal(full ? 2 : SchemaNode.MinItems(s) ?? 0, array.Count);
                foreach (var item in array)
                {
                    Check(root, SchemaNode.Items(root, s), item!, full);
                }

                break;
            case "string":
                var text = value.GetValue<string>();
                if (SchemaNode.Enum(s) is { } values)
                {
                    Assert.Contains(text, values);
                }
                else if (SchemaNode.Format(s) == "date-time")
                {
                    Assert.Matches(CanonicalDateTime(), text);
                }
                else if (SchemaNode.MaxLength(s) is { } max)
                {
                    Assert.True(text.Length <= max);
                    if (full && SchemaNode.Format(s) is null)
                    {
                        Assert.Equal(max, text.Length);
                    }
                }

                break;
            case "number":
                Assert.Equal(JsonValueKind.Number, value.GetValueKind());
                Assert.Equal(0m, decimal.Remainder(value.GetValue<decimal>(), 0.1m));
                Assert.NotEqual(0m, decimal.Remainder(value.GetValue<decimal>(), 1m));
                break;
            case "integer":
                Assert.Equal(JsonValueKind.Number, value.GetValueKind());
                _ = value.GetValue<int>();
                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex CanonicalDateTime();
}
