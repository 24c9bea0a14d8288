using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ocpp16.LoadBenchmark;

/// <summary>
/// The `routed` role (issue 13): two MinimalCsms nodes joined over RabbitMQ (<c>--ScaleOut:RabbitMq</c>, one shared
/// temporary data directory), N stations connected to node B answering every CALL at once, and 8 HTTP clients sending
/// <c>POST /api/chargepoints/{id}/commands/Reset</c> — through node B's API (local calls) or through node A's (each
/// call routed over the broker to B and its answer back). The two alternate on the same nodes and the same broker,
/// repeated; the report gives commands/s and p50/p99 of each and their ratios.
/// </summary>
internal static class RoutedBenchmark
{
    public static async Task<int> RunAsync(Args options)
    {
        if (options.TryGet("broker") is not { } broker)
        {
            Console.Error.WriteLine("routed needs --broker amqp://user:password@host:port/ (a RabbitMQ it may create exchanges on)");
            return 2;
        }

        var stations = options.GetInt("stations", 1000);
        var duration = options.GetDouble("duration", 15);
        var warmup = options.GetDouble("warmup", 20);
        var repeat = Math.Max(1, options.GetInt("repeat", 3));
        var exchange = "ocpp16-bench-" + Guid.NewGuid().ToString("N")[..8];
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-bench-cluster-" + Guid.NewGuid().ToString("N"));
        var (portA, portB) = (Orchestrator.FreePort(), Orchestrator.FreePort());
        Console.Error.WriteLine($"[routed] {Environment.ProcessorCount} cores, unpinned (RabbitMQ shares them); {stations} stations on node B; {duration} s windows after {warmup} s warm-up; {repeat} runs each");
        using var nodeA = StartNode("a", portA, broker, exchange, dataDirectory);
        using var nodeB = StartNode("b", portB, broker, exchange, dataDirectory);
        var runs = new List<(string Path, Dictionary<string, double> Result)>();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitForClusterAsync(http, portA).ConfigureAwait(false);
            await WaitForClusterAsync(http, portB).ConfigureAwait(false);
            for (var rep = 1; rep <= repeat; rep++)
            {
                foreach (var (path, apiPort) in new[] { ("local", portB), ("routed", portA) })
                {
                    Console.Error.WriteLine($"[routed] --- {path} (run {rep}) ---");
                    if (await RunLoadAsync(portB, apiPort, stations, duration, warmup, nodeB.Id).ConfigureAwait(false) is { } result)
                    {
                        runs.Add((path, result));
                        Console.Error.WriteLine("[routed] " + string.Join(", ", result.Select(kv => $"{kv.Key}={kv.Value.ToString("0.###", CultureInfo.InvariantCulture)}")));
                    }
                }
            }
        }
        finally
        {
            foreach (var node in new[] { nodeA, nodeB })
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                    await node.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        var report = Report(runs, stations, repeat);
        Console.WriteLine(report);
        if (options.TryGet("out") is { } outPath)
        {
            await File.WriteAllTextAsync(outPath, report).ConfigureAwait(false);
        }

        return 0;
    }

    private static Process StartNode(string id, int port, string broker, string exchange, string dataDirectory)
    {
        var info = Orchestrator.Pinned(null, "0",
        [
            "dotnet", Orchestrator.MinimalCsmsAssembly(), "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory,
            "--Csms:MessageLogLength=0", "--Logging:LogLevel:Default=Warning",
            "--ScaleOut:RabbitMq=" + broker, "--ScaleOut:NodeId=" + id, "--ScaleOut:Exchange=" + exchange,
        ]);
        info.RedirectStandardOutput = true;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.OrdinalIgnoreCase)))
            {
                Console.Error.WriteLine($"[node {id}] {line}");
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitForClusterAsync(HttpClient http, int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var cluster = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/cluster")).ConfigureAwait(false));
                if (cluster.RootElement.GetProperty("nodes").GetArrayLength() == 2)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Not up yet.
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"The node on port {port} did not see both nodes within 60 s.");
    }

    private static async Task<Dictionary<string, double>?> RunLoadAsync(int stationPort, int apiPort, int stations, double duration, double warmup, int serverPid)
    {
        string[] arguments =
        [
            .. Orchestrator.SelfCommand(), "load",
            "--url", $"ws://127.0.0.1:{stationPort}/ocpp",
            "--api", $"http://127.0.0.1:{apiPort}",
            "--stations", stations.ToString(CultureInfo.InvariantCulture),
            "--mode", "commands",
            "--duration", duration.ToString(CultureInfo.InvariantCulture),
            "--warmup", warmup.ToString(CultureInfo.InvariantCulture),
            "--server-pid", serverPid.ToString(CultureInfo.InvariantCulture),
        ];
        return await Orchestrator.RunLoadGeneratorAsync(Orchestrator.Pinned(null, "1", arguments), TimeSpan.FromSeconds(warmup + duration + 240)).ConfigureAwait(false);
    }

    private static string Report(List<(string Path, Dictionary<string, double> Result)> runs, int stations, int repeat)
    {
        static string F(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);
        Dictionary<string, double> Median(string path)
        {
            var list = runs.Where(r => r.Path == path).Select(r => r.Result).OrderBy(r => r.GetValueOrDefault("commandsPerSecond")).ToList();
            return list.Count == 0 ? [] : list[(list.Count - 1) / 2];
        }

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| Path ({stations} stations on node B, 8 HTTP clients; median of {repeat} runs by commands/s) | commands/s | p50 ms | p99 ms | p99 ms raw | failures |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var path in new[] { "local", "routed" })
        {
            var r = Median(path);
            var label = path == "local" ? "local: POST to node B (holds the stations)" : "routed: POST to node A → RabbitMQ → node B → back";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {F(r.GetValueOrDefault("commandsPerSecond", double.NaN), "N0")} | {F(r.GetValueOrDefault("commandP50Ms", double.NaN), "0.00")} | {F(r.GetValueOrDefault("commandP99Ms", double.NaN), "0.00")} | {F(r.GetValueOrDefault("commandRawP99Ms", double.NaN), "0.00")} | {F(r.GetValueOrDefault("failures", double.NaN), "0")} |");
        }

        var local = Median("local");
        var routed = Median("routed");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- routed/local: commands/s {F(routed.GetValueOrDefault("commandsPerSecond", double.NaN) / local.GetValueOrDefault("commandsPerSecond", double.NaN), "0.00")}×, p50 {F(routed.GetValueOrDefault("commandP50Ms", double.NaN) / local.GetValueOrDefault("commandP50Ms", double.NaN), "0.00")}×, p99 {F(routed.GetValueOrDefault("commandP99Ms", double.NaN) / local.GetValueOrDefault("commandP99Ms", double.NaN), "0.00")}× (p99 added by routing: {F(routed.GetValueOrDefault("commandP99Ms", double.NaN) - local.GetValueOrDefault("commandP99Ms", double.NaN), "0.00")} ms)");
        sb.AppendLine("- every run:");
        foreach (var (path, r) in runs)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  - {path}: {F(r.GetValueOrDefault("commandsPerSecond", double.NaN), "N0")} commands/s, p50 {F(r.GetValueOrDefault("commandP50Ms", double.NaN), "0.00")} ms, p99 {F(r.GetValueOrDefault("commandP99Ms", double.NaN), "0.00")} ms, failures {F(r.GetValueOrDefault("failures", double.NaN), "0")}");
        }

        return sb.ToString();
    }
}
