using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Security;

/// <summary>
/// Signs charge point certificate signing requests (SignCertificate.req, OCPP 1.6 Security Whitepaper ed. 3, A02
/// "Update Charge Point Certificate by request of Central System"). Register one with
/// <c>AddCertificateAuthority(...)</c>: SignCertificate is then answered with its decision and, when it signed, the
/// chain is sent to the charge point in CertificateSigned.req once the answer is on the wire. The default is
/// <see cref="CertificateAuthority"/>; an implementation may forward the request to an external CA instead.
/// </summary>
public interface ICertificateAuthority
{
    /// <summary>Checks and signs one request.</summary>
    /// <param name="chargePointId">The identity of the connected charge point that sent the request.</param>
    /// <param name="csrPem">The PKCS#10 request, PEM (at most 5500 characters).</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The signed chain (PEM, leaf first, at most 10000 characters), or the reason the request is rejected.</returns>
    ValueTask<CertificateSigningResult> SignAsync(string chargePointId, string csrPem, CancellationToken cancellationToken);
}

/// <summary>What an <see cref="ICertificateAuthority"/> decided.</summary>
public sealed class CertificateSigningResult
{
    private CertificateSigningResult(string? chain, string? reason)
    {
        CertificateChain = chain;
        RejectionReason = reason;
    }

    /// <summary>Whether the request was signed.</summary>
    public bool IsSigned => CertificateChain is not null;

    /// <summary>The signed certificate followed by the sub-CA certificates, PEM (the certificateChain of CertificateSigned.req), or <see langword="null"/> when rejected.</summary>
    public string? CertificateChain { get; }

    /// <summary>Why the request was rejected (for logs; never sent to the charge point), or <see langword="null"/> when signed.</summary>
    public string? RejectionReason { get; }

    /// <summary>A signed request.</summary>
    /// <param name="certificateChain">The chain, PEM, leaf first, at most 10000 characters.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The chain is empty or longer than 10000 characters.</exception>
    public static CertificateSigningResult Signed(string certificateChain)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificateChain);
        if (certificateChain.Length > 10_000)
        {
            throw new ArgumentException("CertificateSigned.req carries at most 10000 characters of chain.", nameof(certificateChain));
        }

        return new(certificateChain, null);
    }

    /// <summary>A rejected request.</summary>
    /// <param name="reason">Why, for the logs.</param>
    /// <returns>The result.</returns>
    public static CertificateSigningResult Rejected(string reason) => new(null, reason ?? string.Empty);
}

/// <summary>The options of the default <see cref="CertificateAuthority"/>.</summary>
public sealed class CertificateAuthorityOptions
{
    /// <summary>The CA certificate that signs, with its private key (RSA or ECDSA). Required.</summary>
    public X509Certificate2? IssuerCertificate { get; set; }

    /// <summary>
    /// Sub-CA certificates sent along after the signed certificate (between it and the root the charge point has
    /// installed as CentralSystemRootCertificate); the root itself is not sent. Default empty.
    /// </summary>
    public X509Certificate2Collection Chain { get; } = [];

    /// <summary>
    /// The CPO name the request's subject O must carry (the charge point's CpoName; Security Whitepaper "Certificate
    /// Properties"), compared ordinally; <see langword="null"/>: not checked. Default <see langword="null"/>.
    /// </summary>
    public string? Organization { get; set; }

    /// <summary>How long a signed certificate is valid (never beyond the issuer's own validity). Default 365 days.</summary>
    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The hash of the signature. Default SHA-256.</summary>
    public HashAlgorithmName HashAlgorithm { get; set; } = HashAlgorithmName.SHA256;
}

