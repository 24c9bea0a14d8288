using Microsoft.Extensions.DependencyInjection;
using Ocpp16.CentralSystem.Security;

namespace Ocpp16.CentralSystem;

/// <summary>Registers the ready-made security profile 1–3 authentication (OCPP 1.6 Security Whitepaper ed. 3, §2).</summary>
public static class Ocpp16CentralSystemSecurityExtensions
{
    /// <summary>
    /// Registers <paramref name="store"/> (singleton) and <see cref="ChargePointCredentialAuthenticator"/> as the
    /// authenticator: only charge points in the store may connect, each with its security profile.
    /// </summary>
    /// <param name="builder">The Central System builder.</param>
    /// <param name="store">The charge points and their credentials; it may still be changed while running.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">An authenticator is already registered.</exception>
    public static Ocpp16CentralSystemBuilder AddCredentialStore(this Ocpp16CentralSystemBuilder builder, ChargePointCredentialStore store)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.AddAuthenticator<ChargePointCredentialAuthenticator>();
        builder.Services.AddSingleton(store);
        return builder;
    }

    /// <summary>Creates a <see cref="ChargePointCredentialStore"/>, lets <paramref name="configure"/> fill it, and registers it like <see cref="AddCredentialStore(Ocpp16CentralSystemBuilder, ChargePointCredentialStore)"/>.</summary>
    /// <param name="builder">The Central System builder.</param>
    /// <param name="configure">Adds charge points, roots and the CPO name.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">An authenticator is already registered.</exception>
    public static Ocpp16CentralSystemBuilder AddCredentialStore(this Ocpp16CentralSystemBuilder builder, Action<ChargePointCredentialStore> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var store = new ChargePointCredentialStore();
        configure(store);
        return builder.AddCredentialStore(store);
    }

    /// <summary>
    /// Registers the certificate authority (singleton) that answers SignCertificate.req (Security Whitepaper A02) unless
    /// a delegate or an <see cref="ICentralSystemSecurityHandler"/> answers it (those can use
    /// <see cref="CertificateAuthorityExtensions.AnswerSignCertificateAsync"/>): Accepted when it signed, and the chain
    /// sent in CertificateSigned.req once the answer is on the wire; Rejected otherwise.
    /// </summary>
    /// <param name="builder">The Central System builder.</param>
    /// <param name="authority">The authority, e.g. a <see cref="CertificateAuthority"/> or one that forwards to an external CA.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A certificate authority is already registered.</exception>
    public static Ocpp16CentralSystemBuilder AddCertificateAuthority(this Ocpp16CentralSystemBuilder builder, ICertificateAuthority authority)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(authority);
        EnsureNoAuthority(builder);
        builder.Services.AddSingleton(authority);
        return builder;
    }

    /// <summary>Registers the default <see cref="CertificateAuthority"/> with <paramref name="options"/> (see <see cref="AddCertificateAuthority(Ocpp16CentralSystemBuilder, ICertificateAuthority)"/>).</summary>
    /// <param name="builder">The Central System builder.</param>
    /// <param name="options">The CA certificate (with its private key), the sub-CA chain, the CPO name and the validity.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid (checked here, not at the first request).</exception>
    /// <exception cref="InvalidOperationException">A certificate authority is already registered.</exception>
    public static Ocpp16CentralSystemBuilder AddCertificateAuthority(this Ocpp16CentralSystemBuilder builder, CertificateAuthorityOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        EnsureNoAuthority(builder);
        _ = new CertificateAuthority(options);
        builder.Services.AddSingleton<ICertificateAuthority>(sp => new CertificateAuthority(options, sp.GetService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        return builder;
    }

    private static void EnsureNoAuthority(Ocpp16CentralSystemBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ICertificateAuthority)))
        {
            throw new InvalidOperationException("An ICertificateAuthority is already registered; a Central System has one.");
        }
    }
}
