using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>How a generated valid payload was broken (one violation per case).</summary>
public enum DiffMutation
{
    /// <summary>Not broken: the payload is valid.</summary>
    None,

    /// <summary>A required property removed, at any depth: OccurenceConstraintViolation at the property.</summary>
    RequiredRemoved,

    /// <summary>A property the schema does not define added to an object, at any depth: FormationViolation at it.</summary>
    ExtraProperty,

    /// <summary>A value of another JSON type: TypeConstraintViolation.</summary>
    WrongType,

    /// <summary>JSON null (no schema allows null): TypeConstraintViolation.</summary>
    NullValue,

    /// <summary>An integer with a non-zero fraction (1.5): TypeConstraintViolation.</summary>
    IntegerWithFraction,

    /// <summary>A string one code point over maxLength: PropertyConstraintViolation.</summary>
    TooLong,

    /// <summary>A string not in the enum: PropertyConstraintViolation.</summary>
    EnumNotInList,

    /// <summary>[] where minItems is 1: OccurenceConstraintViolation.</summary>
    EmptyArray,

    /// <summary>A string that is no date-time in anyone's reading: PropertyConstraintViolation.</summary>
    MalformedDateTime,

    /// <summary>A number with hundredths or thousandths where multipleOf is 0.1: PropertyConstraintViolation.</summary>
    NotMultipleOfTenth,

    /// <summary>The payload is not an object: FormationViolation at <c>$</c>.</summary>
    RootNotObject,
}

/// <summary>One differential case: the JSON text and what the wire-behaviour table prescribes for it.</summary>
internal sealed record DiffCase(string FileName, DiffMutation Mutation, string Json, string ExpectedPath, OcppErrorCode? ExpectedCode, string Detail)
{
    public bool ExpectValid => Mutation == DiffMutation.None;
}

/// <summary>A place in a valid payload where one mutation kind applies.</summary>
internal sealed record MutationSite(DiffMutation Kind, IReadOnlyList<object> Steps, JsonObject? Schema);

