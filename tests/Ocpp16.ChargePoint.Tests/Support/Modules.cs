using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>A temporary folder for one test (the charge point's files folder), deleted with it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ocpp16-cp-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a transfer being cancelled: left for the OS to clean.
        }
    }
}

/// <summary>Options of a charge point with the Firmware Management and Security modules on fake transfers.</summary>
internal static class Modules
{
    public static Action<ChargePointOptions> With(FakeFileTransfer transfer, TempDirectory files, bool security = false, Action<ChargePointOptions>? configure = null) => o =>
    {
        o.FeatureProfiles.Add(OcppFeatureProfile.FirmwareManagement);
        if (security)
        {
            o.FeatureProfiles.Add(OcppFeatureProfile.Security);
        }

        o.FileTransfer = transfer;
        o.DataDirectory = files.Path;
        configure?.Invoke(o);
    };

    /// <summary>The statuses of the notifications of <paramref name="action"/> received from index <paramref name="from"/> on.</summary>
    public static IReadOnlyList<string> Statuses(this Rig rig, string action, int from = 0)
        => [.. rig.Cs.Calls.Skip(from).Where(c => c.Action == action).Select(c => c.Str("status"))];

    /// <summary>Waits (real time, bounded) until <paramref name="done"/> holds, moving virtual time by a second between checks.</summary>
    public static async Task AdvanceUntilAsync(this Rig rig, Func<bool> done, int maxSeconds = 120)
    {
        for (var i = 0; i < maxSeconds && !done(); i++)
        {
            await rig.AdvanceAsync(1);
        }

        Assert.True(done(), "The condition did not hold. Last calls:\n" + string.Join("\n", rig.Cs.Calls.TakeLast(20)));
    }
}
