using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Features.Security;

/// <summary>An installed root certificate (collection <c>certs</c>, key <c>root:{SHA-256 of the DER}</c>).</summary>
/// <param name="Type">CentralSystemRootCertificate or ManufacturerRootCertificate.</param>
/// <param name="Pem">The certificate, PEM.</param>
/// <param name="Fallback">A CentralSystemRootCertificate replaced under AdditionalRootCertificateCheck, kept until a connection with the new one succeeds.</param>
internal sealed record RootCertificateRecord(CertificateUse Type, string Pem, bool Fallback);

/// <summary>The ChargePointCertificate with its chain and private key (key <c>cp</c>), or a key pair waiting for its certificate (key <c>cp.pending</c>).</summary>
/// <param name="Key">The private key, PKCS#8, base64.</param>
/// <param name="Certificate">The certificate and the sub-CA certificates that came with it, PEM, leaf first (<see langword="null"/> while pending).</param>
internal sealed record ChargePointKeyRecord(string Key, string? Certificate);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RootCertificateRecord))]
[JsonSerializable(typeof(ChargePointKeyRecord))]
internal sealed partial class CertificateJsonContext : JsonSerializerContext;

/// <summary>An installed root certificate in memory.</summary>
internal sealed record InstalledRoot(string Key, CertificateUse Type, X509Certificate2 Certificate, bool Fallback);

/// <summary>What the certificate store holds at one moment (immutable: read off the loop by the connection supervisor).</summary>
internal sealed class CertificateSnapshot(IReadOnlyList<InstalledRoot> roots, X509Certificate2? chargePointCertificate)
{
    public static readonly CertificateSnapshot Empty = new([], null);

    public IReadOnlyList<InstalledRoot> Roots { get; } = roots;

    /// <summary>The trust roots of security profiles 2 and 3 (a fallback root included).</summary>
    public X509Certificate2Collection CentralSystemRoots { get; } = [.. roots.Where(r => r.Type == CertificateUse.CentralSystemRootCertificate).Select(r => r.Certificate)];

    /// <summary>The roots a firmware signing certificate must chain to.</summary>
    public X509Certificate2Collection ManufacturerRoots { get; } = [.. roots.Where(r => r.Type == CertificateUse.ManufacturerRootCertificate).Select(r => r.Certificate)];

    /// <summary>The ChargePointCertificate with its private key (the charge point's own store), or <see langword="null"/>.</summary>
    public X509Certificate2? ChargePointCertificate { get; } = chargePointCertificate;
}

/// <summary>
/// The charge point's certificate store (Security Whitepaper ed. 3, "Certificate Management", M03–M05, A02), persisted
/// in the charge point's storage: the CentralSystemRootCertificate(s) (the trust roots of security profiles 2 and 3)
/// and ManufacturerRootCertificate(s) (the trust roots of signed firmware), and — unless the hardware keeps them
/// (<see cref="Hardware.ICertificateStore"/>) — the charge point's key pair (ECDSA P-256, generated here, never sent)
/// with its ChargePointCertificate. Crypto through the BCL only (<see cref="CertificateRequest"/>, <see cref="X509Chain"/>).
/// </summary>
internal sealed class CertificateManager(IChargePointStorage storage)
{
    public const string Collection = "certs";
    private const string ChargePointKey = "cp";
    private const string PendingKey = "cp.pending";
    private const string SeededKey = "seeded";

    private volatile CertificateSnapshot _snapshot = CertificateSnapshot.Empty;
    private ChargePointKeyRecord? _pending;

    /// <summary>The current content (any thread).</summary>
    public CertificateSnapshot Snapshot => _snapshot;

    /// <summary>Whether a key pair waits for its certificate (CertificateSigned).</summary>
    public bool HasPendingKey => _pending is not null;

