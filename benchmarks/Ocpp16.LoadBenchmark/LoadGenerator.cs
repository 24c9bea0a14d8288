using System.Globalization;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp16.LoadBenchmark;

/// <summary>Options of the <c>load</c> role.</summary>
internal sealed record LoadOptions(Uri Url, int Stations, string Mode, double DurationSeconds, double WarmupSeconds, int ServerPid, Uri? GcUrl, int ConnectConcurrency, double MaxWarmupSeconds = 120, Uri? ApiUrl = null, Uri? StatsUrl = null);

/// <summary>
/// N simulated charge points, each a raw <see cref="ClientWebSocket"/> (subprotocol ocpp1.6) with hand-written frames and
/// one async loop: BootNotification, StatusNotification, then MeterValues (4 sampled values) with a Heartbeat every 10th
/// call, one call at a time. Modes: closed (next call when the answer arrives), paced (one call per second per station),
/// idle (connect and boot, then measure the server's RSS), commands (the stations only answer the Central System's
/// CALLs, while HTTP requests to the MinimalCsms API send them commands).
/// </summary>
internal sealed class LoadGenerator
{
    private const string Timestamp = "2025-01-01T00:00:00.000Z";
    private const int WarmStations = 20;
    private const int WarmCallsPerStation = 50;

    private static readonly byte[] s_callPrefix = "[2,\""u8.ToArray();
    private static readonly byte[] s_boot = Encoding.UTF8.GetBytes("\",\"BootNotification\",{\"chargePointVendor\":\"Bench\",\"chargePointModel\":\"LoadGen-1\",\"chargePointSerialNumber\":\"SN-000123\",\"firmwareVersion\":\"1.0.0\"}]");
    private static readonly byte[] s_status = Encoding.UTF8.GetBytes("\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\",\"timestamp\":\"" + Timestamp + "\"}]");
    private static readonly byte[] s_heartbeat = Encoding.UTF8.GetBytes("\",\"Heartbeat\",{}]");
    private static readonly byte[] s_meterValues = Encoding.UTF8.GetBytes(
        "\",\"MeterValues\",{\"connectorId\":1,\"transactionId\":1,\"meterValue\":[{\"timestamp\":\"" + Timestamp + "\",\"sampledValue\":["
        + "{\"value\":\"12345.6\",\"context\":\"Sample.Periodic\",\"measurand\":\"Energy.Active.Import.Register\",\"location\":\"Outlet\",\"unit\":\"Wh\"},"
        + "{\"value\":\"7200.0\",\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"location\":\"Outlet\",\"unit\":\"W\"},"
        + "{\"value\":\"16.0\",\"context\":\"Sample.Periodic\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"location\":\"Outlet\",\"unit\":\"A\"},"
        + "{\"value\":\"230.1\",\"context\":\"Sample.Periodic\",\"measurand\":\"Voltage\",\"phase\":\"L1-N\",\"location\":\"Outlet\",\"unit\":\"V\"}"
        + "]}]}]");

    private readonly LoadOptions _options;

    // Latencies in microseconds of calls completed inside the measurement window; one shared preallocated array.
    private readonly int[] _latencies = new int[8_000_000];

    // When each recorded call completed, in ms since the window started (to see whether slow calls cluster in time).
    private readonly int[] _completedAtMs = new int[8_000_000];
    private long _windowStart;
    private int _latencyCount;
    private long _windowCalls;
    private long _failures;
    private long _meterValuesAnswered;
    private volatile bool _recording;
    private volatile bool _stop;
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _started;
    private readonly Pacer _pacer = new();

    public LoadGenerator(LoadOptions options) => _options = options;