/// <summary>Generates <see cref="DiffCase"/>s for one schema: valid payloads from <see cref="PayloadGen"/> and single mutations of them.</summary>
internal static class CaseGen
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Strings that are no RFC 3339 date-time and that NJsonSchema rejects too (its lax forms are in <see cref="KnownDifferencesTests"/>).</summary>
    private static readonly string[] BadDateTimes =
    [
        "", "x", "now", "2026-02-30T10:15:30Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-11-00T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T10:60:00Z", "2026-11-21T1:15:30Z", "2026-11-21T10:15:30Z ",
        " 2026-11-21T10:15:30Z", "2026-11-21T10:15:30+01", "2026-11-21T10:15:30+01:00:00", "2026-11-21T10:15:30GMT",
        "2026-11-21T10:15:30UTC", "+2026-11-21T10:15:30Z", "21/11/2026 10:15", "2026-11-21T10:15Z", "2026-11-21Z",
        "T10:15:30Z", "2026-11-21T10:15:30.123ZZ", "2026-11-21T10:15:30+01:00Z",
    ];

    public static Gen<DiffCase> Valid(string fileName)
    {
        var root = SchemaRepository.Load(fileName);
        return PayloadGen.Valid(root).SelectMany(p => Serialize(p).Select(json => new DiffCase(fileName, DiffMutation.None, json, "$", null, "valid")));
    }

    /// <summary>
    /// Single mutations of generated valid payloads: a kind of mutation that applies to the payload, then a place for it,
    /// so that rare kinds (multipleOf, date-time) get their share; with <paramref name="only"/>, that kind alone (payloads
    /// without a place for it are generated again).
    /// </summary>
    public static Gen<DiffCase> Mutated(string fileName, DiffMutation? only = null)
    {
        var root = SchemaRepository.Load(fileName);
        return PayloadGen.Valid(root).SelectMany(payload =>
        {
            var byKind = Sites(root, payload).Where(s => only is null || s.Kind == only).GroupBy(s => s.Kind).Select(g => g.ToArray()).ToArray();
            return byKind.Length == 0
                ? Gen.Constant<DiffCase?>(null)
                : Gen.Elements(byKind).SelectMany(group => Gen.Elements(group)).SelectMany(site => Mutate(fileName, root, payload, site)).Select(c => (DiffCase?)c);
        }).Where(c => c is not null).Select(c => c!);
    }

    /// <summary>The kinds of mutation a schema admits somewhere (found on its full sample, where every property is present).</summary>
    public static IReadOnlyList<DiffMutation> KindsFor(string fileName)
    {
        var root = SchemaRepository.Load(fileName);
        return Sites(root, SampleGenerator.Full(root)).Select(s => s.Kind).Distinct().Order().ToArray();
    }

    private static List<MutationSite> Sites(JsonObject root, JsonObject payload)
    {
        var sites = new List<MutationSite> { new(DiffMutation.RootNotObject, [], null) };
        WalkObject(root, root, payload, [], sites);
        return sites;
    }

    private static void WalkObject(JsonObject root, JsonObject schema, JsonObject payload, List<object> steps, List<MutationSite> sites)
    {
        var s = SchemaNode.Resolve(root, schema);
        sites.Add(new MutationSite(DiffMutation.ExtraProperty, steps, s));
        var required = SchemaNode.Required(s);
        foreach (var (name, propSchema) in SchemaNode.Properties(root, s))
        {
            if (!payload.TryGetPropertyValue(name, out var value))
            {
                continue;
            }

            var st = new List<object>(steps) { name };
            if (required.Contains(name))
            {
                sites.Add(new MutationSite(DiffMutation.RequiredRemoved, st, propSchema));
            }

            WalkValue(root, propSchema, value!, st, sites);
        }
    }

    private static void WalkValue(JsonObject root, JsonObject schema, JsonNode value, List<object> steps, List<MutationSite> sites)
    {
        var s = SchemaNode.Resolve(root, schema);
        sites.Add(new MutationSite(DiffMutation.WrongType, steps, s));
        sites.Add(new MutationSite(DiffMutation.NullValue, steps, s));
        switch (SchemaNode.Type(s))
        {
            case "integer":
                sites.Add(new MutationSite(DiffMutation.IntegerWithFraction, steps, s));
                break;
            case "number" when SchemaNode.MultipleOf(s) is 0.1m:
                sites.Add(new MutationSite(DiffMutation.NotMultipleOfTenth, steps, s));
                break;
            case "string":
                if (SchemaNode.MaxLength(s) is not null && SchemaNode.Enum(s) is null)
                {
                    sites.Add(new MutationSite(DiffMutation.TooLong, steps, s));
                }

                if (SchemaNode.Enum(s) is not null)
                {
                    sites.Add(new MutationSite(DiffMutation.EnumNotInList, steps, s));
                }

                if (SchemaNode.Format(s) == "date-time")
                {
                    sites.Add(new MutationSite(DiffMutation.MalformedDateTime, steps, s));
                }

                break;
            case "array":
                if (SchemaNode.MinItems(s) is >= 1)
                {
                    sites.Add(new MutationSite(DiffMutation.EmptyArray, steps, s));
                }

                var items = SchemaNode.Items(root, s);
                var array = value.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    WalkValue(root, items, array[i]!, new List<object>(steps) { i }, sites);
                }

                break;
            case "object":
                WalkObject(root, s, value.AsObject(), steps, sites);
                break;
        }
    }

    private static Gen<DiffCase> Mutate(string fileName, JsonObject root, JsonObject payload, MutationSite site)
    {
        var path = Mutation.PathOf(site.Steps);
        DiffCase Case(JsonNode? mutated, string json, string expectedPath, OcppErrorCode code, string detail)
            => new(fileName, site.Kind, json, expectedPath, code, detail);

        switch (site.Kind)
        {
            case DiffMutation.RootNotObject:
                return Gen.Elements<Func<JsonNode?>>(() => new JsonArray(), () => new JsonArray(payload.DeepClone()), () => JsonValue.Create("x"), () => JsonValue.Create(1), () => null, () => JsonValue.Create(true))
                    .Select(f => f())
                    .SelectMany(node => Serialize(node).Select(json => Case(node, json, "$", OcppErrorCode.FormationViolation, "payload " + (node?.GetValueKind().ToString() ?? "null"))));

            case DiffMutation.RequiredRemoved:
                return Apply(payload, site.Steps, remove: true, null)
                    .SelectMany(p => Serialize(p).Select(json => Case(p, json, path, OcppErrorCode.OccurenceConstraintViolation, "removed " + path)));

            case DiffMutation.ExtraProperty:
                var known = SchemaNode.Properties(root, site.Schema!).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                return ExtraName(known).SelectMany(name => AnyJson().SelectMany(value =>
                {
                    var steps = new List<object>(site.Steps) { name };
                    return Apply(payload, steps, remove: false, value).SelectMany(p => Serialize(p).Select(json =>
                        Case(p, json, Mutation.PathOf(steps), OcppErrorCode.FormationViolation, "added " + Mutation.PathOf(steps))));
                }));
        }

        Gen<JsonNode?> replacement = site.Kind switch
        {
            DiffMutation.WrongType => WrongType(SchemaNode.Type(site.Schema!)),
            DiffMutation.NullValue => Gen.Constant<JsonNode?>(null),
            DiffMutation.IntegerWithFraction => Gen.Choose(-100000, 100000).SelectMany(i => Gen.Elements(0.5m, 0.25m, 0.1m, 0.999m).Select(f => (JsonNode?)JsonValue.Create(i + (i < 0 ? -f : f)))),
            DiffMutation.TooLong => PayloadGen.TextOfCodePoints(SchemaNode.MaxLength(site.Schema!)!.Value + 1).Select(t => (JsonNode?)JsonValue.Create(t)),
            DiffMutation.EnumNotInList => NotInEnum(SchemaNode.Enum(site.Schema!)!).Select(t => (JsonNode?)JsonValue.Create(t)),
            DiffMutation.EmptyArray => Gen.Fresh<JsonNode?>(() => new JsonArray()),
            DiffMutation.MalformedDateTime => BadDateTime().Select(t => (JsonNode?)JsonValue.Create(t)),
            DiffMutation.NotMultipleOfTenth => NotMultipleOfTenth().Select(d => (JsonNode?)JsonValue.Create(d)),
            _ => throw new NotSupportedException(site.Kind.ToString()),
        };
        var code = site.Kind switch
        {
            DiffMutation.WrongType or DiffMutation.NullValue or DiffMutation.IntegerWithFraction => OcppErrorCode.TypeConstraintViolation,
            DiffMutation.EmptyArray => OcppErrorCode.OccurenceConstraintViolation,
            _ => OcppErrorCode.PropertyConstraintViolation,
        };
        return replacement.SelectMany(value => Apply(payload, site.Steps, remove: false, value).SelectMany(p => Serialize(p).Select(json =>
            Case(p, json, path, code, $"{path} := {value?.ToJsonString() ?? "null"}"))));
    }

    private static Gen<JsonObject> Apply(JsonObject payload, IReadOnlyList<object> steps, bool remove, JsonNode? value)
        => Gen.Fresh(() =>
        {
            var copy = payload.DeepClone().AsObject();
            JsonNode parent = copy;
            foreach (var step in steps.Take(steps.Count - 1))
            {
                parent = step is int i ? parent.AsArray()[i]! : parent.AsObject()[(string)step]!;
            }

            var last = steps[^1];
            if (remove)
            {
                parent.AsObject().Remove((string)last);
            }
            else if (last is int index)
            {
                parent.AsArray()[index] = value?.DeepClone();
            }
            else
            {
                parent.AsObject()[(string)last] = value?.DeepClone();
            }

            return copy;
        });

    /// <summary>The JSON text: compact, with the default encoder (escapes non-ASCII, <c>+</c>, <c>&lt;</c>...) or the relaxed one (raw UTF-8).</summary>
    private static Gen<string> Serialize(JsonNode? node)
        => Gen.Elements(false, true).Select(relaxed => node is null ? "null" : relaxed ? node.ToJsonString(Relaxed) : node.ToJsonString());

    private static Gen<JsonNode?> WrongType(string type)
    {
        var candidates = new List<Func<JsonNode?>>
        {
            () => JsonValue.Create("42"),
            () => JsonValue.Create("true"),
            () => JsonValue.Create(42),
            () => JsonValue.Create(4.2m),
            () => JsonValue.Create(true),
            () => JsonValue.Create(false),
            () => new JsonObject(),
            () => new JsonObject { ["a"] = 1 },
            () => new JsonArray(),
            () => new JsonArray(JsonValue.Create("x")),
        };
        bool Allowed(JsonNode? n) => type switch
        {
            "string" => n!.GetValueKind() != JsonValueKind.String,
            "integer" or "number" => n!.GetValueKind() != JsonValueKind.Number,
            "boolean" => n!.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False),
            "object" => n!.GetValueKind() != JsonValueKind.Object,
            "array" => n!.GetValueKind() != JsonValueKind.Array,
            _ => throw new NotSupportedException(type),
        };
        var allowed = candidates.Where(c => Allowed(c())).ToArray();
        return Gen.Elements(allowed).Select(f => f());
    }

    private static Gen<string> NotInEnum(IReadOnlyList<string> values)
    {
        var set = values.ToHashSet(StringComparer.Ordinal);
        return Gen.OneOf(
                Gen.Elements(values.ToArray()).Select(v => char.IsUpper(v[0]) ? char.ToLowerInvariant(v[0]) + v[1..] : char.ToUpperInvariant(v[0]) + v[1..]),
                Gen.Elements(values.ToArray()).Select(v => v.ToUpperInvariant()),
                Gen.Elements(values.ToArray()).Select(v => v + " "),
                Gen.Elements(values.ToArray()).Select(v => v[..^1]),
                Gen.Choose(0, 12).SelectMany(PayloadGen.TextOfUtf16Length))
            .Where(v => !set.Contains(v));
    }

    private static Gen<string> ExtraName(HashSet<string> known)
    {
        string[] names = known.Count == 0 ? ["bogus"] : known.Order(StringComparer.Ordinal).ToArray();
        return Gen.OneOf(
                Gen.Elements(names).Select(n => char.IsUpper(n[0]) ? char.ToLowerInvariant(n[0]) + n[1..] : char.ToUpperInvariant(n[0]) + n[1..]),
                Gen.Elements(names).Select(n => n + "s"),
                Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzXYZ_0123456789éüñ中".ToCharArray()), n)).Select(c => new string(c)))
            .Where(n => !known.Contains(n));
    }

    private static Gen<JsonNode?> AnyJson() => Gen.Elements<Func<JsonNode?>>(
            () => JsonValue.Create(1), () => JsonValue.Create("x"), () => JsonValue.Create(true), () => null,
            () => new JsonObject { ["k"] = new JsonArray(1, 2) }, () => new JsonArray(), () => JsonValue.Create(-2.5m))
        .Select(f => f());

    private static Gen<string> BadDateTime()
        => Gen.OneOf(
            Gen.Elements(BadDateTimes),
            PayloadGen.DateTime().SelectMany(valid => Gen.Choose(0, 18).SelectMany(pos => Gen.Elements('x', '#', '/', 'a').Select(c =>
                valid[..pos] + c + valid[(pos + 1)..]))));

    private static Gen<decimal> NotMultipleOfTenth()
        => Gen.Choose(-100000, 100000).SelectMany(whole => Gen.OneOf(
                Gen.Choose(1, 99).Where(h => h % 10 != 0).Select(h => whole + (h * 0.01m)),
                Gen.Choose(1, 999).Where(t => t % 100 != 0).Select(t => whole + (t * 0.001m))));

    public static string Describe(DiffCase c)
        => string.Create(CultureInfo.InvariantCulture, $"{c.FileName} {c.Mutation} ({c.Detail})\n    json: {c.Json}");
}
