using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// A RabbitMQ broker for the scale-out tests: <c>OCPP16_RABBITMQ_URI</c> when set; otherwise a private node of
/// Debian's <c>rabbitmq-server</c> on free loopback ports with its own data directory (installed with apt-get first when
/// missing and this runs as root, as <c>.ci/run</c> does). Disposing stops the private node and deletes its files.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private const string Server = "/usr/sbin/rabbitmq-server";
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _directory;

    /// <summary>The AMQP URI of the broker (guest account, loopback).</summary>
    public string Uri { get; private set; } = string.Empty;

    /// <summary>What the private node wrote (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("OCPP16_RABBITMQ_URI") is { Length: > 0 } configured)
        {
            Uri = configured;
            return;
        }

        if (!File.Exists(Server))
        {
            await InstallAsync();
        }

        _directory = Path.Combine(Path.GetTempPath(), "ocpp16-rabbitmq-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), "[].\n");
        if (Environment.UserName == "root")
        {
            // Debian's wrapper runs the node as the rabbitmq user: its directories must be that user's.
            await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", _directory], TimeSpan.FromSeconds(30));
        }

        var port = Samples.FreePort();
        var start = new ProcessStartInfo(Server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["RABBITMQ_NODENAME"] = $"ocpp16test{port}@localhost";
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        start.Environment["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_DIST_PORT"] = Samples.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log");
        start.Environment["RABBITMQ_LOGS"] = "-";
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins");
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (!await AcceptsAsync(port))
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                Assert.Fail($"The RabbitMQ node did not start (exited: {_process.HasExited}, {clock.Elapsed.TotalSeconds:F0} s). Output:\n{Output}");
            }

            await Task.Delay(250);
        }

        Uri = $"amqp://guest:guest@127.0.0.1:{port}/";
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Gone already, or slow to die: the temporary directory is removed below or by the OS.
            }

            process.Dispose();
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file still held by the dying node.
            }
        }
    }

    private static async Task InstallAsync()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail($"The scale-out tests need RabbitMQ: install Debian's rabbitmq-server ({Server}) or set OCPP16_RABBITMQ_URI.");
        }

        await RunAsync("apt-get", ["install", "-y", "-q", "--no-install-recommends", "rabbitmq-server"], TimeSpan.FromMinutes(5));
        if (!File.Exists(Server))
        {
            Assert.Fail("apt-get install rabbitmq-server did not provide " + Server);
        }
    }

    private static async Task RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
