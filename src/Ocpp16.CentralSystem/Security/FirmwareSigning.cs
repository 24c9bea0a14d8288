using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Security;

/// <summary>
/// Signs firmware images for SignedUpdateFirmware.req (OCPP 1.6 Security Whitepaper ed. 3, L01 "Secure Firmware
/// Update"): the signature is over the whole file, hashed with SHA-256 — RSA-PSS for an RSA signing key (the
/// whitepaper's scheme), ECDSA (DER encoded, as OpenSSL writes it) for an EC key — base64 encoded; the signing
/// certificate goes along PEM encoded (edition 3). The charge point checks the certificate against its
/// ManufacturerRootCertificate(s) and the signature over the file it downloaded. BCL crypto only.
/// </summary>
public static class FirmwareSigning
{
    /// <summary>Signs the content of <paramref name="firmware"/> (read to its end).</summary>
    /// <param name="firmware">The firmware image.</param>
    /// <param name="signingCertificate">The firmware signing certificate, with its RSA or ECDSA private key.</param>
    /// <returns>The signature, base64 (at most 800 characters: RSA keys up to 4096 bits).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The certificate has no RSA or ECDSA private key, or the signature would be longer than 800 characters.</exception>
    public static string Sign(Stream firmware, X509Certificate2 signingCertificate)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        ArgumentNullException.ThrowIfNull(signingCertificate);
        var hash = SHA256.HashData(firmware);
        byte[] signature;
        using (var rsa = signingCertificate.GetRSAPrivateKey())
        using (var ecdsa = rsa is null ? signingCertificate.GetECDsaPrivateKey() : null)
        {
            signature = rsa is not null
                ? rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
                : ecdsa?.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence) ?? throw new ArgumentException("The signing certificate needs its RSA or ECDSA private key.", nameof(signingCertificate));
        }

        var text = Convert.ToBase64String(signature);
        if (text.Length > 800)
        {
            throw new ArgumentException("The signature is longer than the 800 characters of SignedUpdateFirmware.req (use an RSA key of at most 4096 bits, or ECDSA).", nameof(signingCertificate));
        }

        return text;
    }

    /// <summary>Checks a signature as the charge point does (RSA-PSS or PKCS#1 v1.5, or ECDSA in DER or IEEE P1363 form, over SHA-256), for a Central System that validates an image before sending it (A00.FR.706).</summary>
    /// <param name="firmware">The firmware image (read to its end).</param>
    /// <param name="signature">The signature, base64.</param>
    /// <param name="signingCertificate">The signing certificate (public key only is enough).</param>
    /// <returns>Whether the signature verifies.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static bool Verify(Stream firmware, string signature, X509Certificate2 signingCertificate)
    {
        ArgumentNullException.ThrowIfNull(firmware);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(signingCertificate);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var hash = SHA256.HashData(firmware);
        using var rsa = signingCertificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.VerifyHash(hash, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss) || rsa.VerifyHash(hash, bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        using var ecdsa = signingCertificate.GetECDsaPublicKey();
        return ecdsa is not null
            && (ecdsa.VerifyHash(hash, bytes, DSASignatureFormat.Rfc3279DerSequence) || ecdsa.VerifyHash(hash, bytes, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <summary>Builds a SignedUpdateFirmware.req for a firmware file: signs it and puts the signing certificate (PEM, without its key) along.</summary>
    /// <param name="firmwarePath">The firmware file (the same bytes the charge point will download from <paramref name="location"/>).</param>
    /// <param name="signingCertificate">The firmware signing certificate, with its private key.</param>
    /// <param name="location">Where the charge point downloads the file (http, https or ftp; at most 512 characters).</param>
    /// <param name="requestId">The requestId every SignedFirmwareStatusNotification of this update will carry.</param>
    /// <param name="retrieveDateTime">When the charge point may download it.</param>
    /// <param name="installDateTime">When it may install it; <see langword="null"/> for as soon as possible.</param>
    /// <param name="retries">Download retries; <see langword="null"/> for the charge point's default.</param>
    /// <param name="retryInterval">Seconds between attempts; <see langword="null"/> for the charge point's default.</param>
    /// <returns>The request (validated when sent).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The certificate has no usable private key.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SignedUpdateFirmwareRequest CreateRequest(string firmwarePath, X509Certificate2 signingCertificate, Uri location, int requestId, DateTimeOffset retrieveDateTime, DateTimeOffset? installDateTime = null, int? retries = null, int? retryInterval = null)
    {
        ArgumentNullException.ThrowIfNull(firmwarePath);
        ArgumentNullException.ThrowIfNull(location);
        string signature;
        using (var file = File.OpenRead(firmwarePath))
        {
            signature = Sign(file, signingCertificate);
        }

        return new SignedUpdateFirmwareRequest
        {
            RequestId = requestId,
            Retries = retries,
            RetryInterval = retryInterval,
            Firmware = new Firmware
            {
                Location = location.ToString(),
                RetrieveDateTime = retrieveDateTime,
                InstallDateTime = installDateTime,
                SigningCertificate = signingCertificate.ExportCertificatePem(),
                Signature = signature,
            },
        };
    }
}
