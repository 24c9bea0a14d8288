using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Ocpp16.Messages.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>
/// Issue 3, "Exactness, proven": for every one of the 78 official schemas, FsCheck-generated valid payloads and single
/// mutations of them (at any depth) are read by our strict reader and validated by NJsonSchema, the oracle. Both must
/// accept the same payloads and reject the same payloads; when rejecting, our OCPP-J code is the one docs/wire-behaviour.md
/// maps the violation to and our path is the mutated place, and NJsonSchema reports the same place with a kind that
/// maps to the same code. Valid payloads also round-trip (see <see cref="RoundTripFailure"/>).
/// The classes of input on which the two disagree by design are kept out of the generators and pinned down in
/// <see cref="KnownDifferencesTests"/>. On failure the seed and the JSON of every failing case are printed.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static readonly Regex CanonicalDateTime = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", RegexOptions.CultureInvariant);

    /// <summary>What the fast path leaves to the exact path in a valid payload: escapes, exponents, numbers of 10+ digits (conservatively, also in strings).</summary>
    private static readonly Regex FastPathMayGiveUp = new(@"\\|[0-9][eE][-+]?[0-9]|[0-9]{10}", RegexOptions.CultureInvariant);

    private static readonly string[] DateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static IEnumerable<object[]> SchemaFiles() => SchemaRepository.AllFileNames();

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void ValidPayloads_AcceptedByBoth_AndRoundTrip(string fileName)
    {
        var cases = Gen.Sample(CaseGen.Valid(fileName), DiffSettings.ValidPerSchema, new Rnd(DiffSettings.SeedFor(fileName, 0)), DiffSettings.Size);
        Run(fileName, cases);
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void MutatedPayloads_RejectedByBoth_WithTheMappedCodeAndPath(string fileName)
    {
        var cases = Gen.Sample(CaseGen.Mutated(fileName), DiffSettings.MutatedPerSchema, new Rnd(DiffSettings.SeedFor(fileName, 1)), DiffSettings.Size);
        Run(fileName, cases);
        output.WriteLine(string.Join(", ", cases.GroupBy(c => c.Mutation).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
    }

    public static IEnumerable<object[]> SchemaFilesAndMutationKinds()
        => SchemaRepository.FileNames.SelectMany(f => CaseGen.KindsFor(f).Select(k => new object[] { f, k }));

    /// <summary>Each kind of mutation the schema admits, at generated places: the rare kinds get as many cases as the common ones.</summary>
    [Theory]
    [MemberData(nameof(SchemaFilesAndMutationKinds))]
    public void EachMutationKind_RejectedByBoth_WithTheMappedCodeAndPath(string fileName, DiffMutation kind)
    {
        var cases = Gen.Sample(CaseGen.Mutated(fileName, kind), DiffSettings.FocusedPerKind, new Rnd(DiffSettings.SeedFor(fileName, 2 + (int)kind)), DiffSettings.Size);
        Run(fileName, cases);
    }

    /// <summary>Checks one case; returns null when both sides agree and every assertion holds, else what went wrong.</summary>
    internal static string? Check(DiffCase c)
    {
        var oracle = Oracle.Validate(c.FileName, c.Json);
        var reader = SchemaRepository.ReaderFor(c.FileName);
        var utf8 = Encoding.UTF8.GetBytes(c.Json);
        var ok = reader(utf8, null, out var message, out var violation);

        // Our reader's two paths: the fast one may give up, but what it accepts the exact one accepts, equally.
        if (ReadPaths.Disagreement(c.FileName, utf8) is { } disagreement)
        {
            return disagreement;
        }

        if (c.ExpectValid && ReadPaths.Fast(c.FileName, utf8) is null && !FastPathMayGiveUp.IsMatch(c.Json))
        {
            return "the fast path gives up on a valid payload without escapes, exponents or long numbers";
        }

        if (c.ExpectValid)
        {
            if (oracle.Count > 0)
            {
                return "NJsonSchema rejects a generated valid payload: " + string.Join("; ", oracle);
            }

            if (!ok || violation is not null)
            {
                return $"NJsonSchema accepts, our reader {(ok ? "accepts but reports" : "rejects")}: {violation}";
            }

            return RoundTripFailure(c, message!);
        }

        if (oracle.Count == 0)
        {
            return ok ? "both accept the mutation (the generator made a valid payload)" : $"NJsonSchema accepts, our reader rejects: {violation}";
        }

        if (ok)
        {
            return "NJsonSchema rejects (" + string.Join("; ", oracle) + "), our reader accepts";
        }

        if (violation!.ErrorCode != c.ExpectedCode || violation.Path != c.ExpectedPath)
        {
            return $"expected {c.ExpectedCode!.Value.ToWireString()} at {c.ExpectedPath}, our reader reports {violation}";
        }

        var oraclePath = Oracle.ToOraclePath(c.ExpectedPath);
        var atPlace = oracle.Where(e => e.Path == oraclePath).ToArray();
        if (atPlace.Length == 0 || atPlace[0].Code != c.ExpectedCode)
        {
            return $"NJsonSchema's first error at {oraclePath} does not map to {c.ExpectedCode!.Value.ToWireString()}: " + string.Join("; ", oracle);
        }

        if (oraclePath != "#/" && oracle.Any(e => e.Path != oraclePath && !e.Path.StartsWith(oraclePath + ".", StringComparison.Ordinal) && !e.Path.StartsWith(oraclePath + "[", StringComparison.Ordinal)))
        {
            return "NJsonSchema reports errors outside the mutated place: " + string.Join("; ", oracle);
        }

        return null;
    }

    /// <summary>
    /// Written back, a valid payload equals itself: same properties and values (numbers as decimals, date-times as the same
    /// instant written in UTC with milliseconds and Z), in the schema's property order, and the written JSON validates under
    /// NJsonSchema; reading the written JSON and writing it again gives the same bytes and an equal typed value.
    /// </summary>
    private static string? RoundTripFailure(DiffCase c, IOcppMessage message)
    {
        var written = JsonTestHelpers.Write(message);
        var writtenText = Encoding.UTF8.GetString(written);
        var oracle = Oracle.Validate(c.FileName, writtenText);
        if (oracle.Count > 0)
        {
            return $"NJsonSchema rejects our written JSON {writtenText}: " + string.Join("; ", oracle);
        }

        var root = SchemaRepository.Load(c.FileName);
        var writtenNode = JsonNode.Parse(written)!;
        try
        {
            JsonTestHelpers.AssertNoWhitespace(written);
            JsonTestHelpers.AssertSchemaOrder(root, root, writtenNode);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            return $"written {writtenText}: {e.Message}";
        }

        var difference = Difference(root, root, JsonNode.Parse(c.Json), writtenNode, "$");
        if (difference is not null)
        {
            return $"written {writtenText} differs from the input at {difference}";
        }

        var reader = SchemaRepository.ReaderFor(c.FileName);
        if (!reader(written, null, out var again, out var violation))
        {
            return $"our reader rejects our own output {writtenText}: {violation}";
        }

        var rewritten = JsonTestHelpers.Write(again);
        if (!rewritten.AsSpan().SequenceEqual(written))
        {
            return $"writing is not idempotent: {writtenText} then {Encoding.UTF8.GetString(rewritten)}";
        }

        if (!reader(rewritten, null, out var third, out _) || !again.Equals(third) || !third.Equals(again))
        {
            return $"read → write → read does not give an equal value for {writtenText}";
        }

        return null;
    }

    private static string? Difference(JsonObject root, JsonObject schema, JsonNode? expected, JsonNode? actual, string path)
    {
        var s = SchemaNode.Resolve(root, schema);
        switch (SchemaNode.Type(s))
        {
            case "object":
                var e = expected!.AsObject();
                var a = actual!.AsObject();
                var names = e.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
                if (!names.SequenceEqual(a.Select(p => p.Key).Order(StringComparer.Ordinal)))
                {
                    return $"{path}: properties {string.Join(",", names)} became {string.Join(",", a.Select(p => p.Key))}";
                }

                var props = SchemaNode.Properties(root, s).ToDictionary(p => p.Name, p => p.Schema);
                return names.Select(n => Difference(root, props[n], e[n], a[n], path + "." + n)).FirstOrDefault(d => d is not null);
            case "array":
                var ea = expected!.AsArray();
                var aa = actual!.AsArray();
                if (ea.Count != aa.Count)
                {
                    return $"{path}: {ea.Count} items became {aa.Count}";
                }

                var items = SchemaNode.Items(root, s);
                return Enumerable.Range(0, ea.Count).Select(i => Difference(root, items, ea[i], aa[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            case "integer" or "number":
                var ed = decimal.Parse(expected!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                var ad = decimal.Parse(actual!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                return ed == ad ? null : $"{path}: {ed} became {ad}";
            case "boolean":
                return expected!.GetValue<bool>() == actual!.GetValue<bool>() ? null : $"{path}: boolean changed";
            default:
                var es = expected!.GetValue<string>();
                var @as = actual!.GetValue<string>();
                if (SchemaNode.Format(s) == "date-time")
                {
                    if (!CanonicalDateTime.IsMatch(@as))
                    {
                        return $"{path}: {@as} is not UTC with milliseconds and Z";
                    }

                    var instant = DateTimeOffset.ParseExact(es, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None).UtcDateTime;
                    var canonical = SampleGenerator.Canonical(new DateTime(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc));
                    return @as == canonical ? null : $"{path}: {es} written as {@as}, expected {canonical}";
                }

                return string.Equals(es, @as, StringComparison.Ordinal) ? null : $"{path}: {JsonSerializer.Serialize(es)} became {JsonSerializer.Serialize(@as)}";
        }
    }

    private void Run(string fileName, IReadOnlyList<DiffCase> cases)
    {
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            string? failure;
            try
            {
                failure = Check(cases[i]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = "threw " + e;
            }

            if (failure is not null)
            {
                failures.Add($"  case #{i}: {CaseGen.Describe(cases[i])}\n    {failure}");
            }
        }

        output.WriteLine($"{fileName}: {cases.Count} cases, {failures.Count} failing; {DiffSettings.Replay}");
        foreach (var sample in cases.Take(3))
        {
            output.WriteLine("  e.g. " + CaseGen.Describe(sample));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases of {fileName} disagree; {DiffSettings.Replay}\n" + string.Join("\n", failures.Take(15)));
    }
}
