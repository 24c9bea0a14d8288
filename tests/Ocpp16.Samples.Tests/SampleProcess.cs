using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Text;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// A sample running as its own process (<c>dotnet X.dll args</c>) with stdin, stdout and stderr redirected.
/// Disposing kills the whole process tree.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly string _name;
    private string? _temporaryDirectory;

    private SampleProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    /// <summary>Everything the process wrote so far (stdout and stderr, interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts MinimalCsms on http://127.0.0.1:<paramref name="port"/>, with a fresh data directory (deleted on dispose)
    /// unless the arguments give <c>--data-dir</c>: concurrent test processes never share a database.
    /// </summary>
    public static SampleProcess StartMinimalCsms(int port, params string[] arguments)
    {
        if (arguments.Contains("--data-dir"))
        {
            return Start("MinimalCsms", ["--urls", $"http://127.0.0.1:{port}", .. arguments]);
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-csms-" + Guid.NewGuid().ToString("N"));
        var process = Start("MinimalCsms", ["--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDirectory, .. arguments]);
        process._temporaryDirectory = dataDirectory;
        return process;
    }

    /// <summary>Starts DcCharger against the MinimalCsms on <paramref name="csmsPort"/>.</summary>
    public static SampleProcess StartDcCharger(int csmsPort, string id, params string[] arguments)
        => Start("DcCharger", ["--csms", $"ws://127.0.0.1:{csmsPort}/ocpp", "--id", id, .. arguments]);

    /// <summary>Starts a sample by name with the given command-line arguments.</summary>
    public static SampleProcess Start(string name, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Samples.OutputDirectory(name),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Samples.EntryAssembly(name));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sample = new SampleProcess(name, process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Writes one command line to the process's stdin.</summary>
    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output so far on timeout.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"{_name} did not write \"{text}\" within {timeout.TotalSeconds} s. Output:\n{Output}");
            }

            if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                await Task.Delay(200).ConfigureAwait(false); // let the last lines arrive
                if (!Output.Contains(text, StringComparison.Ordinal))
                {
                    Assert.Fail($"{_name} exited ({_process.ExitCode}) without writing \"{text}\". Output:\n{Output}");
                }
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until some output line satisfies <paramref name="predicate"/>; fails with the output so far on timeout.</summary>
    public async Task WaitForLineAsync(Func<string, bool> predicate, string description, TimeSpan timeout, params SampleProcess[] others)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Split('\n').Any(predicate))
        {
            if (deadline.Elapsed > timeout || _process.HasExited)
            {
                await Task.Delay(200).ConfigureAwait(false); // let the last lines arrive
                if (!Output.Split('\n').Any(predicate))
                {
                    Assert.Fail($"{_name} wrote no line with {description} within {timeout.TotalSeconds} s (exited: {_process.HasExited}). Output:\n{Output}\n{string.Join("\n", others.Select(o => o.ToString()))}");
                }

                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the process to stop as systemd or Ctrl+C would (SIGTERM; Linux and macOS).</summary>
    public void Terminate()
    {
        if (kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Waits for the process to exit; null if it did not within <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Kills the process tree (if still running) and waits for it briefly.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it would not die in time: nothing more to do.
        }
        finally
        {
            _process.Dispose();
            if (_temporaryDirectory is not null && Directory.Exists(_temporaryDirectory))
            {
                try
                {
                    Directory.Delete(_temporaryDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // A file still held by a dying process: the temp folder is cleaned by the OS.
                }
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{_name}:\n{Output}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
