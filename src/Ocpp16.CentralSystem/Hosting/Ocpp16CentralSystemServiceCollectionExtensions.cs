using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ocpp16.CentralSystem;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OCPP 1.6 Central System in a service collection.</summary>
public static class Ocpp16CentralSystemServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="OcppCentralSystem"/> (singleton) and its options, validated when the application starts
    /// (<c>ValidateOnStart</c>). Add handlers with the returned builder, then map the endpoint with
    /// <c>app.MapOcpp16CentralSystem("/ocpp/{chargePointId}")</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CentralSystemOptions"/>; optional.</param>
    /// <returns>A builder for handlers, the authenticator and the registry.</returns>
    public static Ocpp16CentralSystemBuilder AddOcpp16CentralSystem(this IServiceCollection services, Action<CentralSystemOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CentralSystemOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services, options);
    }

    /// <summary>
    /// As <see cref="AddOcpp16CentralSystem(IServiceCollection, Action{CentralSystemOptions})"/>, with the options bound
    /// from a configuration section (property names as keys, durations as <c>hh:mm:ss</c>, e.g.
    /// <c>"Ocpp": { "CallTimeout": "00:00:20", "ActionTimeouts": { "GetDiagnostics": "00:02:00" } }</c>), then
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options, e.g. <c>builder.Configuration.GetSection("Ocpp")</c>.</param>
    /// <param name="configure">Configures what configuration cannot express (the validation policy); optional.</param>
    /// <returns>A builder for handlers, the authenticator and the registry.</returns>
    public static Ocpp16CentralSystemBuilder AddOcpp16CentralSystem(this IServiceCollection services, IConfiguration configuration, Action<CentralSystemOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = services.AddOptions<CentralSystemOptions>().Bind(configuration);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services, options);
    }

    private static Ocpp16CentralSystemBuilder AddCore(IServiceCollection services, OptionsBuilder<CentralSystemOptions> options)
    {
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CentralSystemOptions>, CentralSystemOptionsValidator>());
        services.TryAddSingleton<OcppCentralSystem>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, CentralSystemShutdown>());
        var registrations = services.FirstOrDefault(d => d.ServiceType == typeof(HandlerRegistrations))?.ImplementationInstance as HandlerRegistrations;
        if (registrations is null)
        {
            registrations = new HandlerRegistrations();
            services.AddSingleton(registrations);
        }

        return new Ocpp16CentralSystemBuilder(services, registrations);
    }
}
