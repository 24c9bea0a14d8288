using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// The checks of a charge point's upgrade request, cheapest first, so that nothing expensive runs for a request that a
/// cheap check refuses: the identity (400), a WebSocket upgrade offering <c>ocpp1.6</c> (400), the registry for
/// unknown identities when configured (404), the duplicate connection policy (409), then HTTP Basic credentials and the
/// authenticator (401), at most <see cref="CentralSystemOptions.MaxConcurrentAuthentications"/> at a time.
/// </summary>
internal sealed class ChargePointHandshake
{
    private readonly OcppCentralSystem _owner;
    private readonly CentralSystemOptions _options;
    private readonly IChargePointAuthenticator? _authenticator;
    private readonly IChargePointRegistry? _registry;
    private readonly SemaphoreSlim _authenticationSlots;

    public ChargePointHandshake(OcppCentralSystem owner, IServiceProvider services, CentralSystemOptions options)
    {
        _owner = owner;
        _options = options;
        _authenticator = services.GetService<IChargePointAuthenticator>();
        _registry = services.GetService<IChargePointRegistry>();
        if (options.UnknownChargePoints == UnknownChargePointPolicy.Refuse && _registry is null)
        {
            throw new InvalidOperationException("CentralSystemOptions.UnknownChargePoints is Refuse but no IChargePointRegistry is registered (AddChargePointRegistry).");
        }

        _authenticationSlots = new SemaphoreSlim(options.MaxConcurrentAuthentications, options.MaxConcurrentAuthentications);
    }

    public Task HandleAsync(HttpContext context)
    {
        // Not async itself: while a connection lives, only the state machine of ServeAsync stays alive.
        var id = ReadIdentity(context);
        if (!IsValidIdentity(id))
        {
            CentralSystemLog.InvalidIdentity(_owner.Logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        if (!OffersOcpp16(context))
        {
            CentralSystemLog.Refused(_owner.Logger, id, "not a WebSocket request offering ocpp1.6");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        if (_options.UnknownChargePoints == UnknownChargePointPolicy.Accept && _authenticator is null)
        {
            // Without an authenticator, Basic credentials are not required; credentials for another user still are refused.
            if (BasicCredentials.Read(context.Request, id, out _) == BasicCredentials.Outcome.Invalid)
            {
                RefuseUnauthorized(context, id);
                return Task.CompletedTask;
            }

            return Admit(context, id) ? _owner.ServeAsync(context, id) : Task.CompletedTask;
        }

        var admitted = CheckSlowAsync(context, id);
        if (admitted.IsCompletedSuccessfully)
        {
            return admitted.Result ? _owner.ServeAsync(context, id) : Task.CompletedTask;
        }

        return CheckThenServeAsync(context, id, admitted);
    }

    private async Task CheckThenServeAsync(HttpContext context, string id, ValueTask<bool> admitted)
    {
        if (await admitted.ConfigureAwait(false))
        {
            await _owner.ServeAsync(context, id).ConfigureAwait(false);
        }
    }

    /// <summary>The duplicate connection policy; on success the identity is reserved until served or released.</summary>
    private bool Admit(HttpContext context, string id)
    {
        if (_options.DuplicateConnections == DuplicateConnectionPolicy.RejectNew && _owner.Cluster?.IsOwnedElsewhere(id) == true)
        {
            CentralSystemLog.Refused(_owner.Logger, id, "already connected to another node of the cluster");
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            return false;
        }

        if (_owner.Registry.TryBeginAdmission(id, _options.DuplicateConnections))
        {
            return true;
        }

        CentralSystemLog.Refused(_owner.Logger, id, "already connected");
        context.Response.StatusCode = StatusCodes.Status409Conflict;
        return false;
    }

    private async ValueTask<bool> CheckSlowAsync(HttpContext context, string id)
    {
        if (_options.UnknownChargePoints == UnknownChargePointPolicy.Refuse
            && await _registry!.FindAsync(id, context.RequestAborted).ConfigureAwait(false) is null)
        {
            CentralSystemLog.UnknownChargePoint(_owner.Logger, id);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        if (!Admit(context, id))
        {
            return false;
        }

        var authenticated = false;
        try
        {
            authenticated = await AuthenticateAsync(context, id).ConfigureAwait(false);
        }
        finally
        {
            if (!authenticated)
            {
                _owner.Registry.EndAdmission(id, _options.DuplicateConnections);
            }
        }

        if (!authenticated)
        {
            RefuseUnauthorized(context, id);
        }

        return authenticated;
    }

    private void RefuseUnauthorized(HttpContext context, string id)
    {
        CentralSystemLog.Refused(_owner.Logger, id, "authentication failed");
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
    }

    private async ValueTask<bool> AuthenticateAsync(HttpContext context, string id)
    {
        if (_authenticator is null)
        {
            return true;
        }

        if (BasicCredentials.Read(context.Request, id, out var password) == BasicCredentials.Outcome.Invalid)
        {
            return false;
        }

        await _authenticationSlots.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            return await _authenticator.AuthenticateAsync(new ChargePointAuthenticationContext(id, password, context), context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            _authenticationSlots.Release();
        }
    }

    private static bool OffersOcpp16(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return false;
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        for (var i = 0; i < requested.Count; i++)
        {
            if (string.Equals(requested[i], OcppWebSocketClient.SubProtocol, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The identity is the <c>{chargePointId}</c> route value (OCPP-J 1.6 §3.1: the last path segment of the URL the
    /// charge point connects to), which ASP.NET Core has percent-decoded once, except for <c>%2F</c>: an encoded slash
    /// stays encoded there, and is refused. Without that route value (an endpoint mapped by hand), the last segment of the
    /// request path.
    /// </summary>
    private static string? ReadIdentity(HttpContext context)
    {
        if (context.GetRouteValue("chargePointId") is string routed)
        {
            return routed.Contains("%2F", StringComparison.OrdinalIgnoreCase) ? null : routed;
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var slash = path.LastIndexOf('/');
        var segment = slash >= 0 ? path[(slash + 1)..] : path;
        return segment.Length == 0 || segment.Contains("%2F", StringComparison.OrdinalIgnoreCase) ? null : segment;
    }

    /// <summary>
    /// 1 to <see cref="CentralSystemOptions.MaxIdentityLength"/> characters, no control characters, no '/' and no ':'
    /// (RFC 7617: the user-id of Basic auth, which is the identity in OCPP, cannot contain a colon, so such a charge point
    /// could never authenticate).
    /// </summary>
    private bool IsValidIdentity([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > _options.MaxIdentityLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || c is '/' or ':')
            {
                return false;
            }
        }

        return true;
    }
}
