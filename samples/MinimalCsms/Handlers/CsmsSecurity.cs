using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.Transport;

namespace MinimalCsms.Handlers;

/// <summary>
/// The sample's security profiles 2 and 3 (OCPP 1.6 Security Whitepaper ed. 3): TLS for the https URLs of
/// <c>--urls</c> with the certificate of <c>Csms:Tls</c>, and the certificate authority of
/// <c>Csms:CertificateAuthority</c>, which signs the charge points' certificate signing requests (SignCertificate →
/// CertificateSigned) and whose certificate is the root their TLS client certificates must chain to.
/// </summary>
internal static class CsmsSecurity
{
    /// <summary>
    /// Registers what the configuration asks for: TLS when <c>Csms:Tls</c> names a certificate, the certificate authority
    /// (and the <see cref="ClientCertificatePolicy"/> of profile 3) when <c>Csms:CertificateAuthority</c> does, and the
    /// <see cref="ConfiguredPasswordAuthenticator"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A configured certificate cannot be read, or the CA certificate has no private key.</exception>
    public static void Configure(WebApplicationBuilder builder, Ocpp16CentralSystemBuilder ocpp)
    {
        if (Load(builder.Configuration, "Csms:Tls") is { } tls)
        {
            UseTls(builder, tls);
        }

        if (Authority(builder.Configuration) is { } authority)
        {
            try
            {
                ocpp.AddCertificateAuthority(authority);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"Csms:CertificateAuthority: {e.Message}", e);
            }

            var roots = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(authority.IssuerCertificate!.RawData));
            foreach (var certificate in authority.Chain)
            {
                roots.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
            }

            builder.Services.AddSingleton(new ClientCertificatePolicy(roots, authority.Organization));
        }

        ocpp.AddAuthenticator<ConfiguredPasswordAuthenticator>();
    }

    /// <summary>
    /// <c>--create-pki DIR</c>: writes a demo PKI as PEM files (ECDSA P-256, made with <see cref="CertificateRequest"/>):
    /// <c>csms-ca.pem</c>/<c>csms-ca.key.pem</c> (the CA that signs the charge points' certificates and the TLS
    /// certificate; the CentralSystemRootCertificate of the charge points), <c>csms-tls.pem</c>/<c>csms-tls.key.pem</c>
    /// (the server certificate for localhost, 127.0.0.1, ::1 and this host's name, 2 years), and
    /// <c>manufacturer-root.pem</c> with <c>firmware-signing.pem</c>/<c>firmware-signing.key.pem</c> (a
    /// ManufacturerRootCertificate and the certificate that signs firmware for SignedUpdateFirmware).
    /// Existing files are overwritten. The organization (O) of the CA is the CPO name.
    /// </summary>
    public static void CreatePki(string directory, string organization, TextWriter output)
    {
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;
        using var ca = CreateRoot($"CN=MinimalCsms CA, O={organization}", now);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        if (Dns.GetHostName() is { Length: > 0 } host && host != "localhost")
        {
            san.AddDnsName(host);
        }

        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        using var tls = Issue(ca, $"CN=MinimalCsms, O={organization}", "1.3.6.1.5.5.7.3.1", san.Build(), now);
        using var manufacturer = CreateRoot("CN=DcCharger Manufacturer Root, O=Ocpp16", now);
        using var signing = Issue(manufacturer, "CN=DcCharger Firmware Signing, O=Ocpp16", "1.3.6.1.5.5.7.3.3", null, now);
        Write(directory, "csms-ca", ca, withKey: true);
        Write(directory, "csms-tls", tls, withKey: true);
        Write(directory, "manufacturer-root", manufacturer, withKey: false);
        Write(directory, "firmware-signing", signing, withKey: true);
        output.WriteLine($"Wrote csms-ca.pem, csms-ca.key.pem, csms-tls.pem, csms-tls.key.pem, manufacturer-root.pem, firmware-signing.pem, firmware-signing.key.pem to {Path.GetFullPath(directory)}");
    }

    private static X509Certificate2 CreateRoot(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now.AddMinutes(-10), now.AddYears(10));
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string subject, string extendedKeyUsage, X509Extension? subjectAlternativeName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (subjectAlternativeName is not null)
        {
            request.CertificateExtensions.Add(subjectAlternativeName);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(issuer, now.AddMinutes(-10), now.AddYears(2), serial);
        return certificate.CopyWithPrivateKey(key);
    }

    private static void Write(string directory, string name, X509Certificate2 certificate, bool withKey)
    {
        File.WriteAllText(Path.Combine(directory, name + ".pem"), certificate.ExportCertificatePem());
        if (withKey)
        {
            var path = Path.Combine(directory, name + ".key.pem");
            File.WriteAllText(path, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
    }

    /// <summary>
    /// A certificate from configuration: <c>{section}:Certificate</c> (a PKCS#12 file, with <c>{section}:Password</c>)
    /// or <c>{section}:CertificatePem</c> with <c>{section}:KeyPem</c> (PEM files); <see langword="null"/> when neither is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file cannot be read (the message names the setting).</exception>
    public static X509Certificate2? Load(IConfiguration configuration, string section)
    {
        var pfx = configuration[$"{section}:Certificate"];
        var pem = configuration[$"{section}:CertificatePem"];
        try
        {
            if (pfx is { Length: > 0 })
            {
                return X509CertificateLoader.LoadPkcs12FromFile(pfx, configuration[$"{section}:Password"]);
            }

            if (pem is { Length: > 0 })
            {
                using var pair = X509Certificate2.CreateFromPemFile(pem, configuration[$"{section}:KeyPem"]);
                return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{section}: the certificate cannot be read: {e.Message}", e);
        }

        return null;
    }

    /// <summary>Every https URL of <c>--urls</c> uses the TLS certificate, TLS 1.2 or 1.3, and asks for a client certificate (profile 3).</summary>
    public static void UseTls(WebApplicationBuilder builder, X509Certificate2 certificate)
        => builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate(); // validated by ConfiguredPasswordAuthenticator against the CA
        }));

    /// <summary>The certificate authority options: the CA certificate, <c>:Organization</c> (the CPO name) and <c>:ValidityDays</c> (default 365).</summary>
    public static CertificateAuthorityOptions? Authority(IConfiguration configuration)
    {
        if (Load(configuration, "Csms:CertificateAuthority") is not { } certificate)
        {
            return null;
        }

        var options = new CertificateAuthorityOptions
        {
            IssuerCertificate = certificate,
            Organization = configuration["Csms:CertificateAuthority:Organization"] is { Length: > 0 } organization ? organization : null,
            Validity = TimeSpan.FromDays(configuration.GetValue("Csms:CertificateAuthority:ValidityDays", 365)),
        };
        return options;
    }
}

