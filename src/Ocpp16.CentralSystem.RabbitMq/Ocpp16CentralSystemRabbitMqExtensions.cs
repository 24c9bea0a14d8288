using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Cluster;
using Ocpp16.CentralSystem.RabbitMq;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Scales a Central System out over RabbitMQ.</summary>
public static class Ocpp16CentralSystemRabbitMqExtensions
{
    /// <summary>
    /// Makes this Central System one node of a cluster whose nodes meet on a RabbitMQ broker (see
    /// <see cref="OcppCluster"/> for what is shared, how calls are routed and the delivery guarantee). Both option sets
    /// are validated when the application starts; the node connects to the broker then, before it accepts charge points,
    /// and the application does not start when the broker cannot be reached.
    /// </summary>
    /// <param name="builder">The Central System registration.</param>
    /// <param name="configureBroker">Sets <see cref="RabbitMqScaleOutOptions.Broker"/> and the rest.</param>
    /// <param name="configureCluster">Configures <see cref="OcppClusterOptions"/> (node id, liveness timings); optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A cluster bus is already registered.</exception>
    /// <remarks>
    /// At start (<c>IHost.StartAsync</c>), not here: invalid <see cref="RabbitMqScaleOutOptions"/> or
    /// <see cref="OcppClusterOptions"/> fail it with <see cref="OptionsValidationException"/> (every problem named, no
    /// password); a broker that cannot be reached (refused, unknown host, bad credentials or virtual host, TLS failure)
    /// fails it with <see cref="InvalidOperationException"/> naming the broker without its credentials, the client's
    /// <c>BrokerUnreachableException</c> as inner exception; a broker that refuses the declaration of the node's exchanges
    /// or queue fails it with the client's <c>OperationInterruptedException</c>.
    /// </remarks>
    public static Ocpp16CentralSystemBuilder AddRabbitMqScaleOut(this Ocpp16CentralSystemBuilder builder, Action<RabbitMqScaleOutOptions> configureBroker, Action<OcppClusterOptions>? configureCluster = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureBroker);
        builder.Services.AddOptions<RabbitMqScaleOutOptions>().Configure(configureBroker).ValidateOnStart();
        return AddBus(builder, configureCluster);
    }

    /// <summary>
    /// As <see cref="AddRabbitMqScaleOut(Ocpp16CentralSystemBuilder, Action{RabbitMqScaleOutOptions}, Action{OcppClusterOptions})"/>,
    /// with both option sets read from one configuration section: <c>RabbitMq</c> (the broker URI), <c>Exchange</c>,
    /// <c>RecoveryInterval</c>, <c>BrokerHeartbeat</c>, <c>NodeId</c>, <c>HeartbeatInterval</c>, <c>NodeTimeout</c>,
    /// <c>RoutingGrace</c> (durations as <c>hh:mm:ss</c>); e.g. <c>--ScaleOut:RabbitMq=amqp://guest:guest@localhost/ --ScaleOut:NodeId=a</c>.
    /// </summary>
    /// <param name="builder">The Central System registration.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("ScaleOut")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A cluster bus is already registered.</exception>
    /// <remarks>
    /// At start (<c>IHost.StartAsync</c>), not here: invalid <see cref="RabbitMqScaleOutOptions"/> or
    /// <see cref="OcppClusterOptions"/> fail it with <see cref="OptionsValidationException"/> (every problem named, no
    /// password); a broker that cannot be reached (refused, unknown host, bad credentials or virtual host, TLS failure)
    /// fails it with <see cref="InvalidOperationException"/> naming the broker without its credentials, the client's
    /// <c>BrokerUnreachableException</c> as inner exception; a broker that refuses the declaration of the node's exchanges
    /// or queue fails it with the client's <c>OperationInterruptedException</c>.
    /// </remarks>
    public static Ocpp16CentralSystemBuilder AddRabbitMqScaleOut(this Ocpp16CentralSystemBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<RabbitMqScaleOutOptions>()
            .Bind(configuration)
            .Configure(o =>
            {
                if (configuration["RabbitMq"] is { Length: > 0 } broker)
                {
                    o.Broker = Uri.TryCreate(broker, UriKind.Absolute, out var uri) ? uri : null;
                    o.BrokerUnreadable = o.Broker is null;
                }
            })
            .ValidateOnStart();
        builder.Services.AddOptions<OcppClusterOptions>().Bind(configuration);
        return AddBus(builder, null);
    }

    private static Ocpp16CentralSystemBuilder AddBus(Ocpp16CentralSystemBuilder builder, Action<OcppClusterOptions>? configureCluster)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RabbitMqScaleOutOptions>, RabbitMqScaleOutOptionsValidator>());
        return builder.AddScaleOut(
            services => new RabbitMqClusterBus(
                services.GetRequiredService<IOptions<RabbitMqScaleOutOptions>>().Value,
                services.GetService<ILoggerFactory>()?.CreateLogger("Ocpp16.CentralSystem.RabbitMq") ?? NullLogger.Instance),
            configureCluster);
    }
}
