using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ocpp16.Messages;
using HashAlgorithm = Ocpp16.Messages.HashAlgorithm;

namespace Ocpp16.ChargePoint.Features.Security;

/// <summary>
/// CertificateHashData as the Security Whitepaper defines it (as OCSP's CertID, RFC 6960 §4.1.1): issuerNameHash over
/// the DER encoding of the certificate's issuer name, issuerKeyHash over the value of the issuer's subjectPublicKey BIT
/// STRING (without tag, length and unused-bits octet), both hex encoded, and the serial number in hexadecimal without
/// leading zeroes. Hashes are computed with the BCL (<see cref="SHA256"/>, <see cref="SHA384"/>, <see cref="SHA512"/>).
/// </summary>
internal static class CertificateHashes
{
    /// <summary>The hash data of <paramref name="certificate"/>, whose issuer is <paramref name="issuer"/> (itself for a self-signed root).</summary>
    public static CertificateHashData Compute(X509Certificate2 certificate, X509Certificate2 issuer, HashAlgorithm algorithm = HashAlgorithm.SHA256) => new()
    {
        HashAlgorithm = algorithm,
        IssuerNameHash = Hex(Hash(algorithm, certificate.IssuerName.RawData)),
        IssuerKeyHash = Hex(Hash(algorithm, issuer.PublicKey.EncodedKeyValue.RawData)),
        SerialNumber = SerialNumber(certificate),
    };

    /// <summary>Whether <paramref name="data"/> names <paramref name="certificate"/> (hex compared case-insensitively, serial numbers without leading zeroes).</summary>
    public static bool Matches(CertificateHashData data, X509Certificate2 certificate, X509Certificate2 issuer)
    {
        var own = Compute(certificate, issuer, data.HashAlgorithm);
        return string.Equals(own.IssuerNameHash, data.IssuerNameHash, StringComparison.OrdinalIgnoreCase)
            && string.Equals(own.IssuerKeyHash, data.IssuerKeyHash, StringComparison.OrdinalIgnoreCase)
            && string.Equals(own.SerialNumber, Normalize(data.SerialNumber), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The serial number in lower-case hexadecimal without leading zeroes (at least one digit).</summary>
    public static string SerialNumber(X509Certificate2 certificate) => Normalize(certificate.SerialNumber);

    private static string Normalize(string serial)
    {
        var trimmed = serial.Trim().ToLowerInvariant();
        if (trimmed.StartsWith("0x", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        trimmed = trimmed.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    private static byte[] Hash(HashAlgorithm algorithm, byte[] data) => algorithm switch
    {
        HashAlgorithm.SHA384 => SHA384.HashData(data),
        HashAlgorithm.SHA512 => SHA512.HashData(data),
        _ => SHA256.HashData(data),
    };

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
