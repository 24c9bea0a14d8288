using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ocpp16.Messages;
using Ocpp16.Transport;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.CentralSystem;

/// <summary>
/// The Central System: accepts charge point WebSocket connections (OCPP-J 1.6 §3), authenticates them, dispatches
/// their CALLs to the registered profile handlers, and keeps a registry of connected charge points.
/// Registered as a singleton by <c>AddOcpp16CentralSystem</c>.
/// </summary>
public sealed class OcppCentralSystem
{
    private readonly Lock _registryGate = new();

    /// <summary>
    /// The newest live connection per identity; older live ones with the same identity (only with
    /// <see cref="DuplicateConnectionPolicy.AllowBoth"/> or while a replaced one closes) are chained through
    /// <see cref="ConnectedChargePoint.OlderSameIdentity"/>.
    /// </summary>
    private readonly Dictionary<string, ConnectedChargePoint> _chargePoints = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly CentralSystemOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _transportLogger;

    // Shared by every connection: options objects are only read.
    private readonly OcppRpcOptions _rpcOptions;
    private readonly OcppTransportOptions _transportOptions;
    private bool _stopping;

    /// <summary>Creates the Central System; use <c>services.AddOcpp16CentralSystem()</c> rather than calling this.</summary>
    /// <param name="services">Resolves the handlers and the authenticator.</param>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">Clock; <see langword="null"/> for the system clock.</param>
    public OcppCentralSystem(IServiceProvider services, IOptions<CentralSystemOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _options = options.Value;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Ocpp16.CentralSystem");
        _time = timeProvider ?? TimeProvider.System;
        _transportLogger = _loggerFactory.CreateLogger("Ocpp16.Transport");
        _rpcOptions = new OcppRpcOptions { DefaultCallTimeout = _options.CallTimeout, DetailedErrors = _options.DetailedErrors };
        _transportOptions = new OcppTransportOptions
        {
            MaxMessageSize = _options.MaxMessageSize,
            KeepAliveInterval = _options.PingInterval ?? TimeSpan.Zero,
            KeepAliveTimeout = _options.PingInterval is null ? null : _options.PingTimeout,
        };
    }

    /// <summary>Raised when a charge point has connected (after authentication and the WebSocket upgrade).</summary>
    public event EventHandler<ConnectedChargePoint>? ChargePointConnected;

    /// <summary>Raised when a charge point's connection has closed; the close status and reason are in the arguments.</summary>
    public event EventHandler<ChargePointDisconnectedEventArgs>? ChargePointDisconnected;

    /// <summary>
    /// Raised when a payload violates its schema: one received from a charge point (answered with the mapped CALLERROR,
    /// or accepted under a Lenient policy) or one of ours (a request not sent, a response replaced by InternalError).
    /// </summary>
    public event EventHandler<ChargePointPayloadViolationEventArgs>? PayloadViolation;

    /// <summary>The charge points connected now.</summary>
    public IReadOnlyCollection<ConnectedChargePoint> ChargePoints
    {
        get
        {
            lock (_registryGate)
            {
                return [.. _chargePoints.Values];
            }
        }
    }

    /// <summary>Finds a connected charge point by identity.</summary>
    /// <param name="chargePointId">The identity (case-sensitive).</param>
    /// <param name="chargePoint">The charge point when connected.</param>
    /// <returns><see langword="true"/> when connected.</returns>
    public bool TryGetChargePoint(string chargePointId, [NotNullWhen(true)] out ConnectedChargePoint? chargePoint)
    {
        lock (_registryGate)
        {
            return _chargePoints.TryGetValue(chargePointId, out chargePoint);
        }
    }

