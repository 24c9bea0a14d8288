using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// Entry point of the ocpp-rpc interoperability harness: locates the node scripts in
/// <c>tests/Ocpp16.IntegrationTests/interop</c>, installs their npm dependencies once per test run and
/// starts the node Central System (<c>csms.js</c>) and Charge Point (<c>chargepoint.js</c>).
/// The JSON-lines protocol they speak is described in <c>interop/README.md</c>.
/// </summary>
public static class NodeInterop
{
    /// <summary>Environment variable through which passwords reach the node scripts (kept off the command line).</summary>
    public const string PasswordEnvironmentVariable = "OCPP_INTEROP_PASSWORD";

    /// <summary>Overrides the location of the interop folder (otherwise found next to <c>Ocpp16.sln</c>).</summary>
    public const string DirectoryEnvironmentVariable = "OCPP16_INTEROP_DIR";

    /// <summary>Overrides the node executable (default: <c>node</c> from PATH).</summary>
    public const string NodeEnvironmentVariable = "OCPP16_NODE";

    /// <summary>Default time to wait for an expected line.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan _installTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> _interopDirectory = new(FindInteropDirectory, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim _installGate = new(1, 1);
    private static volatile bool _installed;

    /// <summary>
    /// The interop folder in the SOURCE tree (walks up from <see cref="AppContext.BaseDirectory"/> to the folder
    /// holding <c>Ocpp16.sln</c>), so node_modules is installed once per checkout rather than per build output.
    /// </summary>
    public static string InteropDirectory => _interopDirectory.Value;

    /// <summary>The node executable used to run the scripts.</summary>
    public static string NodeExecutable =>
        Environment.GetEnvironmentVariable(NodeEnvironmentVariable) is { Length: > 0 } node ? node : "node";

    /// <summary>
    /// Runs <c>npm ci --no-audit --no-fund</c> in <see cref="InteropDirectory"/> unless the pinned ocpp-rpc is already
    /// installed. Safe to call concurrently (in-process semaphore plus a cross-process file lock); does the work at most
    /// once per test run. Throws <see cref="InvalidOperationException"/> with npm's output if npm fails.
    /// </summary>
    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (_installed)
        {
            return;
        }

