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
}
