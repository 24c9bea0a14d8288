using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ocpp16.LoadBenchmark;

/// <summary>
/// The `run` role: for each scenario and each server kind, starts a fresh server pinned to core 0 and the load generator
/// pinned to core 1 (taskset), collects the load generator's RESULT line and prints the table and the ratios.
/// </summary>
internal static class Orchestrator
{
    private static readonly string[] s_allKinds = ["ocpp16", "ceiling", "ocpp-rpc", "minimalcsms"];
    private static readonly string[] s_allScenarios = ["idle5000", "closed1000", "closed5000", "paced5000", "commands1000"];

    private sealed record Scenario(string Name, string Mode, int Stations);

    /// <summary>
    /// Gen0 budget of the .NET servers in MiB (<c>DOTNET_GCgen0size</c>), the same for the library's server and the
    /// ceiling; 0 leaves the runtime's default. See the load benchmark section of benchmarks/README.md for why.
    /// </summary>
    private static int s_gen0MiB;

    public static async Task<int> RunAsync(Args options)
    {
        var quick = options.Has("quick");
        s_gen0MiB = options.GetInt("gen0-mib", 0);
        var repeat = Math.Max(1, options.GetInt("repeat", 1));
        var duration = options.GetDouble("duration", quick ? 5 : 15);
        var warmup = options.GetDouble("warmup", quick ? 2 : 10);
        var kinds = options.Get("kinds", string.Join(',', s_allKinds)).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var scenarios = options.Get("scenarios", string.Join(',', s_allScenarios)).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => ParseScenario(name, quick ? 10 : 1)).ToList();
        var taskset = FindOnPath("taskset");
        if (taskset is null)
        {
            Console.Error.WriteLine("[run] taskset not found: processes run UNPINNED (server and load generator share both cores)");
        }