        await _installGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_installed)
            {
                return;
            }

            var directory = InteropDirectory;
            if (!IsInstalled(directory))
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_installTimeout);
                await using var fileLock = await AcquireFileLockAsync(Path.Combine(directory, ".npm-install.lock"), timeout.Token).ConfigureAwait(false);

                // Another process may have installed while we waited for the lock.
                if (!IsInstalled(directory))
                {
                    await RunNpmCiAsync(directory, timeout.Token, cancellationToken).ConfigureAwait(false);
                    if (!IsInstalled(directory))
                    {
                        throw new InvalidOperationException($"npm ci succeeded but {Path.Combine(directory, "node_modules", "ocpp-rpc")} is still missing or has the wrong version.");
                    }
                }
            }

            _installed = true;
        }
        finally
        {
            _installGate.Release();
        }
    }

    /// <summary>
    /// Starts <c>csms.js</c> on 127.0.0.1 with a free port and waits for its <c>listening</c> line.
    /// With a <paramref name="password"/> the CSMS requires HTTP Basic auth (username = identity).
    /// </summary>
    public static async Task<(NodeProcess Process, int Port)> StartCsmsAsync(string? password = null, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var process = NodeProcess.Start("csms.js", ["--port", "0"], password);
        try
        {
            var listening = await process.WaitForAsync(line => line.IsEvent("listening"), DefaultTimeout).ConfigureAwait(false);
            var port = listening["port"]?.GetValue<int>() ?? throw new InvalidOperationException("listening line without a port");
            return (process, port);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts <c>chargepoint.js</c> connecting to <c>{endpoint}/{identity}</c> (ocpp-rpc appends the identity).
    /// <paramref name="script"/> is <c>core</c> (full Core session, then <c>done</c>) or <c>none</c>.
    /// Returns immediately; wait for the <c>connected</c> (or <c>connectFailed</c>) line yourself.
    /// </summary>
    public static async Task<NodeProcess> StartChargePointAsync(
        string endpoint,
        string identity,
        string? password,
        string script,
        string? idTag = null,
        bool reconnect = true,
        CancellationToken cancellationToken = default,
        bool security = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentException.ThrowIfNullOrEmpty(script);
        await EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);

        var args = new List<string> { "--endpoint", endpoint, "--identity", identity, "--script", script, "--reconnect", reconnect ? "true" : "false", "--security", security ? "true" : "false" };
        if (idTag is not null)
        {
            args.Add("--idtag");
            args.Add(idTag);
        }

        return NodeProcess.Start("chargepoint.js", args, password);
    }

    private static bool IsInstalled(string directory)
    {
        try
        {
            var installedManifest = Path.Combine(directory, "node_modules", "ocpp-rpc", "package.json");
            if (!File.Exists(installedManifest))
            {
                return false;
            }

            var pinned = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package.json")))?["dependencies"]?["ocpp-rpc"]?.GetValue<string>();
            var actual = JsonNode.Parse(File.ReadAllText(installedManifest))?["version"]?.GetValue<string>();
            return pinned is null || string.Equals(pinned, actual, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive (advisory) lock on Unix and a share lock on Windows.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunNpmCiAsync(string directory, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        var psi = new ProcessStartInfo
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        if (OperatingSystem.IsWindows())
        {
            psi.FileName = "cmd.exe";
            psi.ArgumentList.Add("/d");
            psi.ArgumentList.Add("/c");
            psi.ArgumentList.Add("npm");
        }
        else
        {
            psi.FileName = "npm";
        }

        psi.ArgumentList.Add("ci");
        psi.ArgumentList.Add("--no-audit");
        psi.ArgumentList.Add("--no-fund");

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"Could not start npm in {directory}: {ex.Message}. Node.js (with npm) must be on PATH for the interop tests.", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeoutToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            callerToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"npm ci in {directory} did not finish within {_installTimeout}.{Environment.NewLine}{await Collect(stdout, stderr).ConfigureAwait(false)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed with exit code {process.ExitCode}.{Environment.NewLine}{await Collect(stdout, stderr).ConfigureAwait(false)}");
        }

        static async Task<string> Collect(Task<string> stdout, Task<string> stderr)
        {
            string Safe(Task<string> t) => t.IsCompletedSuccessfully ? t.Result : "<unavailable>";
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            return $"--- npm stdout ---{Environment.NewLine}{Safe(stdout)}{Environment.NewLine}--- npm stderr ---{Environment.NewLine}{Safe(stderr)}";
        }
    }

    internal static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    private static string FindInteropDirectory()
    {
        if (Environment.GetEnvironmentVariable(DirectoryEnvironmentVariable) is { Length: > 0 } overridden)
        {
            return Path.GetFullPath(overridden);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp16.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Ocpp16.IntegrationTests", "interop");
                if (File.Exists(Path.Combine(candidate, "csms.js")))
                {
                    return candidate;
                }

                break;
            }
        }

        // Fallback: the copy placed next to the test assembly by the csproj.
        var copied = Path.Combine(AppContext.BaseDirectory, "interop");
        if (File.Exists(Path.Combine(copied, "csms.js")))
        {
            return copied;
        }

        throw new InvalidOperationException(
            $"Could not find tests/Ocpp16.IntegrationTests/interop above {AppContext.BaseDirectory} (looked for Ocpp16.sln); set {DirectoryEnvironmentVariable}.");
    }
}