/// <summary>The CA certificate that charge point client certificates must chain to (security profile 3), and the CPO name they must carry.</summary>
internal sealed record ClientCertificatePolicy(X509Certificate2Collection Roots, string? Organization);

/// <summary>
/// Authenticates charge points (HTTP 401 otherwise): a TLS client certificate issued by the CSMS's certificate
/// authority with CN = the identity (and O = the CPO name) authenticates by itself (security profile 3);
/// otherwise <c>ChargePoints:{id}:SecurityProfile</c> 2 needs TLS, 3 a client certificate, and a configured
/// <c>Password</c> or <c>PasswordHash</c> must be presented with HTTP Basic auth (profiles 1 and 2).
/// </summary>
internal sealed class ConfiguredPasswordAuthenticator(IConfiguration configuration, IServiceProvider services) : Ocpp16.CentralSystem.IChargePointAuthenticator
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    public ValueTask<bool> AuthenticateAsync(Ocpp16.CentralSystem.ChargePointAuthenticationContext context, CancellationToken cancellationToken)
    {
        var id = context.ChargePointId;
        if (context.IsTls && context.ClientCertificate is { } certificate && services.GetService<ClientCertificatePolicy>() is { } policy)
        {
            return ValueTask.FromResult(
                OcppCertificateValidation.ValidateChain(certificate, policy.Roots, OcppCertificateValidation.ClientAuthenticationOid)
                && certificate.SubjectName.EnumerateRelativeDistinguishedNames().Count(r => !r.HasMultipleElements && r.GetSingleElementType().Value == CommonNameOid && r.GetSingleElementValue() == id) == 1
                && (policy.Organization is null || certificate.SubjectName.EnumerateRelativeDistinguishedNames().Any(r => !r.HasMultipleElements && r.GetSingleElementType().Value == OrganizationOid && r.GetSingleElementValue() == policy.Organization)));
        }

        var profile = configuration.GetValue($"ChargePoints:{id}:SecurityProfile", 0);
        if ((profile >= 2 && !context.IsTls) || profile >= 3)
        {
            return ValueTask.FromResult(false);
        }

        var hash = configuration[$"ChargePoints:{id}:PasswordHash"];
        if (!string.IsNullOrEmpty(hash))
        {
            return ValueTask.FromResult(context.Password is not null && ChargePointCredentialStore.VerifyPassword(context.Password, hash));
        }

        var expected = configuration[$"ChargePoints:{id}:Password"];
        return ValueTask.FromResult(string.IsNullOrEmpty(expected) || Ocpp16.CentralSystem.OcppCentralSystem.SecretEquals(expected, context.Password));
    }
}
