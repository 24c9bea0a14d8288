using System.Text.Json.Nodes;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>Valid samples generated from each of the 78 schemas read, validate, write and read back unchanged.</summary>
public sealed class RoundTripTests
{
    public static IEnumerable<object[]> Schemas() => SchemaRepository.AllFileNames();

    [Fact]
    public void All_78_official_schemas_are_present()
    {
        Assert.Equal(78, SchemaRepository.FileNames.Count);
        foreach (var info in OcppActions.All)
        {
            Assert.Contains(info.Name + ".json", SchemaRepository.FileNames);
            Assert.Contains(info.Name + "Response.json", SchemaRepository.FileNames);
        }
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Minimal_sample_round_trips(string schemaFile) => AssertRoundTrip(schemaFile, SampleGenerator.Minimal(schemaFile));

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Full_sample_round_trips(string schemaFile) => AssertRoundTrip(schemaFile, SampleGenerator.Full(schemaFile));

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Written_properties_follow_the_schema_order_even_when_the_input_order_is_reversed(string schemaFile)
    {
        var schema = SchemaRepository.Load(schemaFile);
        var reversed = JsonTestHelpers.Reversed(SampleGenerator.Full(schemaFile))!;

        var ok = SchemaRepository.ReaderFor(schemaFile)(JsonTestHelpers.Utf8(reversed), null, out var message, out var violation);

        Assert.True(ok, violation?.ToString());
        var written = JsonNode.Parse(JsonTestHelpers.Write(message!));
        JsonTestHelpers.AssertSchemaOrder(schema, schema, written);
        JsonTestHelpers.AssertSemanticallyEqual(reversed, written!);
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Every_enum_value_of_the_schema_round_trips_at_every_place(string schemaFile)
    {
        var schema = SchemaRepository.Load(schemaFile);
        var places = MutationCatalog.For(schemaFile).Where(m => m.Kind == MutationKind.EnumNotInList).ToList();
        var reader = SchemaRepository.ReaderFor(schemaFile);
        var checkedValues = 0;
        foreach (var place in places)
        {
            var enumSchema = Navigate(schema, place.Steps);
            foreach (var value in SchemaNode.Enum(enumSchema)!)
            {
                var payload = (place with { Kind = MutationKind.EnumNotInList, NewValue = JsonValue.Create(value) }).Apply();

                var ok = reader(JsonTestHelpers.Utf8(payload), null, out var message, out var violation);

                Assert.True(ok, $"{place.ExpectedPath} = \"{value}\": {violation}");
                var written = JsonNode.Parse(JsonTestHelpers.Write(message!))!;
                JsonTestHelpers.AssertSemanticallyEqual(payload, written);
                checkedValues++;
            }
        }

        // Every schema with an enum has at least one value checked; schemas without enums check none.
        Assert.Equal(places.Count == 0, checkedValues == 0);
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Equals_detects_a_change_of_any_top_level_property(string schemaFile)
    {
        var schema = SchemaRepository.Load(schemaFile);
        var reader = SchemaRepository.ReaderFor(schemaFile);
        var full = SampleGenerator.Full(schemaFile);
        Assert.True(reader(JsonTestHelpers.Utf8(full), null, out var original, out _));
        Assert.True(reader(JsonTestHelpers.Utf8(full), null, out var same, out _));
        Assert.Equal(original, same);
        Assert.Equal(original!.GetHashCode(), same!.GetHashCode());

        foreach (var (name, propSchema) in SchemaNode.Properties(schema, schema))
        {
            var changed = full.DeepClone().AsObject();
            var alternative = Alternative(schema, propSchema, changed[name]!);
            if (alternative is null)
            {
                continue; // a one-value enum: no other valid value exists.
            }

            changed[name] = alternative;
            Assert.True(reader(JsonTestHelpers.Utf8(changed), null, out var other, out var violation), violation?.ToString());
            Assert.False(original.Equals(other), $"{schemaFile}: changing {name} left the objects equal");
        }

        // Adding or removing optional properties also changes equality.
        var minimalJson = SampleGenerator.Minimal(schemaFile);
        if (!JsonNode.DeepEquals(JsonTestHelpers.NormalizeNumbers(minimalJson), JsonTestHelpers.NormalizeNumbers(full)))
        {
            Assert.True(reader(JsonTestHelpers.Utf8(minimalJson), null, out var minimal, out _));
            Assert.NotEqual(original, minimal);
        }
    }

    internal static void AssertRoundTrip(string schemaFile, JsonObject payload)
    {
        var schema = SchemaRepository.Load(schemaFile);
        var reader = SchemaRepository.ReaderFor(schemaFile);
        var input = JsonTestHelpers.Utf8(payload);

        var ok = reader(input, null, out var message, out var violation);

        Assert.True(ok, $"{schemaFile} rejected {payload.ToJsonString()}: {violation}");
        Assert.Null(violation);
        Assert.NotNull(message);
        Assert.IsType(SchemaRepository.TypeFor(schemaFile), message);
        Assert.True(message.TryValidate(null, out var validateViolation), validateViolation?.ToString());
        Assert.Null(validateViolation);

        var written = JsonTestHelpers.Write(message);
        JsonTestHelpers.AssertNoWhitespace(written);
        var writtenNode = JsonNode.Parse(written)!;
        JsonTestHelpers.AssertSemanticallyEqual(payload, writtenNode);
        JsonTestHelpers.AssertSchemaOrder(schema, schema, writtenNode);

        Assert.True(reader(written, null, out var reread, out var rereadViolation), rereadViolation?.ToString());
        Assert.Equal(message, reread);
        Assert.True(message.Equals((object)reread!));
        Assert.Equal(message.GetHashCode(), reread!.GetHashCode());
        Assert.Equal(written, JsonTestHelpers.Write(reread));
    }

    private static JsonObject Navigate(JsonObject root, IReadOnlyList<object> steps)
    {
        var s = root;
        foreach (var step in steps)
        {
            s = SchemaNode.Resolve(root, s);
            s = step is int ? SchemaNode.Items(root, s) : SchemaNode.Properties(root, s).Single(p => p.Name == (string)step).Schema;
        }

        return SchemaNode.Resolve(root, s);
    }

    /// <summary>A different valid value for <paramref name="value"/>, or null when none exists.</summary>
    private static JsonNode? Alternative(JsonObject root, JsonObject schema, JsonNode value)
    {
        var s = SchemaNode.Resolve(root, schema);
        switch (SchemaNode.Type(s))
        {
            case "string":
                var text = value.GetValue<string>();
                if (SchemaNode.Enum(s) is { } values)
                {
                    var other = values.FirstOrDefault(v => v != text);
                    return other is null ? null : JsonValue.Create(other);
                }

                if (SchemaNode.Format(s) == "date-time")
                {
                    return JsonValue.Create(SampleGenerator.Canonical(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).AddMilliseconds(1)));
                }

                // Same length, last character changed: stays within maxLength.
                return JsonValue.Create(text[..^1] + (text[^1] == 'Z' ? 'Y' : 'Z'));
            case "integer":
                return JsonValue.Create(value.GetValue<int>() + 1);
            case "number":
                return JsonValue.Create(value.GetValue<decimal>() + 0.1m);
            case "boolean":
                return JsonValue.Create(!value.GetValue<bool>());
            case "array":
                var array = value.AsArray();
                var shorter = new JsonArray(array.Take(array.Count - 1).Select(n => n?.DeepClone()).ToArray());
                return shorter;
            case "object":
                var obj = value.DeepClone().AsObject();
                foreach (var (name, propSchema) in SchemaNode.Properties(root, s))
                {
                    if (obj[name] is { } current && Alternative(root, propSchema, current) is { } alt)
                    {
                        obj[name] = alt;
                        return obj;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
