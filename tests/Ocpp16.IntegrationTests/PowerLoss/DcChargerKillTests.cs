using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ocpp16.IntegrationTests.Interop;
using Xunit.Abstractions;

namespace Ocpp16.IntegrationTests.PowerLoss;

/// <summary>
/// Power-loss test of the DcCharger sample as a process: it charges against a recording Central System (ocpp-rpc in
/// strict mode, which validates every message against the official schemas and gives TransactionIds 1, 2, 3… without
/// recognising a resent StartTransaction) and is killed with SIGKILL at seeded random moments of its sessions, at
/// least 25 times, each time restarted on the same data directory. Over everything the Central System received, every
/// transaction is started and stopped exactly once, its MeterValues and StopTransaction carry the TransactionId of
/// the StartTransaction answer the charger journaled, meterStop ≥ meterStart, in order; the only message that arrives
/// twice after a kill is the one that was on the wire, byte for byte the same.
/// </summary>
public sealed partial class DcChargerKillTests(ITestOutputHelper output)
{
    private const string Identity = "KILL-1";
    private const int Kills = 25;

    [Fact]
    public async Task SigkillAtRandomMomentsOfChargingSessions_LosesAndDuplicatesNoTransactionMessage()
    {
        var seed = Environment.GetEnvironmentVariable("OCPP16_KILL_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 20261202;
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (set OCPP16_KILL_SEED to replay)");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-kill-" + Guid.NewGuid().ToString("N"));
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        await using var _ = csms;
        try
        {
            var tag = 0;
            for (var kill = 1; kill <= Kills; kill++)
            {
                await using var charger = DcChargerProcess.Start(port, Identity, dataDirectory);
                await charger.WaitForOutputAsync("started", TimeSpan.FromSeconds(30));

                // One or two sessions, on either connector, killed at a random moment: while starting, while charging
                // (meter values every second), while stopping, or just after.
                var connector = random.Next(1, 3);
                await charger.SendAsync($"plug {connector}");
                await charger.SendAsync($"swipe TAG-{++tag}");
                await Task.Delay(random.Next(0, 2500));
                if (random.Next(3) == 0)
                {
                    await charger.SendAsync($"swipe TAG-{tag}");
                    await Task.Delay(random.Next(0, 400));
                    await charger.SendAsync($"unplug {connector}");
                    await Task.Delay(random.Next(0, 400));
                }

                charger.Kill();
                output.WriteLine($"kill {kill}: connector {connector}, TAG-{tag}");
            }

            // A last run without a kill delivers what is left in the journal.
            await using (var last = DcChargerProcess.Start(port, Identity, dataDirectory))
            {
                await last.WaitForOutputAsync("started", TimeSpan.FromSeconds(30));
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (true)
                {
                    var status = await last.StatusAsync();
                    if (status.Contains("connection Connected, registration Accepted", StringComparison.Ordinal) && status.Contains(" 0 transaction messages queued", StringComparison.Ordinal))
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, "The journal was not drained:\n" + last.Output);
                    await Task.Delay(500);
                }

                await last.SendAsync("quit");
                await last.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            Check(csms.Lines.Where(l => l.IsEvent("call") && l.GetString("identity") == Identity).ToList());
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private void Check(List<JsonObject> calls)
    {
        var transactional = calls.Where(c => c.GetString("action") is "StartTransaction" or "MeterValues" or "StopTransaction").ToList();
        var text = string.Join("\n", transactional.Select(c => $"{c.GetString("action")} {c["params"]!.ToJsonString()}"));

        // csms.js gives StartTransaction k (in the order received) the TransactionId k.
        var startIds = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var nextId = 1;
        var duplicates = 0;
        foreach (var call in transactional)
        {
            var payload = call["params"]!.ToJsonString();
            if (call.GetString("action") == "StartTransaction")
            {
                if (!startIds.TryGetValue(payload, out var ids))
                {
                    startIds[payload] = ids = [];
                }

                ids.Add(nextId++);
            }
        }

        var stops = transactional.Where(c => c.GetString("action") == "StopTransaction").ToList();
        foreach (var group in transactional.GroupBy(c => c["params"]!.ToJsonString()))
        {
            // A message arrives again only when a kill caught it on the wire (its answer not yet journaled).
            Assert.True(group.Count() <= 2, $"{group.Key} arrived {group.Count()} times\n{text}");
            duplicates += group.Count() - 1;
        }

        Assert.True(duplicates <= Kills, $"{duplicates} duplicates for {Kills} kills\n{text}");
        output.WriteLine($"{startIds.Count} transactions, {stops.Count} StopTransaction, {transactional.Count(c => c.GetString("action") == "MeterValues")} MeterValues, {duplicates} messages resent after a kill");
        Assert.True(startIds.Count >= Kills / 2, $"only {startIds.Count} transactions started\n{text}");

        var stopsByTransaction = stops.GroupBy(s => s["params"]!["transactionId"]!.GetValue<int>()).ToDictionary(g => g.Key, g => g.Select(s => s["params"]!.ToJsonString()).Distinct().ToList());
        foreach (var (payload, ids) in startIds)
        {
            // The id the charger journaled is the answer to the last copy; a copy answered before a kill and sent
            // again afterwards leaves the earlier id without messages.
            var id = ids[^1];
            var start = JsonNode.Parse(payload)!;
            Assert.True(stopsByTransaction.TryGetValue(id, out var stopPayloads) && stopPayloads.Count == 1, $"transaction {id} ({payload}) was not stopped exactly once\n{text}");
            var stop = JsonNode.Parse(stopPayloads[0])!;
            Assert.True(stop["meterStop"]!.GetValue<int>() >= start["meterStart"]!.GetValue<int>(), $"transaction {id}: meterStop < meterStart\n{text}");
            foreach (var earlier in ids.SkipLast(1))
            {
                Assert.False(transactional.Any(c => c.GetString("action") != "StartTransaction" && c["params"]!["transactionId"]?.GetValue<int>() == earlier), $"a message used the superseded id {earlier}\n{text}");
            }

            var lastStart = transactional.FindLastIndex(c => c.GetString("action") == "StartTransaction" && c["params"]!.ToJsonString() == payload);
            var firstStop = transactional.FindIndex(c => c.GetString("action") == "StopTransaction" && c["params"]!["transactionId"]!.GetValue<int>() == id);
            Assert.True(lastStart < firstStop, $"transaction {id}: StopTransaction before its StartTransaction\n{text}");
            Assert.All(
                transactional.Select((c, i) => (c, i)).Where(x => x.c.GetString("action") == "MeterValues" && x.c["params"]!["transactionId"]?.GetValue<int>() == id),
                x => Assert.True(x.i > lastStart && x.i < firstStop, $"transaction {id}: MeterValues out of order\n{text}"));
        }

        var known = startIds.Values.Select(ids => ids[^1]).ToHashSet();
        Assert.All(stops, s => Assert.Contains(s["params"]!["transactionId"]!.GetValue<int>(), known));
    }

    /// <summary>The DcCharger sample as a process (<c>dotnet DcCharger.dll</c>), killed with SIGKILL.</summary>
    private sealed partial class DcChargerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Lock _gate = new();

        private DcChargerProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_gate)
                {
                    return _output.ToString();
                }
            }
        }

        public static DcChargerProcess Start(int csmsPort, string identity, string dataDirectory)
        {
            var configuration = typeof(DcChargerKillTests).Assembly.GetCustomAttributes<AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";
            var directory = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(directory, "Ocpp16.sln")))
            {
                directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Ocpp16.sln not found above " + AppContext.BaseDirectory);
            }

            var output = Path.Combine(directory, "samples", "DcCharger", "bin", configuration, "net10.0");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = output,
            };
            foreach (var argument in (string[])[Path.Combine(output, "DcCharger.dll"), "--csms", $"ws://127.0.0.1:{csmsPort}", "--id", identity, "--data-dir", dataDirectory,
                "--ChargePoint:Configuration:MeterValueSampleInterval", "1", "--ChargePoint:ReconnectMinDelay", "00:00:00.200", "--ChargePoint:ReconnectRandomRange", "00:00:00"])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            var process = new Process { StartInfo = start };
            var charger = new DcChargerProcess(process);
            process.OutputDataReceived += (_, e) => charger.Append(e.Data);
            process.ErrorDataReceived += (_, e) => charger.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return charger;
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                Assert.False(_process.HasExited, "DcCharger exited:\n" + Output);
                Assert.True(DateTime.UtcNow < deadline, $"DcCharger did not print '{text}':\n" + Output);
                await Task.Delay(50);
            }
        }

        public async Task<string> StatusAsync()
        {
            var before = Output.Length;
            await SendAsync("status");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                var text = Output;
                if (text.Length > before && StatusLine().Match(text, before) is { Success: true } match)
                {
                    return match.Value;
                }

                Assert.True(DateTime.UtcNow < deadline, "no status line:\n" + text);
                await Task.Delay(50);
            }
        }

        public void Kill() => _process.Kill(entireProcessTree: true);

        public async Task WaitForExitAsync(TimeSpan timeout) => await _process.WaitForExitAsync().WaitAsync(timeout);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_gate)
                {
                    _output.AppendLine(line);
                }
            }
        }

        [GeneratedRegex(@"status: connection [^\n]*queued")]
        private static partial Regex StatusLine();
    }
}
