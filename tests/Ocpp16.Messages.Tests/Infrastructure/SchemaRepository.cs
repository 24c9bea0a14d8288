using System.Text.Json.Nodes;

namespace Ocpp16.Messages.Tests.Infrastructure;

/// <summary>
/// The 78 official OCPP 1.6 schemas as data: loaded from the copies next to the test assembly (see the csproj), or, when
/// those are missing, from <c>src/Ocpp16.Messages/Schemas</c> found by walking up to the folder holding Ocpp16.sln.
/// </summary>
internal static class SchemaRepository
{
    private static readonly Lazy<string> Directory = new(FindDirectory);
    private static readonly Dictionary<string, JsonObject> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    public static string SchemaDirectory => Directory.Value;

    /// <summary>The schema file names, e.g. <c>Authorize.json</c>, <c>AuthorizeResponse.json</c>, sorted ordinally.</summary>
    public static IReadOnlyList<string> FileNames { get; } = LoadFileNames();

    public static IEnumerable<object[]> AllFileNames() => FileNames.Select(f => new object[] { f });

    /// <summary>Returns a fresh copy of the schema (callers may not mutate the cached one).</summary>
    public static JsonObject Load(string fileName)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(fileName, out var schema))
            {
                var text = File.ReadAllText(Path.Combine(SchemaDirectory, fileName));
                schema = JsonNode.Parse(text)!.AsObject();
                Cache[fileName] = schema;
            }

            return schema.DeepClone().AsObject();
        }
    }

    /// <summary>The action of a schema file and whether the file describes the response (<c>XxxResponse.json</c>).</summary>
    public static (string Action, bool IsResponse) ActionOf(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        return stem.EndsWith("Response", StringComparison.Ordinal)
            ? (stem[..^"Response".Length], true)
            : (stem, false);
    }

    /// <summary>The catalog reader (request or response) that handles the payload described by <paramref name="fileName"/>.</summary>
    public static OcppPayloadReader ReaderFor(string fileName)
    {
        var (action, isResponse) = ActionOf(fileName);
        var info = OcppActions.All.Single(a => a.Name == action);
        return isResponse ? info.ReadResponse : info.ReadRequest;
    }

    /// <summary>The generated type the catalog declares for <paramref name="fileName"/>.</summary>
    public static Type TypeFor(string fileName)
    {
        var (action, isResponse) = ActionOf(fileName);
        var info = OcppActions.All.Single(a => a.Name == action);
        return isResponse ? info.ResponseType : info.RequestType;
    }

    private static IReadOnlyList<string> LoadFileNames()
        => System.IO.Directory.GetFiles(SchemaDirectory, "*.json")
            .Select(p => Path.GetFileName(p))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string FindDirectory()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Schemas");
        if (System.IO.Directory.Exists(copied) && System.IO.Directory.GetFiles(copied, "*.json").Length > 0)
        {
            return copied;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp16.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Ocpp16.Messages", "Schemas");
            }
        }

        throw new InvalidOperationException("Cannot find the OCPP schemas: neither copied to the output nor found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Read-only helpers over one draft-04/06 schema node, resolving <c>$ref</c> to <c>#/definitions/...</c>.</summary>
internal static class SchemaNode
{
    public static JsonObject Resolve(JsonObject root, JsonObject node)
    {
        var current = node;
        for (var hops = 0; current["$ref"] is JsonValue refValue; hops++)
        {
            if (hops > 16)
            {
                throw new InvalidOperationException("$ref cycle");
            }

            var reference = refValue.GetValue<string>();
            const string prefix = "#/definitions/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new NotSupportedException("Unsupported $ref " + reference);
            }

            current = root["definitions"]![reference[prefix.Length..]]!.AsObject();
        }

        return current;
    }

    public static string Type(JsonObject resolved) => resolved["type"]?.GetValue<string>() ?? throw new InvalidOperationException("schema without type");

    public static IReadOnlyList<(string Name, JsonObject Schema)> Properties(JsonObject root, JsonObject resolvedObject)
        => resolvedObject["properties"] is JsonObject props
            ? props.Select(p => (p.Key, Resolve(root, p.Value!.AsObject()))).ToArray()
            : [];

    public static IReadOnlySet<string> Required(JsonObject resolvedObject)
        => resolvedObject["required"] is JsonArray req
            ? req.Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    public static int? MaxLength(JsonObject s) => s["maxLength"] is JsonValue v ? v.GetValue<int>() : null;

    public static int? MinItems(JsonObject s) => s["minItems"] is JsonValue v ? v.GetValue<int>() : null;

    public static decimal? MultipleOf(JsonObject s) => s["multipleOf"] is JsonValue v ? v.GetValue<decimal>() : null;

    public static string? Format(JsonObject s) => s["format"]?.GetValue<string>();

    public static IReadOnlyList<string>? Enum(JsonObject s)
        => s["enum"] is JsonArray values ? values.Select(v => v!.GetValue<string>()).ToArray() : null;

    public static JsonObject Items(JsonObject root, JsonObject resolvedArray) => Resolve(root, resolvedArray["items"]!.AsObject());
}