    /// <summary>Loads the store; at the very first start, installs the factory roots of the options.</summary>
    /// <exception cref="ChargePointStorageException">The storage could not be read or written.</exception>
    public void Load(ChargePointOptions options)
    {
        var roots = new List<InstalledRoot>();
        X509Certificate2? chargePointCertificate = null;
        var seeded = false;
        foreach (var (key, value) in storage.Load(Collection))
        {
            if (key == SeededKey)
            {
                seeded = true;
            }
            else if (key == PendingKey)
            {
                _pending = JsonSerializer.Deserialize(value, CertificateJsonContext.Default.ChargePointKeyRecord);
            }
            else if (key == ChargePointKey)
            {
                var record = JsonSerializer.Deserialize(value, CertificateJsonContext.Default.ChargePointKeyRecord);
                chargePointCertificate = record is { Certificate: { } pem } ? WithKey(pem, record.Key) : null;
            }
            else if (key.StartsWith("root:", StringComparison.Ordinal)
                && JsonSerializer.Deserialize(value, CertificateJsonContext.Default.RootCertificateRecord) is { } root
                && TryParse(root.Pem, out var certificate))
            {
                roots.Add(new InstalledRoot(key, root.Type, certificate, root.Fallback));
            }
        }

        if (!seeded)
        {
            var batch = new ChargePointStorageBatch().Put(Collection, SeededKey, "true"u8.ToArray());
            foreach (var (type, certificates) in new[] { (CertificateUse.CentralSystemRootCertificate, options.CentralSystemRootCertificates), (CertificateUse.ManufacturerRootCertificate, options.ManufacturerRootCertificates) })
            {
                foreach (var certificate in certificates)
                {
                    var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
                    var key = RootKey(publicOnly);
                    if (roots.Any(r => r.Key == key))
                    {
                        continue;
                    }

                    batch.Put(Collection, key, Serialize(new RootCertificateRecord(type, publicOnly.ExportCertificatePem(), false)));
                    roots.Add(new InstalledRoot(key, type, publicOnly, false));
                }
            }

            storage.Write(batch);
        }

        _snapshot = new CertificateSnapshot(roots, chargePointCertificate);
    }

    // ------------------------------------------------------------------ roots (M03, M04, M05)

