using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>Certificates made at run time with <see cref="CertificateRequest"/> (ECDSA P-256): CAs, a CSMS server certificate, charge point client certificates.</summary>
internal static class TestPki
{
    public static X509Certificate2 CreateRootCa(string commonName, string organization = "Test PKI")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O={organization}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-365), DateTimeOffset.UtcNow.AddYears(2));
        return Reload(certificate);
    }

    /// <summary>A TLS server certificate for the CSMS, by default with SAN 127.0.0.1 and localhost.</summary>
    public static X509Certificate2 IssueServerCertificate(X509Certificate2 issuer, string[]? dnsNames = null, IPAddress[]? ipAddresses = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? ["localhost"])
        {
            san.AddDnsName(name);
        }

        foreach (var ip in ipAddresses ?? [IPAddress.Loopback])
        {
            san.AddIpAddress(ip);
        }

        return Issue(issuer, "CN=Test CSMS, O=Test CPO", OcppServerAuth, san.Build(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A ChargePointCertificate: subject CN = the identity (serial number), O = the CPO name.</summary>
    public static X509Certificate2 IssueClientCertificate(X509Certificate2 issuer, string commonName, string organization = "Test CPO", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        => Issue(issuer, $"CN={commonName}, O={organization}", OcppClientAuth, null, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1));

    /// <summary>The certificate without its private key (what a peer installs as a trusted root).</summary>
    public static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    private const string OcppServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string OcppClientAuth = "1.3.6.1.5.5.7.3.2";

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, string extendedKeyUsage, X509Extension? subjectAlternativeName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (subjectAlternativeName is not null)
        {
            request.CertificateExtensions.Add(subjectAlternativeName);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(issuer, notBefore, notAfter, serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>Export and re-import as PFX so that the private key works with SslStream on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
        => X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
}
