using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.Security;
using Ocpp16.IntegrationTests.Transfers;
using Ocpp16.Messages;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// The Firmware Management and Security extension messages against ocpp-rpc in strict mode, both directions: the
/// library's charge point answering and sending every one of them to ocpp-rpc's Central System, and the library's
/// Central System (with its certificate authority) answering an ocpp-rpc charge point and sending it CertificateSigned.
/// Every message is validated against the official schemas on the ocpp-rpc side; each test ends by checking that it
/// reported no validation failure.
/// </summary>
public sealed class SecurityInteropTests
{
    private const string Cpo = "Interop CPO";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static void AssertNoStrictFailures(NodeProcess node)
        => Assert.DoesNotContain(node.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));

    private static async Task<JsonNode> ResultAsync(NodeProcess csms, string identity, string action, object parameters)
    {
        var line = await csms.CallAsync(action, parameters, identity, Timeout);
        Assert.True(line.IsEvent("result"), action + ": " + csms.Transcript());
        return line["result"]!;
    }

    [Fact]
    public async Task OurChargePoint_FirmwareAndSecurityMessages_AgainstOcppRpcCentralSystem_StrictModeAcceptsEveryOne()
    {
        const string id = "LIB-CP-SEC";
        var cpoRoot = TestPki.CreateRootCa("Interop CPO Root", Cpo);
        var manufacturer = TestPki.CreateRootCa("Interop Manufacturer Root", "Interop Manufacturer");
        var signer = TestPki.IssueClientCertificate(manufacturer, "Interop Firmware Signing", "Interop Manufacturer");
        var directory = Directory.CreateTempSubdirectory("ocpp16-interop-sec-").FullName;
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        await using var files = await HttpFileServer.StartAsync(TestPki.IssueServerCertificate(cpoRoot));
        try
        {
            await using (csms)
            {
                var options = new ChargePointOptions
                {
                    Identity = id,
                    CentralSystemUri = new Uri($"ws://127.0.0.1:{port}/ocpp"),
                    DataDirectory = Path.Combine(directory, "data"),
                    ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
                    ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                };
                options.FeatureProfiles.Add(OcppFeatureProfile.FirmwareManagement);
                options.FeatureProfiles.Add(OcppFeatureProfile.Security);
                options.ManufacturerRootCertificates.Add(TestPki.PublicOnly(manufacturer));
                options.Configuration["CpoName"] = Cpo;
                var hardware = new SimulatedChargePointHardware(2) { DiagnosticsDirectory = Path.Combine(directory, "diagnostics") };
                await using var chargePoint = new ChargePointClient(options, hardware);
                await chargePoint.StartAsync();
                await csms.WaitForAsync(l => l.IsEvent("call", "SecurityEventNotification") && l["params"]!["type"]!.GetValue<string>() == "StartupOfTheDevice", Timeout);

                // Certificates.
                var root = TestPki.PublicOnly(cpoRoot).ExportCertificatePem();
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = root }))["status"]!.GetValue<string>());
                var ids = await ResultAsync(csms, id, "GetInstalledCertificateIds", new { certificateType = "CentralSystemRootCertificate" });
                var hash = ids["certificateHashData"]![0]!;
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "GetInstalledCertificateIds", new { certificateType = "ManufacturerRootCertificate" }))["status"]!.GetValue<string>());
                Assert.Equal("Failed", (await ResultAsync(csms, id, "DeleteCertificate", new { certificateHashData = hash.DeepClone() }))["status"]!.GetValue<string>());

                // The charge point's certificate.
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "ExtendedTriggerMessage", new { requestedMessage = "SignChargePointCertificate" }))["status"]!.GetValue<string>());
                var csr = (await csms.WaitForEventAsync("call", "SignCertificate", Timeout))["params"]!["csr"]!.GetValue<string>();
                var authority = new CertificateAuthority(new CertificateAuthorityOptions { IssuerCertificate = cpoRoot, Organization = Cpo });
                var signed = await authority.SignAsync(id, csr, CancellationToken.None);
                Assert.True(signed.IsSigned, signed.RejectionReason);
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "CertificateSigned", new { certificateChain = signed.CertificateChain }))["status"]!.GetValue<string>());
                Assert.Equal("Rejected", (await ResultAsync(csms, id, "CertificateSigned", new { certificateChain = "not a certificate" }))["status"]!.GetValue<string>());
                await csms.WaitForAsync(l => l.IsEvent("call", "SecurityEventNotification") && l["params"]!["type"]!.GetValue<string>() == "InvalidChargePointCertificate", Timeout);

                // Logs and diagnostics.
                var log = await ResultAsync(csms, id, "GetLog", new { logType = "SecurityLog", requestId = 11, log = new { remoteLocation = new Uri(files.Http, "files/logs/").ToString() } });
                Assert.Equal("Accepted", log["status"]!.GetValue<string>());
                await csms.WaitForAsync(l => l.IsEvent("call", "LogStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Uploaded" && l["params"]!["requestId"]!.GetValue<int>() == 11, Timeout);
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "ExtendedTriggerMessage", new { requestedMessage = "LogStatusNotification" }))["status"]!.GetValue<string>());
                await csms.WaitForAsync(l => l.IsEvent("call", "LogStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Idle", Timeout);
                var diagnostics = await ResultAsync(csms, id, "GetDiagnostics", new { location = new Uri(files.Http, "files/diagnostics/").ToString() });
                Assert.NotNull(diagnostics["fileName"]);
                await csms.WaitForAsync(l => l.IsEvent("call", "DiagnosticsStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Uploaded", Timeout);

                // Signed firmware: every status, then the reboot and Installed.
                var image = RandomNumberGenerator.GetBytes(50_000);
                files.Files["files/fw.bin"] = image;
                var path = Path.Combine(directory, "fw.bin");
                await File.WriteAllBytesAsync(path, image);
                var update = Ocpp16.CentralSystem.Security.FirmwareSigning.CreateRequest(path, signer, new Uri(files.Http, "files/fw.bin"), 12, DateTimeOffset.UtcNow);
                var firmware = new
                {
                    requestId = 12,
                    firmware = new { location = update.Firmware.Location, retrieveDateTime = OcppDateTime.ToWireString(update.Firmware.RetrieveDateTime), signingCertificate = update.Firmware.SigningCertificate, signature = update.Firmware.Signature },
                };
                Assert.Equal("InvalidCertificate", (await ResultAsync(csms, id, "SignedUpdateFirmware", new { requestId = 13, firmware = new { location = update.Firmware.Location, retrieveDateTime = OcppDateTime.ToWireString(DateTimeOffset.UtcNow), signingCertificate = root, signature = update.Firmware.Signature } }))["status"]!.GetValue<string>());
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "SignedUpdateFirmware", firmware))["status"]!.GetValue<string>());
                await csms.WaitForAsync(l => l.IsEvent("call", "SignedFirmwareStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Installed", Timeout);
                var statuses = csms.Lines.Where(l => l.IsEvent("call", "SignedFirmwareStatusNotification")).Select(l => l["params"]!["status"]!.GetValue<string>()).ToList();
                Assert.Equal(["Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed"], statuses);
                Assert.Equal(image, Assert.Single(hardware.InstalledFirmwareContents));
                Assert.Equal("Accepted", (await ResultAsync(csms, id, "ExtendedTriggerMessage", new { requestedMessage = "FirmwareStatusNotification" }))["status"]!.GetValue<string>());
                await csms.WaitForAsync(l => l.IsEvent("call", "SignedFirmwareStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Idle", Timeout);

                // Firmware Management: UpdateFirmware and the triggers of OCPP 1.6.
                files.Files["files/fw-unsigned.bin"] = image;
                await ResultAsync(csms, id, "UpdateFirmware", new { location = new Uri(files.Http, "files/fw-unsigned.bin").ToString(), retrieveDate = OcppDateTime.ToWireString(DateTimeOffset.UtcNow) });
                await csms.WaitForAsync(l => l.IsEvent("call", "FirmwareStatusNotification") && l["params"]!["status"]!.GetValue<string>() == "Installed", Timeout);
                AssertNoStrictFailures(csms);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task OcppRpcChargePoint_SecurityMessages_AgainstOurCentralSystemWithItsCertificateAuthority_StrictModeAcceptsEveryAnswer()
    {
        const string id = "RPC-CP-SEC";
        const string password = "rpc-cp-sec-password-01";
        var root = TestPki.CreateRootCa("Interop CSMS Root", Cpo);
        var store = new ChargePointCredentialStore();
        store.SetPassword(id, password, securityProfile: 1);
        await using var csms = await SecureCentralSystem.StartAsync(
            TestPki.IssueServerCertificate(root),
            store,
            configure: b => b.AddCertificateAuthority(new CertificateAuthorityOptions { IssuerCertificate = root, Organization = Cpo }));
        await using var node = await NodeInterop.StartChargePointAsync(csms.WsUri.ToString(), id, password, "none", security: true);
        await node.WaitForEventAsync("connected", timeout: Timeout);

        async Task<JsonNode> Call(string action, object parameters)
        {
            var line = await node.CallAsync(action, parameters, timeout: Timeout);
            Assert.True(line.IsEvent("result"), action + ": " + node.Transcript());
            return line["result"]!;
        }

        await Call("SecurityEventNotification", new { type = "TamperDetectionActivated", timestamp = OcppDateTime.ToWireString(DateTimeOffset.UtcNow), techInfo = "door" });
        await Call("LogStatusNotification", new { status = "Uploaded", requestId = 3 });
        await Call("SignedFirmwareStatusNotification", new { status = "SignatureVerified", requestId = 4 });
        await Call("FirmwareStatusNotification", new { status = "Downloading" });
        await Call("DiagnosticsStatusNotification", new { status = "Uploaded" });

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={id}, O={Cpo}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        Assert.Equal("Accepted", (await Call("SignCertificate", new { csr }))["status"]!.GetValue<string>());
        var certificateSigned = await node.WaitForEventAsync("call", "CertificateSigned", Timeout);
        var chain = certificateSigned["params"]!["certificateChain"]!.GetValue<string>();
        Assert.Equal($"CN={id}, O={Cpo}", X509Certificate2.CreateFromPem(chain).Subject);
        var wrongSubject = new CertificateRequest($"CN=SOMEONE-ELSE, O={Cpo}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        Assert.Equal("Rejected", (await Call("SignCertificate", new { csr = wrongSubject }))["status"]!.GetValue<string>());

        Assert.True(csms.CentralSystem.TryGetSession(id, out var session));
        await Wait.UntilAsync(() => session.CertificateSignedStatus == CertificateSignedStatus.Accepted, Timeout, "the CertificateSigned answer");
        Assert.Equal("TamperDetectionActivated", Assert.Single(session.SecurityEvents).Type);
        Assert.Equal(("Uploaded", 3), (session.LogStatus!.Status, session.LogStatus.RequestId));
        Assert.Equal("Uploaded", session.DiagnosticsStatus!.Status);
        AssertNoStrictFailures(node);
    }
}
