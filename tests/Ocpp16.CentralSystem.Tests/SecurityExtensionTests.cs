using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Ocpp16.CentralSystem.Security;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>
/// The Central System's side of the Security extension: the certificate authority (SignCertificate → CertificateSigned),
/// the firmware signing helper, and security events and transfer statuses surfaced to the application.
/// </summary>
public sealed class SecurityExtensionTests
{
    private static readonly X509Certificate2 Ca = CreateCa();

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test CPO CA, O=Test CPO", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
    }

    private static string Csr(string subject, AsymmetricAlgorithm? key = null)
    {
        using var ec = key is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa e => new CertificateRequest(subject, e, HashAlgorithmName.SHA256),
            _ => new CertificateRequest(subject, ec!, HashAlgorithmName.SHA256),
        };
        return request.CreateSigningRequestPem();
    }

    private static CertificateAuthority Authority(TimeSpan? validity = null) => new(new CertificateAuthorityOptions
    {
        IssuerCertificate = Ca,
        Organization = "Test CPO",
        Validity = validity ?? TimeSpan.FromDays(30),
    });

    [Fact]
    public async Task CertificateAuthority_SignsARequestOfTheConnectedIdentity_AsAClientCertificateThatChainsToTheCa()
    {
        using var rsa = RSA.Create(2048);
        var result = await Authority().SignAsync("CP-7", Csr("CN=CP-7, O=Test CPO", rsa), CancellationToken.None);
        Assert.True(result.IsSigned, result.RejectionReason);
        var certificate = X509Certificate2.CreateFromPem(result.CertificateChain);
        Assert.Equal("CN=CP-7, O=Test CPO", certificate.Subject);
        Assert.Equal(Ca.Subject, certificate.Issuer);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == OcppCertificateValidation.ClientAuthenticationOid);
        Assert.True(OcppCertificateValidation.ValidateChain(certificate, [X509CertificateLoader.LoadCertificate(Ca.RawData)], OcppCertificateValidation.ClientAuthenticationOid));
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(30), TimeSpan.FromDays(30.01));
        Assert.True(certificate.SerialNumberBytes.Span[0] < 0x80, "a positive serial number");
        var again = X509Certificate2.CreateFromPem((await Authority().SignAsync("CP-7", Csr("CN=CP-7, O=Test CPO", rsa), CancellationToken.None)).CertificateChain);
        Assert.NotEqual(certificate.SerialNumber, again.SerialNumber);
    }

    [Fact]
    public async Task CertificateAuthority_RejectsAnotherIdentity_AnotherCpo_ABrokenSignature_AndAWeakKey()
    {
        var authority = Authority();
        Assert.False((await authority.SignAsync("CP-7", Csr("CN=CP-8, O=Test CPO"), CancellationToken.None)).IsSigned);
        Assert.False((await authority.SignAsync("CP-7", Csr("CN=CP-7, O=Other CPO"), CancellationToken.None)).IsSigned);
        Assert.False((await authority.SignAsync("CP-7", Csr("CN=CP-7, CN=CP-7, O=Test CPO"), CancellationToken.None)).IsSigned);
        using var weak = RSA.Create(1024);
        Assert.False((await authority.SignAsync("CP-7", Csr("CN=CP-7, O=Test CPO", weak), CancellationToken.None)).IsSigned);

        // Flip a bit of the request: its self-signature no longer verifies.
        var pem = Csr("CN=CP-7, O=Test CPO");
        var der = PemEncoding.Find(pem);
        var bytes = Convert.FromBase64String(pem[der.Base64Data]);
        bytes[^10] ^= 0x01;
        var tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", bytes);
        var rejected = await authority.SignAsync("CP-7", tampered, CancellationToken.None);
        Assert.False(rejected.IsSigned);
        Assert.Contains("signature", rejected.RejectionReason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CertificateAuthority(new CertificateAuthorityOptions { IssuerCertificate = X509CertificateLoader.LoadCertificate(Ca.RawData) }));
    }

    [Fact]
    public async Task SignCertificate_WithACertificateAuthorityRegistered_IsAccepted_AndCertificateSignedFollowsTheAnswer()
    {
        await using var host = await CentralSystemHost.StartAsync(cs => cs.AddCertificateAuthority(new CertificateAuthorityOptions { IssuerCertificate = Ca, Organization = "Test CPO" }));
        var chargePoint = new ScriptedChargePoint();
        chargePoint.Answers["CertificateSigned"] = OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}"));
        var transport = await OcppWebSocketClient.ConnectAsync(host.Uri("/ocpp/"), "CP-CA").WaitAsync(Timeouts.Await);
        await using var connection = new OcppRpcConnection(transport, chargePoint);
        _ = connection.RunAsync();

        var refused = await connection.CallAsync("SignCertificate", new RawJson(JsonSerializer.Serialize(new { csr = Csr("CN=SOMEONE-ELSE, O=Test CPO") })), Timeouts.Await);
        Assert.Equal("{\"status\":\"Rejected\"}", Encoding.UTF8.GetString(refused.Payload.Span));

        var answer = await connection.CallAsync("SignCertificate", new RawJson(JsonSerializer.Serialize(new { csr = Csr("CN=CP-CA, O=Test CPO") })), Timeouts.Await);
        Assert.Equal("{\"status\":\"Accepted\"}", Encoding.UTF8.GetString(answer.Payload.Span));
        await CentralSystemHost.WaitUntilAsync(() => chargePoint.Received.Any(r => r.Action == "CertificateSigned"), "CertificateSigned arrives");
        var chain = JsonDocument.Parse(chargePoint.Received.Single(r => r.Action == "CertificateSigned").Payload).RootElement.GetProperty("certificateChain").GetString()!;
        Assert.Equal("CN=CP-CA, O=Test CPO", X509Certificate2.CreateFromPem(chain).Subject);
        Assert.True(host.CentralSystem.TryGetSession("CP-CA", out var session));
        await CentralSystemHost.WaitUntilAsync(() => session!.CertificateSignedStatus == CertificateSignedStatus.Accepted, "the answer is kept");
    }

    [Fact]
    public async Task SecurityEventsAndTransferStatuses_AreKeptInTheSession_AndRaisedAsEvents_WhoeverAnswers()
    {
        await using var host = await CentralSystemHost.StartAsync();
        var events = new List<ChargePointSecurityEventArgs>();
        var transfers = new List<ChargePointTransferStatusEventArgs>();
        host.CentralSystem.SecurityEventReceived += (_, e) => events.Add(e);
        host.CentralSystem.TransferStatusReceived += (_, e) => transfers.Add(e);
        var transport = await OcppWebSocketClient.ConnectAsync(host.Uri("/ocpp/"), "CP-EV").WaitAsync(Timeouts.Await);
        await using var connection = new OcppRpcConnection(transport, new ScriptedChargePoint());
        _ = connection.RunAsync();
        async Task Call(string action, string payload) => Assert.Equal(OcppCallStatus.Result, (await connection.CallAsync(action, new RawJson(payload), Timeouts.Await)).Status);

        await Call("SecurityEventNotification", "{\"type\":\"TamperDetectionActivated\",\"timestamp\":\"2026-12-02T08:00:00Z\",\"techInfo\":\"door\"}");
        await Call("LogStatusNotification", "{\"status\":\"Uploaded\",\"requestId\":5}");
        await Call("SignedFirmwareStatusNotification", "{\"status\":\"InvalidSignature\",\"requestId\":9}");
        await Call("DiagnosticsStatusNotification", "{\"status\":\"Uploading\"}");

        Assert.True(host.CentralSystem.TryGetSession("CP-EV", out var session));
        var received = Assert.Single(session.SecurityEvents);
        Assert.Equal(("TamperDetectionActivated", "door"), (received.Type, received.TechInfo));
        Assert.Equal(new TransferStatus(TransferKind.Log, "Uploaded", 5, session.LogStatus!.ReceivedAt), session.LogStatus);
        Assert.Equal(("InvalidSignature", 9), (session.FirmwareStatus!.Status, session.FirmwareStatus.RequestId));
        Assert.Equal(TransferKind.SignedFirmware, session.FirmwareStatus.Kind);
        Assert.Equal("Uploading", session.DiagnosticsStatus!.Status);
        Assert.Equal("TamperDetectionActivated", Assert.Single(events).SecurityEvent.Type);
        Assert.Equal([TransferKind.Log, TransferKind.SignedFirmware, TransferKind.Diagnostics], transfers.Select(t => t.Status.Kind));
    }

    [Fact]
    public void FirmwareSigning_RsaPssAndEcdsa_VerifyOverTheFile_AndNotOverAnotherOne()
    {
        var image = RandomNumberGenerator.GetBytes(10_000);
        var other = image.ToArray();
        other[0] ^= 1;
        using var rsa = RSA.Create(3072);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        foreach (var signer in new[] { SelfSigned(new CertificateRequest("CN=RSA Signer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), SelfSigned(new CertificateRequest("CN=EC Signer", ec, HashAlgorithmName.SHA256)) })
        {
            var signature = FirmwareSigning.Sign(new MemoryStream(image), signer);
            Assert.InRange(signature.Length, 1, 800);
            var publicOnly = X509CertificateLoader.LoadCertificate(signer.RawData);
            Assert.True(FirmwareSigning.Verify(new MemoryStream(image), signature, publicOnly));
            Assert.False(FirmwareSigning.Verify(new MemoryStream(other), signature, publicOnly));
        }

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, image);
            using var rsaSigner = SelfSigned(new CertificateRequest("CN=RSA Signer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            var request = FirmwareSigning.CreateRequest(path, rsaSigner, new Uri("https://fw.example/cp.bin"), 12, DateTimeOffset.UnixEpoch);
            Assert.Equal(12, request.RequestId);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", request.Firmware.SigningCertificate, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", request.Firmware.SigningCertificate, StringComparison.Ordinal);
            Assert.True(FirmwareSigning.Verify(new MemoryStream(image), request.Firmware.Signature, X509Certificate2.CreateFromPem(request.Firmware.SigningCertificate)));
        }
        finally
        {
            File.Delete(path);
        }

        static X509Certificate2 SelfSigned(CertificateRequest request) => request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