    /// <summary>
    /// Handles one charge point's upgrade request to the end of its connection: validates the identity (route value
    /// <c>chargePointId</c>, URL-decoded), checks HTTP Basic credentials through the registered
    /// <see cref="IChargePointAuthenticator"/> (401 when refused), accepts the WebSocket with subprotocol
    /// <c>ocpp1.6</c> (400 when not offered) and serves OCPP until it closes. A second connection with the same
    /// identity is handled per <see cref="CentralSystemOptions.DuplicateConnections"/>: by default it replaces the
    /// first; <see cref="DuplicateConnectionPolicy.RejectNew"/> refuses it with HTTP 409.
    /// </summary>
    /// <param name="context">The HTTP context of the upgrade request.</param>
    /// <returns>A task that completes when the connection has closed.</returns>
    public Task HandleConnectionAsync(HttpContext context)
    {
        // Not async itself: while a connection lives, only one state machine of this class (ServeAsync's) stays alive.
        ArgumentNullException.ThrowIfNull(context);
        var id = ReadIdentity(context);
        if (!IsValidIdentity(id))
        {
            CentralSystemLog.InvalidIdentity(_logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        var password = ReadBasicPassword(context, id, out var wrongUser);
        if (wrongUser)
        {
            return RefuseUnauthorized(context, id);
        }

        var authenticator = _services.GetService<IChargePointAuthenticator>();
        if (authenticator is null)
        {
            return ServeAsync(context, id);
        }

        var authenticated = authenticator.AuthenticateAsync(new ChargePointAuthenticationContext(id, password, context), context.RequestAborted);
        return authenticated.IsCompletedSuccessfully
            ? (authenticated.Result ? ServeAsync(context, id) : RefuseUnauthorized(context, id))
            : AuthenticateThenServeAsync(context, id, authenticated);
    }

    private async Task AuthenticateThenServeAsync(HttpContext context, string id, ValueTask<bool> authenticated)
    {
        if (await authenticated.ConfigureAwait(false))
        {
            await ServeAsync(context, id).ConfigureAwait(false);
        }
        else
        {
            await RefuseUnauthorized(context, id).ConfigureAwait(false);
        }
    }

    private Task RefuseUnauthorized(HttpContext context, string id)
    {
        CentralSystemLog.Refused(_logger, id, "authentication failed");
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    /// <summary>Accepts the WebSocket of an authenticated charge point and serves it until the connection closes.</summary>
    private async Task ServeAsync(HttpContext context, string id)
    {
        if (_options.DuplicateConnections == DuplicateConnectionPolicy.RejectNew && TryGetChargePoint(id, out _))
        {
            CentralSystemLog.Refused(_logger, id, "already connected");
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            return;
        }

        var transport = await OcppWebSocketServer.AcceptAsync(context, _transportOptions).ConfigureAwait(false);
        if (transport is null)
        {
            CentralSystemLog.Refused(_logger, id, "not a WebSocket request offering ocpp1.6");
            return;
        }

        var handler = new RequestDispatcher(this);
        var connection = new OcppRpcConnection(transport, handler, _rpcOptions, _transportLogger, _time) { Identity = id };
        await using (connection.ConfigureAwait(false))
        {
            var chargePoint = new ConnectedChargePoint(id, connection, _options, transport.RemoteAddress, _time.GetUtcNow(), this);
            handler.ChargePoint = chargePoint;
            List<ConnectedChargePoint>? replaced = null;
            lock (_registryGate)
            {
                // Newest first; older live connections with the same identity hang off the newest one. The chain is
                // read only under the lock (connections unregister concurrently).
                _chargePoints.TryGetValue(id, out var previous);
                if (_options.DuplicateConnections == DuplicateConnectionPolicy.ReplaceExisting)
                {
                    for (var node = previous; node is not null; node = node.OlderSameIdentity)
                    {
                        (replaced ??= []).Add(node);
                    }
                }

                chargePoint.OlderSameIdentity = previous;
                _chargePoints[id] = chargePoint;
            }

            OcppMetrics.ChargePointConnected();
            foreach (var previous in replaced ?? [])
            {
                CentralSystemLog.Replaced(_logger, id);
                _ = previous.Connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
            }

            CentralSystemLog.Connected(_logger, id, transport.RemoteAddress);
            ChargePointConnected?.Invoke(this, chargePoint);
            OcppCloseInfo closeInfo;

            // Connections end when the socket closes or when the application stops (closed with 1001 Going Away, see
            // StopAllAsync), so a graceful shutdown does not wait for charge points to hang up.
            if (Volatile.Read(ref _stopping))
            {
                connection.Stop();
            }

            try
            {
                closeInfo = await connection.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                lock (_registryGate)
                {
                    Unregister(chargePoint);
                }

                OcppMetrics.ChargePointDisconnected();
            }

            CentralSystemLog.Disconnected(_logger, id, closeInfo.CloseStatus?.ToString() ?? "connection lost");
            ChargePointDisconnected?.Invoke(this, new ChargePointDisconnectedEventArgs(chargePoint, closeInfo));
        }
    }

    /// <summary>Removes <paramref name="chargePoint"/> from its identity's chain. Call under <see cref="_registryGate"/>.</summary>
    private void Unregister(ConnectedChargePoint chargePoint)
    {
        if (!_chargePoints.TryGetValue(chargePoint.Id, out var head))
        {
            return;
        }

        if (ReferenceEquals(head, chargePoint))
        {
            if (chargePoint.OlderSameIdentity is { } older)
            {
                _chargePoints[chargePoint.Id] = older;
            }
            else
            {
                _chargePoints.Remove(chargePoint.Id);
            }

            return;
        }

        for (var node = head; node.OlderSameIdentity is not null; node = node.OlderSameIdentity)
        {
            if (ReferenceEquals(node.OlderSameIdentity, chargePoint))
            {
                node.OlderSameIdentity = chargePoint.OlderSameIdentity;
                return;
            }
        }
    }

    /// <summary>
    /// Closes every connection with 1001 (Going Away) and waits for the closing handshakes, at most about 4 s per
    /// connection (in parallel) or until <paramref name="cancellationToken"/>; connections accepted from now on are
    /// closed at once. Called when the application stops (a hosted service registered by <c>AddOcpp16CentralSystem</c>,
    /// which stops before Kestrel does), so a graceful shutdown does not wait for charge points to hang up.
    /// </summary>
    internal async Task StopAllAsync(CancellationToken cancellationToken)
    {
        List<Task> closing = [];
        lock (_registryGate)
        {
            _stopping = true;
            foreach (var head in _chargePoints.Values)
            {
                for (var node = head; node is not null; node = node.OlderSameIdentity)
                {
                    closing.Add(node.Connection.StopAsync());
                }
            }
        }

        try
        {
            await Task.WhenAll(closing).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: Kestrel aborts what is left.
        }
    }

    /// <summary>
    /// The identity is the last segment of the request path (OCPP-J 1.6 §3.1), percent-decoded exactly once. It is
    /// taken from the raw request target because ASP.NET Core's decoded path keeps <c>%2F</c> encoded.
    /// </summary>
    private static string? ReadIdentity(HttpContext context)
    {
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        }

        var query = target.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            target = target[..query];
        }

        var slash = target.LastIndexOf('/');
        var segment = slash >= 0 ? target[(slash + 1)..] : target;
        try
        {
            return segment.Length == 0 ? null : Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    internal void ReportViolation(ConnectedChargePoint chargePoint, OcppPayloadViolation violation)
    {
        OcppMetrics.RecordValidationFailure(violation);
        CentralSystemLog.PayloadViolation(_logger, chargePoint.Id, violation.Action, violation.Direction, violation.IsRequest ? "request" : "response", violation.Accepted ? "accepted" : "rejected", string.Join("; ", violation.Violations));
        PayloadViolation?.Invoke(this, new ChargePointPayloadViolationEventArgs(chargePoint, violation));
    }

    private bool IsValidIdentity([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > _options.MaxIdentityLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || c == '/')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the HTTP Basic password; <paramref name="wrongUser"/> when the user name is not the identity.</summary>
    private static string? ReadBasicPassword(HttpContext context, string id, out bool wrongUser)
    {
        wrongUser = false;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            wrongUser = true;
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !string.Equals(decoded[..colon], id, StringComparison.Ordinal))
        {
            wrongUser = true;
            return null;
        }

        return decoded[(colon + 1)..];
    }

    /// <summary>Compares two secrets in constant time (for authenticators comparing passwords).</summary>
    /// <param name="expected">The stored secret.</param>
    /// <param name="actual">The presented secret, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool SecretEquals(string expected, string? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
    }

    private sealed class RequestDispatcher(OcppCentralSystem owner) : IOcppRequestHandler
    {
        private ICentralSystemCoreHandler? _core;
        private ICentralSystemFirmwareManagementHandler? _firmware;
        private ICentralSystemSecurityHandler? _security;
        private bool _resolved;

        public ConnectedChargePoint ChargePoint { get; set; } = null!;

        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            if (!_resolved)
            {
                _core = owner._services.GetService<ICentralSystemCoreHandler>();
                _firmware = owner._services.GetService<ICentralSystemFirmwareManagementHandler>();
                _security = owner._services.GetService<ICentralSystemSecurityHandler>();
                _resolved = true;
            }

            // Static lambdas with the dispatcher as state: nothing is allocated per CALL to reach the handler.
            return call.Action switch
            {
                AuthorizeRequest.ActionName when _core is not null => Dispatch<AuthorizeRequest, AuthorizeResponse>(call, static (d, r, ct) => d._core!.OnAuthorizeAsync(d.ChargePoint, r, ct), cancellationToken),
                BootNotificationRequest.ActionName when _core is not null => Dispatch<BootNotificationRequest, BootNotificationResponse>(call, static (d, r, ct) => d._core!.OnBootNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                DataTransferRequest.ActionName when _core is not null => Dispatch<DataTransferRequest, DataTransferResponse>(call, static (d, r, ct) => d._core!.OnDataTransferAsync(d.ChargePoint, r, ct), cancellationToken),
                HeartbeatRequest.ActionName when _core is not null => Dispatch<HeartbeatRequest, HeartbeatResponse>(call, static (d, r, ct) => d._core!.OnHeartbeatAsync(d.ChargePoint, r, ct), cancellationToken),
                MeterValuesRequest.ActionName when _core is not null => Dispatch<MeterValuesRequest, MeterValuesResponse>(call, static (d, r, ct) => d._core!.OnMeterValuesAsync(d.ChargePoint, r, ct), cancellationToken),
                StartTransactionRequest.ActionName when _core is not null => Dispatch<StartTransactionRequest, StartTransactionResponse>(call, static (d, r, ct) => d._core!.OnStartTransactionAsync(d.ChargePoint, r, ct), cancellationToken),
                StatusNotificationRequest.ActionName when _core is not null => Dispatch<StatusNotificationRequest, StatusNotificationResponse>(call, static (d, r, ct) => d._core!.OnStatusNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                StopTransactionRequest.ActionName when _core is not null => Dispatch<StopTransactionRequest, StopTransactionResponse>(call, static (d, r, ct) => d._core!.OnStopTransactionAsync(d.ChargePoint, r, ct), cancellationToken),
                DiagnosticsStatusNotificationRequest.ActionName when _firmware is not null => Dispatch<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse>(call, static (d, r, ct) => d._firmware!.OnDiagnosticsStatusNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                FirmwareStatusNotificationRequest.ActionName when _firmware is not null => Dispatch<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>(call, static (d, r, ct) => d._firmware!.OnFirmwareStatusNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                LogStatusNotificationRequest.ActionName when _security is not null => Dispatch<LogStatusNotificationRequest, LogStatusNotificationResponse>(call, static (d, r, ct) => d._security!.OnLogStatusNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                SecurityEventNotificationRequest.ActionName when _security is not null => Dispatch<SecurityEventNotificationRequest, SecurityEventNotificationResponse>(call, static (d, r, ct) => d._security!.OnSecurityEventNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                SignCertificateRequest.ActionName when _security is not null => Dispatch<SignCertificateRequest, SignCertificateResponse>(call, static (d, r, ct) => d._security!.OnSignCertificateAsync(d.ChargePoint, r, ct), cancellationToken),
                SignedFirmwareStatusNotificationRequest.ActionName when _security is not null => Dispatch<SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse>(call, static (d, r, ct) => d._security!.OnSignedFirmwareStatusNotificationAsync(d.ChargePoint, r, ct), cancellationToken),
                _ => ValueTask.FromResult(OcppTypedRpc.Unhandled(call.Action)),
            };
        }

        private ValueTask<OcppResponse> Dispatch<TRequest, TResponse>(OcppIncomingCall call, Func<RequestDispatcher, TRequest, CancellationToken, ValueTask<TResponse>> handler, CancellationToken ct)
            where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
            where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
            => OcppTypedRpc.Dispatch(call, owner._options.Validation, this, handler, ChargePoint, ct);
    }
}

/// <summary>A payload exchanged with a charge point violated its schema.</summary>
/// <param name="ChargePoint">The charge point.</param>
/// <param name="Violation">What was wrong (codes and paths, no values) and whether the policy accepted it.</param>
public sealed record ChargePointPayloadViolationEventArgs(ConnectedChargePoint ChargePoint, OcppPayloadViolation Violation);

/// <summary>A charge point's connection closed.</summary>
/// <param name="ChargePoint">The charge point (its calls now fail with <see cref="OcppConnectionClosedException"/>).</param>
/// <param name="CloseInfo">The WebSocket close status and description, when the peer sent one.</param>
public sealed record ChargePointDisconnectedEventArgs(ConnectedChargePoint ChargePoint, OcppCloseInfo CloseInfo);
