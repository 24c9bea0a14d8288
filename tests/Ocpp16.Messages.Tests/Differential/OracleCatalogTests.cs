using System.Text;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>
/// The deterministic samples and mutation catalog of Infrastructure/ put before the oracle too: NJsonSchema must accept the
/// minimal and full samples of every schema and reject every catalog mutation at the catalog's path with a kind that maps
/// to the catalog's code, except the catalog's MalformedDateTime value (<c>2026-11-21 10:15:30</c>), which NJsonSchema
/// accepts (see <see cref="KnownDifferencesTests.DateTime_NotRfc3339_NJsonSchemaAccepts_WeReject"/>).
/// </summary>
public sealed class OracleCatalogTests
{
    public static IEnumerable<object[]> SchemaFiles() => SchemaRepository.AllFileNames();

    public static IEnumerable<object[]> AgreedMutations()
        => MutationCatalog.All.Where(m => m.Kind != MutationKind.MalformedDateTime).Select(m => new object[] { m.FileName, m.Id });

    public static IEnumerable<object[]> MalformedDateTimeMutations() => MutationCatalog.Rows(MutationKind.MalformedDateTime);

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Samples_AreValidForTheOracle(string fileName)
    {
        Assert.Empty(Oracle.Validate(fileName, SampleGenerator.Minimal(fileName).ToJsonString()));
        Assert.Empty(Oracle.Validate(fileName, SampleGenerator.Full(fileName).ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(AgreedMutations))]
    public void CatalogMutation_OracleAgrees(string fileName, string id)
    {
        var mutation = MutationCatalog.Find(fileName, id);
        var json = mutation.Apply().ToJsonString();
        var c = new DiffCase(fileName, DiffMutation.WrongType, json, mutation.ExpectedPath, mutation.ExpectedCode, id);
        Assert.Null(DifferentialTests.Check(c));
    }

    [Theory]
    [MemberData(nameof(MalformedDateTimeMutations))]
    public void CatalogMalformedDateTime_IsAKnownDifference(string fileName, string id)
    {
        var mutation = MutationCatalog.Find(fileName, id);
        var json = mutation.Apply().ToJsonString();
        Assert.Empty(Oracle.Validate(fileName, json));
        var ok = SchemaRepository.ReaderFor(fileName)(Encoding.UTF8.GetBytes(json), null, out _, out var violation);
        Assert.False(ok);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal(mutation.ExpectedPath, violation.Path);
    }
}
