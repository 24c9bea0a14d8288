using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Ocpp16.Messages.Generator.Tests.Infrastructure;

namespace Ocpp16.Messages.Generator.Tests;

/// <summary>The generated sources compile together with the hand-written part of Ocpp16.Messages.</summary>
public sealed class CompilationTests
{
    /// <summary>The SDK's implicit usings for Microsoft.NET.Sdk (the library builds with ImplicitUsings enabled).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    [Fact]
    public void GeneratedSources_CompileWithTheHandWrittenLibrary()
    {
        var compilation = BuildLibrary(GeneratorHarness.Run(GeneratorHarness.Schemas), out var handWrittenCount);

        Assert.True(handWrittenCount > 0);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Take(30)));
    }

    [Fact]
    public void GeneratedSources_CompileWithoutWarnings_IncludingDocumentationAndNullability()
    {
        // The library builds with TreatWarningsAsErrors and GenerateDocumentationFile, so generated code must be warning-free.
        var compilation = BuildLibrary(GeneratorHarness.Run(GeneratorHarness.Schemas), out _);

        var generatedWarnings = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generatedWarnings.Count == 0, string.Join(Environment.NewLine, generatedWarnings.Take(30)));
    }

    [Fact]
    public void GeneratedCatalog_ExposesAll39Actions_WhenCompiled()
    {
        var compilation = BuildLibrary(GeneratorHarness.Run(GeneratorHarness.Schemas), out _);

        var actions = compilation.GetTypeByMetadataName("Ocpp16.Messages.OcppActions");
        Assert.NotNull(actions);
        var infoType = compilation.GetTypeByMetadataName("Ocpp16.Messages.OcppActionInfo");
        Assert.NotNull(infoType);
        var actionProperties = actions.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.IsStatic && SymbolEqualityComparer.Default.Equals(p.Type, infoType))
            .ToList();
        Assert.Equal(39, actionProperties.Count);

        foreach (var property in actionProperties)
        {
            var request = compilation.GetTypeByMetadataName("Ocpp16.Messages." + property.Name + "Request");
            var response = compilation.GetTypeByMetadataName("Ocpp16.Messages." + property.Name + "Response");
            Assert.NotNull(request);
            Assert.NotNull(response);
        }
    }

    private static CSharpCompilation BuildLibrary(GeneratorRunResult generated, out int handWrittenCount)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Diagnose);
        var libraryDir = Path.Combine(GeneratorHarness.FindRepositoryRoot(), "src", "Ocpp16.Messages");
        var handWritten = Directory.EnumerateFiles(libraryDir, "*.cs", SearchOption.AllDirectories)
            .Where(f =>
            {
                var relative = Path.GetRelativePath(libraryDir, f).Replace('\\', '/');
                return !relative.StartsWith("obj/", StringComparison.Ordinal) && !relative.StartsWith("bin/", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parseOptions, path: f))
            .ToList();
        handWrittenCount = handWritten.Count;

        var trees = handWritten
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, path: "GlobalUsings.g.cs"))
            .Concat(generated.GeneratedSources.Select(s => CSharpSyntaxTree.ParseText(s.SourceText, parseOptions, path: s.HintName)));

        return CSharpCompilation.Create(
            "Ocpp16.Messages",
            trees,
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
