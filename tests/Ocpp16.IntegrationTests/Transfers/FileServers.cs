using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ocpp16.IntegrationTests.Transfers;

/// <summary>
/// A firmware and log server on real Kestrel (127.0.0.1, free ports, HTTP and HTTPS): GET and PUT of
/// <c>/files/{path}</c>, multipart POST to <c>/upload</c>; paths under <c>private/</c> need HTTP Basic
/// <see cref="User"/>:<see cref="Password"/> (401 otherwise), paths under <c>forbidden/</c> answer 403.
/// </summary>
internal sealed class HttpFileServer : IAsyncDisposable
{
    public const string User = "fw-user";
    public const string Password = "fw-secret-password";

    private readonly WebApplication _app;

    private HttpFileServer(WebApplication app, Uri http, Uri https)
    {
        _app = app;
        Http = http;
        Https = https;
    }

    /// <summary>http://127.0.0.1:PORT/.</summary>
    public Uri Http { get; }

    /// <summary>https://127.0.0.1:PORT/ (the certificate given at start).</summary>
    public Uri Https { get; }

    /// <summary>The files, by path (e.g. <c>files/fw.bin</c>, <c>upload/diag.log</c>).</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request: method and path.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<HttpFileServer> StartAsync(X509Certificate2 serverCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate));
        });
        var app = builder.Build();
        HttpFileServer? server = null;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value!.TrimStart('/');
            server!.Requests.Enqueue(context.Request.Method + " " + path);
            if (path.Contains("/forbidden/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 403;
                return;
            }

            if (path.Contains("/private/", StringComparison.Ordinal) && context.Request.Headers.Authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)))
            {
                context.Response.StatusCode = 401;
                return;
            }

            await next(context);
        });
        app.MapGet("/files/{**path}", (string path) => server!.Files.TryGetValue("files/" + path, out var content) ? Results.Bytes(content) : Results.NotFound());
        app.MapPut("/files/{**path}", async (string path, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            server!.Files["files/" + path] = body.ToArray();
            return Results.Created();
        });
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var file = form.Files.GetFile("file");
            if (file is null)
            {
                return Results.BadRequest();
            }

            using var body = new MemoryStream();
            await file.CopyToAsync(body);
            server!.Files["upload/" + file.FileName] = body.ToArray();
            return Results.Ok();
        }).DisableAntiforgery();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        server = new HttpFileServer(app, new Uri($"http://127.0.0.1:{addresses.Single(a => a.Scheme == "http").Port}/"), new Uri($"https://127.0.0.1:{addresses.Single(a => a.Scheme == "https").Port}/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A real FTP server on 127.0.0.1: Debian's python3-pyftpdlib (installed by <c>.ci/run</c>), with one user
/// <see cref="User"/>:<see cref="Password"/> that may write, serving a temporary folder (passive mode).
/// </summary>
internal sealed class FtpServer : IAsyncDisposable
{
    public const string User = "ocpp";
    public const string Password = "ftp-secret-password";

    private readonly Process _process;

    private FtpServer(Process process, int port, string root)
    {
        _process = process;
        Port = port;
        Root = root;
    }

    public int Port { get; }

    /// <summary>The served folder.</summary>
    public string Root { get; }

    /// <summary><c>ftp://user:password@127.0.0.1:PORT/</c>.</summary>
    public Uri WithCredentials(string path, string password = Password) => new($"ftp://{User}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/{path}");

    public static async Task<FtpServer> StartAsync()
    {
        const string python = "/usr/bin/python3";
        var root = Directory.CreateTempSubdirectory("ocpp16-ftp-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "pyftpdlib", "-i", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", "-d", root, "-u", User, "-P", Password })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"The FTP tests need {python} with pyftpdlib (apt-get install python3-pyftpdlib; .ci/run installs it).", e);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The FTP server exited ({process.ExitCode}): is python3-pyftpdlib installed (apt-get install python3-pyftpdlib; .ci/run installs it)?");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        return new FtpServer(process, port, root);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
