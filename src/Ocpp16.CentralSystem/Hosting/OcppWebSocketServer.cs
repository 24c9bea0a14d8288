using Microsoft.AspNetCore.Http;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Accepts a charge point's WebSocket connection in ASP.NET Core (OCPP-J 1.6 §3). Routing, identity and
/// authentication are the caller's job; this only checks the request and negotiates the subprotocol. It lives in the
/// Central System package (not in Ocpp16.Transport), so a charge point's dependencies hold no ASP.NET Core.
/// </summary>
public static class OcppWebSocketServer
{
    /// <summary>
    /// Accepts the WebSocket upgrade with subprotocol <c>ocpp1.6</c> (OCPP-J 1.6 §3.1.2).
    /// </summary>
    /// <param name="context">The HTTP context of the upgrade request.</param>
    /// <param name="options">The options of the resulting transport; <see langword="null"/> for the defaults.</param>
    /// <returns>
    /// The transport, or <see langword="null"/> when the request was refused: not a WebSocket request, or its
    /// <c>Sec-WebSocket-Protocol</c> header does not offer <c>ocpp1.6</c>. A refused request gets HTTP 400 and no upgrade.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static async Task<WebSocketOcppTransport?> AcceptAsync(HttpContext context, OcppTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        string? selected = null;
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        for (var i = 0; i < requested.Count; i++)
        {
            if (string.Equals(requested[i], OcppWebSocketClient.SubProtocol, StringComparison.OrdinalIgnoreCase))
            {
                selected = requested[i];
                break;
            }
        }

        if (selected is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        var accept = new WebSocketAcceptContext { SubProtocol = selected };
        if (options?.KeepAliveInterval is { } interval)
        {
            accept.KeepAliveInterval = interval;
        }

        if (options?.KeepAliveTimeout is { } timeout)
        {
            accept.KeepAliveTimeout = timeout;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
        return new WebSocketOcppTransport(socket, options) { RemoteAddress = context.Connection.RemoteIpAddress?.ToString() };
    }
}
