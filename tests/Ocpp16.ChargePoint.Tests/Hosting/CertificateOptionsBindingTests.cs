using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.ChargePoint.Tests.Support;

namespace Ocpp16.ChargePoint.Tests.Hosting;

/// <summary>
/// AddOcpp16ChargePoint(configuration) for security profiles 2 and 3 (Security Whitepaper ed. 3, §2): the certificate
/// files (PEM or DER roots, a PEM pair or PKCS#12 client certificate) are read relative to DataDirectory, the
/// per-profile URLs and the upload method are bound, and a file that cannot be read fails the start naming the option.
/// </summary>
public sealed class CertificateOptionsBindingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ocpp16-binding-" + Guid.NewGuid().ToString("N"));

    public CertificateOptionsBindingTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CertificateFiles_AreReadRelativeToTheDataDirectory_AndTheProfileUrlsAndUploadMethodAreBound()
    {
        var client = TestCertificates.Issue(TestCertificates.CpoRoot, "CN=CP-BOUND, O=Test CPO", rsa: false);
        var other = TestCertificates.CreateRoot("Second CPO Root", "Test CPO");

        // Two roots in one PEM file, a DER manufacturer root, the client certificate as a PEM pair.
        File.WriteAllText(Path.Combine(_directory, "csms-roots.pem"), TestCertificates.Pem(TestCertificates.CpoRoot) + "\n" + TestCertificates.Pem(other) + "\n");
        File.WriteAllBytes(Path.Combine(_directory, "manufacturer.der"), TestCertificates.ManufacturerRoot.RawData);
        File.WriteAllText(Path.Combine(_directory, "cp.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, "cp.key.pem"), client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var options = Resolve(new()
        {
            ["ChargePoint:Identity"] = "CP-BOUND",
            ["ChargePoint:DataDirectory"] = _directory,
            ["ChargePoint:SecurityProfile"] = "3",
            ["ChargePoint:CentralSystemUri"] = "wss://127.0.0.1:8443/ocpp",
            ["ChargePoint:SecurityProfileUris:1"] = "ws://127.0.0.1:8180/ocpp",
            ["ChargePoint:CentralSystemRootCertificateFiles:0"] = "csms-roots.pem",
            ["ChargePoint:ManufacturerRootCertificateFiles:0"] = "manufacturer.der",
            ["ChargePoint:ClientCertificateFile"] = "cp.pem",
            ["ChargePoint:ClientCertificateKeyFile"] = "cp.key.pem",
            ["ChargePoint:FileUploadMethod"] = "Post",
            ["ChargePoint:FirmwareDownloadDuringTransactions"] = "true",
        });

        Assert.Equal([TestCertificates.CpoRoot.Thumbprint, other.Thumbprint], options.CentralSystemRootCertificates.Select(c => c.Thumbprint));
        Assert.Equal(TestCertificates.ManufacturerRoot.Thumbprint, Assert.Single(options.ManufacturerRootCertificates).Thumbprint);
        Assert.Empty(options.FileTransferRootCertificates);
        Assert.NotNull(options.ClientCertificate);
        Assert.Equal(client.Thumbprint, options.ClientCertificate.Thumbprint);
        Assert.True(options.ClientCertificate.HasPrivateKey);
        Assert.Equal(new Uri("ws://127.0.0.1:8180/ocpp"), options.SecurityProfileUris[1]);
        Assert.Equal(FileUploadMethod.Post, options.FileUploadMethod);
        Assert.True(options.FirmwareDownloadDuringTransactions);
        Assert.Equal(3, options.SecurityProfile);
    }

    [Fact]
    public void AClientCertificateInPkcs12_IsReadWithItsPassword_FromAnAbsolutePath()
    {
        var client = TestCertificates.Issue(TestCertificates.CpoRoot, "CN=CP-P12, O=Test CPO", rsa: true);
        var path = Path.Combine(_directory, "elsewhere", "cp.pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, client.Export(X509ContentType.Pkcs12, "p12-secret"));

        var options = Resolve(new()
        {
            ["ChargePoint:Identity"] = "CP-P12",
            ["ChargePoint:CentralSystemUri"] = "ws://127.0.0.1:8180/ocpp",
            ["ChargePoint:DataDirectory"] = Path.Combine(_directory, "data"),
            ["ChargePoint:ClientCertificateFile"] = path,
            ["ChargePoint:ClientCertificatePassword"] = "p12-secret",
        });

        Assert.Equal(client.Thumbprint, options.ClientCertificate!.Thumbprint);
        Assert.True(options.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public async Task UnreadableCertificateFiles_FailTheStart_NamingTheOption_AndNoSecretIsInTheMessage()
    {
        File.WriteAllText(Path.Combine(_directory, "garbage.der"), "not a certificate");
        File.WriteAllText(Path.Combine(_directory, "key-only.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var client = TestCertificates.Issue(TestCertificates.CpoRoot, "CN=CP-BAD, O=Test CPO", rsa: true);
        File.WriteAllBytes(Path.Combine(_directory, "cp.pfx"), client.Export(X509ContentType.Pkcs12, "right-password"));
        using var host = Build(new()
        {
            ["ChargePoint:Identity"] = "CP-BAD",
            ["ChargePoint:CentralSystemUri"] = "ws://127.0.0.1:1/ocpp",
            ["ChargePoint:DataDirectory"] = _directory,
            ["ChargePoint:CentralSystemRootCertificateFiles:0"] = "missing.pem",
            ["ChargePoint:ManufacturerRootCertificateFiles:0"] = "garbage.der",
            ["ChargePoint:FileTransferRootCertificateFiles:0"] = "key-only.pem",
            ["ChargePoint:ClientCertificateFile"] = "cp.pfx",
            ["ChargePoint:ClientCertificatePassword"] = "wrong-password",
            ["ChargePoint:SecurityProfileUris:four"] = "wss://127.0.0.1:1/ocpp",
        });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        var missing = Assert.Single(e.Failures, f => f.StartsWith("ChargePointOptions.CentralSystemRootCertificateFiles:", StringComparison.Ordinal));
        Assert.Contains("missing.pem", missing, StringComparison.Ordinal);
        Assert.Contains(e.Failures, f => f.StartsWith("ChargePointOptions.ManufacturerRootCertificateFiles:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("ChargePointOptions.FileTransferRootCertificateFiles:", StringComparison.Ordinal) && f.EndsWith("holds no PEM certificate.", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("ChargePointOptions.ClientCertificateFile:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("ChargePointOptions.SecurityProfileUris: 'four'", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Failures, f => f.Contains("wrong-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Profile3_WithoutAReadableClientCertificate_FailsTheStart()
    {
        File.WriteAllText(Path.Combine(_directory, "csms-root.pem"), TestCertificates.Pem(TestCertificates.CpoRoot));
        using var host = Build(new()
        {
            ["ChargePoint:Identity"] = "CP-3",
            ["ChargePoint:CentralSystemUri"] = "wss://127.0.0.1:1/ocpp",
            ["ChargePoint:DataDirectory"] = _directory,
            ["ChargePoint:SecurityProfile"] = "3",
            ["ChargePoint:CentralSystemRootCertificateFiles:0"] = "csms-root.pem",
            ["ChargePoint:ClientCertificateFile"] = "cp.pem",
            ["ChargePoint:ClientCertificateKeyFile"] = "cp.key.pem",
        });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(e.Failures, f => f.StartsWith("ChargePointOptions.ClientCertificateFile:", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Security profile 3 needs ChargePointOptions.ClientCertificate", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Failures, f => f.Contains("CentralSystemRootCertificate", StringComparison.Ordinal));
    }

    private static ChargePointOptions Resolve(Dictionary<string, string?> settings)
    {
        using var host = Build(settings);
        return host.Services.GetRequiredService<IOptions<ChargePointOptions>>().Value;
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IChargePointHardware>(new SimulatedChargePointHardware(2));
        builder.Services.AddOcpp16ChargePoint(builder.Configuration.GetSection("ChargePoint"));
        return builder.Build();
    }
}