    public async Task<int> RunAsync()
    {
        // 1. Warm-up: a few stations connect, boot and make some calls, then leave (JIT and pools of both sides warm).
        var warm = new Station[WarmStations];
        for (var i = 0; i < warm.Length; i++)
        {
            warm[i] = new Station(this, "WARM-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Task.WhenAll(warm.Select(s => s.WarmAsync(WarmCallsPerStation))).ConfigureAwait(false);
        await Task.WhenAll(warm.Select(s => s.CloseAsync())).ConfigureAwait(false);
        var warmFailures = Interlocked.Exchange(ref _failures, 0);
        await Task.Delay(1000).ConfigureAwait(false);

        long rss0 = 0;
        if (_options.Mode == "idle")
        {
            await ForceServerGcAsync().ConfigureAwait(false);
            await Task.Delay(1000).ConfigureAwait(false);
            rss0 = ProcStats.ReadRssKiB(_options.ServerPid);
        }

        // 2. Connect and boot N stations (bounded concurrency of connection attempts), timed.
        var stations = new Station[_options.Stations];
        for (var i = 0; i < stations.Length; i++)
        {
            stations[i] = new Station(this, "CP" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        using var gate = new SemaphoreSlim(_options.ConnectConcurrency);
        var connectWatch = Stopwatch.StartNew();
        var tasks = new Task[stations.Length];
        for (var i = 0; i < stations.Length; i++)
        {
            tasks[i] = stations[i].RunAsync(gate, i);
        }

        var bootedOrFailed = Task.WhenAll(stations.Select(s => s.Booted));
        await bootedOrFailed.ConfigureAwait(false);
        var connectMs = connectWatch.Elapsed.TotalMilliseconds;
        var booted = stations.Count(s => s.Booted.Result);
        var connectFailures = Interlocked.Read(ref _failures);
        Console.Error.WriteLine($"[load] {booted}/{stations.Length} connected and booted in {connectMs:F0} ms ({connectFailures} failures)");

        var result = new Dictionary<string, double>
        {
            ["stations"] = _options.Stations,
            ["booted"] = booted,
            ["connectBootMs"] = connectMs,
            ["connectFailures"] = connectFailures,
            ["warmFailures"] = warmFailures,
        };

        if (_options.Mode == "commands")
        {
            _go.SetResult();
            await DriveCommandsAsync(stations, result).ConfigureAwait(false);
        }
        else if (_options.Mode == "idle")
        {
            await Task.Delay(3000).ConfigureAwait(false);
            await ForceServerGcAsync().ConfigureAwait(false);
            await Task.Delay(1000).ConfigureAwait(false);
            var rss1 = ProcStats.ReadRssKiB(_options.ServerPid);
            result["rss0KiB"] = rss0;
            result["rss1KiB"] = rss1;
            result["idleBytesPerConnection"] = (rss1 - rss0) * 1024.0 / Math.Max(1, booted);
        }
        else
        {
            _started = Stopwatch.GetTimestamp();
            if (_options.Mode == "paced")
            {
                _pacer.Start();
            }

            _go.SetResult();
            var warmWatch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(_options.WarmupSeconds)).ConfigureAwait(false);
            await WaitForJitToSettleAsync(warmWatch).ConfigureAwait(false);
            result["warmupSeconds"] = warmWatch.Elapsed.TotalSeconds;

            var gc0 = await ReadServerGcStatsAsync().ConfigureAwait(false);
            var selfJit0 = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
            var selfGc0 = GC.CollectionCount(0);
            var selfPause0 = GC.GetTotalPauseDuration();
            var server0 = ProcStats.ReadCpuTicks(_options.ServerPid);
            var self0 = ProcStats.ReadCpuTicks(Environment.ProcessId);
            Interlocked.Exchange(ref _failures, 0);
            var t0 = Stopwatch.GetTimestamp();
            _windowStart = t0;
            _recording = true;
            await Task.Delay(TimeSpan.FromSeconds(_options.DurationSeconds)).ConfigureAwait(false);
            _recording = false;
            var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var server1 = ProcStats.ReadCpuTicks(_options.ServerPid);
            var self1 = ProcStats.ReadCpuTicks(Environment.ProcessId);
            var gc1 = await ReadServerGcStatsAsync().ConfigureAwait(false);
            if (gc0 is not null && gc1 is not null)
            {
                result["serverGen0"] = gc1[0] - gc0[0];
                result["serverGen1"] = gc1[1] - gc0[1];
                result["serverGen2"] = gc1[2] - gc0[2];
                result["serverGcPauseMs"] = gc1[3] - gc0[3];
                if (gc0.Length > 5 && gc1.Length > 5)
                {
                    result["serverJitMethodsInWindow"] = gc1[5] - gc0[5];
                }
            }

            result["loadJitMethodsInWindow"] = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false) - selfJit0;
            result["loadGcCount"] = GC.CollectionCount(0) - selfGc0;
            result["loadGcPauseMs"] = (GC.GetTotalPauseDuration() - selfPause0).TotalMilliseconds;

            var calls = Interlocked.Read(ref _windowCalls);
            var failures = Interlocked.Read(ref _failures);

            var count = Math.Min(_latencyCount, _latencies.Length);
            ReportSlowCalls(count);
            var lat = _latencies.AsSpan(0, count);
            lat.Sort();
            result["windowSeconds"] = elapsed;
            result["calls"] = calls;
            result["callsPerSecond"] = calls / elapsed;
            result["failures"] = failures;
            result["p50Ms"] = Percentile(lat, 0.50) / 1000.0;
            result["p99Ms"] = Percentile(lat, 0.99) / 1000.0;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[load] latency ms: p10 {Percentile(lat, 0.10) / 1000.0:F2}, p25 {Percentile(lat, 0.25) / 1000.0:F2}, p50 {Percentile(lat, 0.50) / 1000.0:F2}, p75 {Percentile(lat, 0.75) / 1000.0:F2}, p90 {Percentile(lat, 0.90) / 1000.0:F2}, p95 {Percentile(lat, 0.95) / 1000.0:F2}, p98 {Percentile(lat, 0.98) / 1000.0:F2}, p99 {Percentile(lat, 0.99) / 1000.0:F2}, p99.9 {Percentile(lat, 0.999) / 1000.0:F2}"));
            result["maxMs"] = count == 0 ? 0 : lat[^1] / 1000.0;
            if (gc0 is not null && gc1 is not null)
            {
                result["serverAllocBytesPerCall"] = calls == 0 ? 0 : (gc1[4] - gc0[4]) / calls;
            }

            result["serverCpuUsPerCall"] = calls == 0 ? 0 : (server1 - server0) * ProcStats.MicrosecondsPerTick / calls;
            result["serverCpuPercent"] = (server1 - server0) * ProcStats.MicrosecondsPerTick / (elapsed * 1e6) * 100;
            result["loadCpuPercent"] = (self1 - self0) * ProcStats.MicrosecondsPerTick / (elapsed * 1e6) * 100;
        }

        _stop = true;
        _pacer.Stop();
        _go.TrySetResult();
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(5000)).ConfigureAwait(false) != all)
        {
            Console.Error.WriteLine("[load] some stations did not stop within 5 s; aborting them");
        }

        foreach (var s in stations)
        {
            s.Abort();
        }

        result["meterValuesAnswered"] = Interlocked.Read(ref _meterValuesAnswered);
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result, LoadJsonContext.Default.DictionaryStringDouble));
        return 0;
    }

    /// <summary>
    /// The commands mode's measurement: K workers, each with its own stations (never two commands to one station at a
    /// time), send POST /api/chargepoints/{id}/commands/Reset through the CSMS's HTTP API, and every 10th request a
    /// GET /api/transactions; round trips in µs, the POSTs also net of the station's own answer time.
    /// </summary>
    private async Task DriveCommandsAsync(Station[] stations, Dictionary<string, double> result)
    {
        const int Workers = 8;
        // The HTTP API of the node the stations are connected to, or (--api) another node of a cluster: routed commands.
        var http = _options.ApiUrl ?? new Uri(_options.Url.GetLeftPart(UriPartial.Authority).Replace("ws://", "http://", StringComparison.Ordinal));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workers }) { BaseAddress = http, Timeout = TimeSpan.FromSeconds(30) };
        var posts = new List<double>[Workers];
        var netPosts = new List<double>[Workers];
        var gets = new List<double>[Workers];
        long failures = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(_options.DurationSeconds * Stopwatch.Frequency);
        var warmUntil = Stopwatch.GetTimestamp() + (long)(_options.WarmupSeconds * Stopwatch.Frequency);
        var booted = stations.Where(s => s.Booted.Result).ToArray();
        async Task WorkerAsync(int w)
        {
            posts[w] = [];
            netPosts[w] = [];
            gets[w] = [];
            var k = 0;
            for (var i = w; Stopwatch.GetTimestamp() < stopAt; i += Workers)
            {
                var station = booted[i % booted.Length];
                var measuring = Stopwatch.GetTimestamp() > warmUntil;
                try
                {
                    if (++k % 10 == 0)
                    {
                        var g0 = Stopwatch.GetTimestamp();
                        using var get = await client.GetAsync(new Uri("/api/transactions", UriKind.Relative)).ConfigureAwait(false);
                        _ = await get.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                        if (measuring)
                        {
                            gets[w].Add(Stopwatch.GetElapsedTime(g0).TotalMilliseconds);
                        }
                    }

                    using var content = new ByteArrayContent("{\"type\":\"Soft\"}"u8.ToArray());
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    var t0 = Stopwatch.GetTimestamp();
                    using var response = await client.PostAsync(new Uri($"/api/chargepoints/{station.Identity}/commands/Reset", UriKind.Relative), content).ConfigureAwait(false);
                    _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                    else if (measuring)
                    {
                        posts[w].Add(ms);
                        netPosts[w].Add(ms - (station.LastAnswerTicks * 1000.0 / Stopwatch.Frequency));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }

        stopAt += (long)(_options.WarmupSeconds * Stopwatch.Frequency);
        var cpu0 = ProcStats.ReadCpuTicks(_options.ServerPid);
        var t = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkerAsync)).ConfigureAwait(false);
        var cpu1 = ProcStats.ReadCpuTicks(_options.ServerPid);
        double P(List<double>[] lists, double q)
        {
            var all = lists.SelectMany(l => l).Order().ToArray();
            return all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        }

        var count = posts.Sum(l => l.Count);
        result["commands"] = count;
        result["commandsPerSecond"] = count / _options.DurationSeconds;
        result["commandP50Ms"] = P(netPosts, 0.50);
        result["commandP99Ms"] = P(netPosts, 0.99);
        result["commandRawP99Ms"] = P(posts, 0.99);
        result["getTransactionsP50Ms"] = P(gets, 0.50);
        result["getTransactionsP99Ms"] = P(gets, 0.99);
        result["failures"] = Interlocked.Read(ref failures);
        result["serverCpuPercent"] = (cpu1 - cpu0) * ProcStats.MicrosecondsPerTick / (t.Elapsed.TotalSeconds * 1e6) * 100;
    }

    /// <summary>
    /// Keeps the load running until the JIT of both processes has settled: tiered compilation promotes hot methods only
    /// after a call-counting delay (ten times longer on a process pinned to one core) and compiles them on a background
    /// thread that competes with the busy one, so a short fixed warm-up measures partly instrumented tier-0 code. Settled
    /// = no method compiled by the server (via /stats; .NET servers only) nor by this process in the last 3 s, or
    /// <see cref="LoadOptions.MaxWarmupSeconds"/> reached.
    /// </summary>
    private async Task WaitForJitToSettleAsync(Stopwatch warmWatch)
    {
        const int QuietSeconds = 3;
        var quiet = 0;
        long lastSelf = -1;
        double lastServer = -1;
        while (quiet < QuietSeconds && warmWatch.Elapsed.TotalSeconds < _options.MaxWarmupSeconds)
        {
            var self = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
            var stats = await ReadServerGcStatsAsync().ConfigureAwait(false);
            var server = stats is { Length: > 5 } ? stats[5] : 0;
            quiet = self == lastSelf && server == lastServer ? quiet + 1 : 0;
            lastSelf = self;
            lastServer = server;
            if (quiet < QuietSeconds)
            {
                await Task.Delay(1000).ConfigureAwait(false);
            }
        }

        Console.Error.WriteLine($"[load] warm-up {warmWatch.Elapsed.TotalSeconds:F0} s (JIT {(quiet >= QuietSeconds ? "settled" : "still compiling at the limit")})");
    }

    /// <summary>
    /// Diagnostics on stderr: how many calls took over 1 and 2 ms, and the 100-ms slices of the window that hold most
    /// of them (clustered = stalls such as GC pauses; spread = per-call cost).
    /// </summary>
    private void ReportSlowCalls(int count)
    {
        var slices = new Dictionary<int, int>();
        int over1 = 0, over2 = 0;
        for (var i = 0; i < count; i++)
        {
            if (_latencies[i] > 1000)
            {
                over1++;
            }

            if (_latencies[i] > 2000)
            {
                over2++;
                var slice = _completedAtMs[i] / 100;
                slices[slice] = slices.GetValueOrDefault(slice) + 1;
            }
        }

        var top = slices.OrderByDescending(kv => kv.Value).Take(12).Select(kv => $"{kv.Key * 100}ms:{kv.Value}");
        Console.Error.WriteLine($"[load] calls {count}, over 1 ms {over1}, over 2 ms {over2} in {slices.Count} of {(int)(_options.DurationSeconds * 10)} 100-ms slices; busiest: {string.Join(' ', top)}");
    }

    private static double Percentile(ReadOnlySpan<int> sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private async Task ForceServerGcAsync()
    {
        if (_options.GcUrl is null)
        {
            return;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _ = await http.GetStringAsync(_options.GcUrl).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"[load] /gc failed: {ex.Message}");
        }
    }

    /// <summary>GET /stats of a .NET server: gen0, gen1, gen2 counts, total GC pause ms, allocated bytes.</summary>
    private async Task<double[]?> ReadServerGcStatsAsync()
    {
        if (_options.GcUrl is null && _options.StatsUrl is null)
        {
            return null;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            if (_options.StatsUrl is { } statsUrl)
            {
                // MinimalCsms: GET /api/runtime (JSON).
                using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(statsUrl).ConfigureAwait(false));
                var root = json.RootElement;
                return [.. new[] { "gen0Collections", "gen1Collections", "gen2Collections", "gcPauseMs", "allocatedBytes", "jitCompiledMethods" }.Select(name => root.GetProperty(name).GetDouble())];
            }

            var text = await http.GetStringAsync(new Uri(_options.GcUrl!, "/stats")).ConfigureAwait(false);
            return [.. text.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"[load] /stats failed: {ex.Message}");
            return null;
        }
    }

    private void Record(long startTimestamp)
    {
        if (!_recording)
        {
            return;
        }

        var us = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(startTimestamp).Ticks / 10);
        Interlocked.Increment(ref _windowCalls);
        var i = Interlocked.Increment(ref _latencyCount) - 1;
        if (i < _latencies.Length)
        {
            _latencies[i] = us;
            _completedAtMs[i] = (int)Stopwatch.GetElapsedTime(_windowStart).TotalMilliseconds;
        }
    }

    private sealed class Station : System.Threading.Tasks.Sources.IValueTaskSource<bool>
    {
        private readonly LoadGenerator _owner;
        private readonly string _identity;
        private readonly byte[] _send = new byte[2048];
        private readonly byte[] _receive = new byte[2048];
        private readonly TaskCompletionSource<bool> _booted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ClientWebSocket? _ws;
        private long _nextId;

        public Station(LoadGenerator owner, string identity)
        {
            _owner = owner;
            _identity = identity;
        }

        public Task<bool> Booted => _booted.Task;

        public async Task WarmAsync(int calls)
        {
            try
            {
                await ConnectAsync().ConfigureAwait(false);
                if (!await CallAsync(s_boot).ConfigureAwait(false) || !await CallAsync(s_status).ConfigureAwait(false))
                {
                    return;
                }

                for (var k = 1; k <= calls; k++)
                {
                    _ = await CallAsync(k % 10 == 0 ? s_heartbeat : s_meterValues).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
            {
                Interlocked.Increment(ref _owner._failures);
            }
        }

        public async Task RunAsync(SemaphoreSlim gate, int index)
        {
            try
            {
                await gate.WaitAsync().ConfigureAwait(false);
                bool ok;
                try
                {
                    await ConnectAsync().ConfigureAwait(false);
                    ok = await CallAsync(s_boot).ConfigureAwait(false) && await CallAsync(s_status).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }

                _booted.TrySetResult(ok);
                if (!ok)
                {
                    return;
                }

                await _owner._go.Task.ConfigureAwait(false);
                if (_owner._stop)
                {
                    return;
                }

                if (_owner._options.Mode == "commands")
                {
                    await AnswerCallsAsync().ConfigureAwait(false);
                }
                else if (_owner._options.Mode == "paced")
                {
                    await PacedAsync(index).ConfigureAwait(false);
                }
                else
                {
                    for (var k = 1; !_owner._stop; k++)
                    {
                        _ = await CallAsync(k % 10 == 0 ? s_heartbeat : s_meterValues).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                if (!_owner._stop)
                {
                    Interlocked.Increment(ref _owner._failures);
                }

                _booted.TrySetResult(false);
            }
        }

        public string Identity => _identity;

        /// <summary>How long this station took to answer the last CALL it received (Stopwatch ticks), for the commands mode.</summary>
        public long LastAnswerTicks => Volatile.Read(ref _lastAnswerTicks);

        private long _lastAnswerTicks;

        /// <summary>The commands mode: answer every CALL of the Central System at once with {"status":"Accepted"}.</summary>
        private async Task AnswerCallsAsync()
        {
            var ws = _ws!;
            while (!_owner._stop)
            {
                var received = 0;
                while (true)
                {
                    var r = await ws.ReceiveAsync(_receive.AsMemory(received), CancellationToken.None).ConfigureAwait(false);
                    if (r.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    received += r.Count;
                    if (r.EndOfMessage)
                    {
                        break;
                    }
                }

                var t0 = Stopwatch.GetTimestamp();
                var frame = _receive.AsSpan(0, received);
                if (!frame.StartsWith("[2,\""u8))
                {
                    continue;
                }

                var idEnd = frame[4..].IndexOf((byte)'"');
                var length = 0;
                "[3,\""u8.CopyTo(_send);
                length += 4;
                frame.Slice(4, idEnd).CopyTo(_send.AsSpan(length));
                length += idEnd;
                "\",{\"status\":\"Accepted\"}]"u8.CopyTo(_send.AsSpan(length));
                length += "\",{\"status\":\"Accepted\"}]"u8.Length;
                await ws.SendAsync(_send.AsMemory(0, length), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                Volatile.Write(ref _lastAnswerTicks, Stopwatch.GetTimestamp() - t0);
            }
        }

        private async Task PacedAsync(int index)
        {
            // Each station one call per second, spread evenly over the second; the schedule is absolute (no drift). The
            // wait is the pacer's reusable signal, not Task.Delay, so pacing allocates nothing per call (the load
            // generator's own GCs would otherwise add pauses to every server's latencies).
            var tick = Stopwatch.Frequency;
            var next = _owner._started + (long)((double)index / _owner._options.Stations * tick);
            for (var k = 1; !_owner._stop; k++)
            {
                if (next > Stopwatch.GetTimestamp())
                {
                    await _owner._pacer.WaitAsync(this, next).ConfigureAwait(false);
                }

                if (_owner._stop)
                {
                    return;
                }

                _ = await CallAsync(k % 10 == 0 ? s_heartbeat : s_meterValues).ConfigureAwait(false);
                next += tick;
                var now = Stopwatch.GetTimestamp();
                if (next < now)
                {
                    next = now; // late: no burst to catch up
                }
            }
        }

        /// <summary>The pacer's signal for this station: one reusable awaitable, completed when the station's time comes.</summary>
        private System.Threading.Tasks.Sources.ManualResetValueTaskSourceCore<bool> _signal;

        /// <summary>When the pacer releases this station (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public long Due { get; private set; }

        public void Prepare(long due)
        {
            _signal.Reset();
            Due = due;
        }

        public ValueTask<bool> AsValueTask() => new(this, _signal.Version);

        public void Release() => _signal.SetResult(true);

        bool System.Threading.Tasks.Sources.IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);

        System.Threading.Tasks.Sources.ValueTaskSourceStatus System.Threading.Tasks.Sources.IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

        void System.Threading.Tasks.Sources.IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, System.Threading.Tasks.Sources.ValueTaskSourceOnCompletedFlags flags)
            => _signal.OnCompleted(continuation, state, token, flags);

        private async Task ConnectAsync()
        {
            var ws = new ClientWebSocket();
            ws.Options.AddSubProtocol("ocpp1.6");
            ws.Options.KeepAliveInterval = TimeSpan.Zero;
            ws.Options.SetBuffer(2048, 2048);
            _ws = ws;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ws.ConnectAsync(new Uri(_owner._options.Url + "/" + _identity), timeout.Token).ConfigureAwait(false);
            if (ws.SubProtocol != "ocpp1.6")
            {
                throw new WebSocketException("subprotocol ocpp1.6 not agreed");
            }
        }

        /// <summary>One CALL: [2,"id" + tail; waits for [3,"id",...]. False (and a failure counted) for anything else.</summary>
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> CallAsync(byte[] tail)
        {
            var ws = _ws!;
            s_callPrefix.CopyTo(_send, 0);
            var id = ++_nextId;
            Utf8Formatter.TryFormat(id, _send.AsSpan(s_callPrefix.Length), out var idLength);
            var idEnd = s_callPrefix.Length + idLength;
            tail.CopyTo(_send, idEnd);
            var length = idEnd + tail.Length;

            var start = Stopwatch.GetTimestamp();
            await ws.SendAsync(_send.AsMemory(0, length), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            var received = 0;
            while (true)
            {
                var r = await ws.ReceiveAsync(_receive.AsMemory(received), CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    throw new WebSocketException("closed by the server");
                }

                received += r.Count;
                if (r.EndOfMessage)
                {
                    break;
                }

                if (received == _receive.Length)
                {
                    throw new WebSocketException("answer larger than the receive buffer");
                }
            }

            // Expect [3,"<id>",... with the id we sent.
            var answer = _receive.AsSpan(0, received);
            var ok = answer.StartsWith("[3,\""u8)
                && answer.Length > 4 + idLength
                && answer.Slice(4, idLength).SequenceEqual(_send.AsSpan(s_callPrefix.Length, idLength))
                && answer[4 + idLength] == (byte)'"';
            if (ok)
            {
                _owner.Record(start);
                if (ReferenceEquals(tail, s_meterValues))
                {
                    Interlocked.Increment(ref _owner._meterValuesAnswered);
                }
            }
            else
            {
                Interlocked.Increment(ref _owner._failures);
                if (Interlocked.Read(ref _owner._failures) <= 3)
                {
                    Console.Error.WriteLine($"[load] {_identity}: unexpected answer {Encoding.UTF8.GetString(answer[..Math.Min(300, answer.Length)])}");
                }
            }

            return ok;
        }

        public async Task CloseAsync()
        {
            if (_ws is { State: WebSocketState.Open } ws)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
                {
                    // best effort
                }
            }

            _ws?.Dispose();
        }

        public void Abort()
        {
            _ws?.Abort();
            _ws?.Dispose();
        }
    }

    /// <summary>
    /// Releases paced stations at their scheduled time without allocating: a 1-ms timer wheel of 1,000 buckets (one
    /// second), each a list of waiting stations, served by one loop on a <see cref="PeriodicTimer"/>. A station's
    /// continuation runs on the pacer loop up to its next await (the send), as a client's scheduler would.
    /// </summary>
    private sealed class Pacer
    {
        private const int Buckets = 1000;
        private readonly List<Station>[] _wheel = Enumerable.Range(0, Buckets).Select(_ => new List<Station>(16)).ToArray();
        private readonly List<Station> _due = new(256);
        private readonly Lock _gate = new();
        private readonly CancellationTokenSource _stop = new();
        private long _servedMs = -1;

        public void Start()
        {
            _servedMs = ToMs(Stopwatch.GetTimestamp()) - 1;
            _ = Task.Run(RunAsync);
        }

        public void Stop() => _stop.Cancel();

        public ValueTask<bool> WaitAsync(Station station, long dueTimestamp)
        {
            station.Prepare(dueTimestamp);
            var dueMs = ToMs(dueTimestamp);
            lock (_gate)
            {
                if (dueMs <= _servedMs)
                {
                    return ValueTask.FromResult(true); // its millisecond was already served: go now
                }

                _wheel[(int)(dueMs % Buckets)].Add(station);
            }

            return station.AsValueTask();
        }

        private static long ToMs(long timestamp) => timestamp * 1000 / Stopwatch.Frequency;

        private async Task RunAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    var now = Stopwatch.GetTimestamp();
                    var nowMs = ToMs(now);
                    lock (_gate)
                    {
                        // Every bucket since the last tick (ticks can be late), at most one full turn of the wheel.
                        for (var ms = Math.Max(_servedMs + 1, nowMs - Buckets + 1); ms <= nowMs; ms++)
                        {
                            var bucket = _wheel[(int)(ms % Buckets)];
                            for (var i = bucket.Count - 1; i >= 0; i--)
                            {
                                if (bucket[i].Due <= now)
                                {
                                    _due.Add(bucket[i]);
                                    bucket.RemoveAt(i);
                                }
                            }
                        }

                        _servedMs = nowMs;
                    }

                    foreach (var station in _due)
                    {
                        station.Release();
                    }

                    _due.Clear();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: release everyone still waiting so their loops can see the stop flag.
                lock (_gate)
                {
                    foreach (var bucket in _wheel)
                    {
                        _due.AddRange(bucket);
                        bucket.Clear();
                    }
                }

                foreach (var station in _due)
                {
                    station.Release();
                }
            }
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class LoadJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
