using System.Text.RegularExpressions;

namespace Ocpp16.Transport.Tests;

/// <summary>
/// Every <c>[LoggerMessage]</c> in src/ and samples/ has a unique event id in its project's range, is listed in a
/// README table, and logs raw frames only at Trace and idTags or passwords never above Debug.
/// </summary>
public sealed partial class LogEventIdTests
{
    private static readonly Dictionary<string, (int Min, int Max)[]> s_ranges = new(StringComparer.Ordinal)
    {
        ["Ocpp16.Transport"] = [(1000, 1999)],
        ["Ocpp16.ChargePoint"] = [(3000, 3099)],
        ["Ocpp16.CentralSystem"] = [(4000, 4099), (4100, 4119)],
        ["Ocpp16.CentralSystem.RabbitMq"] = [(4200, 4219)],
        ["MinimalCsms"] = [(5000, 5099)],
        ["DcCharger"] = [(5100, 5199)],
    };

    private static readonly Lazy<IReadOnlyList<LogDefinition>> s_definitions = new(Scan);

    [Fact]
    public void Scan_FindsTheDefinitionsOfEveryProject()
    {
        var projects = s_definitions.Value.Select(d => d.Project).ToHashSet();
        Assert.Superset(new HashSet<string>(s_ranges.Keys), projects);
        Assert.Contains(s_definitions.Value, d => d.Id == 1002 && d.Level == "Trace");
    }

    [Fact]
    public void EventIds_AreUniqueAcrossTheSolution()
    {
        var duplicates = s_definitions.Value.GroupBy(d => d.Id).Where(g => g.Count() > 1)
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(d => d.File))).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EventIds_AreInTheirProjectsRange()
    {
        var outside = s_definitions.Value
            .Where(d => !s_ranges.TryGetValue(d.Project, out var ranges) || !ranges.Any(r => d.Id >= r.Min && d.Id <= r.Max))
            .Select(d => d.Id + " in " + d.File).ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void EventIds_OfTheLibraries_AreListedInAReadmeTable()
    {
        var root = RepoRoot();
        var documented = new HashSet<int>();
        foreach (var readme in new[] { "README.md", "src/Ocpp16.Transport/README.md" })
        {
            foreach (Match m in TableRow().Matches(File.ReadAllText(Path.Combine(root, readme))))
            {
                documented.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var missing = s_definitions.Value.Where(d => d.File.StartsWith("src/", StringComparison.Ordinal) && !documented.Contains(d.Id))
            .Select(d => d.Id + " (" + d.Name + ")").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void RawFrames_OnlyAtTrace_IdTagsNeverAboveDebug_PasswordsNever()
    {
        var wrong = new List<string>();
        foreach (var d in s_definitions.Value)
        {
            var message = d.Message.ToUpperInvariant();
            if (message.Contains("{FRAME}", StringComparison.Ordinal) && d.Level != "Trace")
            {
                wrong.Add(d.Id + ": frame at " + d.Level);
            }

            if (message.Contains("{IDTAG", StringComparison.Ordinal) && d.Level is not ("Trace" or "Debug"))
            {
                wrong.Add(d.Id + ": idTag at " + d.Level);
            }

            if (SecretPlaceholder().IsMatch(d.Message))
            {
                wrong.Add(d.Id + ": credentials in a log message");
            }
        }

        Assert.Empty(wrong);
    }

    private static List<LogDefinition> Scan()
    {
        var root = RepoRoot();
        var result = new List<LogDefinition>();
        foreach (var top in new[] { "src", "samples" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, top), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }

                var text = File.ReadAllText(file);
                foreach (Match m in LoggerMessage().Matches(text))
                {
                    var args = m.Groups["args"].Value;
                    var id = Positional().Match(args) is { Success: true } p ? p.Groups["id"].Value : Named(args, "EventId");
                    var level = Positional().Match(args) is { Success: true } q ? q.Groups["level"].Value : Named(args, "Level");
                    var named = NamedMessage().Match(args);
                    var message = named.Success ? named.Groups[1].Value : StringLiteral().Match(args).Groups[1].Value;
                    Assert.False(string.IsNullOrEmpty(id), "no event id in " + relative + ": " + args);
                    result.Add(new LogDefinition(
                        relative.Split('/')[1],
                        relative,
                        int.Parse(id, System.Globalization.CultureInfo.InvariantCulture),
                        level.Replace("LogLevel.", string.Empty, StringComparison.Ordinal),
                        Named(args, "EventName"),
                        message));
                }
            }
        }

        return result;
    }

    private static string Named(string args, string name)
    {
        var m = Regex.Match(args, name + @"\s*=\s*(?:""(?<v>[^""]*)""|(?<v>[\w.]+))");
        return m.Success ? m.Groups["v"].Value : string.Empty;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp16.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ocpp16.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\[LoggerMessage\((?<args>.*?)\)\]\s*$", RegexOptions.Multiline)]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"^\s*(?<id>\d+)\s*,\s*(?<level>LogLevel\.\w+)")]
    private static partial Regex Positional();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"Message\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex NamedMessage();

    [GeneratedRegex(@"\{\w*(Password|Secret|Credential|Header|AuthorizationKey|Authorization\})", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPlaceholder();

    [GeneratedRegex(@"^\|\s*(\d{4})\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private sealed record LogDefinition(string Project, string File, int Id, string Level, string Name, string Message);
}
