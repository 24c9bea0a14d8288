using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an OCPP 1.6-J charge point with the generic host.</summary>
public static class ChargePointServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="OcppChargePoint"/> (a singleton) and a hosted service that starts it with the host and
    /// stops it (closing the connection) when the host stops; it works under <c>UseSystemd()</c>. The hardware must be
    /// registered as <see cref="IChargePointHardware"/>; an <see cref="IChargePointStorage"/> and a
    /// <see cref="TimeProvider"/> are used when registered. The options are validated when the host starts
    /// (<c>ValidateOnStart</c>), with messages that name each invalid option.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The options builder, for further configuration.</returns>
    public static OptionsBuilder<ChargePointOptions> AddOcpp16ChargePoint(this IServiceCollection services, Action<ChargePointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddOcpp16ChargePointCore().Configure(configure);
    }

    /// <summary>
    /// As <see cref="AddOcpp16ChargePoint(IServiceCollection, Action{ChargePointOptions})"/>, with the options bound from a
    /// configuration section (e.g. <c>ChargePoint:Identity</c>, <c>ChargePoint:CentralSystemUri</c>,
    /// <c>ChargePoint:Configuration:HeartbeatInterval</c>, <c>ChargePoint:ConfigurationKeyRanges:HeartbeatInterval:Maximum</c>,
    /// <c>ChargePoint:SecurityProfileUris:3</c>). Certificates come
    /// from files: <c>CentralSystemRootCertificateFiles</c>, <c>ManufacturerRootCertificateFiles</c> and
    /// <c>FileTransferRootCertificateFiles</c> (lists of PEM or DER files), <c>ClientCertificateFile</c> (PKCS#12 with
    /// <c>ClientCertificatePassword</c>, or PEM with <c>ClientCertificateKeyFile</c>); relative paths are in the
    /// <c>DataDirectory</c> when set. A file that cannot be read fails the start with a message naming the option. The
    /// transport factory and the validation policy are set in code.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns>The options builder, for further configuration.</returns>
    public static OptionsBuilder<ChargePointOptions> AddOcpp16ChargePoint(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddOcpp16ChargePointCore().Configure(options => ChargePointOptionsBinder.Bind(configuration, options));
    }

    private static OptionsBuilder<ChargePointOptions> AddOcpp16ChargePointCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChargePointOptions>, ChargePointOptionsValidator>());
        services.TryAddSingleton(sp => new OcppChargePoint(
            sp.GetRequiredService<IOptions<ChargePointOptions>>().Value,
            sp.GetRequiredService<IChargePointHardware>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<IChargePointStorage>()));
        services.AddHostedService<ChargePointHostedService>();
        return services.AddOptions<ChargePointOptions>().ValidateOnStart();
    }
}

/// <summary>Validates <see cref="ChargePointOptions"/> at start-up.</summary>
internal sealed class ChargePointOptionsValidator : IValidateOptions<ChargePointOptions>
{
    public ValidateOptionsResult Validate(string? name, ChargePointOptions options)
    {
        var problems = options.FindProblems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Starts the charge point with the host and stops it with the host.</summary>
internal sealed class ChargePointHostedService(OcppChargePoint chargePoint) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => chargePoint.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => chargePoint.StopAsync(cancellationToken);
}
