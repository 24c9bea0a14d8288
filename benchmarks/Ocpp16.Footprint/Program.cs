using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

// Measures the DcCharger sample as a process against an in-process Central System on loopback:
//   dotnet run -c Release --project benchmarks/Ocpp16.Footprint -- --aot PATH/TO/DcCharger --jit PATH/TO/DcCharger.dll [--sessions 1000]
// For each build: the size of what runs (the native binary; the JIT build's folder), the time from process start to
// the BootNotification frame arriving, the resident set (VmRSS) after the boot and after N charging sessions (plug,
// swipe, StopTransaction by a second swipe, unplug), and its peak (VmHWM).
var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    arguments[args[i]] = args[i + 1];
}

var sessions = arguments.TryGetValue("--sessions", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 1000;
var rows = new List<string>();
if (arguments.TryGetValue("--aot", out var aot))
{
    rows.Add(await Footprint.MeasureAsync("Native AOT", aot, [], new FileInfo(aot).Length, sessions));
}

if (arguments.TryGetValue("--jit", out var jit))
{
    var folder = Path.GetDirectoryName(Path.GetFullPath(jit))!;
    var size = Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
    rows.Add(await Footprint.MeasureAsync("JIT (framework-dependent)", "dotnet", [jit], size, sessions));
}

Console.WriteLine($"| build | size | start → BootNotification | RSS after boot | RSS after {sessions} sessions | peak RSS |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var row in rows)
{
    Console.WriteLine(row);
}

/// <summary>One measured build.</summary>
internal static class Footprint
{
    public static async Task<string> MeasureAsync(string name, string executable, string[] prefix, long size, int sessions)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var cs = new RecordingCentralSystem();
        var serving = cs.ServeAsync(http);

        // Warm the Central System up (JIT, sockets) with a connection of its own, so the figure is the charger's.
        await using (var warmup = new OcppRpcConnection(await OcppWebSocketClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp"), "WARMUP", null), new RecordingCentralSystem()))
        {
            var run = warmup.RunAsync();
            for (var i = 0; i < 20; i++)
            {
                await warmup.CallAsync("Heartbeat", new HeartbeatRequest());
            }

            await warmup.CloseAsync();
            await run;
        }

        var data = Directory.CreateTempSubdirectory("ocpp16-footprint-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. prefix, "--csms", $"ws://127.0.0.1:{port}/ocpp", "--id", "FOOT-1", "--data-dir", data.FullName, "--Logging:LogLevel:Default", "Warning"])
        {
            start.ArgumentList.Add(argument);
        }

        cs.ProcessClock.Start();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var bootAt = await cs.Boot.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await cs.WaitForStatusesAsync(3);
            await Task.Delay(2000);
            var afterBoot = Rss(process.Id, "VmRSS");
            for (var i = 0; i < sessions; i++)
            {
                var stops = cs.Stops;
                await process.StandardInput.WriteLineAsync("plug 1");
                await process.StandardInput.WriteLineAsync($"swipe T{i % 50}");
                await cs.WaitForStartsAsync(i + 1);
                await process.StandardInput.WriteLineAsync($"swipe T{i % 50}");
                await process.StandardInput.WriteLineAsync("unplug 1");
                await cs.WaitForStopsAsync(stops + 1);
            }

            await Task.Delay(2000);
            var afterSessions = Rss(process.Id, "VmRSS");
            var peak = Rss(process.Id, "VmHWM");
            await process.StandardInput.WriteLineAsync("quit");
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return string.Create(CultureInfo.InvariantCulture, $"| {name} | {size / 1e6:F2} MB | {bootAt.TotalMilliseconds:F0} ms | {afterBoot / 1024.0:F1} MB | {afterSessions / 1024.0:F1} MB | {peak / 1024.0:F1} MB |");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            http.Stop();
            data.Delete(recursive: true);
            _ = serving;
        }
    }

    /// <summary>A /proc/PID/status figure in KiB.</summary>
    private static long Rss(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found for process {pid}");
    }
}

/// <summary>A Central System that answers every Core CALL and notes when the first BootNotification arrived.</summary>
internal sealed class RecordingCentralSystem : IOcppRequestHandler
{
    private int _starts;
    private int _stops;
    private int _statuses;
    private int _transactionId;

    /// <summary>Started just before the charger process; read when its BootNotification arrives.</summary>
    public Stopwatch ProcessClock { get; } = new();

    public TaskCompletionSource<TimeSpan> Boot { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Stops => Volatile.Read(ref _stops);

    public async Task ServeAsync(HttpListener http)
    {
        while (http.IsListening)
        {
            var context = await http.GetContextAsync();
            var webSocket = await context.AcceptWebSocketAsync("ocpp1.6");
            var connection = new OcppRpcConnection(new WebSocketOcppTransport(webSocket.WebSocket), this);
            _ = connection.RunAsync();
        }
    }

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var json = call.Action switch
        {
            "BootNotification" => Booted(now),
            "Heartbeat" => $"{{\"currentTime\":\"{now}\"}}",
            "Authorize" => "{\"idTagInfo\":{\"status\":\"Accepted\"}}",
            "StartTransaction" => Started(),
            "StopTransaction" => Stopped(),
            "StatusNotification" => Status(),
            _ => "{}",
        };
        return ValueTask.FromResult(OcppResponse.Result(new Raw(json)));
    }

    public Task WaitForStatusesAsync(int count) => WaitAsync(() => Volatile.Read(ref _statuses) >= count);

    public Task WaitForStartsAsync(int count) => WaitAsync(() => Volatile.Read(ref _starts) >= count);

    public Task WaitForStopsAsync(int count) => WaitAsync(() => Volatile.Read(ref _stops) >= count);

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The charger did not answer in time.");
            }

            await Task.Delay(1);
        }
    }

    private string Booted(string now)
    {
        Boot.TrySetResult(ProcessClock.Elapsed);
        return $"{{\"status\":\"Accepted\",\"currentTime\":\"{now}\",\"interval\":300}}";
    }

    private string Started()
    {
        Interlocked.Increment(ref _starts);
        return $"{{\"transactionId\":{Interlocked.Increment(ref _transactionId)},\"idTagInfo\":{{\"status\":\"Accepted\"}}}}";
    }

    private string Stopped()
    {
        Interlocked.Increment(ref _stops);
        return "{}";
    }

    private string Status()
    {
        Interlocked.Increment(ref _statuses);
        return "{}";
    }

    private sealed class Raw(string json) : IOcppJsonWritable
    {
        public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
    }
}
