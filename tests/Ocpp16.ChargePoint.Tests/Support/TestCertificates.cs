using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>
/// A PKI made at run time with the BCL (<see cref="CertificateRequest"/>), valid around <see cref="Rig.Epoch"/> (the
/// charge point checks certificates at the Central System's time, which is virtual in these tests): a CPO root (the
/// CentralSystemRootCertificate, which also signs charge point certificates), a manufacturer root with a firmware
/// signing certificate, and a rogue root.
/// </summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset NotBefore = Rig.Epoch.AddDays(-30);
    public static readonly DateTimeOffset NotAfter = Rig.Epoch.AddYears(1);

    public static X509Certificate2 CpoRoot { get; } = CreateRoot("Test CPO Root", "Test CPO");

    public static X509Certificate2 ManufacturerRoot { get; } = CreateRoot("Test Manufacturer Root", "Test Manufacturer");

    public static X509Certificate2 RogueRoot { get; } = CreateRoot("Rogue Root", "Rogue");

    /// <summary>Firmware signing certificate (RSA, for RSA-PSS) issued by <see cref="ManufacturerRoot"/>.</summary>
    public static X509Certificate2 FirmwareSigner { get; } = Issue(ManufacturerRoot, "CN=Test Firmware Signing, O=Test Manufacturer", rsa: true);

    /// <summary>Firmware signing certificate issued by <see cref="RogueRoot"/> (an untrusted root).</summary>
    public static X509Certificate2 RogueFirmwareSigner { get; } = Issue(RogueRoot, "CN=Rogue Firmware Signing, O=Rogue", rsa: true);

    /// <summary>Another signing certificate of the manufacturer (a trusted certificate whose key did not sign the file).</summary>
    public static X509Certificate2 OtherFirmwareSigner { get; } = Issue(ManufacturerRoot, "CN=Other Firmware Signing, O=Test Manufacturer", rsa: false);

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static X509Certificate2 CreateRoot(string commonName, string organization, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O={organization}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(notBefore ?? NotBefore, notAfter ?? NotAfter);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A root signed by <paramref name="issuer"/> (a cross-signed successor, for AdditionalRootCertificateCheck).</summary>
    public static X509Certificate2 CrossSign(X509Certificate2 issuer, string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Test CPO", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var certificate = request.Create(issuer, NotBefore, NotAfter, Serial());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    public static X509Certificate2 Issue(X509Certificate2 issuer, string subject, bool rsa)
    {
        using var ecdsa = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        var request = rsa ? new CertificateRequest(subject, rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) : new CertificateRequest(subject, ecdsa!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var issuerKey = issuer.GetECDsaPrivateKey()!;
        using var publicOnly = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), NotBefore, NotAfter, Serial());
        using var withKey = rsa ? publicOnly.CopyWithPrivateKey(rsaKey!) : publicOnly.CopyWithPrivateKey(ecdsa!);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Signs a PKCS#10 request (PEM) as a CPO CA would: the request's subject and key, client authentication.</summary>
    public static string SignRequest(string csrPem, X509Certificate2 issuer, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(issuer, notBefore ?? NotBefore, notAfter ?? NotAfter, Serial());
        return certificate.ExportCertificatePem();
    }

    /// <summary>The SHA-256 RSA-PSS signature (base64) of <paramref name="content"/>.</summary>
    public static string SignFirmware(byte[] content, X509Certificate2 signer)
    {
        using var rsa = signer.GetRSAPrivateKey();
        if (rsa is not null)
        {
            return Convert.ToBase64String(rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        }

        using var ecdsa = signer.GetECDsaPrivateKey()!;
        return Convert.ToBase64String(ecdsa.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return serial;
    }
}
