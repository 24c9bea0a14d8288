using System.Globalization;
using Microsoft.CodeAnalysis;
using Ocpp16.Messages.Generator.Tests.Infrastructure;

namespace Ocpp16.Messages.Generator.Tests;

/// <summary>Schema problems are reported as OCPPGEN diagnostics naming the file; the generator never throws.</summary>
public sealed class DiagnosticTests
{
    private const string EmptyObject = """{ "type": "object", "properties": {}, "additionalProperties": false }""";

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{ \"type\": \"object\", }")]
    [InlineData("{ \"type\": \"object\" } trailing")]
    [InlineData("[ \"not\", \"an\", \"object\" ]")]
    [InlineData("\"just a string\"")]
    public void MalformedSchema_ReportsOcppGen001_AsErrorNamingTheFile(string text)
    {
        var result = GeneratorHarness.Run(new[] { GeneratorHarness.Schema("Broken.json", text) });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("OCPPGEN001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("Broken.json: ", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(Location.None, d.Location);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void MalformedSchema_AmongTheOfficialOnes_IsReported_AndTheRestIsStillGenerated()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Schemas.Append(GeneratorHarness.Schema("Broken.json", "{ not json")));

        var d = Assert.Single(result.Diagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OCPPGEN001", d.Id);
        Assert.Contains("Broken.json", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(92, result.GeneratedSources.Length);
    }

    [Fact]
    public void NestedObjectWithoutSpecificationName_ReportsOcppGen011()
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Foo.json", """{ "type": "object", "properties": { "mystery": { "type": "object", "properties": {}, "additionalProperties": false } }, "additionalProperties": false }"""),
            GeneratorHarness.Schema("FooResponse.json", EmptyObject),
        });

        var d = Assert.Single(result.Diagnostics, x => x.Id == "OCPPGEN011");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("Foo.json: ", message, StringComparison.Ordinal);
        Assert.Contains("Foo/mystery", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionNotInTheCatalog_ReportsOcppGen004()
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Foo.json", EmptyObject),
            GeneratorHarness.Schema("FooResponse.json", EmptyObject),
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("OCPPGEN004", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Foo.json: Action 'Foo' is not in the OCPP 1.6 action catalog.", d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void ActionNotInTheCatalog_AmongTheOfficialOnes_IsNotAddedToTheCatalog()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Schemas
            .Append(GeneratorHarness.Schema("Foo.json", EmptyObject))
            .Append(GeneratorHarness.Schema("FooResponse.json", EmptyObject)));

        Assert.Equal("OCPPGEN004", Assert.Single(result.Diagnostics, x => x.Severity == DiagnosticSeverity.Error).Id);
        var catalog = GeneratorHarness.SourcesByHint(result)["OcppActions.g.cs"];
        Assert.DoesNotContain("\"Foo\"", catalog, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestWithoutResponse_ReportsOcppGen003()
    {
        var result = GeneratorHarness.Run(new[] { GeneratorHarness.Schema("Heartbeat.json", EmptyObject) });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("OCPPGEN003", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Heartbeat.json: Action 'Heartbeat' has a request schema but no response schema.", d.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void OfficialRequestWithoutItsResponse_ReportsOcppGen003_AndDropsTheAction()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Schemas.Where(s => !s.Path.EndsWith("/HeartbeatResponse.json", StringComparison.Ordinal)));

        var d = Assert.Single(result.Diagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("OCPPGEN003", d.Id);
        Assert.StartsWith("Heartbeat.json: ", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain("OcppActionInfo Heartbeat ", GeneratorHarness.SourcesByHint(result)["OcppActions.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedMultipleOf_ReportsOcppGen008()
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Heartbeat.json", """{ "type": "object", "properties": { "half": { "type": "number", "multipleOf": 0.5 } }, "additionalProperties": false }"""),
            GeneratorHarness.Schema("HeartbeatResponse.json", EmptyObject),
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("OCPPGEN008", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("Heartbeat.json: ", message, StringComparison.Ordinal);
        Assert.Contains("Heartbeat/half", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SupportedMultipleOf_ReportsNothing()
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Heartbeat.json", """{ "type": "object", "properties": { "tenth": { "type": "number", "multipleOf": 0.1 } }, "additionalProperties": false }"""),
            GeneratorHarness.Schema("HeartbeatResponse.json", EmptyObject),
        });

        Assert.Empty(result.Diagnostics);
        Assert.Contains("ReadDecimal(ref reader, ref state, \"\", true, out", GeneratorHarness.SourcesByHint(result)["OcppCodec.Shapes.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void AdditionalPropertiesNotFalse_ReportsOcppGen005_AsInfoOnly()
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Heartbeat.json", """{ "type": "object", "properties": {} }"""),
            GeneratorHarness.Schema("HeartbeatResponse.json", EmptyObject),
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("OCPPGEN005", d.Id);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.NotEmpty(result.GeneratedSources);
    }

    [Theory]
    [InlineData("""{ "type": "object", "properties": {}, "required": ["missing"], "additionalProperties": false }""", "OCPPGEN006")]
    [InlineData("""{ "type": "object", "properties": { "r": { "$ref": "#/definitions/Nope" } }, "additionalProperties": false }""", "OCPPGEN007")]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "array" } }, "additionalProperties": false }""", "OCPPGEN009")]
    [InlineData("""{ "type": "object", "properties": { "n": { "type": "null" } }, "additionalProperties": false }""", "OCPPGEN010")]
    public void OtherSchemaProblems_ReportTheirIds(string heartbeat, string id)
    {
        var result = GeneratorHarness.Run(new[]
        {
            GeneratorHarness.Schema("Heartbeat.json", heartbeat),
            GeneratorHarness.Schema("HeartbeatResponse.json", EmptyObject),
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("Heartbeat.json: ", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentShapesOfOneType_ReportOcppGen002()
    {
        // IdTagInfo with an extra property differs from the official IdTagInfo in Authorize.conf.
        var authorizeResponse = GeneratorHarness.Schemas.Single(s => s.Path.EndsWith("/AuthorizeResponse.json", StringComparison.Ordinal));
        var startResponse = GeneratorHarness.Schema(
            "StartTransactionResponse.json",
            """{ "type": "object", "properties": { "idTagInfo": { "type": "object", "properties": { "status": { "type": "string", "enum": ["Accepted"] }, "extra": { "type": "integer" } }, "additionalProperties": false }, "transactionId": { "type": "integer" } }, "additionalProperties": false }""");

        var result = GeneratorHarness.Run(new AdditionalText[] { authorizeResponse, startResponse });

        var d = Assert.Single(result.Diagnostics, x => x.Id == "OCPPGEN002");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("StartTransactionResponse.json: ", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/x/NotSchemas/Broken.json")]
    [InlineData("/x/Schemas/Nested/Broken.json")]
    [InlineData("/x/Schemas/Broken.txt")]
    [InlineData("/x/Schemas.json")]
    [InlineData("Broken.json")]
    public void FilesOutsideASchemasFolder_OrNotJson_AreIgnored(string path)
    {
        var result = GeneratorHarness.Run(new[] { new InMemoryAdditionalText(path, "{ not json") });

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void NonSchemaFiles_DoNotAffectTheOfficialOutput()
    {
        var expected = GeneratorHarness.SourcesByHint(GeneratorHarness.Run(GeneratorHarness.Schemas));
        var result = GeneratorHarness.Run(GeneratorHarness.Schemas
            .Append(new InMemoryAdditionalText("/x/Other/Foo.json", EmptyObject))
            .Append(new InMemoryAdditionalText("/x/Schemas/PROVENANCE.md", "# not a schema")));

        Assert.Empty(result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Equal(expected, GeneratorHarness.SourcesByHint(result));
    }

    [Fact]
    public void NoSchemas_GenerateNothing()
    {
        var result = GeneratorHarness.Run(Array.Empty<AdditionalText>());

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }
}