    /// <summary>
    /// InstallCertificate (M05): a PEM certificate, valid at <paramref name="now"/>, a CA, self-signed or issued by an
    /// installed certificate; at most <paramref name="maxLength"/> roots in all (CertificateStoreMaxLength); with
    /// <paramref name="additionalCheck"/> (AdditionalRootCertificateCheck) a new CentralSystemRootCertificate must be
    /// signed by the installed one and replaces it, the old one kept as fallback until a connection with the new one
    /// succeeds.
    /// </summary>
    public (InstallCertificateStatus Status, string? Reason) Install(CertificateUse type, string pem, DateTimeOffset now, int maxLength, bool additionalCheck)
    {
        if (!TryParse(pem, out var certificate))
        {
            return (InstallCertificateStatus.Rejected, "not a PEM certificate");
        }

        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return (InstallCertificateStatus.Rejected, "not valid now");
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: false })
        {
            return (InstallCertificateStatus.Rejected, "not a CA certificate");
        }

        var snapshot = _snapshot;
        var key = RootKey(certificate);
        if (snapshot.Roots.Any(r => r.Key == key && r.Type == type && !r.Fallback))
        {
            return (InstallCertificateStatus.Accepted, null);
        }

        if (FindIssuer(certificate, snapshot.Roots) is null)
        {
            return (InstallCertificateStatus.Rejected, "neither self-signed nor issued by an installed certificate");
        }

        var roots = snapshot.Roots.Where(r => r.Key != key).ToList();
        var batch = new ChargePointStorageBatch();
        if (additionalCheck && type == CertificateUse.CentralSystemRootCertificate)
        {
            var current = roots.Where(r => r.Type == type && !r.Fallback).ToList();
            if (current.Count > 0 && !current.Any(r => IsIssuedBy(certificate, r.Certificate)))
            {
                return (InstallCertificateStatus.Rejected, "not signed by the installed CentralSystemRootCertificate (AdditionalRootCertificateCheck)");
            }

            // The new root replaces the old one; the old one stays as fallback, earlier fallbacks go.
            foreach (var old in roots.Where(r => r.Type == type).ToList())
            {
                roots.Remove(old);
                batch.Delete(Collection, old.Key);
                if (!old.Fallback)
                {
                    var fallback = old with { Fallback = true };
                    roots.Add(fallback);
                    batch.Put(Collection, old.Key, Serialize(new RootCertificateRecord(type, old.Certificate.ExportCertificatePem(), true)));
                }
            }
        }
        else if (roots.Count >= maxLength)
        {
            return (InstallCertificateStatus.Rejected, $"the store holds its maximum of {maxLength} certificates (CertificateStoreMaxLength)");
        }

        batch.Put(Collection, key, Serialize(new RootCertificateRecord(type, certificate.ExportCertificatePem(), false)));
        try
        {
            storage.Write(batch);
        }
        catch (ChargePointStorageException)
        {
            return (InstallCertificateStatus.Failed, "the storage failed");
        }

        roots.Add(new InstalledRoot(key, type, certificate, false));
        _snapshot = new CertificateSnapshot(roots, snapshot.ChargePointCertificate);
        return (InstallCertificateStatus.Accepted, null);
    }

    /// <summary>
    /// DeleteCertificate (M04): the root named by the hash data. As on the reference station the last
    /// CentralSystemRootCertificate and the ChargePointCertificate cannot be removed (Failed).
    /// </summary>
    public DeleteCertificateStatus Delete(CertificateHashData data, X509Certificate2? chargePointCertificate)
    {
        var snapshot = _snapshot;
        if (chargePointCertificate is not null && FindIssuer(chargePointCertificate, snapshot.Roots) is { } cpIssuer
            && CertificateHashes.Matches(data, chargePointCertificate, cpIssuer))
        {
            return DeleteCertificateStatus.Failed;
        }

        var match = snapshot.Roots.FirstOrDefault(r => FindIssuer(r.Certificate, snapshot.Roots) is { } issuer && CertificateHashes.Matches(data, r.Certificate, issuer));
        if (match is null)
        {
            return DeleteCertificateStatus.NotFound;
        }

        if (match.Type == CertificateUse.CentralSystemRootCertificate && snapshot.Roots.Count(r => r.Type == match.Type) == 1)
        {
            return DeleteCertificateStatus.Failed;
        }

        try
        {
            storage.Write(new ChargePointStorageBatch().Delete(Collection, match.Key));
        }
        catch (ChargePointStorageException)
        {
            return DeleteCertificateStatus.Failed;
        }

        _snapshot = new CertificateSnapshot([.. snapshot.Roots.Where(r => r != match)], snapshot.ChargePointCertificate);
        return DeleteCertificateStatus.Accepted;
    }

    /// <summary>GetInstalledCertificateIds (M03): the SHA-256 hash data of each installed root of <paramref name="type"/>.</summary>
    public IReadOnlyList<CertificateHashData> GetIds(CertificateUse type)
    {
        var roots = _snapshot.Roots;
        return [.. roots.Where(r => r.Type == type).Select(r => CertificateHashes.Compute(r.Certificate, FindIssuer(r.Certificate, roots) ?? r.Certificate))];
    }

    /// <summary>Drops fallback roots (a connection with the new CentralSystemRootCertificate succeeded).</summary>
    public void DropFallbackRoots()
    {
        var snapshot = _snapshot;
        var fallbacks = snapshot.Roots.Where(r => r.Fallback).ToList();
        if (fallbacks.Count == 0)
        {
            return;
        }

        var batch = new ChargePointStorageBatch();
        fallbacks.ForEach(r => batch.Delete(Collection, r.Key));
        storage.Write(batch);
        _snapshot = new CertificateSnapshot([.. snapshot.Roots.Where(r => !r.Fallback)], snapshot.ChargePointCertificate);
    }

    // ------------------------------------------------------------------ the charge point's key pair (A02)

    /// <summary>
    /// Generates a key pair (ECDSA P-256), saves it as pending (replacing an earlier pending one) and returns the
    /// PKCS#10 request for <paramref name="subject"/>, PEM. The private key never leaves the storage.
    /// </summary>
    /// <exception cref="ChargePointStorageException">The key could not be saved (no request is made).</exception>
    public string CreateSigningRequest(X500DistinguishedName subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var pending = new ChargePointKeyRecord(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), null);
        storage.Write(new ChargePointStorageBatch().Put(Collection, PendingKey, Serialize(pending)));
        _pending = pending;
        return request.CreateSigningRequestPem();
    }

    /// <summary>
    /// Installs the certificate the Central System signed for the pending key pair (already validated): it becomes the
    /// ChargePointCertificate, used from the next connection on.
    /// </summary>
    /// <returns>The reason it was refused, or <see langword="null"/> when installed.</returns>
    public string? InstallSigned(X509Certificate2 leaf, string chainPem)
    {
        if (_pending is not { } pending)
        {
            return "no key pair waits for a certificate";
        }

        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(pending.Key), out _);
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            return "the certificate is not for the key pair of the last signing request";
        }

        var record = new ChargePointKeyRecord(pending.Key, chainPem);
        try
        {
            storage.Write(new ChargePointStorageBatch().Put(Collection, ChargePointKey, Serialize(record)).Delete(Collection, PendingKey));
        }
        catch (ChargePointStorageException)
        {
            return "the storage failed";
        }

        _pending = null;
        var snapshot = _snapshot;
        _snapshot = new CertificateSnapshot(snapshot.Roots, WithKey(chainPem, pending.Key));
        return null;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Reads one PEM certificate (the Security Whitepaper ed. 3 encoding).</summary>
    public static bool TryParse(string pem, out X509Certificate2 certificate)
    {
        certificate = null!;
        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Splits a PEM chain into its certificates (leaf first) and the length of each PEM block.</summary>
    public static bool TryParseChain(string pem, out List<(X509Certificate2 Certificate, int PemLength)> chain)
    {
        chain = [];
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (!rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                return false;
            }

            try
            {
                var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                chain.Add((X509CertificateLoader.LoadCertificate(der), fields.Location.End.Value - fields.Location.Start.Value));
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                return false;
            }

            rest = rest[fields.Location.End.Value..];
        }

        return chain.Count > 0;
    }

    /// <summary>The issuer of <paramref name="certificate"/> among <paramref name="roots"/>, itself when self-signed, else <see langword="null"/>.</summary>
    private static X509Certificate2? FindIssuer(X509Certificate2 certificate, IReadOnlyList<InstalledRoot> roots)
    {
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && IsIssuedBy(certificate, certificate))
        {
            return certificate;
        }

        return roots.Select(r => r.Certificate).FirstOrDefault(r => IsIssuedBy(certificate, r));
    }

    /// <summary>Whether <paramref name="issuer"/>'s key signed <paramref name="certificate"/> (an <see cref="X509Chain"/> with <paramref name="issuer"/> as the only trust anchor; validity times not checked).</summary>
    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(issuer);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        try
        {
            if (!chain.Build(certificate))
            {
                return false;
            }

            var elements = chain.ChainElements;
            return elements.Count <= 2 && elements[^1].Certificate.RawData.AsSpan().SequenceEqual(issuer.RawData);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The leaf of a PEM chain with the PKCS#8 key, loaded through PKCS#12 so that TLS can use the key on every platform.</summary>
    private static X509Certificate2? WithKey(string chainPem, string pkcs8)
    {
        if (!TryParseChain(chainPem, out var chain))
        {
            return null;
        }

        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
        using var withKey = chain[0].Certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static string RootKey(X509Certificate2 certificate)
        => "root:" + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private static byte[] Serialize(RootCertificateRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, CertificateJsonContext.Default.RootCertificateRecord);

    private static byte[] Serialize(ChargePointKeyRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, CertificateJsonContext.Default.ChargePointKeyRecord);

    /// <summary>For tests and logs: what the store holds, without keys.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"CertificateManager {{ Roots = {_snapshot.Roots.Count}, ChargePointCertificate = {_snapshot.ChargePointCertificate?.Subject}, Pending = {_pending is not null} }}");
}
