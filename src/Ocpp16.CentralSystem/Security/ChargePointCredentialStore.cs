using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ocpp16.CentralSystem.Security;

/// <summary>
/// The charge points allowed to connect and how each one authenticates (OCPP 1.6 Security Whitepaper ed. 3, §2):
/// security profile 1 (HTTP Basic auth, unsecured transport), 2 (TLS 1.2+ and Basic auth) or 3 (TLS 1.2+ with a
/// client certificate). Passwords are kept only as salted PBKDF2-HMAC-SHA256 hashes (<see cref="HashPassword(string)"/>).
/// Thread-safe: charge points may be added and removed while the Central System runs. Checked by
/// <see cref="ChargePointCredentialAuthenticator"/>; register both with <c>AddCredentialStore</c>.
/// </summary>
public sealed class ChargePointCredentialStore
{
    /// <summary>The default PBKDF2 iteration count of <see cref="HashPassword(string)"/>: 100 000 (also the minimum accepted).</summary>
    public const int DefaultIterations = 100_000;

    private const string Algorithm = "pbkdf2-sha256";
    private const int MaxIterations = 10_000_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;

    private readonly ConcurrentDictionary<string, ChargePointCredential> _credentials = new(StringComparer.Ordinal);
    private string? _certificateOrganization;

    /// <summary>
    /// The root certificate(s) that charge point client certificates must chain to (security profile 3); only these
    /// are trusted, never the system store. Default empty (then every profile 3 charge point is refused). Fill it
    /// before the Central System starts; it is read, not copied, on every connection.
    /// </summary>
    public X509Certificate2Collection ChargePointCertificateRoots { get; } = [];

    /// <summary>
    /// The organization (subject <c>O</c>) a charge point client certificate must carry: the CPO name (OCPP 1.6
    /// Security Whitepaper ed. 3, "Certificate Properties"). Compared ordinally. Default <see langword="null"/>:
    /// not checked.
    /// </summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public string? CertificateOrganization
    {
        get => _certificateOrganization;
        set
        {
            if (value is { Length: 0 })
            {
                throw new ArgumentException("The organization must not be empty; use null to not check it.", nameof(value));
            }

            _certificateOrganization = value;
        }
    }

    /// <summary>Whether client certificates are checked for revocation. Default <see cref="X509RevocationMode.NoCheck"/>.</summary>
    public X509RevocationMode CertificateRevocationMode { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>The number of charge points in the store.</summary>
    public int Count => _credentials.Count;

    /// <summary>
    /// Adds or replaces a charge point that authenticates with a password (security profile 1 or 2); the password is
    /// hashed with <see cref="HashPassword(string)"/> and not kept.
    /// </summary>
    /// <param name="chargePointId">The charge point identity (also the Basic auth user name).</param>
    /// <param name="password">The password (the AuthorizationKey the charge point was given).</param>
    /// <param name="securityProfile">1 (ws or wss) or 2 (wss only, TLS 1.2 or newer). Default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="chargePointId"/> or <paramref name="password"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="securityProfile"/> is not 1 or 2.</exception>
    public void SetPassword(string chargePointId, string password, int securityProfile = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargePointId);
        ArgumentException.ThrowIfNullOrEmpty(password);
        CheckPasswordProfile(securityProfile);
        _credentials[chargePointId] = new ChargePointCredential(securityProfile, HashPassword(password), null);
    }

    /// <summary>
    /// Adds or replaces a charge point that authenticates with a password (security profile 1 or 2), given as a hash
    /// made by <see cref="HashPassword(string)"/> (e.g. read from configuration, so the plain password is never stored).
    /// </summary>
    /// <param name="chargePointId">The charge point identity (also the Basic auth user name).</param>
    /// <param name="passwordHash">A hash in the format <c>pbkdf2-sha256$iterations$salt$hash</c>.</param>
    /// <param name="securityProfile">1 (ws or wss) or 2 (wss only, TLS 1.2 or newer). Default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="chargePointId"/> is null or empty.</exception>
    /// <exception cref="FormatException"><paramref name="passwordHash"/> is not a hash made by <see cref="HashPassword(string)"/> (or has fewer than <see cref="DefaultIterations"/> iterations).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="securityProfile"/> is not 1 or 2.</exception>
    public void SetPasswordHash(string chargePointId, string passwordHash, int securityProfile = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargePointId);
        ArgumentNullException.ThrowIfNull(passwordHash);
        CheckPasswordProfile(securityProfile);
        if (!TryParseHash(passwordHash, out var iterations, out _, out _) || iterations < DefaultIterations)
        {
            throw new FormatException("The password hash is not in the format pbkdf2-sha256$iterations$salt$hash (made by HashPassword, at least 100000 iterations).");
        }

