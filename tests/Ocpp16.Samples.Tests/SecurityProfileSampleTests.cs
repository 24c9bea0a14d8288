using System.Net;
using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// Contract: security profiles 2 and 3 between the two samples (OCPP 1.6 Security Whitepaper ed. 3). <c>MinimalCsms
/// --create-pki DIR</c> writes a demo PKI; MinimalCsms listens with TLS (<c>Csms:Tls</c>) and signs the charge points'
/// CSRs with <c>Csms:CertificateAuthority</c>; DcCharger connects on profile 2 with its root certificate file (in its
/// data directory), and on profile 1 gets its certificate through SignCertificate/CertificateSigned, is raised to
/// profile 3 by ChangeConfiguration SecurityProfile and reconnects over TLS with that certificate, also after a restart.
/// </summary>
public sealed class SecurityProfileSampleTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ocpp16-pki-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Profile_2_and_profile_3_with_a_CSMS_signed_certificate_run_end_to_end()
    {
        // The demo PKI, made by the sample itself.
        var pki = Path.Combine(_directory, "pki");
        await using (var create = SampleProcess.Start("MinimalCsms", ["--create-pki", pki, "--Csms:CertificateAuthority:Organization", "Demo CPO"]))
        {
            Assert.Equal(0, await create.WaitForExitAsync(Timeout));
        }

        foreach (var file in new[] { "csms-ca.pem", "csms-ca.key.pem", "csms-tls.pem", "csms-tls.key.pem", "manufacturer-root.pem", "firmware-signing.pem", "firmware-signing.key.pem" })
        {
            Assert.True(File.Exists(Path.Combine(pki, file)), file);
        }

        var tlsPort = 0;
        await using var rig = await Rig.StartAsync(port =>
        {
            tlsPort = Samples.FreePort();
            return
            [
                "--urls", $"http://127.0.0.1:{port};https://127.0.0.1:{tlsPort}",
                "--Csms:Tls:CertificatePem", Path.Combine(pki, "csms-tls.pem"),
                "--Csms:Tls:KeyPem", Path.Combine(pki, "csms-tls.key.pem"),
                "--Csms:CertificateAuthority:CertificatePem", Path.Combine(pki, "csms-ca.pem"),
                "--Csms:CertificateAuthority:KeyPem", Path.Combine(pki, "csms-ca.key.pem"),
                "--Csms:CertificateAuthority:Organization", "Demo CPO",
                "--ChargePoints:CP2:Password", "cp2-authorization-key",
                "--ChargePoints:CP2:SecurityProfile", "2",
                "--ChargePoints:CP3:Password", "cp3-authorization-key",
            ];
        });
        await rig.Csms.WaitForOutputAsync($"Now listening on: https://127.0.0.1:{tlsPort}", Timeout);
        var wss = $"wss://127.0.0.1:{tlsPort}/ocpp";

        // Profile 2: TLS with the CSMS root from a file in the data directory, plus HTTP Basic auth.
        var cp2Data = Path.Combine(_directory, "cp2");
        Directory.CreateDirectory(cp2Data);
        File.Copy(Path.Combine(pki, "csms-ca.pem"), Path.Combine(cp2Data, "csms-ca.pem"));
        var cp2 = await rig.StartConnectedChargerAsync("CP2", "--csms", wss, "--password", "cp2-authorization-key", "--data-dir", cp2Data,
            "--ChargePoint:SecurityProfile", "2", "--ChargePoint:CentralSystemRootCertificateFiles:0", "csms-ca.pem");
        Assert.Contains($"connecting to {wss}", cp2.Output, StringComparison.Ordinal);

        // CP2 is a profile 2 charge point for the CSMS: plain ws is refused.
        var plain = rig.StartCharger("CP2", "--password", "cp2-authorization-key", "--data-dir", Path.Combine(_directory, "cp2-plain"));
        await plain.WaitForOutputAsync("status code '401'", Timeout); // the refused upgrade, not a port or path that holds 401
        await plain.DisposeAsync();

        // Profile 1 first, with the profile 3 URL configured.
        var cp3Arguments = new[]
        {
            "--password", "cp3-authorization-key", "--data-dir", Path.Combine(_directory, "cp3"),
            "--ChargePoint:SecurityProfile", "1", "--ChargePoint:SecurityProfileUris:3", wss,
        };
        var cp3 = await rig.StartConnectedChargerAsync("CP3", cp3Arguments);

        // Not yet: profile 3 needs the CSMS root and a client certificate.
        Assert.Equal("Rejected", await CommandStatusAsync(rig, "ChangeConfiguration", new { key = "SecurityProfile", value = "3" }));

        Assert.Equal("Accepted", await CommandStatusAsync(rig, "InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = await File.ReadAllTextAsync(Path.Combine(pki, "csms-ca.pem")) }));
        Assert.Equal("Accepted", await CommandStatusAsync(rig, "ChangeConfiguration", new { key = "CpoName", value = "Demo CPO" }));
        Assert.Equal("Accepted", await CommandStatusAsync(rig, "ExtendedTriggerMessage", new { requestedMessage = "SignChargePointCertificate" }));
        await rig.Csms.WaitForOutputAsync("Charge point CP3: certificate issued to", Timeout);
        await cp3.WaitForOutputAsync("Received CertificateSigned", Timeout);

        // The CertificateSigned answer is on its way: SecurityProfile 3 is accepted once the certificate is stored.
        var deadline = DateTime.UtcNow + Timeout;
        string status;
        while ((status = await CommandStatusAsync(rig, "ChangeConfiguration", new { key = "SecurityProfile", value = "3" })) != "Accepted" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal("Accepted", status);

        // The charger reconnects over TLS with the CSMS-signed certificate and no password (CP3 has one configured,
        // so only the certificate can have authenticated it).
        await cp3.WaitForOutputAsync($"CP3 connecting to {wss}", Timeout);
        await WaitForConnectionsAsync(rig.Csms, "CP3", 2);
        await rig.Api.WaitForChargePointAvailableAsync("CP3", rig.All);
        var events = await rig.Api.GetJsonAsync("/api/chargepoints/CP3/log");
        Assert.Contains("SignCertificate", events.ToString(), StringComparison.Ordinal);

        // After a restart it goes straight to profile 3: the profile and the certificate are kept in its data directory.
        await cp3.DisposeAsync();
        var again = rig.StartCharger("CP3", cp3Arguments);
        await again.WaitForOutputAsync($"CP3 connecting to {wss}", Timeout);
        Assert.DoesNotContain("connecting to ws://", again.Output, StringComparison.Ordinal);
        await WaitForConnectionsAsync(rig.Csms, "CP3", 3);
    }

    [Fact]
    public async Task An_unreadable_certificate_file_stops_the_start_naming_the_setting()
    {
        // DcCharger: the option named, exit code 2.
        await using (var charger = SampleProcess.StartDcCharger(1, "CP9", "--data-dir", _directory, "--ChargePoint:CentralSystemRootCertificateFiles:0", "missing-root.pem"))
        {
            Assert.Equal(2, await charger.WaitForExitAsync(Timeout));
            Assert.Contains("ChargePointOptions.CentralSystemRootCertificateFiles", charger.Output, StringComparison.Ordinal);
            Assert.Contains("missing-root.pem", charger.Output, StringComparison.Ordinal);
        }

        // MinimalCsms: the setting named, a non-zero exit.
        await using var csms = SampleProcess.StartMinimalCsms(Samples.FreePort(), "--Csms:Tls:CertificatePem", Path.Combine(_directory, "missing.pem"), "--Csms:Tls:KeyPem", Path.Combine(_directory, "missing.key.pem"));
        Assert.NotEqual(0, await csms.WaitForExitAsync(Timeout));
        Assert.Contains("Csms:Tls", csms.Output, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<string> CommandStatusAsync(Rig rig, string action, object payload)
    {
        var (code, body, text) = await rig.Api.PostCommandAsync("CP3", action, JsonSerializer.Serialize(payload));
        Assert.True(code == HttpStatusCode.OK, $"{action} → {(int)code}: {text}");
        return Api.String(body!.Value, "status")!;
    }

    private static async Task WaitForConnectionsAsync(SampleProcess csms, string id, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (csms.Output.Split('\n').Count(l => l.Contains($"Charge point {id} connected", StringComparison.Ordinal)) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} did not connect {count} times. {csms}");
            await Task.Delay(100);
        }
    }
}
