using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ocpp16.Messages.Tests.Infrastructure;

internal enum MutationKind
{
    /// <summary>A required property removed: OccurenceConstraintViolation at the property.</summary>
    RequiredRemoved,

    /// <summary><c>"bogus": 1</c> added to an object: FormationViolation at <c>.bogus</c>.</summary>
    ExtraProperty,

    /// <summary>A value of another JSON type: TypeConstraintViolation.</summary>
    WrongType,

    /// <summary>JSON <c>null</c> instead of the value (no schema allows null): TypeConstraintViolation.</summary>
    NullValue,

    /// <summary>1.5 for an integer: TypeConstraintViolation.</summary>
    IntegerWithFraction,

    /// <summary>A string one character over maxLength: PropertyConstraintViolation.</summary>
    TooLong,

    /// <summary>A string that is not in the enum: PropertyConstraintViolation.</summary>
    EnumNotInList,

    /// <summary>An enum value with the case of its first letter changed (enums are case-sensitive): PropertyConstraintViolation.</summary>
    EnumWrongCase,

    /// <summary>A date-time without the <c>T</c> and zone: PropertyConstraintViolation.</summary>
    MalformedDateTime,

    /// <summary>A well-shaped date-time on 30 February: PropertyConstraintViolation.</summary>
    InvalidCalendarDate,

    /// <summary><c>[]</c> where minItems is 1: OccurenceConstraintViolation.</summary>
    EmptyArray,

    /// <summary>7.35 where multipleOf is 0.1: PropertyConstraintViolation.</summary>
    NotMultipleOfTenth,
}

/// <summary>
/// One invalid variant of a schema's full sample: the full sample with one value replaced (or removed) at
/// <see cref="Steps"/> (property names and array indexes), and the verdict the wire-behaviour table prescribes.
/// </summary>
internal sealed record Mutation(string FileName, MutationKind Kind, IReadOnlyList<object> Steps, JsonNode? NewValue, bool Remove, OcppErrorCode ExpectedCode)
{
    public string ExpectedPath => PathOf(Steps);

    public string Id => Kind + ":" + ExpectedPath;

    public static string PathOf(IEnumerable<object> steps)
    {
        var sb = new StringBuilder("$");
        foreach (var step in steps)
        {
            if (step is int i)
            {
                sb.Append('[').Append(i.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                sb.Append('.').Append((string)step);
            }
        }

        return sb.ToString();
    }

    /// <summary>Returns a fresh full sample with this mutation applied.</summary>
    public JsonObject Apply()
    {
        var payload = SampleGenerator.Full(FileName);
        JsonNode parent = payload;
        foreach (var step in Steps.Take(Steps.Count - 1))
        {
            parent = step is int i ? parent.AsArray()[i]! : parent.AsObject()[(string)step]!;
        }

        var last = Steps[^1];
        if (Remove)
        {
            Assert.True(parent.AsObject().Remove((string)last), "mutation target missing: " + Id);
        }
        else if (last is int index)
        {
            parent.AsArray()[index] = NewValue?.DeepClone();
        }
        else
        {
            parent.AsObject()[(string)last] = NewValue?.DeepClone();
        }

        return payload;
    }

    public override string ToString() => FileName + " " + Id;
}

/// <summary>Derives every applicable <see cref="Mutation"/> of every schema by walking the schema and its full sample together.</summary>
internal static class MutationCatalog
{
    private static readonly Lazy<IReadOnlyList<Mutation>> AllMutations = new(() => SchemaRepository.FileNames.SelectMany(For).ToArray());

    public static IReadOnlyList<Mutation> All => AllMutations.Value;

    public static Mutation Find(string fileName, string id)
        => All.Single(m => m.FileName == fileName && m.Id == id);

    public static IEnumerable<object[]> Rows(params MutationKind[] kinds)
        => All.Where(m => kinds.Length == 0 || kinds.Contains(m.Kind)).Select(m => new object[] { m.FileName, m.Id });

    public static IReadOnlyList<Mutation> For(string fileName)
    {
        var root = SchemaRepository.Load(fileName);
        var payload = SampleGenerator.Full(root);
        var result = new List<Mutation>();
        WalkObject(fileName, root, root, payload, [], result);
        return result;
    }

