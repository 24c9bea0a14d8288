using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.EndToEnd;
using Ocpp16.IntegrationTests.Security;
using Ocpp16.Messages;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Transfers;

/// <summary>
/// Firmware Management and the Security extension's file transfers end to end, in real time: the library's Central
/// System commands the library's charge point, which moves real files to and from Kestrel (HTTP, HTTPS) and a real FTP
/// server; the statuses reach the Central System's session and events.
/// </summary>
public sealed class FirmwareEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] Image = RandomNumberGenerator.GetBytes(200_000);

    private readonly X509Certificate2 _fileServerRoot = TestPki.CreateRootCa("E2E File Server Root");
    private readonly X509Certificate2 _manufacturerRoot = TestPki.CreateRootCa("E2E Manufacturer Root", "E2E Manufacturer");
    private readonly ConcurrentQueue<TransferStatus> _statuses = new();
    private X509Certificate2 _signer = null!;
    private HttpFileServer _files = null!;
    private TestCentralSystem _csms = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _signer = IssueRsaSigner(_manufacturerRoot);
        _files = await HttpFileServer.StartAsync(TestPki.IssueServerCertificate(_fileServerRoot));
        _csms = await TestCentralSystem.StartAsync();
        _csms.CentralSystem.TransferStatusReceived += (_, e) => _statuses.Enqueue(e.Status);
        _directory = Directory.CreateTempSubdirectory("ocpp16-e2e-fw-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _csms.DisposeAsync();
        await _files.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static X509Certificate2 IssueRsaSigner(X509Certificate2 issuer)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=E2E Firmware Signing, O=E2E Manufacturer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);
        using var withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task<(ChargePointClient ChargePoint, SimulatedChargePointHardware Hardware, ConnectedChargePoint Connected)> StartChargePointAsync(string id)
    {
        var options = new ChargePointOptions
        {
            Identity = id,
            CentralSystemUri = _csms.BaseUri,
            DataDirectory = Path.Combine(_directory, id),
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        options.FeatureProfiles.Add(OcppFeatureProfile.FirmwareManagement);
        options.FeatureProfiles.Add(OcppFeatureProfile.Security);
        options.ManufacturerRootCertificates.Add(TestPki.PublicOnly(_manufacturerRoot));
        options.FileTransferRootCertificates.Add(TestPki.PublicOnly(_fileServerRoot));
        var hardware = new SimulatedChargePointHardware(2) { DiagnosticsDirectory = Path.Combine(_directory, id + "-diagnostics") };
        var chargePoint = new ChargePointClient(options, hardware);
        await chargePoint.StartAsync();
        var connected = await _csms.WaitForChargePointAsync(id, Timeout);
        return (chargePoint, hardware, connected);
    }

    private IReadOnlyList<string> Statuses(TransferKind kind) => [.. _statuses.Where(s => s.Kind == kind).Select(s => s.Status)];

    [Fact]
    public async Task TC_080_SignedUpdateFirmware_OverHttps_SignedWithTheFirmwareSigningHelper_InstallsAfterTheSignatureIsVerified()
    {
        var (chargePoint, hardware, connected) = await StartChargePointAsync("E2E-SIGNED");
        await using (chargePoint)
        {
            var path = Path.Combine(_directory, "fw-2.1.bin");
            await File.WriteAllBytesAsync(path, Image);
            _files.Files["files/fw-2.1.bin"] = Image;
            var request = FirmwareSigning.CreateRequest(path, _signer, new Uri(_files.Https, "files/fw-2.1.bin"), 77, DateTimeOffset.UtcNow, retries: 1, retryInterval: 1);
            Assert.Equal(UpdateFirmwareStatus.Accepted, (await connected.SignedUpdateFirmwareAsync(request)).Status);

            await Wait.UntilAsync(() => Statuses(TransferKind.SignedFirmware).Contains("Installed"), Timeout, "Installed after the reboot");
            Assert.Equal(["Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed"], Statuses(TransferKind.SignedFirmware));
            Assert.All(_statuses.Where(s => s.Kind == TransferKind.SignedFirmware), s => Assert.Equal(77, s.RequestId));
            Assert.Equal(Image, Assert.Single(hardware.InstalledFirmwareContents));
            Assert.True(_csms.CentralSystem.TryGetSession("E2E-SIGNED", out var session));
            await Wait.UntilAsync(() => session.SecurityEvents.Any(e => e.Type == "FirmwareUpdated"), Timeout, "FirmwareUpdated");
        }
    }

    [Fact]
    public async Task TC_081_SignedUpdateFirmware_ATamperedFileOnTheServer_InvalidSignature_AndNothingInstalled()
    {
        var (chargePoint, hardware, connected) = await StartChargePointAsync("E2E-TAMPERED");
        await using (chargePoint)
        {
            var path = Path.Combine(_directory, "fw-good.bin");
            await File.WriteAllBytesAsync(path, Image);
            var tampered = Image.ToArray();
            tampered[^1] ^= 0x80;
            _files.Files["files/fw-evil.bin"] = tampered;
            var request = FirmwareSigning.CreateRequest(path, _signer, new Uri(_files.Http, "files/fw-evil.bin"), 78, DateTimeOffset.UtcNow);
            Assert.Equal(UpdateFirmwareStatus.Accepted, (await connected.SignedUpdateFirmwareAsync(request)).Status);

            await Wait.UntilAsync(() => Statuses(TransferKind.SignedFirmware).Contains("InvalidSignature"), Timeout, "InvalidSignature");
            Assert.Equal(["Downloading", "Downloaded", "InvalidSignature"], Statuses(TransferKind.SignedFirmware));
            Assert.True(_csms.CentralSystem.TryGetSession("E2E-TAMPERED", out var session));
            await Wait.UntilAsync(() => session.SecurityEvents.Any(e => e.Type == "InvalidFirmwareSignature"), Timeout, "InvalidFirmwareSignature");
            Assert.Empty(hardware.InstalledFirmwareContents);
        }
    }

    [Fact]
    public async Task TC_044_1_And_TC_045_1_UpdateFirmwareOverFtp_GetDiagnosticsToFtp_AndGetSecurityLogByHttpsPut()
    {
        await using var ftp = await FtpServer.StartAsync();
        var (chargePoint, hardware, connected) = await StartChargePointAsync("E2E-FTP");
        await using (chargePoint)
        {
            await File.WriteAllBytesAsync(Path.Combine(ftp.Root, "fw-1.9.bin"), Image);
            await connected.UpdateFirmwareAsync(new UpdateFirmwareRequest { Location = ftp.WithCredentials("fw-1.9.bin").ToString(), RetrieveDate = DateTimeOffset.UtcNow });
            await Wait.UntilAsync(() => Statuses(TransferKind.Firmware).Contains("Installed"), Timeout, "Installed");
            Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], Statuses(TransferKind.Firmware));
            Assert.Equal(Image, Assert.Single(hardware.InstalledFirmwareContents));
            connected = await Wait.ForAsync(() => _csms.CentralSystem.TryGetChargePoint("E2E-FTP", out var cp) && cp.Session.FirmwareStatus?.Status == "Installed" ? cp : null, Timeout, "reconnected");

            Directory.CreateDirectory(Path.Combine(ftp.Root, "diagnostics"));
            var diagnostics = await connected.GetDiagnosticsAsync(new GetDiagnosticsRequest { Location = ftp.WithCredentials("diagnostics/").ToString() });
            Assert.NotNull(diagnostics.FileName);
            await Wait.UntilAsync(() => Statuses(TransferKind.Diagnostics).Contains("Uploaded"), Timeout, "diagnostics Uploaded");
            Assert.Equal(["Uploading", "Uploaded"], Statuses(TransferKind.Diagnostics));
            Assert.Contains("connector 1", await File.ReadAllTextAsync(Path.Combine(ftp.Root, "diagnostics", diagnostics.FileName)), StringComparison.Ordinal);

            var log = await connected.GetLogAsync(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 31, Log = new LogParameters { RemoteLocation = new Uri(_files.Https, "files/logs/").ToString() } });
            Assert.Equal(LogStatus.Accepted, log.Status);
            await Wait.UntilAsync(() => Statuses(TransferKind.Log).Contains("Uploaded"), Timeout, "log Uploaded");
            Assert.Equal(31, _statuses.Last(s => s.Kind == TransferKind.Log).RequestId);
            var uploaded = System.Text.Encoding.UTF8.GetString(_files.Files["files/logs/" + log.Filename]);
            Assert.Contains("StartupOfTheDevice", uploaded, StringComparison.Ordinal);
            Assert.Contains("FirmwareUpdated", uploaded, StringComparison.Ordinal);
        }
    }
}
