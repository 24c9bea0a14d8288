using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Ocpp16.Messages.Generator.Tests.Infrastructure;

namespace Ocpp16.Messages.Generator.Tests;

/// <summary>
/// The pipeline caches: it depends only on the schema texts (never on the compilation), and its model is equatable, so
/// an edit that does not change the model (whitespace) stops at the model step and leaves the outputs cached.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly IncrementalStepRunReason[] CachedOrUnchanged = { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged };

    [Fact]
    public void FirstRun_ReportsNewOutputs()
    {
        var result = GeneratorHarness.Single(GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(GeneratorHarness.CreateHostCompilation()));

        var output = OutputSteps(result);
        Assert.NotEmpty(output);
        Assert.All(output.SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.New, o.Reason));
        Assert.Equal(92, result.GeneratedSources.Length);
    }

    [Fact]
    public void SecondRun_WithSameCompilationAndTexts_IsFullyCached()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);
        var first = GeneratorHarness.SourcesByHint(GeneratorHarness.Single(driver));

        driver = driver.RunGenerators(compilation);
        var second = GeneratorHarness.Single(driver);

        AssertAllStepsCachedOrUnchanged(second);
        Assert.All(OutputSteps(second).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first, GeneratorHarness.SourcesByHint(second));
    }

    [Fact]
    public void ChangingAnUnrelatedSyntaxTree_LeavesOutputsCached()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);
        var first = GeneratorHarness.SourcesByHint(GeneratorHarness.Single(driver));

        var oldTree = compilation.SyntaxTrees.Single();
        var edited = compilation
            .ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText("namespace Host { internal static class Unrelated { internal const int Value = 2; } }", path: oldTree.FilePath))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Host { internal sealed class Added { } }", path: "Added.cs"));
        driver = driver.RunGenerators(edited);
        var second = GeneratorHarness.Single(driver);

        AssertAllStepsCachedOrUnchanged(second);
        Assert.All(OutputSteps(second).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first, GeneratorHarness.SourcesByHint(second));
    }

    [Fact]
    public void ChangingParseOptions_LeavesOutputsCached()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);

        driver = driver
            .WithUpdatedParseOptions(new CSharpParseOptions(LanguageVersion.CSharp12, preprocessorSymbols: new[] { "SOMETHING" }))
            .RunGenerators(compilation);

        Assert.All(OutputSteps(GeneratorHarness.Single(driver)).SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, CachedOrUnchanged));
    }

    [Fact]
    public void WhitespaceOnlySchemaEdit_ReRunsTheParser_ButTheEqualModelKeepsOutputsCached()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);
        var first = GeneratorHarness.SourcesByHint(GeneratorHarness.Single(driver));

        var boot = GeneratorHarness.Schemas.Single(s => s.Path.EndsWith("/BootNotification.json", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(boot, new InMemoryAdditionalText(boot.Path, boot.Content.Replace("{", "{ ", StringComparison.Ordinal) + " \n"));
        driver = driver.RunGenerators(compilation);
        var second = GeneratorHarness.Single(driver);

        // The edited file flows through the pipeline (its text and the collected set are Modified) ...
        var all = AllSteps(second);
        Assert.Contains(all, s => s.Outputs.Any(o => o.Reason == IncrementalStepRunReason.Modified));

        // ... the parser re-runs and produces a model equal to the previous one (Unchanged, not Modified) ...
        var modelSteps = OutputSteps(second).SelectMany(s => s.Inputs).Select(i => i.Source).Distinct().ToList();
        var model = Assert.Single(modelSteps);
        Assert.All(model.Outputs, o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.Contains(model.Inputs.Select(i => i.Source), s => s.Outputs.Any(o => o.Reason == IncrementalStepRunReason.Modified));

        // ... so the source output does not run again. (A model without value equality would make this Modified.)
        Assert.All(OutputSteps(second).SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, CachedOrUnchanged));
        Assert.Equal(first, GeneratorHarness.SourcesByHint(second));
    }

    [Fact]
    public void SameTextInANewAdditionalTextInstance_IsUnchanged()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);

        var boot = GeneratorHarness.Schemas.Single(s => s.Path.EndsWith("/BootNotification.json", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(boot, new InMemoryAdditionalText(boot.Path, boot.Content));
        driver = driver.RunGenerators(compilation);
        var second = GeneratorHarness.Single(driver);

        // The per-file record (name, text) compares by value, so nothing downstream of the file step changes.
        var model = Assert.Single(OutputSteps(second).SelectMany(s => s.Inputs).Select(i => i.Source).Distinct());
        Assert.All(model.Outputs, o => Assert.Contains(o.Reason, CachedOrUnchanged));
        Assert.All(OutputSteps(second).SelectMany(s => s.Outputs), o => Assert.Contains(o.Reason, CachedOrUnchanged));
    }

    [Fact]
    public void MeaningfulSchemaEdit_RegeneratesOnlyTheAffectedSources()
    {
        var compilation = GeneratorHarness.CreateHostCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.Schemas).RunGenerators(compilation);
        var first = GeneratorHarness.SourcesByHint(GeneratorHarness.Single(driver));

        var boot = GeneratorHarness.Schemas.Single(s => s.Path.EndsWith("/BootNotification.json", StringComparison.Ordinal));
        var edited = ReplaceFirstMaxLength(boot.Content, "chargePointVendor", 20, 25);
        driver = driver.ReplaceAdditionalText(boot, new InMemoryAdditionalText(boot.Path, edited));
        driver = driver.RunGenerators(compilation);
        var second = GeneratorHarness.Single(driver);

        var model = Assert.Single(OutputSteps(second).SelectMany(s => s.Inputs).Select(i => i.Source).Distinct());
        Assert.All(model.Outputs, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.All(OutputSteps(second).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));

        var after = GeneratorHarness.SourcesByHint(second);
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        var changed = first.Keys.Where(k => first[k] != after[k]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "BootNotificationRequest.g.cs", "OcppCodec.Shapes.g.cs" }, changed);
        Assert.Contains("ReadString(ref reader, ref state, \"\", 25, out", after["OcppCodec.Shapes.g.cs"], StringComparison.Ordinal);
    }

    private static string ReplaceFirstMaxLength(string schema, string property, int from, int to)
    {
        var at = schema.IndexOf("\"" + property + "\"", StringComparison.Ordinal);
        Assert.True(at >= 0);
        var old = "\"maxLength\": " + from;
        var max = schema.IndexOf(old, at, StringComparison.Ordinal);
        Assert.True(max > at);
        return string.Concat(schema.AsSpan(0, max), "\"maxLength\": " + to, schema.AsSpan(max + old.Length));
    }

    private static List<IncrementalGeneratorRunStep> OutputSteps(GeneratorRunResult result)
        => result.TrackedOutputSteps.SelectMany(kv => kv.Value).ToList();

    /// <summary>Every step reachable from the outputs and every named step.</summary>
    private static List<IncrementalGeneratorRunStep> AllSteps(GeneratorRunResult result)
    {
        var seen = new HashSet<IncrementalGeneratorRunStep>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<IncrementalGeneratorRunStep>(OutputSteps(result).Concat(result.TrackedSteps.SelectMany(kv => kv.Value)));
        while (stack.Count > 0)
        {
            var step = stack.Pop();
            if (!seen.Add(step))
            {
                continue;
            }

            foreach (var (source, _) in step.Inputs)
            {
                stack.Push(source);
            }
        }

        return seen.ToList();
    }

    private static void AssertAllStepsCachedOrUnchanged(GeneratorRunResult result)
    {
        var steps = AllSteps(result);
        Assert.NotEmpty(steps);
        Assert.Contains(result.TrackedSteps.Keys, k => k == "AdditionalTexts");
        foreach (var step in steps)
        {
            Assert.All(step.Outputs, o => Assert.True(CachedOrUnchanged.Contains(o.Reason), (step.Name ?? "(unnamed step)") + " was " + o.Reason));
        }
    }
}