    private static void WalkObject(string file, JsonObject root, JsonObject schema, JsonObject payload, List<object> steps, List<Mutation> result)
    {
        var required = SchemaNode.Required(schema);
        foreach (var (name, propSchema) in SchemaNode.Properties(root, schema))
        {
            Assert.True(payload.ContainsKey(name), $"full sample of {file} lacks {name}");
            var st = new List<object>(steps) { name };
            if (required.Contains(name))
            {
                result.Add(new Mutation(file, MutationKind.RequiredRemoved, st, null, true, OcppErrorCode.OccurenceConstraintViolation));
            }

            WalkValue(file, root, propSchema, payload[name]!, st, result);
        }

        result.Add(new Mutation(file, MutationKind.ExtraProperty, new List<object>(steps) { "bogus" }, JsonValue.Create(1), false, OcppErrorCode.FormationViolation));
    }

    private static void WalkValue(string file, JsonObject root, JsonObject schema, JsonNode value, List<object> st, List<Mutation> result)
    {
        var type = SchemaNode.Type(schema);
        JsonNode wrong = type switch
        {
            "string" => JsonValue.Create(42),
            "integer" => JsonValue.Create("42"),
            "number" => JsonValue.Create("16.5"),
            "boolean" => JsonValue.Create("true"),
            "object" => JsonValue.Create("x"),
            "array" => new JsonObject(),
            _ => throw new NotSupportedException(type),
        };
        result.Add(new Mutation(file, MutationKind.WrongType, st, wrong, false, OcppErrorCode.TypeConstraintViolation));
        result.Add(new Mutation(file, MutationKind.NullValue, st, null, false, OcppErrorCode.TypeConstraintViolation));

        switch (type)
        {
            case "integer":
                result.Add(new Mutation(file, MutationKind.IntegerWithFraction, st, JsonValue.Create(1.5m), false, OcppErrorCode.TypeConstraintViolation));
                break;
            case "number":
                if (SchemaNode.MultipleOf(schema) is 0.1m)
                {
                    result.Add(new Mutation(file, MutationKind.NotMultipleOfTenth, st, JsonValue.Create(7.35m), false, OcppErrorCode.PropertyConstraintViolation));
                }

                break;
            case "string":
                if (SchemaNode.MaxLength(schema) is { } max)
                {
                    result.Add(new Mutation(file, MutationKind.TooLong, st, JsonValue.Create(SampleGenerator.StringOfLength("x", max + 1)), false, OcppErrorCode.PropertyConstraintViolation));
                }

                if (SchemaNode.Enum(schema) is { } values)
                {
                    result.Add(new Mutation(file, MutationKind.EnumNotInList, st, JsonValue.Create("NotAnOcppValue"), false, OcppErrorCode.PropertyConstraintViolation));
                    var current = value.GetValue<string>();
                    var toggled = (char.IsUpper(current[0]) ? char.ToLowerInvariant(current[0]) : char.ToUpperInvariant(current[0])) + current[1..];
                    if (!values.Contains(toggled))
                    {
                        result.Add(new Mutation(file, MutationKind.EnumWrongCase, st, JsonValue.Create(toggled), false, OcppErrorCode.PropertyConstraintViolation));
                    }
                }

                if (SchemaNode.Format(schema) == "date-time")
                {
                    result.Add(new Mutation(file, MutationKind.MalformedDateTime, st, JsonValue.Create("2026-11-21 10:15:30"), false, OcppErrorCode.PropertyConstraintViolation));
                    result.Add(new Mutation(file, MutationKind.InvalidCalendarDate, st, JsonValue.Create("2026-02-30T10:15:30.123Z"), false, OcppErrorCode.PropertyConstraintViolation));
                }

                break;
            case "array":
                if (SchemaNode.MinItems(schema) is >= 1)
                {
                    result.Add(new Mutation(file, MutationKind.EmptyArray, st, new JsonArray(), false, OcppErrorCode.OccurenceConstraintViolation));
                }

                var items = SchemaNode.Items(root, schema);
                var array = value.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    WalkValue(file, root, items, array[i]!, new List<object>(st) { i }, result);
                }

                break;
            case "object":
                WalkObject(file, root, schema, value.AsObject(), st, result);
                break;
        }
    }
}
