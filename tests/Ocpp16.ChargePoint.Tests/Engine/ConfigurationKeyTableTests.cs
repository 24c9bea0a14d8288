using System.Globalization;
using System.Text;
using Ocpp16.ChargePoint.Tests.Support;

namespace Ocpp16.ChargePoint.Tests.Engine;

/// <summary>
/// docs/configuration-keys.md lists every key the engine declares (name, profile, type, access, default, range, reboot)
/// exactly as declared. Run with OCPP16_UPDATE_DOCS=1 to rewrite the table from the declarations.
/// </summary>
public sealed class ConfigurationKeyTableTests
{
    private const string Begin = "<!-- keys:begin (generated from the declarations; see ConfigurationKeyTableTests) -->";
    private const string End = "<!-- keys:end -->";

    [Fact]
    public async Task TheDocumentedKeyTable_MatchesTheDeclarations()
    {
        // Every profile this version implements, so every key is documented.
        await using var rig = await Rig.StartAsync(o => o.FeatureProfiles.UnionWith(OcppChargePoint.AvailableProfiles), start: false);
        var expected = Table(rig.ChargePoint.Configuration.Definitions);
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration-keys.md");
        var text = File.ReadAllText(path);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} has no {Begin} … {End} section");
        var actual = text[(start + Begin.Length)..end].Trim('\n');
        if (Environment.GetEnvironmentVariable("OCPP16_UPDATE_DOCS") == "1" && actual != expected)
        {
            File.WriteAllText(path, text[..(start + Begin.Length)] + "\n" + expected + "\n" + text[end..]);
            return;
        }

        Assert.Equal(expected, actual);
    }

    private static string Table(IReadOnlyList<ConfigurationKeyDefinition> definitions)
    {
        var table = new StringBuilder();
        table.Append("| key | profile | type | access | default | range | reboot | what it does |\n");
        table.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var d in definitions.OrderBy(d => d.Profile?.ToString() ?? "~").ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            var range = d.Type switch
            {
                ConfigurationKeyType.Integer when d.Minimum is not null || d.Maximum is not null =>
                    string.Create(CultureInfo.InvariantCulture, $"{d.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "…"}–{d.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "…"}{(d.Unit is null ? "" : " " + d.Unit)}"),
                ConfigurationKeyType.MeasurandList or ConfigurationKeyType.StringList when d.MaxItemsKey is not null => $"≤ {d.MaxItemsKey} items",
                ConfigurationKeyType.String or ConfigurationKeyType.StringList when d.AllowedValues is not null => string.Join(", ", d.AllowedValues),
                _ => d.Unit ?? string.Empty,
            };
            var defaultValue = d.Name == "NumberOfConnectors" || d.Name == "ConnectorPhaseRotationMaxLength" ? "(from the hardware)" : d.DefaultValue.Length == 0 ? "(empty)" : $"`{d.DefaultValue}`";
            table.Append(CultureInfo.InvariantCulture, $"| {d.Name} | {d.Profile?.ToString() ?? "vendor"} | {d.Type} | {d.Access} | {defaultValue} | {range} | {(d.RebootRequired ? "yes" : "no")} | {d.Description} |\n");
        }

        return table.ToString().TrimEnd('\n');
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
}
