using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Security;

/// <summary>
/// Authenticates charge points against a <see cref="ChargePointCredentialStore"/> (OCPP 1.6 Security Whitepaper
/// ed. 3, §2 "Security Profiles"). Every refusal is answered HTTP 401 before the WebSocket upgrade, whatever the
/// reason (unknown identity, wrong password, plain <c>ws://</c> for a profile 2 or 3 charge point, TLS older than 1.2,
/// missing or unacceptable client certificate), so an unauthenticated peer learns nothing about which identities
/// exist or how they are configured; the reason is logged (event ids 4100–4103), never the password.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Profile 1: the Basic auth password must match the stored PBKDF2 hash (constant-time comparison); ws or wss.</item>
/// <item>Profile 2: as profile 1, and the connection must be TLS 1.2 or newer.</item>
/// <item>Profile 3: TLS 1.2 or newer with a client certificate that chains to
/// <see cref="ChargePointCredentialStore.ChargePointCertificateRoots"/> only, is valid now, allows client
/// authentication, and whose subject CN is the charge point's (and O the configured CPO name). Kestrel must ask for
/// client certificates (<c>ClientCertificateMode.AllowCertificate</c>) and leave their validation to this class
/// (<c>AllowAnyClientCertificate()</c>).</item>
/// </list>
/// An unknown identity costs one PBKDF2 derivation too, so timing does not tell unknown identities from wrong passwords.
/// </remarks>
public sealed class ChargePointCredentialAuthenticator : IChargePointAuthenticator
{
    private static readonly Lazy<string> DummyHash = new(() => ChargePointCredentialStore.HashPassword(Guid.NewGuid().ToString("N")));

    private readonly ChargePointCredentialStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="store">The charge points and their credentials.</param>
    /// <param name="loggerFactory">Logging of refusals; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public ChargePointCredentialAuthenticator(ChargePointCredentialStore store, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Ocpp16.CentralSystem.Security");
    }

    /// <inheritdoc/>
    public async ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.ChargePointId;
        if (!_store.TryGet(id, out var credential))
        {
            _ = ChargePointCredentialStore.VerifyPassword(context.Password ?? string.Empty, DummyHash.Value);
            CentralSystemSecurityLog.UnknownChargePoint(_logger, id);
            return false;
        }

        var profile = credential.SecurityProfile;
        if (profile is 1 or 2)
        {
            var passwordOk = context.Password is not null && ChargePointCredentialStore.VerifyPassword(context.Password, credential.PasswordHash!);
            if (!passwordOk)
            {
                CentralSystemSecurityLog.Refused(_logger, id, profile, context.Password is null ? "no Basic auth credentials" : "wrong password");
                return false;
            }
        }

        if (profile >= 2 && !CheckTls(context, profile))
        {
            return false;
        }

        if (profile == 3 && !await CheckClientCertificateAsync(context, credential, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        CentralSystemSecurityLog.Authenticated(_logger, id, profile);
        return true;
    }

    private bool CheckTls(ChargePointAuthenticationContext context, int profile)
    {
        if (!context.IsTls)
        {
            CentralSystemSecurityLog.Refused(_logger, context.ChargePointId, profile, "plain ws:// (TLS required)");
            return false;
        }

        var protocol = context.TlsProtocol;
        // SslProtocols values grow with the version (Ssl2 < Ssl3 < Tls < Tls11 < Tls12 < Tls13); None: not reported.
        if (protocol != SslProtocols.None && protocol < SslProtocols.Tls12)
        {
            CentralSystemSecurityLog.Refused(_logger, context.ChargePointId, profile, "TLS older than 1.2");
            return false;
        }

        return true;
    }

    private async ValueTask<bool> CheckClientCertificateAsync(ChargePointAuthenticationContext context, ChargePointCredential credential, CancellationToken cancellationToken)
    {
        var id = context.ChargePointId;
        var certificate = context.ClientCertificate ?? await context.GetClientCertificateAsync(cancellationToken).ConfigureAwait(false);
        if (certificate is null)
        {
            CentralSystemSecurityLog.Refused(_logger, id, 3, "no client certificate");
            return false;
        }

        var subject = certificate.Subject;
        if (!OcppCertificateValidation.ValidateChain(certificate, _store.ChargePointCertificateRoots, OcppCertificateValidation.ClientAuthenticationOid, revocationMode: _store.CertificateRevocationMode))
        {
            CentralSystemSecurityLog.CertificateRefused(_logger, id, 3, subject, "does not chain to a configured root, is not valid now or does not allow client authentication");
            return false;
        }

        if (!string.Equals(GetSingleAttribute(certificate.SubjectName, CommonNameOid), credential.CommonName, StringComparison.Ordinal))
        {
            CentralSystemSecurityLog.CertificateRefused(_logger, id, 3, subject, "has a different subject CN");
            return false;
        }

        if (_store.CertificateOrganization is { } organization
            && !string.Equals(GetSingleAttribute(certificate.SubjectName, OrganizationOid), organization, StringComparison.Ordinal))
        {
            CentralSystemSecurityLog.CertificateRefused(_logger, id, 3, subject, "has a different subject O");
            return false;
        }

        return true;
    }

    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The value of an attribute that occurs exactly once in the name; <see langword="null"/> when absent or repeated.</summary>
    private static string? GetSingleAttribute(X500DistinguishedName name, string oid)
    {
        string? found = null;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            if (string.Equals(rdn.GetSingleElementType().Value, oid, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    return null;
                }

                found = rdn.GetSingleElementValue();
            }
        }

        return found;
    }
}
