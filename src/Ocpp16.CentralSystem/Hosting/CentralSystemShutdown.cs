using Microsoft.Extensions.Hosting;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Joins the cluster before the server accepts connections, when the Central System is scaled out
/// (<see cref="Cluster.OcppCluster"/>), and closes every charge point connection with 1001 (Going Away) when the
/// application stops, then leaves the cluster. Registered by
/// <c>AddOcpp16CentralSystem</c>; it acts in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host runs
/// before stopping any hosted service, Kestrel included: the close frames still reach the charge points and the
/// shutdown does not wait for them to hang up.
/// </summary>
internal sealed class CentralSystemShutdown(OcppCentralSystem centralSystem) : IHostedLifecycleService
{
    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => centralSystem.Cluster?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await centralSystem.StopAllAsync(cancellationToken).ConfigureAwait(false);
        if (centralSystem.Cluster is { } cluster)
        {
            await cluster.StopAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
