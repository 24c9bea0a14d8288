using System.Security.Cryptography;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Features.FirmwareManagement;
using Ocpp16.IntegrationTests.Security;

namespace Ocpp16.IntegrationTests.Transfers;

/// <summary>
/// The charge point's file transfers against real servers on loopback: Kestrel for HTTP and HTTPS (downloads, PUT and
/// multipart POST uploads, Basic credentials from the URL, 401/403), and a real FTP server (Debian's pyftpdlib, passive
/// mode, credentials from the URL, 530 for a wrong password). Credentials never appear in an error.
/// </summary>
public sealed class FileTransferTests : IAsyncLifetime
{
    private static readonly byte[] Image = RandomNumberGenerator.GetBytes(300_000);
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _root = TestPki.CreateRootCa("File Server Root");
    private HttpFileServer _server = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _server = await HttpFileServer.StartAsync(TestPki.IssueServerCertificate(_root));
        _directory = Directory.CreateTempSubdirectory("ocpp16-transfer-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private FileTransferClient Client(FileUploadMethod method = FileUploadMethod.Put, bool trustRoot = true)
    {
        var options = new ChargePointOptions { FileUploadMethod = method };
        if (trustRoot)
        {
            options.FileTransferRootCertificates.Add(TestPki.PublicOnly(_root));
        }

        return new FileTransferClient(options);
    }

    private string Local(string name) => Path.Combine(_directory, name);

    [Fact]
    public async Task Http_Downloads_UploadsByPutAndByMultipartPost_WithCredentialsFromTheUrl()
    {
        _server.Files["files/private/fw.bin"] = Image;
        var credentials = new Uri(_server.Http, $"files/private/fw.bin").ToString().Replace("http://", $"http://{HttpFileServer.User}:{HttpFileServer.Password}@", StringComparison.Ordinal);
        await Client().DownloadAsync(new Uri(credentials), Local("fw.bin"), CancellationToken.None);
        Assert.Equal(Image, await File.ReadAllBytesAsync(Local("fw.bin")));

        await File.WriteAllTextAsync(Local("diag.log"), "diagnostics");
        await Client().UploadAsync(new Uri(_server.Http, "files/logs/"), Local("diag.log"), "diag-1.log", CancellationToken.None);
        Assert.Equal("diagnostics", System.Text.Encoding.UTF8.GetString(_server.Files["files/logs/diag-1.log"]));
        await Client().UploadAsync(new Uri(_server.Http, "files/logs/exact-name.log"), Local("diag.log"), "ignored.log", CancellationToken.None);
        Assert.True(_server.Files.ContainsKey("files/logs/exact-name.log"));

        await Client(FileUploadMethod.Post).UploadAsync(new Uri(_server.Http, "upload"), Local("diag.log"), "diag-2.log", CancellationToken.None);
        Assert.Equal("diagnostics", System.Text.Encoding.UTF8.GetString(_server.Files["upload/diag-2.log"]));
        Assert.Contains("POST upload", _server.Requests);
    }

    [Fact]
    public async Task Http_401And403_ArePermissionDenied_404IsAFailure_AndNoErrorShowsTheCredentials()
    {
        _server.Files["files/private/fw.bin"] = Image;
        var wrong = new Uri(new Uri(_server.Http, "files/private/fw.bin").ToString().Replace("http://", "http://fw-user:not-the-password@", StringComparison.Ordinal));
        var denied = await Assert.ThrowsAsync<FileTransferException>(() => Client().DownloadAsync(wrong, Local("x.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.PermissionDenied, denied.Failure);
        Assert.DoesNotContain("not-the-password", denied.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Local("x.bin")));

        await File.WriteAllTextAsync(Local("diag.log"), "d");
        var forbidden = await Assert.ThrowsAsync<FileTransferException>(() => Client().UploadAsync(new Uri(_server.Http, "files/forbidden/"), Local("diag.log"), "d.log", CancellationToken.None));
        Assert.Equal(TransferFailure.PermissionDenied, forbidden.Failure);
        var missing = await Assert.ThrowsAsync<FileTransferException>(() => Client().DownloadAsync(new Uri(_server.Http, "files/none.bin"), Local("y.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.Failed, missing.Failure);
        var scheme = await Assert.ThrowsAsync<FileTransferException>(() => Client().DownloadAsync(new Uri("sftp://127.0.0.1/fw.bin"), Local("z.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.NotSupported, scheme.Failure);
    }

    [Fact]
    public async Task Https_TrustsTheConfiguredRoot_AndFailsAgainstTheSystemStore()
    {
        _server.Files["files/fw.bin"] = Image;
        await Client().DownloadAsync(new Uri(_server.Https, "files/fw.bin"), Local("fw.bin"), CancellationToken.None);
        Assert.Equal(Image, await File.ReadAllBytesAsync(Local("fw.bin")));

        var untrusted = await Assert.ThrowsAsync<FileTransferException>(() => Client(trustRoot: false).DownloadAsync(new Uri(_server.Https, "files/fw.bin"), Local("fw2.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.Failed, untrusted.Failure);
    }

    [Fact]
    public async Task Ftp_PassiveDownloadAndUpload_WithCredentialsFromTheUrl_AWrongPasswordIsPermissionDenied()
    {
        await using var ftp = await FtpServer.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(ftp.Root, "fw.bin"), Image);
        await Client().DownloadAsync(ftp.WithCredentials("fw.bin"), Local("fw.bin"), CancellationToken.None);
        Assert.Equal(Image, await File.ReadAllBytesAsync(Local("fw.bin")));

        Directory.CreateDirectory(Path.Combine(ftp.Root, "logs"));
        await File.WriteAllTextAsync(Local("diag.log"), "ftp diagnostics");
        await Client().UploadAsync(ftp.WithCredentials("logs/"), Local("diag.log"), "diag-ftp.log", CancellationToken.None);
        Assert.Equal("ftp diagnostics", await File.ReadAllTextAsync(Path.Combine(ftp.Root, "logs", "diag-ftp.log")));

        var denied = await Assert.ThrowsAsync<FileTransferException>(() => Client().DownloadAsync(ftp.WithCredentials("fw.bin", "wrong-password"), Local("x.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.PermissionDenied, denied.Failure);
        Assert.DoesNotContain("wrong-password", denied.ToString(), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<FileTransferException>(() => Client().DownloadAsync(ftp.WithCredentials("none.bin"), Local("y.bin"), CancellationToken.None));
        Assert.Equal(TransferFailure.Failed, missing.Failure);
    }
}
