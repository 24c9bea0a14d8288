using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Features.Security;

/// <summary>
/// Signed firmware (Security Whitepaper ed. 3, L01 "Secure Firmware Update"): the firmware signing certificate must
/// chain to an installed ManufacturerRootCertificate, and the signature (base64) must verify over the whole downloaded
/// file, hashed with SHA-256: RSA-PSS (the whitepaper's algorithm; PKCS#1 v1.5 is accepted too, as many signing tools
/// produce it) or ECDSA (DER or IEEE P1363 encoding). BCL crypto only.
/// </summary>
internal static class FirmwareSignature
{
    /// <summary>Reads the signing certificate: PEM (ed. 3), or the hex-encoded DER of earlier editions.</summary>
    public static bool TryReadCertificate(string text, out X509Certificate2 certificate)
    {
        if (CertificateManager.TryParse(text, out certificate))
        {
            return true;
        }

        try
        {
            certificate = X509CertificateLoader.LoadCertificate(Convert.FromHexString(text.Trim()));
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the signing certificate chains to one of <paramref name="manufacturerRoots"/> and is valid at <paramref name="now"/>.</summary>
    public static bool IsTrusted(string signingCertificate, X509Certificate2Collection manufacturerRoots, DateTimeOffset now, out string reason)
    {
        if (!TryReadCertificate(signingCertificate, out var certificate))
        {
            reason = "the signing certificate cannot be read";
            return false;
        }

        if (manufacturerRoots.Count == 0)
        {
            reason = "no ManufacturerRootCertificate is installed";
            return false;
        }

        if (!OcppCertificateValidation.ValidateChain(certificate, manufacturerRoots, null, verificationTime: now))
        {
            reason = "the signing certificate does not chain to an installed ManufacturerRootCertificate or is not valid now";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    /// <summary>Verifies <paramref name="signature"/> over the file at <paramref name="path"/> with the signing certificate's public key.</summary>
    public static bool Verify(string path, string signingCertificate, string signature, out string reason)
    {
        if (!TryReadCertificate(signingCertificate, out var certificate))
        {
            reason = "the signing certificate cannot be read";
            return false;
        }

        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            reason = "the signature is not base64";
            return false;
        }

        byte[] hash;
        try
        {
            using var file = File.OpenRead(path);
            hash = SHA256.HashData(file);
        }
        catch (IOException e)
        {
            reason = "the firmware file cannot be read: " + e.Message;
            return false;
        }

        bool valid;
        using (var rsa = certificate.GetRSAPublicKey())
        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            valid = rsa is not null
                ? rsa.VerifyHash(hash, signatureBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
                    || rsa.VerifyHash(hash, signatureBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ecdsa is not null
                    && (ecdsa.VerifyHash(hash, signatureBytes, DSASignatureFormat.Rfc3279DerSequence)
                        || ecdsa.VerifyHash(hash, signatureBytes, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }

        reason = valid ? string.Empty : "the signature does not verify over the firmware file";
        return valid;
    }
}