/// <summary>
/// The default certificate authority: signs with a configured CA certificate through the BCL's
/// <see cref="CertificateRequest"/>. A request is signed when its self-signature verifies, its subject CN is the
/// identity of the charge point that sent it (and nothing else names it), its subject O is
/// <see cref="CertificateAuthorityOptions.Organization"/> when set, and its key is RSA of 2048 bits or more or ECDSA on
/// P-256, P-384 or P-521. The certificate issued carries the request's subject and key only (no requested extension is
/// copied): not a CA, digital signature (and key agreement or key encipherment), TLS client authentication, subject and
/// authority key identifiers, a random 127-bit serial number, valid from now for
/// <see cref="CertificateAuthorityOptions.Validity"/>. Decisions are logged (4104, 4105), never the request's key.
/// </summary>
public sealed class CertificateAuthority : ICertificateAuthority
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    private readonly CertificateAuthorityOptions _options;
    private readonly X509Certificate2 _issuer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the authority.</summary>
    /// <param name="options">The CA certificate and the checks.</param>
    /// <param name="timeProvider">The clock of the validity period; default the system clock.</param>
    /// <param name="loggerFactory">Logging of the decisions; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The issuer certificate is missing, has no private key, is not RSA or ECDSA, or the validity is not positive.</exception>
    public CertificateAuthority(CertificateAuthorityOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IssuerCertificate is not { HasPrivateKey: true } issuer)
        {
            throw new ArgumentException("CertificateAuthorityOptions.IssuerCertificate must be set, with its private key.", nameof(options));
        }

        if (issuer.GetRSAPublicKey() is null && issuer.GetECDsaPublicKey() is null)
        {
            throw new ArgumentException("CertificateAuthorityOptions.IssuerCertificate must have an RSA or ECDSA key.", nameof(options));
        }

        if (options.Validity <= TimeSpan.Zero)
        {
            throw new ArgumentException("CertificateAuthorityOptions.Validity must be positive.", nameof(options));
        }

        _options = options;
        _issuer = issuer;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Ocpp16.CentralSystem.Security");
    }

    /// <inheritdoc/>
    public ValueTask<CertificateSigningResult> SignAsync(string chargePointId, string csrPem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        ArgumentNullException.ThrowIfNull(csrPem);
        var result = Sign(chargePointId, csrPem);
        if (result.IsSigned)
        {
            return ValueTask.FromResult(result);
        }

        CentralSystemSecurityLog.SigningRejected(_logger, chargePointId, result.RejectionReason!);
        return ValueTask.FromResult(result);
    }

    private CertificateSigningResult Sign(string chargePointId, string csrPem)
    {
        CertificateRequest request;
        try
        {
            // Verifies the request's signature with its own key (proof of possession).
            request = CertificateRequest.LoadSigningRequestPem(csrPem, _options.HashAlgorithm, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException)
        {
            return CertificateSigningResult.Rejected("not a PKCS#10 request with a valid signature");
        }

        if (!string.Equals(SingleAttribute(request.SubjectName, CommonNameOid), chargePointId, StringComparison.Ordinal))
        {
            return CertificateSigningResult.Rejected("the subject CN is not the charge point's identity");
        }

        if (_options.Organization is { } organization && !string.Equals(SingleAttribute(request.SubjectName, OrganizationOid), organization, StringComparison.Ordinal))
        {
            return CertificateSigningResult.Rejected("the subject O is not the CPO name");
        }

        var keyUsage = KeyUsageFor(request.PublicKey);
        if (keyUsage is null)
        {
            return CertificateSigningResult.Rejected("the key is neither RSA of 2048 bits or more nor ECDSA on P-256, P-384 or P-521");
        }

        // Only the subject and the key of the request are taken; the extensions are ours.
        var issued = new CertificateRequest(request.SubjectName, request.PublicKey, _options.HashAlgorithm);
        issued.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        issued.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage.Value, true));
        issued.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthenticationOid)], false));
        issued.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        issued.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuer, true, false));

        var now = _time.GetUtcNow();
        var notBefore = now.AddMinutes(-5);
        var notAfter = now + _options.Validity;
        if (notAfter > _issuer.NotAfter)
        {
            notAfter = _issuer.NotAfter;
        }

        if (notBefore < _issuer.NotBefore)
        {
            notBefore = _issuer.NotBefore;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        X509Certificate2 certificate;
        using (var rsa = _issuer.GetRSAPrivateKey())
        using (var ecdsa = _issuer.GetECDsaPrivateKey())
        {
            var generator = rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa(ecdsa!);
            certificate = issued.Create(_issuer.SubjectName, generator, notBefore, notAfter, serial);
        }

        using (certificate)
        {
            var chain = string.Concat(new[] { certificate }.Concat(_options.Chain.Cast<X509Certificate2>()).Select(c => c.ExportCertificatePem() + "\n"));
            if (chain.Length > 10_000)
            {
                return CertificateSigningResult.Rejected("the chain would be longer than 10000 characters");
            }

            CentralSystemSecurityLog.CertificateIssued(_logger, chargePointId, certificate.Subject, certificate.SerialNumber, certificate.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            return CertificateSigningResult.Signed(chain);
        }
    }

    private static X509KeyUsageFlags? KeyUsageFor(PublicKey key)
    {
        using var rsa = key.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize >= 2048 ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : null;
        }

        using var ecdsa = key.GetECDsaPublicKey();
        return ecdsa?.KeySize is 256 or 384 or 521 ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement : null;
    }

    /// <summary>The value of an attribute that occurs exactly once in the name; <see langword="null"/> when absent or repeated.</summary>
    private static string? SingleAttribute(X500DistinguishedName name, string oid)
    {
        string? found = null;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || !string.Equals(rdn.GetSingleElementType().Value, oid, StringComparison.Ordinal))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = rdn.GetSingleElementValue();
        }

        return found;
    }
}

/// <summary>Answers SignCertificate.req with an <see cref="ICertificateAuthority"/> (for applications with their own <see cref="ICentralSystemSecurityHandler"/>).</summary>
public static class CertificateAuthorityExtensions
{
    /// <summary>
    /// Asks <paramref name="authority"/> to sign the request: Accepted when it signed (the chain then goes to the charge
    /// point in CertificateSigned.req once this answer is on the wire), Rejected otherwise.
    /// </summary>
    /// <param name="authority">The certificate authority.</param>
    /// <param name="chargePoint">The charge point that sent the request.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The answer to SignCertificate.req.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async ValueTask<SignCertificateResponse> AnswerSignCertificateAsync(this ICertificateAuthority authority, ConnectedChargePoint chargePoint, SignCertificateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(chargePoint);
        ArgumentNullException.ThrowIfNull(request);
        var result = await authority.SignAsync(chargePoint.Id, request.Csr, cancellationToken).ConfigureAwait(false);
        if (result.CertificateChain is not { } chain)
        {
            return new SignCertificateResponse { Status = GenericStatus.Rejected };
        }

        chargePoint.AfterResponse(async (cp, ct) =>
        {
            var answer = await cp.CertificateSignedAsync(new CertificateSignedRequest { CertificateChain = chain }, ct).ConfigureAwait(false);
            cp.Session.OnCertificateSigned(answer.Status);
        });
        return new SignCertificateResponse { Status = GenericStatus.Accepted };
    }
}
