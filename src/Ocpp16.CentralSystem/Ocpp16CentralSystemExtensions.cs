using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ocpp16.CentralSystem;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers the OCPP 1.6 Central System in a service collection.</summary>
    public static class Ocpp16CentralSystemServiceCollectionExtensions
    {
        /// <summary>
        /// Adds <see cref="OcppCentralSystem"/> (singleton) and its options. Add the profile handlers with the returned
        /// builder, then map the endpoint with <c>app.MapOcpp16CentralSystem("/ocpp/{chargePointId}")</c>.
        /// </summary>
        /// <param name="services">The service collection.</param>
        /// <param name="configure">Configures <see cref="CentralSystemOptions"/>; optional.</param>
        /// <returns>A builder for handlers and the authenticator.</returns>
        public static Ocpp16CentralSystemBuilder AddOcpp16CentralSystem(this IServiceCollection services, Action<CentralSystemOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(services);
            services.AddOptions<CentralSystemOptions>();
            if (configure is not null)
            {
                services.Configure(configure);
            }

            services.TryAddSingleton<OcppCentralSystem>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Ocpp16.CentralSystem.CentralSystemShutdown>());
            return new Ocpp16CentralSystemBuilder(services);
        }
    }
}

namespace Microsoft.AspNetCore.Builder
{
    /// <summary>Maps the OCPP 1.6 Central System WebSocket endpoint.</summary>
    public static class Ocpp16CentralSystemEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Maps the endpoint charge points connect to, e.g. <c>ws://host:port/ocpp/{chargePointId}</c> (OCPP-J 1.6 §3.1).
        /// WebSockets are enabled on this endpoint by itself (no <c>UseWebSockets</c> needed). The returned builder
        /// takes conventions such as <c>RequireHost</c>.
        /// </summary>
        /// <param name="endpoints">The route builder (e.g. the <c>WebApplication</c>).</param>
        /// <param name="pattern">The route pattern; must contain <c>{chargePointId}</c>. Default <c>/ocpp/{chargePointId}</c>.</param>
        /// <returns>The endpoint convention builder.</returns>
        /// <exception cref="ArgumentException"><paramref name="pattern"/> has no <c>{chargePointId}</c> parameter.</exception>
        public static IEndpointConventionBuilder MapOcpp16CentralSystem(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = "/ocpp/{chargePointId}")
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            if (!pattern.Contains("{chargePointId}", StringComparison.Ordinal))
            {
                throw new ArgumentException("The pattern must contain a {chargePointId} parameter.", nameof(pattern));
            }

            var centralSystem = endpoints.ServiceProvider.GetRequiredService<OcppCentralSystem>();
            var app = endpoints.CreateApplicationBuilder().UseWebSockets();
            app.Run(centralSystem.HandleConnectionAsync);
            return endpoints.Map(pattern, app.Build()).WithDisplayName("OCPP 1.6 Central System");
        }
    }
}

namespace Ocpp16.CentralSystem
{
    /// <summary>Adds handlers and the authenticator to an OCPP 1.6 Central System registration.</summary>
    public sealed class Ocpp16CentralSystemBuilder
    {
        internal Ocpp16CentralSystemBuilder(IServiceCollection services) => Services = services;

        /// <summary>The service collection.</summary>
        public IServiceCollection Services { get; }

        /// <summary>Registers the Core profile handler (singleton).</summary>
        /// <typeparam name="THandler">The handler type.</typeparam>
        /// <returns>This builder.</returns>
        /// <exception cref="InvalidOperationException">A Core handler is already registered.</exception>
        public Ocpp16CentralSystemBuilder AddCoreHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
            where THandler : class, ICentralSystemCoreHandler
            => AddOnce<ICentralSystemCoreHandler, THandler>();

        /// <summary>Registers the Firmware Management profile handler (singleton).</summary>
        /// <typeparam name="THandler">The handler type.</typeparam>
        /// <returns>This builder.</returns>
        /// <exception cref="InvalidOperationException">One is already registered.</exception>
        public Ocpp16CentralSystemBuilder AddFirmwareManagementHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
            where THandler : class, ICentralSystemFirmwareManagementHandler
            => AddOnce<ICentralSystemFirmwareManagementHandler, THandler>();

        /// <summary>Registers the Security extension handler (singleton).</summary>
        /// <typeparam name="THandler">The handler type.</typeparam>
        /// <returns>This builder.</returns>
        /// <exception cref="InvalidOperationException">One is already registered.</exception>
        public Ocpp16CentralSystemBuilder AddSecurityHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
            where THandler : class, ICentralSystemSecurityHandler
            => AddOnce<ICentralSystemSecurityHandler, THandler>();

        /// <summary>Registers the authenticator that checks connecting charge points (singleton). Without one, every charge point is accepted.</summary>
        /// <typeparam name="TAuthenticator">The authenticator type.</typeparam>
        /// <returns>This builder.</returns>
        /// <exception cref="InvalidOperationException">One is already registered.</exception>
        public Ocpp16CentralSystemBuilder AddAuthenticator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAuthenticator>()
            where TAuthenticator : class, IChargePointAuthenticator
            => AddOnce<IChargePointAuthenticator, TAuthenticator>();

        private Ocpp16CentralSystemBuilder AddOnce<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>()
            where TService : class
            where TImplementation : class, TService
        {
            if (Services.Any(d => d.ServiceType == typeof(TService)))
            {
                throw new InvalidOperationException($"A {typeof(TService).Name} is already registered; a Central System has one handler per profile.");
            }

            Services.AddSingleton<TService, TImplementation>();
            return this;
        }
    }
}
