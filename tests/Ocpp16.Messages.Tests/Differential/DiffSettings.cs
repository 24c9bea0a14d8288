using System.Globalization;
using System.Text;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>
/// Seed and case counts of the differential suite. Fixed by default so that every run checks the same cases; set
/// <c>OCPP16_DIFF_SEED</c> (an unsigned integer) to explore other cases or to replay a reported failure, and
/// <c>OCPP16_DIFF_VALID</c> / <c>OCPP16_DIFF_MUTATED</c> / <c>OCPP16_DIFF_PER_KIND</c> for more cases per schema.
/// </summary>
internal static class DiffSettings
{
    public const ulong DefaultSeed = 20261121;

    public static ulong BaseSeed { get; } = ulong.TryParse(Environment.GetEnvironmentVariable("OCPP16_DIFF_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;

    public static int ValidPerSchema { get; } = Count("OCPP16_DIFF_VALID", 20);

    public static int MutatedPerSchema { get; } = Count("OCPP16_DIFF_MUTATED", 40);

    public static int FocusedPerKind { get; } = Count("OCPP16_DIFF_PER_KIND", 6);

    /// <summary>FsCheck's size parameter (bounds <c>ListOf</c>).</summary>
    public const int Size = 8;

    /// <summary>The seed of one schema's cases: the base seed mixed with a stable hash of the file name.</summary>
    public static ulong SeedFor(string fileName, int stream)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(fileName))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return BaseSeed ^ hash ^ ((ulong)stream * 0x9E3779B97F4A7C15UL);
    }

    public static string Replay => $"base seed {BaseSeed} (replay with OCPP16_DIFF_SEED={BaseSeed})";

    private static int Count(string variable, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