        _credentials[chargePointId] = new ChargePointCredential(securityProfile, passwordHash, null);
    }

    /// <summary>
    /// Adds or replaces a charge point that authenticates with a TLS client certificate (security profile 3): the
    /// certificate must chain to <see cref="ChargePointCertificateRoots"/>, be valid now, allow client authentication,
    /// carry <paramref name="commonName"/> as its subject <c>CN</c> and, when set, <see cref="CertificateOrganization"/>
    /// as its subject <c>O</c>. No password is used (a Basic auth header, if sent, is ignored).
    /// </summary>
    /// <param name="chargePointId">The charge point identity.</param>
    /// <param name="commonName">The expected subject CN (the whitepaper puts the charge point's serial number there);
    /// default <see langword="null"/>: the identity itself.</param>
    /// <exception cref="ArgumentException"><paramref name="chargePointId"/> is null or empty, or <paramref name="commonName"/> is empty.</exception>
    public void SetClientCertificate(string chargePointId, string? commonName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargePointId);
        if (commonName is { Length: 0 })
        {
            throw new ArgumentException("The common name must not be empty; use null for the identity.", nameof(commonName));
        }

        _credentials[chargePointId] = new ChargePointCredential(3, null, commonName ?? chargePointId);
    }

    /// <summary>Removes a charge point; it can no longer connect (an open connection is not closed).</summary>
    /// <param name="chargePointId">The identity.</param>
    /// <returns><see langword="true"/> when it was in the store.</returns>
    public bool Remove(string chargePointId)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        return _credentials.TryRemove(chargePointId, out _);
    }

    /// <summary>The security profile (1, 2 or 3) of a charge point, or <see langword="null"/> when it is not in the store.</summary>
    /// <param name="chargePointId">The identity.</param>
    /// <returns>The profile, or <see langword="null"/>.</returns>
    public int? GetSecurityProfile(string chargePointId)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        return _credentials.TryGetValue(chargePointId, out var credential) ? credential.SecurityProfile : null;
    }

    internal bool TryGet(string chargePointId, out ChargePointCredential credential)
        => _credentials.TryGetValue(chargePointId, out credential!);

    /// <summary>
    /// Hashes a password with PBKDF2-HMAC-SHA256 (<see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>),
    /// a random 16-byte salt and <see cref="DefaultIterations"/> iterations, into the self-describing string
    /// <c>pbkdf2-sha256$100000$&lt;salt, base64&gt;$&lt;32-byte hash, base64&gt;</c>.
    /// </summary>
    /// <param name="password">The password (encoded as UTF-8).</param>
    /// <returns>The hash string; a new salt every call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is <see langword="null"/>.</exception>
    public static string HashPassword(string password) => HashPassword(password, DefaultIterations);

    /// <summary>Hashes a password like <see cref="HashPassword(string)"/> with a chosen iteration count.</summary>
    /// <param name="password">The password (encoded as UTF-8).</param>
    /// <param name="iterations">The PBKDF2 iteration count, 100 000 to 10 000 000.</param>
    /// <returns>The hash string <c>pbkdf2-sha256$iterations$salt$hash</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is out of range.</exception>
    public static string HashPassword(string password, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, DefaultIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Derive(password, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Algorithm}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Checks a password against a hash made by <see cref="HashPassword(string)"/>, comparing the derived keys in
    /// constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>).
    /// </summary>
    /// <param name="password">The presented password, or <see langword="null"/> (never matches).</param>
    /// <param name="passwordHash">The stored hash.</param>
    /// <returns><see langword="true"/> when the password matches; <see langword="false"/> otherwise, also for a malformed hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="passwordHash"/> is <see langword="null"/>.</exception>
    public static bool VerifyPassword(string? password, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(passwordHash);
        if (!TryParseHash(passwordHash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Derive(password ?? string.Empty, salt, iterations);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && password is not null;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA256, HashSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool TryParseHash(string text, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = text.Split('$');
        if (parts.Length != 4 || !string.Equals(parts[0], Algorithm, StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations is < 1 or > MaxIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length >= 16;
    }

    private static void CheckPasswordProfile(int securityProfile)
    {
        if (securityProfile is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(securityProfile), securityProfile, "A password is used by security profiles 1 and 2; use SetClientCertificate for profile 3.");
        }
    }
}

/// <summary>One charge point's entry in a <see cref="ChargePointCredentialStore"/>.</summary>
/// <param name="SecurityProfile">1, 2 or 3.</param>
/// <param name="PasswordHash">The PBKDF2 hash (profiles 1 and 2).</param>
/// <param name="CommonName">The expected certificate subject CN (profile 3).</param>
internal sealed record ChargePointCredential(int SecurityProfile, string? PasswordHash, string? CommonName)
{
    public override string ToString() => $"ChargePointCredential {{ SecurityProfile = {SecurityProfile} }}";
}
