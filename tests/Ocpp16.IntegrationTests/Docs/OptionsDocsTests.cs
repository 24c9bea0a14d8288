using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ocpp16.CentralSystem;
using Ocpp16.ChargePoint;
using Ocpp16.Transport;

namespace Ocpp16.IntegrationTests.Docs;

/// <summary>
/// docs/options.md lists every public option of both facades (and of the RPC layer) with its documentation — default,
/// unit and rules — as the XML documentation of the packages says. Run with OCPP16_UPDATE_DOCS=1 to rewrite the tables.
/// </summary>
public sealed partial class OptionsDocsTests
{
    [Fact]
    public void TheDocumentedOptions_MatchThePublicOptionsAndTheirXmlDocumentation()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "options.md");
        var text = File.ReadAllText(path);
        var expected = text;
        foreach (var type in new[] { typeof(ChargePointOptions), typeof(CentralSystemOptions), typeof(OcppRpcOptions), typeof(Ocpp16.CentralSystem.Cluster.OcppClusterOptions), typeof(Ocpp16.CentralSystem.RabbitMq.RabbitMqScaleOutOptions) })
        {
            expected = ReplaceSection(expected, type.Name, Table(type));
        }

        if (Environment.GetEnvironmentVariable("OCPP16_UPDATE_DOCS") == "1" && expected != text)
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.Equal(expected, text);
    }

    private static string ReplaceSection(string text, string name, string table)
    {
        var begin = $"<!-- options:{name}:begin (generated from the XML documentation; see OptionsDocsTests) -->";
        var end = $"<!-- options:{name}:end -->";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"docs/options.md has no section for {name}");
        return text[..(start + begin.Length)] + "\n" + table + "\n" + text[stop..];
    }

    private static string Table(Type type)
    {
        var xml = XDocument.Load(Path.ChangeExtension(type.Assembly.Location, ".xml"));
        var members = xml.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m);
        var table = new StringBuilder("| option | type | what it is, default, unit |\n|---|---|---|\n");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            var summary = members.TryGetValue($"P:{type.FullName}.{property.Name}", out var member) ? Flatten(member.Element("summary")) : "(undocumented)";
            table.Append($"| `{property.Name}` | `{TypeName(property.PropertyType)}` | {summary} |\n");
        }

        return table.ToString().TrimEnd('\n');
    }

    private static string Flatten(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" } see => see.Attribute("langword")?.Value is { } word ? $"`{word}`" : $"`{Short((string?)see.Attribute("cref") ?? see.Value)}`",
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "paramref" or "typeparamref" } p => $"`{(string?)p.Attribute("name")}`",
                XElement { Name.LocalName: "list" } list => string.Join(" ", list.Elements("item").Select(i => "• " + Flatten(i))),
                XElement e => Flatten(e),
                _ => string.Empty,
            });
        }

        return Spaces().Replace(text.ToString(), " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    private static string Short(string cref) => cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('(')[0].Split('.').Last();

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return TypeName(inner) + "?";
        }

        return type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" : type.Name;
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Ocpp16.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Ocpp16.sln not found");
        }

        return directory;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