        var interop = FindInteropDirectory();
        if (kinds.Contains("ocpp-rpc"))
        {
            if (interop is null || FindOnPath("node") is null)
            {
                Console.Error.WriteLine("[run] node or tests/Ocpp16.IntegrationTests/interop not found: skipping ocpp-rpc");
                kinds = [.. kinds.Where(k => k != "ocpp-rpc")];
            }
            else if (!Directory.Exists(Path.Combine(interop, "node_modules", "ocpp-rpc")))
            {
                Console.Error.WriteLine("[run] npm ci in " + interop);
                using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = interop })!;
                await npm.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token).ConfigureAwait(false);
            }
        }

        Console.Error.WriteLine($"[run] {Environment.ProcessorCount} cores; taskset {(taskset is null ? "missing" : "server -c 0, load -c 1")}; duration {duration} s, warm-up at least {warmup} s and until the JIT has settled (at most 120 s); .NET servers' gen0 budget {(s_gen0MiB > 0 ? s_gen0MiB + " MiB" : "the runtime's default")}");
        var results = new Dictionary<(string Scenario, string Kind), Dictionary<string, double>>();
        var allRuns = new Dictionary<(string Scenario, string Kind), List<Dictionary<string, double>>>();
        foreach (var scenario in scenarios)
        {
            // Repetitions alternate the servers, so slow drifts of the machine hit all of them alike; the reported row of
            // each server is its median run (by the scenario's key figure). ocpp-rpc and the idle scenario run once.
            for (var rep = 1; rep <= repeat; rep++)
            {
                foreach (var kind in kinds)
                {
                    if (rep > 1 && (kind == "ocpp-rpc" || scenario.Mode == "idle"))
                    {
                        continue;
                    }

                    // The commands scenario drives MinimalCsms's HTTP API: only that server has one.
                    if (scenario.Mode == "commands" && kind != "minimalcsms")
                    {
                        continue;
                    }

                    Console.Error.WriteLine($"[run] --- {scenario.Name} / {kind} (run {rep}) ---");
                    var r = await RunOneAsync(kind, scenario, duration, warmup, taskset, interop).ConfigureAwait(false);
                    if (r is not null)
                    {
                        if (!allRuns.TryGetValue((scenario.Name, kind), out var list))
                        {
                            allRuns[(scenario.Name, kind)] = list = [];
                        }

                        list.Add(r);
                        Console.Error.WriteLine("[run] " + string.Join(", ", r.Select(kv => $"{kv.Key}={kv.Value.ToString("0.###", CultureInfo.InvariantCulture)}")));
                    }

                    await Task.Delay(1000).ConfigureAwait(false);
                }
            }

            foreach (var kind in kinds)
            {
                if (allRuns.TryGetValue((scenario.Name, kind), out var list) && list.Count > 0)
                {
                    var key = KeyFigure(scenario.Mode);
                    var sorted = list.OrderBy(r => r.GetValueOrDefault(key, double.NaN)).ToList();
                    results[(scenario.Name, kind)] = sorted[(sorted.Count - 1) / 2];
                }
            }
        }

        var report = Report(scenarios, kinds, results) + RunsReport(scenarios, kinds, allRuns, repeat);
        Console.WriteLine(report);
        if (options.TryGet("out") is { } outPath)
        {
            await File.WriteAllTextAsync(outPath, report).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The figure a scenario's target is about, by which its repeated runs are ordered.</summary>
    private static string KeyFigure(string mode) => mode switch
    {
        "closed" => "callsPerSecond",
        "paced" => "p99Ms",
        "commands" => "commandP99Ms",
        _ => "idleBytesPerConnection",
    };

    private static string RunsReport(List<Scenario> scenarios, string[] kinds, Dictionary<(string Scenario, string Kind), List<Dictionary<string, double>>> allRuns, int repeat)
    {
        if (repeat <= 1)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Every run (the tables show each server's median run of {repeat}):");
        sb.AppendLine();
        foreach (var s in scenarios.Where(s => s.Mode != "idle"))
        {
            var key = KeyFigure(s.Mode);
            var parts = kinds.Where(k => allRuns.ContainsKey((s.Name, k)))
                .Select(k => $"{k} {string.Join(" / ", allRuns[(s.Name, k)].Select(r => r.GetValueOrDefault(key, double.NaN).ToString(key == "p99Ms" ? "0.00" : "N0", CultureInfo.InvariantCulture)))}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name} {(key == "p99Ms" ? "p99 ms" : "calls/s")}: {string.Join("; ", parts)}");
        }

        return sb.ToString();
    }

    private static Scenario ParseScenario(string name, int divisor)
    {
        var digits = name.IndexOfAny("0123456789".ToCharArray());
        var mode = name[..digits];
        var n = int.Parse(name[digits..], CultureInfo.InvariantCulture) / divisor;
        return new Scenario(name, mode, n);
    }

    private static async Task<Dictionary<string, double>?> RunOneAsync(string kind, Scenario scenario, double duration, double warmup, string? taskset, string? interop)
    {
        var port = FreePort();
        var self = SelfCommand();
        ProcessStartInfo serverInfo;
        string? dataDirectory = null;
        if (kind == "minimalcsms")
        {
            dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-bench-csms-" + Guid.NewGuid().ToString("N"));
            serverInfo = Pinned(taskset, "0",
            [
                "dotnet", MinimalCsmsAssembly(), "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory,
                "--Csms:MessageLogLength=0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            ]);
        }
        else if (kind == "ocpp-rpc")
        {
            serverInfo = Pinned(taskset, "0", ["node", "csms.js", "--port", port.ToString(CultureInfo.InvariantCulture), "--quiet"]);
            serverInfo.WorkingDirectory = interop!;
        }
        else
        {
            serverInfo = Pinned(taskset, "0", [.. self, "server", "--kind", kind, "--port", port.ToString(CultureInfo.InvariantCulture)]);
            if (s_gen0MiB > 0)
            {
                serverInfo.Environment["DOTNET_GCgen0size"] = ((long)s_gen0MiB * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
            }
        }

        serverInfo.RedirectStandardInput = true; // csms.js exits when its stdin closes: keep it open
        serverInfo.RedirectStandardOutput = true;
        using var server = Process.Start(serverInfo)!;
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("listening", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        server.BeginOutputReadLine();
        try
        {
            if (await Task.WhenAny(listening.Task, Task.Delay(30_000), server.WaitForExitAsync()).ConfigureAwait(false) != listening.Task)
            {
                Console.Error.WriteLine($"[run] {kind} server did not start");
                return null;
            }

            string[] loadArgs =
            [
                .. self, "load",
                "--url", $"ws://127.0.0.1:{port}/ocpp",
                "--stations", scenario.Stations.ToString(CultureInfo.InvariantCulture),
                "--mode", scenario.Mode,
                "--duration", duration.ToString(CultureInfo.InvariantCulture),
                "--warmup", warmup.ToString(CultureInfo.InvariantCulture),
                "--server-pid", server.Id.ToString(CultureInfo.InvariantCulture),
            ];
            if (kind is "ocpp16" or "ceiling")
            {
                loadArgs = [.. loadArgs, "--gc-url", $"http://127.0.0.1:{port}/gc"];
            }
            else if (kind == "minimalcsms")
            {
                // GC figures and the JIT-settled warm-up from the sample's GET /api/runtime.
                loadArgs = [.. loadArgs, "--stats-url", $"http://127.0.0.1:{port}/api/runtime"];
            }

            var parsed = await RunLoadGeneratorAsync(Pinned(taskset, "1", loadArgs), TimeSpan.FromSeconds(Math.Max(warmup, 120) + duration + 180)).ConfigureAwait(false);
            if (parsed is null)
            {
                return null;
            }

            if (kind == "minimalcsms")
            {
                // Every MeterValues answered must be in the database: its one meter value (with 4 sampled values) is a row.
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                using var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/stats")).ConfigureAwait(false));
                var rows = stats.RootElement.GetProperty("meterValueRows").GetInt64();
                parsed["meterValueRows"] = rows;
                parsed["commits"] = stats.RootElement.GetProperty("commits").GetInt64();
                parsed["writes"] = stats.RootElement.GetProperty("writes").GetInt64();
                var answered = parsed.GetValueOrDefault("meterValuesAnswered");
                parsed["persistedRatio"] = answered == 0 ? double.NaN : rows / answered;
            }

            return parsed;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync().ConfigureAwait(false);
            }

            if (dataDirectory is not null && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>Runs a load generator process and returns its RESULT line's figures (null when it gave none or ran past <paramref name="limit"/>: then it is killed).</summary>
    internal static async Task<Dictionary<string, double>?> RunLoadGeneratorAsync(ProcessStartInfo info, TimeSpan limit)
    {
        info.RedirectStandardOutput = true;
        using var load = Process.Start(info)!;
        string? resultLine = null;
        load.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                resultLine = line["RESULT ".Length..];
            }
        };
        load.BeginOutputReadLine();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await load.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("[run] load generator timed out; killing it");
            load.Kill(entireProcessTree: true);
            return null;
        }

        load.WaitForExit(); // flush the redirected output
        return resultLine is null ? null : JsonSerializer.Deserialize(resultLine, LoadJsonContext.Default.DictionaryStringDouble);
    }

    /// <summary>sh -c 'raise the open-files limit; exec taskset -c CORE command...' (pid = the command's pid after exec).</summary>
    internal static ProcessStartInfo Pinned(string? taskset, string core, string[] command)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$@\"");
        info.ArgumentList.Add("sh");
        if (taskset is not null)
        {
            info.ArgumentList.Add(taskset);
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(core);
        }

        foreach (var a in command)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    internal static string[] SelfCommand()
    {
        var host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(Orchestrator).Assembly.Location] : [host];
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    internal static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>samples/MinimalCsms built in this benchmark's configuration (the project references it, unreferenced).</summary>
    internal static string MinimalCsmsAssembly()
    {
        var configuration = typeof(Orchestrator).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "MinimalCsms", "bin", configuration, "net10.0", "MinimalCsms.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("samples/MinimalCsms is not built in " + configuration);
    }

    private static string? FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Ocpp16.IntegrationTests", "interop");
            if (File.Exists(Path.Combine(candidate, "csms.js")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Report(List<Scenario> scenarios, string[] kinds, Dictionary<(string Scenario, string Kind), Dictionary<string, double>> results)
    {
        var sb = new StringBuilder();
        string F(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);
        double Get(string scenario, string kind, string key) => results.TryGetValue((scenario, kind), out var r) && r.TryGetValue(key, out var v) ? v : double.NaN;

        sb.AppendLine("| Scenario | Server | calls/s | p50 ms | p99 ms | max ms | server CPU µs/call | server CPU % | load CPU % | server GC pause ms (gen0/1/2) | server alloc B/call | failures | connect+boot ms | connect failures | idle RSS Δ B/conn | warm-up s | server JIT methods in window | load generator GCs (pause ms) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in scenarios)
        {
            foreach (var k in kinds)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {s.Name} | {k} ");
                sb.Append(CultureInfo.InvariantCulture, $"| {F(Get(s.Name, k, "callsPerSecond"), "N0")} | {F(Get(s.Name, k, "p50Ms"), "0.00")} | {F(Get(s.Name, k, "p99Ms"), "0.00")} | {F(Get(s.Name, k, "maxMs"), "0.0")} ");
                sb.Append(CultureInfo.InvariantCulture, $"| {F(Get(s.Name, k, "serverCpuUsPerCall"), "0.0")} | {F(Get(s.Name, k, "serverCpuPercent"), "0")} | {F(Get(s.Name, k, "loadCpuPercent"), "0")} ");
                sb.Append(CultureInfo.InvariantCulture, $"| {F(Get(s.Name, k, "serverGcPauseMs"), "0")} ({F(Get(s.Name, k, "serverGen0"), "0")}/{F(Get(s.Name, k, "serverGen1"), "0")}/{F(Get(s.Name, k, "serverGen2"), "0")}) | {F(Get(s.Name, k, "serverAllocBytesPerCall"), "N0")} | {F(Get(s.Name, k, "failures"), "0")} ");
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {F(Get(s.Name, k, "connectBootMs"), "N0")} | {F(Get(s.Name, k, "connectFailures"), "0")} | {F(Get(s.Name, k, "idleBytesPerConnection"), "N0")} | {F(Get(s.Name, k, "warmupSeconds"), "0")} | {F(Get(s.Name, k, "serverJitMethodsInWindow"), "0")} | {F(Get(s.Name, k, "loadGcCount"), "0")} ({F(Get(s.Name, k, "loadGcPauseMs"), "0")}) |");
            }
        }

        if (kinds.Contains("minimalcsms"))
        {
            sb.AppendLine();
            sb.AppendLine("MinimalCsms persistence (every MeterValues answered carries one meter value of 4 sampled values: one row):");
            sb.AppendLine();
            foreach (var s in scenarios.Where(s => s.Mode is "closed" or "paced"))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: MeterValues answered {F(Get(s.Name, "minimalcsms", "meterValuesAnswered"), "N0")}, meter value rows {F(Get(s.Name, "minimalcsms", "meterValueRows"), "N0")} (ratio {F(Get(s.Name, "minimalcsms", "persistedRatio"), "0.0000")}), {F(Get(s.Name, "minimalcsms", "writes"), "N0")} writes in {F(Get(s.Name, "minimalcsms", "commits"), "N0")} commits");
            }

            foreach (var s in scenarios.Where(s => s.Mode == "commands"))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: POST …/commands/Reset p50 {F(Get(s.Name, "minimalcsms", "commandP50Ms"), "0.00")} ms, p99 {F(Get(s.Name, "minimalcsms", "commandP99Ms"), "0.00")} ms net of the station's answer time ({F(Get(s.Name, "minimalcsms", "commandRawP99Ms"), "0.00")} ms raw), {F(Get(s.Name, "minimalcsms", "commandsPerSecond"), "N0")} commands/s; GET /api/transactions p50 {F(Get(s.Name, "minimalcsms", "getTransactionsP50Ms"), "0.00")} ms, p99 {F(Get(s.Name, "minimalcsms", "getTransactionsP99Ms"), "0.00")} ms; failures {F(Get(s.Name, "minimalcsms", "failures"), "0")}");
            }
        }

        sb.AppendLine();
        sb.AppendLine("Same-run ratios (ocpp16 vs the references):");
        sb.AppendLine();
        foreach (var s in scenarios)
        {
            switch (s.Mode)
            {
                case "closed":
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: server CPU per call ocpp16/ceiling = {F(Get(s.Name, "ocpp16", "serverCpuUsPerCall") / Get(s.Name, "ceiling", "serverCpuUsPerCall"), "0.00")}× (target ≤ 1.25×); minimalcsms calls/s / ceiling = {F(Get(s.Name, "minimalcsms", "callsPerSecond") / Get(s.Name, "ceiling", "callsPerSecond"), "0.00")}× (target ≥ 0.5× at 1000 stations), CPU per call minimalcsms/ceiling = {F(Get(s.Name, "minimalcsms", "serverCpuUsPerCall") / Get(s.Name, "ceiling", "serverCpuUsPerCall"), "0.00")}×");
                    var o = Get(s.Name, "ocpp16", "callsPerSecond");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: calls/s ocpp16/ceiling = {F(o / Get(s.Name, "ceiling", "callsPerSecond"), "0.00")}× (target ≥ 0.80), ocpp16/ocpp-rpc = {F(o / Get(s.Name, "ocpp-rpc", "callsPerSecond"), "0.00")}×, ocpp-rpc/ceiling = {F(Get(s.Name, "ocpp-rpc", "callsPerSecond") / Get(s.Name, "ceiling", "callsPerSecond"), "0.00")}×");
                    break;
                case "paced":
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: p99 minimalcsms = {F(Get(s.Name, "minimalcsms", "p99Ms"), "0.00")} ms, minimalcsms/ceiling = {F(Get(s.Name, "minimalcsms", "p99Ms") / Get(s.Name, "ceiling", "p99Ms"), "0.00")}× (target ≤ 20 ms and ≤ 3×)");
                    var p = Get(s.Name, "ocpp16", "p99Ms");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: p99 ocpp16 = {F(p, "0.00")} ms, ceiling = {F(Get(s.Name, "ceiling", "p99Ms"), "0.00")} ms, ocpp-rpc = {F(Get(s.Name, "ocpp-rpc", "p99Ms"), "0.00")} ms; ocpp16/ceiling = {F(p / Get(s.Name, "ceiling", "p99Ms"), "0.00")}× (target ≤ 2× and ≤ 10 ms)");
                    break;
                case "idle":
                    var m = Get(s.Name, "ocpp16", "idleBytesPerConnection");
                    var c = Get(s.Name, "ceiling", "idleBytesPerConnection");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: idle RSS per connection ocpp16 = {F(m / 1024, "0.0")} KiB, ceiling = {F(c / 1024, "0.0")} KiB, ocpp-rpc = {F(Get(s.Name, "ocpp-rpc", "idleBytesPerConnection") / 1024, "0.0")} KiB; ocpp16 − ceiling = {F((m - c) / 1024, "0.0")} KiB (target ≤ 4 KiB, and below ocpp-rpc)");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: connect+boot minimalcsms = {F(Get(s.Name, "minimalcsms", "connectBootMs"), "N0")} ms, minimalcsms/ceiling = {F(Get(s.Name, "minimalcsms", "connectBootMs") / Get(s.Name, "ceiling", "connectBootMs"), "0.00")}× (target ≤ 1.5×; connect failures {F(Get(s.Name, "minimalcsms", "connectFailures"), "0")})");
                    var t = Get(s.Name, "ocpp16", "connectBootMs");
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: connect+boot of {s.Stations} stations ocpp16 = {F(t, "N0")} ms, ceiling = {F(Get(s.Name, "ceiling", "connectBootMs"), "N0")} ms, ocpp-rpc = {F(Get(s.Name, "ocpp-rpc", "connectBootMs"), "N0")} ms; ocpp16/ceiling = {F(t / Get(s.Name, "ceiling", "connectBootMs"), "0.00")}× (target ≤ 1.3×, no failure: ocpp16 connect failures = {F(Get(s.Name, "ocpp16", "connectFailures"), "0")})");
                    break;
            }
        }

        return sb.ToString();
    }
}
