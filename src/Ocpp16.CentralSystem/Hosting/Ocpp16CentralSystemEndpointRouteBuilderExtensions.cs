using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ocpp16.CentralSystem;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OCPP 1.6 Central System WebSocket endpoint.</summary>
public static class Ocpp16CentralSystemEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the endpoint charge points connect to, e.g. <c>ws://host:port/ocpp/{chargePointId}</c> (OCPP-J 1.6 §3.1).
    /// WebSockets are enabled on this endpoint by itself (no <c>UseWebSockets</c> needed). The returned builder
    /// takes conventions such as <c>RequireHost</c>.
    /// </summary>
    /// <param name="endpoints">The route builder (e.g. the <c>WebApplication</c>).</param>
    /// <param name="pattern">The route pattern; must contain <c>{chargePointId}</c>, whose value is the identity. Default <c>/ocpp/{chargePointId}</c>.</param>
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
