using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Adds handlers, the authenticator and the charge point registry to an OCPP 1.6 Central System registration. Each
/// CP→CS action has one answerer: a delegate (<see cref="Handle{TRequest, TResponse}"/>), else its profile's handler
/// interface, else the default answer (see <see cref="ICentralSystemCoreHandler"/>); a second answerer for an action
/// throws <see cref="InvalidOperationException"/> when it is added.
/// </summary>
public sealed class Ocpp16CentralSystemBuilder
{
    private readonly HandlerRegistrations _registrations;

    internal Ocpp16CentralSystemBuilder(IServiceCollection services, HandlerRegistrations registrations)
    {
        Services = services;
        _registrations = registrations;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers the Core profile handler; by default scoped: one instance per CALL, in that CALL's DI scope.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="lifetime">Its DI lifetime. Default <see cref="ServiceLifetime.Scoped"/>; <see cref="ServiceLifetime.Singleton"/> saves a scope per CALL when it needs none.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A Core handler, or a delegate for a Core action, is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddCoreHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where THandler : class, ICentralSystemCoreHandler
        => AddHandler<ICentralSystemCoreHandler, THandler>(lifetime);

    /// <summary>Registers the Firmware Management profile handler; by default scoped (one instance per CALL).</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="lifetime">Its DI lifetime. Default <see cref="ServiceLifetime.Scoped"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">One, or a delegate for one of its actions, is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddFirmwareManagementHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where THandler : class, ICentralSystemFirmwareManagementHandler
        => AddHandler<ICentralSystemFirmwareManagementHandler, THandler>(lifetime);

    /// <summary>Registers the Security extension handler; by default scoped (one instance per CALL).</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="lifetime">Its DI lifetime. Default <see cref="ServiceLifetime.Scoped"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">One, or a delegate for one of its actions, is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddSecurityHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where THandler : class, ICentralSystemSecurityHandler
        => AddHandler<ICentralSystemSecurityHandler, THandler>(lifetime);

    /// <summary>
    /// Answers one CP→CS action with a delegate, for small applications: e.g.
    /// <c>.Handle((OcppCallContext c, AuthorizeRequest r, CancellationToken ct) => ValueTask.FromResult(new AuthorizeResponse { … }))</c>.
    /// The delegate gets the charge point and the CALL's own DI scope (<see cref="OcppCallContext.Services"/>).
    /// </summary>
    /// <typeparam name="TRequest">The request type of a CP→CS action.</typeparam>
    /// <typeparam name="TResponse">Its response type.</typeparam>
    /// <param name="handler">Produces the answer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The action is not sent by charge points.</exception>
    /// <exception cref="InvalidOperationException">The action already has a handler (a delegate or its profile's interface).</exception>
    public Ocpp16CentralSystemBuilder Handle<TRequest, TResponse>(OcppActionHandler<TRequest, TResponse> handler)
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        var action = OcppActions.All.First(a => a.RequestType == typeof(TRequest));
        _registrations.AddDelegate(action, handler);
        return this;
    }

    /// <summary>Registers the authenticator that checks connecting charge points (singleton). Without one, every charge point is accepted.</summary>
    /// <typeparam name="TAuthenticator">The authenticator type.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">One is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddAuthenticator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TAuthenticator>()
        where TAuthenticator : class, IChargePointAuthenticator
    {
        if (Services.Any(d => d.ServiceType == typeof(IChargePointAuthenticator)))
        {
            throw new InvalidOperationException("An IChargePointAuthenticator is already registered; a Central System has one.");
        }

        Services.AddSingleton<IChargePointAuthenticator, TAuthenticator>();
        return this;
    }

    /// <summary>
    /// Registers the charge point registry (singleton) and refuses unknown identities with HTTP 404 at the handshake
    /// (sets <see cref="CentralSystemOptions.UnknownChargePoints"/> to <see cref="UnknownChargePointPolicy.Refuse"/>).
    /// </summary>
    /// <param name="registry">The registry, e.g. an <see cref="InMemoryChargePointRegistry"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A registry is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddChargePointRegistry(IChargePointRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (Services.Any(d => d.ServiceType == typeof(IChargePointRegistry)))
        {
            throw new InvalidOperationException("An IChargePointRegistry is already registered.");
        }

        Services.AddSingleton(registry);
        Services.Configure<CentralSystemOptions>(o => o.UnknownChargePoints = UnknownChargePointPolicy.Refuse);
        return this;
    }

    /// <summary>
    /// Makes this Central System one node of a cluster (scale-out): several nodes behind a load balancer act as one, and
    /// a call to a charge point connected to another node is routed there (see <see cref="Cluster.OcppCluster"/> for the
    /// delivery guarantee). The node joins when the application starts (before it accepts connections) and leaves when
    /// it stops. For RabbitMQ, use <c>AddRabbitMqScaleOut</c> of the Ocpp16.CentralSystem.RabbitMq package.
    /// </summary>
    /// <param name="createBus">Creates the bus (singleton; disposed with the service provider).</param>
    /// <param name="configure">Configures <see cref="Cluster.OcppClusterOptions"/>, validated when the application starts; optional.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A cluster bus is already registered.</exception>
    public Ocpp16CentralSystemBuilder AddScaleOut(Func<IServiceProvider, Cluster.IOcppClusterBus> createBus, Action<Cluster.OcppClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(createBus);
        if (Services.Any(d => d.ServiceType == typeof(Cluster.IOcppClusterBus)))
        {
            throw new InvalidOperationException("A cluster bus (scale-out) is already registered.");
        }

        Services.AddSingleton(createBus);
        var options = Services.AddOptions<Cluster.OcppClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<Cluster.OcppClusterOptions>, Cluster.OcppClusterOptionsValidator>());
        return this;
    }

    private Ocpp16CentralSystemBuilder AddHandler<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(ServiceLifetime lifetime)
        where TService : class
        where TImplementation : class, TService
    {
        _registrations.AddInterface(typeof(TService), lifetime);
        Services.TryAdd(new ServiceDescriptor(typeof(TService), typeof(TImplementation), lifetime));
        return this;
    }
}
