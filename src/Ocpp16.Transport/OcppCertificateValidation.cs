using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ocpp16.Transport;

/// <summary>
/// Certificate checks of the OCPP 1.6 security profiles 2 and 3 (OCPP 1.6 Security Whitepaper ed. 3, §2 "Security Profiles"):
/// a chain is trusted only when it ends in one of the roots given here (the CentralSystemRootCertificate(s) on the
/// charge point, the charge point certificate root(s) on the Central System); the operating system's trust store is
/// never consulted.
/// </summary>
public static class OcppCertificateValidation
{
    /// <summary>The extended key usage "TLS Web Server Authentication" (1.3.6.1.5.5.7.3.1).</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The extended key usage "TLS Web Client Authentication" (1.3.6.1.5.5.7.3.2).</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// Creates the callback a charge point uses to validate the Central System's TLS certificate (security profiles 2
    /// and 3): the certificate chain must end in one of <paramref name="trustedRoots"/> (custom root trust; the system
    /// store is ignored), every certificate must be valid now, the leaf must allow server authentication when it has an
    /// extended key usage extension, and the host name check of the TLS stack is kept (a name mismatch is refused).
    /// Revocation is not checked (charge points usually cannot reach a CRL or OCSP responder of a private PKI).
    /// Assign it to <see cref="OcppWebSocketClientOptions.RemoteCertificateValidationCallback"/>.
    /// </summary>
    /// <param name="trustedRoots">The installed CentralSystemRootCertificate(s); copied, so later changes to the collection do not apply.</param>
    /// <returns>The validation callback.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trustedRoots"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="trustedRoots"/> is empty.</exception>
    public static RemoteCertificateValidationCallback CreateServerCertificateValidator(X509Certificate2Collection trustedRoots)
    {
        ArgumentNullException.ThrowIfNull(trustedRoots);
        if (trustedRoots.Count == 0)
        {
            throw new ArgumentException("At least one trusted root certificate is required.", nameof(trustedRoots));
        }

        var roots = new X509Certificate2Collection(trustedRoots);
        return (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var intermediates = new X509Certificate2Collection();
            if (chain is not null)
            {
                // The certificates the server sent (as found by the platform) help to build the path; they are never
                // trust anchors under custom root trust.
                for (var i = 1; i < chain.ChainElements.Count; i++)
                {
                    intermediates.Add(chain.ChainElements[i].Certificate);
                }
            }

            return ValidateChain(leaf, roots, ServerAuthenticationOid, intermediates);
        };
    }

    /// <summary>
    /// Validates <paramref name="certificate"/> against <paramref name="trustedRoots"/> only (custom root trust): the
    /// chain must end in one of the roots, every certificate must be valid at <paramref name="verificationTime"/>, and
    /// the leaf must allow <paramref name="enhancedKeyUsageOid"/> when it carries an extended key usage extension.
    /// </summary>
    /// <param name="certificate">The certificate to check (e.g. a charge point's TLS client certificate).</param>
    /// <param name="trustedRoots">The roots to trust; the system store is never used.</param>
    /// <param name="enhancedKeyUsageOid">The required extended key usage, e.g. <see cref="ClientAuthenticationOid"/>; <see langword="null"/> for none.</param>
    /// <param name="intermediates">Untrusted certificates that may help to build the path (e.g. the peer's intermediates); <see langword="null"/> for none.</param>
    /// <param name="verificationTime">The time the certificates must be valid at; default now.</param>
    /// <param name="revocationMode">Whether to check revocation; default <see cref="X509RevocationMode.NoCheck"/>.</param>
    /// <returns><see langword="true"/> when the chain is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> or <paramref name="trustedRoots"/> is <see langword="null"/>.</exception>
    public static bool ValidateChain(
        X509Certificate2 certificate,
        X509Certificate2Collection trustedRoots,
        string? enhancedKeyUsageOid,
        X509Certificate2Collection? intermediates = null,
        DateTimeOffset? verificationTime = null,
        X509RevocationMode revocationMode = X509RevocationMode.NoCheck)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustedRoots);
        if (trustedRoots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trustedRoots);
        policy.RevocationMode = revocationMode;
        policy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = (verificationTime ?? DateTimeOffset.UtcNow).UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (enhancedKeyUsageOid is not null)
        {
            policy.ApplicationPolicy.Add(new Oid(enhancedKeyUsageOid));
        }

        if (intermediates is not null)
        {
            policy.ExtraStore.AddRange(intermediates);
        }

        try
        {
            return chain.Build(certificate);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
