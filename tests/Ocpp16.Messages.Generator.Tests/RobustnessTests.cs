using System.Globalization;
using Microsoft.CodeAnalysis;
using Ocpp16.Messages.Generator.Tests.Infrastructure;

namespace Ocpp16.Messages.Generator.Tests;

/// <summary>
/// A generator must not throw: an unexpected schema is reported as an OCPPGEN error naming the file, not as CS8785
/// ("generator failed", all output lost, no file named).
/// </summary>
public sealed class RobustnessTests
{
    private const string EmptyObject = """{ "type": "object", "properties": {}, "additionalProperties": false }""";

    // A non-integer maxLength/minItems literal (1.5, 2e1, 1.0, or a JSON string) is reported as OCPPGEN013.
    [Theory]
    [InlineData("""{ "type": "string", "maxLength": 1.5 }""")]
    [InlineData("""{ "type": "string", "maxLength": 2e1 }""")]
    [InlineData("""{ "type": "string", "maxLength": "twenty" }""")]
    [InlineData("""{ "type": "array", "items": { "type": "integer" }, "minItems": 1.0 }""")]
    public void NonIntegerMaxLengthOrMinItems_IsReportedAsDiagnostic_NotThrown(string property)
    {
        var reset = """{ "type": "object", "properties": { "p": """ + property + """ }, "additionalProperties": false }""";

        var driver = GeneratorHarness.CreateDriver(new[]
        {
            GeneratorHarness.Schema("Reset.json", reset),
            GeneratorHarness.Schema("ResetResponse.json", EmptyObject),
        }).RunGenerators(GeneratorHarness.CreateHostCompilation());
        var result = Assert.Single(driver.GetRunResult().Results);

        Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
        AssertErrorNamingFile(result, "Reset.json");
    }

    // An enum listing the empty string (valid JSON Schema, but no C# member name) is reported as OCPPGEN012.
    [Fact]
    public void EmptyEnumValue_IsReportedAsDiagnostic_NotThrown()
    {
        var reset = """{ "type": "object", "properties": { "type": { "type": "string", "enum": ["Hard", ""] } }, "additionalProperties": false }""";

        var driver = GeneratorHarness.CreateDriver(new[]
        {
            GeneratorHarness.Schema("Reset.json", reset),
            GeneratorHarness.Schema("ResetResponse.json", EmptyObject),
        }).RunGenerators(GeneratorHarness.CreateHostCompilation());
        var result = Assert.Single(driver.GetRunResult().Results);

        Assert.True(result.Exception is null, "The generator threw: " + result.Exception);
        AssertErrorNamingFile(result, "Reset.json");
    }

    private static void AssertErrorNamingFile(GeneratorRunResult result, string file)
        => Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error
            && d.Id.StartsWith("OCPPGEN", StringComparison.Ordinal)
            && d.GetMessage(CultureInfo.InvariantCulture).StartsWith(file + ": ", StringComparison.Ordinal));
}
