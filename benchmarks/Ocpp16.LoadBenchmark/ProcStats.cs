using System.Globalization;

namespace Ocpp16.LoadBenchmark;

/// <summary>Reads a process's CPU time and resident memory from /proc (Linux).</summary>
internal static class ProcStats
{
    /// <summary>USER_HZ is 100 on every Linux architecture we run on (getconf CLK_TCK).</summary>
    public const double MicrosecondsPerTick = 10_000;

    /// <summary>utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat).</summary>
    public static long ReadCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS in KiB from /proc/PID/status.</summary>
    public static long ReadRssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
