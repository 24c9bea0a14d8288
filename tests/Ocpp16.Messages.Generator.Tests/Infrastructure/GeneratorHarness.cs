using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Ocpp16.Messages.Generator.Tests.Infrastructure;

/// <summary>Drives <see cref="OcppMessagesGenerator"/> with <see cref="CSharpGeneratorDriver"/> over in-memory inputs.</summary>
internal static class GeneratorHarness
{
    /// <summary>The folder the generator expects schema files in (the parent directory's name must be "Schemas").</summary>
    public const string SchemaFolder = "/virtual/Ocpp16.Messages/Schemas/";

    private static readonly Lazy<ImmutableArray<InMemoryAdditionalText>> OfficialSchemas = new(LoadOfficialSchemas);

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);

    /// <summary>The 78 official OCPP 1.6 schemas (copied next to the test assembly), ordered by file name.</summary>
    public static ImmutableArray<InMemoryAdditionalText> Schemas => OfficialSchemas.Value;

    /// <summary>Reference assemblies of the running shared framework (trusted platform assemblies under the runtime's folder).</summary>
    public static ImmutableArray<MetadataReference> References => FrameworkReferences.Value;

    public static InMemoryAdditionalText Schema(string fileName, string text) => new(SchemaFolder + fileName, text);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> texts)
        => CSharpGeneratorDriver.Create(
            new[] { new OcppMessagesGenerator().AsSourceGenerator() },
            additionalTexts: texts,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>A small compilation unrelated to the schemas; the generator must not depend on it.</summary>
    public static CSharpCompilation CreateHostCompilation(string source = "namespace Host { internal static class Unrelated { internal const int Value = 1; } }")
        => CSharpCompilation.Create(
            "Host",
            new[] { CSharpSyntaxTree.ParseText(source, path: "Unrelated.cs") },
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    /// <summary>Runs a fresh driver once over <paramref name="texts"/>; asserts that the generator did not throw.</summary>
    public static GeneratorRunResult Run(IEnumerable<AdditionalText> texts)
    {
        var driver = CreateDriver(texts).RunGenerators(CreateHostCompilation());
        return Single(driver);
    }

    public static GeneratorRunResult Single(GeneratorDriver driver)
    {
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        return result;
    }

    /// <summary>Hint name → source text of every generated file.</summary>
    public static Dictionary<string, string> SourcesByHint(GeneratorRunResult result)
        => result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp16.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ocpp16.sln not found above " + AppContext.BaseDirectory);
    }

    private static ImmutableArray<InMemoryAdditionalText> LoadOfficialSchemas()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Schemas");
        return Directory.GetFiles(dir, "*.json")
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .Select(f => Schema(Path.GetFileName(f), File.ReadAllText(f)))
            .ToImmutableArray();
    }

    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        var tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? throw new InvalidOperationException("No TRUSTED_PLATFORM_ASSEMBLIES.");
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
