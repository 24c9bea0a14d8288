using System.Text;
using Microsoft.CodeAnalysis;
using Ocpp16.Messages.Generator.Tests.Infrastructure;

namespace Ocpp16.Messages.Generator.Tests;

/// <summary>The same schemas give byte-identical sources, whatever the order or location of the AdditionalFiles.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void TwoRuns_ProduceByteIdenticalSources()
    {
        AssertIdentical(Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas)), Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas)));
    }

    [Fact]
    public void ReversedInputOrder_ProducesByteIdenticalSources()
    {
        var forward = Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas));
        var reversed = Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas.Reverse()));
        AssertIdentical(forward, reversed);
    }

    [Fact]
    public void ShuffledInputOrder_ProducesByteIdenticalSources()
    {
        var forward = Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas));
        var random = new Random(1606);
        for (var i = 0; i < 3; i++)
        {
            var shuffled = GeneratorHarness.Schemas.ToArray();
            random.Shuffle(shuffled);
            AssertIdentical(forward, Snapshot(GeneratorHarness.Run(shuffled)));
        }
    }

    [Fact]
    public void DifferentSchemaFolderLocation_ProducesByteIdenticalSources()
    {
        var forward = Snapshot(GeneratorHarness.Run(GeneratorHarness.Schemas));
        var moved = GeneratorHarness.Schemas.Select(s => new InMemoryAdditionalText("/elsewhere/deeper/Schemas/" + Path.GetFileName(s.Path), s.Content));
        AssertIdentical(forward, Snapshot(GeneratorHarness.Run(moved)));
    }

    private static List<(string Hint, byte[] Bytes)> Snapshot(GeneratorRunResult result)
    {
        Assert.NotEmpty(result.GeneratedSources);
        return result.GeneratedSources
            .Select(s => (s.HintName, (s.SourceText.Encoding ?? Encoding.UTF8).GetBytes(s.SourceText.ToString())))
            .ToList();
    }

    private static void AssertIdentical(List<(string Hint, byte[] Bytes)> expected, List<(string Hint, byte[] Bytes)> actual)
    {
        // Same files in the same order, each byte for byte.
        Assert.Equal(expected.Select(e => e.Hint), actual.Select(a => a.Hint));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Bytes.AsSpan().SequenceEqual(actual[i].Bytes), expected[i].Hint + " differs between runs.");
        }
    }
}