/// <summary>
/// A running node script speaking the harness' JSON-lines protocol: every stdout line is parsed into a
/// <see cref="JsonObject"/>; commands are written to stdin one JSON object per line.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int MaxTranscriptLines = 200;
    private const int MaxStderrChars = 16 * 1024;

    private static readonly JsonSerializerOptions _commandJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Process _process;
    private readonly string _description;
    private readonly object _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly List<string> _rawStdout = [];
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _stdinGate = new(1, 1);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private TaskCompletionSource _changed = NewSignal();
    private int _firstUnconsumed;
    private bool _stdoutClosed;
    private int _disposed;

    private NodeProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    /// <summary>Script name and (password-free) arguments, for messages.</summary>
    public string Description => _description;

    /// <summary>OS process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the node process has exited.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Snapshot of every stdout line received so far (non-JSON lines appear as <c>{"event":"stdout","text":...}</c>).</summary>
    public IReadOnlyList<JsonObject> Lines
    {
        get
        {
            lock (_gate)
            {
                return _entries.Select(e => e.Line).ToArray();
            }
        }
    }

    /// <summary>Everything written to stderr so far (capped).</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>node &lt;script&gt; &lt;arguments&gt;</c> in <see cref="NodeInterop.InteropDirectory"/>.
    /// A <paramref name="password"/> is handed over in <see cref="NodeInterop.PasswordEnvironmentVariable"/>, never on the command line.
    /// Call <see cref="NodeInterop.EnsureInstalledAsync"/> first.
    /// </summary>
    public static NodeProcess Start(string script, IEnumerable<string> arguments, string? password = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        ArgumentNullException.ThrowIfNull(arguments);

        var directory = NodeInterop.InteropDirectory;
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var psi = new ProcessStartInfo
        {
            FileName = NodeInterop.NodeExecutable,
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        psi.ArgumentList.Add(Path.Combine(directory, script));
        var args = arguments.ToList();
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (password is null)
        {
            psi.Environment.Remove(NodeInterop.PasswordEnvironmentVariable);
        }
        else
        {
            psi.Environment[NodeInterop.PasswordEnvironmentVariable] = password;
        }

        var description = $"node {script} {Redact(args)}".TrimEnd();
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start '{description}': {ex.Message}. Node.js must be on PATH (or set {NodeInterop.NodeEnvironmentVariable}).", ex);
        }

        return new NodeProcess(process, description);
    }

    /// <summary>
    /// Returns the earliest not-yet-consumed stdout line (including lines that arrived before this call) for which
    /// <paramref name="predicate"/> is true, and marks it consumed so a later wait cannot return it again
    /// (e.g. waiting twice for <c>connected</c> yields the first and then the second connection).
    /// A predicate that throws counts as "no match". Throws <see cref="TimeoutException"/> on timeout and
    /// <see cref="InvalidOperationException"/> once the process has exited without a match; both messages carry the
    /// stdout/stderr transcript.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                for (var i = _firstUnconsumed; i < _entries.Count; i++)
                {
                    var entry = _entries[i];
                    if (entry.Consumed || !Matches(predicate, entry.Line))
                    {
                        continue;
                    }

                    entry.Consumed = true;
                    while (_firstUnconsumed < _entries.Count && _entries[_firstUnconsumed].Consumed)
                    {
                        _firstUnconsumed++;
                    }

                    return entry.Line;
                }

                if (_stdoutClosed)
                {
                    break;
                }

                signal = _changed.Task;
            }

            var remaining = timeout - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"'{_description}' printed no matching line within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.{Environment.NewLine}{Transcript()}");
            }

            await Task.WhenAny(signal, Task.Delay(remaining)).ConfigureAwait(false);
        }

        var exitCode = await TryGetExitCodeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"'{_description}' exited (code {exitCode}) without printing a matching line.{Environment.NewLine}{Transcript()}");
    }

    /// <summary>Waits for a line with the given <c>event</c> (and optionally <c>action</c>) using the default timeout.</summary>
    public Task<JsonObject> WaitForEventAsync(string eventName, string? action = null, TimeSpan? timeout = null) =>
        WaitForAsync(line => line.IsEvent(eventName, action), timeout ?? NodeInterop.DefaultTimeout);

    /// <summary>Serializes <paramref name="command"/> (web defaults: camelCase, nulls omitted) as one line on stdin.</summary>
    public async Task SendAsync(object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var json = command is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(command, command.GetType(), _commandJson);
        await _stdinGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteAsync(json + "\n").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _stdinGate.Release();
        }
    }

    /// <summary>
    /// Sends <c>{"cmd":"call"}</c> (for the CSMS pass the charge point's <paramref name="identity"/>) and returns the
    /// matching <c>result</c> or <c>error</c> line; inspect <c>line["event"]</c>, <c>line["result"]</c>, <c>line["code"]</c>.
    /// </summary>
    public async Task<JsonObject> CallAsync(string action, object parameters, string? identity = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(parameters);
        var id = Guid.NewGuid().ToString("N");
        var paramsNode = parameters as JsonNode ?? JsonSerializer.SerializeToNode(parameters, parameters.GetType(), _commandJson);
        await SendAsync(new JsonObject
        {
            ["cmd"] = "call",
            ["id"] = id,
            ["identity"] = identity,
            ["action"] = action,
            ["params"] = paramsNode?.DeepClone(),
        }).ConfigureAwait(false);
        return await WaitForAsync(
            line => (line.IsEvent("result") || line.IsEvent("error")) && line.GetString("id") == id,
            timeout ?? NodeInterop.DefaultTimeout).ConfigureAwait(false);
    }

    /// <summary>The last stdout lines and stderr, for assertion messages.</summary>
    public string Transcript()
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            sb.Append("--- ").Append(_description).AppendLine(" stdout ---");
            var skip = Math.Max(0, _rawStdout.Count - MaxTranscriptLines);
            if (skip > 0)
            {
                sb.Append("(... ").Append(skip.ToString(CultureInfo.InvariantCulture)).AppendLine(" earlier lines)");
            }

            foreach (var line in _rawStdout.Skip(skip))
            {
                sb.AppendLine(line);
            }

            sb.Append("--- ").Append(_description).AppendLine(" stderr ---");
            sb.Append(_stderr);
            return sb.ToString();
        }
    }

    /// <summary>Sends <c>exit</c>, closes stdin, and kills the process tree if it is still running after 2 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!HasExited)
        {
            try
            {
                await SendAsync(new { cmd = "exit" }).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // stdin already gone
            }
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // broken pipe: the process is gone
        }

        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                NodeInterop.TryKill(_process);
            }
        }

        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _process.Dispose();
        _stdinGate.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => _description;

    private static bool Matches(Func<JsonObject, bool> predicate, JsonObject line)
    {
        try
        {
            return predicate(line);
        }
#pragma warning disable CA1031 // a predicate that throws on an unexpected line shape simply does not match
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Redact(List<string> args)
    {
        var parts = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--password", StringComparison.Ordinal))
            {
                parts.Add("--password ***");
                if (!args[i].Contains('=', StringComparison.Ordinal))
                {
                    i++;
                }

                continue;
            }

            parts.Add(args[i]);
        }

        return string.Join(' ', parts);
    }

    private async Task<string> TryGetExitCodeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            return "unknown";
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                if (text.Length == 0)
                {
                    continue;
                }

                JsonObject line;
                try
                {
                    line = JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["event"] = "stdout", ["text"] = text };
                }
                catch (JsonException)
                {
                    line = new JsonObject { ["event"] = "stdout", ["text"] = text };
                }

                TaskCompletionSource toSignal;
                lock (_gate)
                {
                    _rawStdout.Add(text);
                    _entries.Add(new Entry(line));
                    toSignal = _changed;
                    _changed = NewSignal();
                }

                toSignal.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // stream torn down
        }
        finally
        {
            TaskCompletionSource toSignal;
            lock (_gate)
            {
                _stdoutClosed = true;
                toSignal = _changed;
            }

            toSignal.TrySetResult();
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                lock (_gate)
                {
                    if (_stderr.Length < MaxStderrChars)
                    {
                        _stderr.AppendLine(text);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // stream torn down
        }
    }

    private sealed class Entry(JsonObject line)
    {
        public JsonObject Line { get; } = line;

        public bool Consumed { get; set; }
    }
}

/// <summary>Small accessors for harness lines.</summary>
public static class NodeLineExtensions
{
    /// <summary>The string value of <paramref name="property"/>, or null when absent or not a string.</summary>
    public static string? GetString(this JsonObject line, string property)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line[property] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>True when <c>event</c> equals <paramref name="eventName"/> (and <c>action</c> equals <paramref name="action"/> if given).</summary>
    public static bool IsEvent(this JsonObject line, string eventName, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.GetString("event") == eventName && (action is null || line.GetString("action") == action);
    }
}
