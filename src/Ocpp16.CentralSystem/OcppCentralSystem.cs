using System.Diagnostics.CodeAnalysis;
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
/// their CALLs to the registered handlers, keeps a registry of connected charge points and the session state of every
/// charge point seen. Registered as a singleton by <c>AddOcpp16CentralSystem</c>. The parts live in their own folders:
/// <c>Hosting/</c> (DI, endpoint, handshake, shutdown), <c>Authentication/</c>, <c>Connections/</c> (registry, the
/// connected charge point and its typed calls), <c>Handlers/</c> (dispatch), <c>Sessions/</c>, <c>Toolkit/</c>.
/// </summary>
public sealed partial class OcppCentralSystem
{
    private readonly IServiceProvider _services;
    private readonly CentralSystemOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _transportLogger;
    private readonly ChargePointSessions _sessions = new();
    private readonly ChargePointHandshake _handshake;
    private readonly ActionRoutes _routes;

    // Shared by every connection: options objects are only read.
    private readonly OcppRpcOptions _rpcOptions;
    private readonly OcppTransportOptions _transportOptions;

    /// <summary>Creates the Central System; use <c>services.AddOcpp16CentralSystem()</c> rather than calling this.</summary>
    /// <param name="services">Resolves the handlers, the authenticator and the registry.</param>
    /// <param name="options">The options (validated).</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">Clock; <see langword="null"/> for the system clock.</param>
    /// <exception cref="OptionsValidationException">An option is invalid (the message names it).</exception>
    public OcppCentralSystem(IServiceProvider services, IOptions<CentralSystemOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _options = options.Value;
        var validation = new CentralSystemOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(CentralSystemOptions), typeof(CentralSystemOptions), validation.Failures);
        }

        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger("Ocpp16.CentralSystem");
        _time = timeProvider ?? TimeProvider.System;
        _transportLogger = _loggerFactory.CreateLogger("Ocpp16.Transport");
        _rpcOptions = new OcppRpcOptions { DefaultCallTimeout = _options.CallTimeout, DetailedErrors = _options.DetailedErrors };
        foreach (var (action, timeout) in _options.ActionTimeouts)
        {
            _rpcOptions.ActionTimeouts[action] = timeout;
        }

        _transportOptions = new OcppTransportOptions
        {
            MaxMessageSize = _options.MaxMessageSize,
            KeepAliveInterval = _options.PingInterval ?? TimeSpan.Zero,
            KeepAliveTimeout = _options.PingInterval is null ? null : _options.PingTimeout,
        };
        _routes = new ActionRoutes(services, services.GetService<HandlerRegistrations>() ?? new HandlerRegistrations());
        _handshake = new ChargePointHandshake(this, services, _options);
        if (services.GetService<Cluster.IOcppClusterBus>() is { } bus)
        {
            var clusterOptions = services.GetService<IOptions<Cluster.OcppClusterOptions>>()?.Value ?? new Cluster.OcppClusterOptions();
            Cluster = new Cluster.OcppCluster(this, bus, clusterOptions, _time, _loggerFactory.CreateLogger("Ocpp16.CentralSystem.Cluster"));
        }
    }

    /// <summary>
    /// This node's view of the cluster when the Central System is scaled out (a <see cref="Cluster.IOcppClusterBus"/> is
    /// registered, e.g. by <c>AddRabbitMqScaleOut</c>); <see langword="null"/> on a single node.
    /// </summary>
    public Cluster.OcppCluster? Cluster { get; }

    /// <summary>
    /// Raised when a charge point has connected (after authentication and the WebSocket upgrade), before its first CALL
    /// is read. An exception a subscriber throws is logged (event 4006) and does not affect the connection.
    /// </summary>
    public event EventHandler<ConnectedChargePoint>? ChargePointConnected;

    /// <summary>Raised when a charge point's connection has closed; the close status and reason are in the arguments. An exception a subscriber throws is logged (event 4006).</summary>
    public event EventHandler<ChargePointDisconnectedEventArgs>? ChargePointDisconnected;

    /// <summary>
    /// Raised when a payload violates its schema: one received from a charge point (answered with the mapped CALLERROR,
    /// or accepted under a Lenient policy) or one of ours (a request not sent, a response replaced by InternalError).
    /// </summary>
    public event EventHandler<ChargePointPayloadViolationEventArgs>? PayloadViolation;

    /// <summary>
    /// Raised when a charge point reports a security event (SecurityEventNotification.req, Security Whitepaper A04),
    /// whoever answers it, after the answer was produced; the last events are also kept in
    /// <see cref="ChargePointSession.SecurityEvents"/>. An exception a subscriber throws is logged (event 4006).
    /// </summary>
    public event EventHandler<ChargePointSecurityEventArgs>? SecurityEventReceived;

    /// <summary>
    /// Raised when a charge point reports the progress of a file transfer — FirmwareStatusNotification,
    /// SignedFirmwareStatusNotification, DiagnosticsStatusNotification or LogStatusNotification (e.g. a GetLog upload
    /// Uploaded) — whoever answers it; the last status of each kind is also kept in the <see cref="ChargePointSession"/>.
    /// An exception a subscriber throws is logged (event 4006).
    /// </summary>
    public event EventHandler<ChargePointTransferStatusEventArgs>? TransferStatusReceived;

    /// <summary>
    /// The charge points connected to this node now (the newest connection of each identity). In a cluster, those of
    /// every node are in <see cref="Cluster.OcppCluster.ChargePoints"/>, and <see cref="TryGetChargePoint"/> finds any of them.
    /// </summary>
    public IReadOnlyCollection<ConnectedChargePoint> ChargePoints => Registry.Snapshot();

    /// <summary>How many identities are connected now.</summary>
    public int ConnectedCount => Registry.Count;

    /// <summary>The session state of every charge point seen (connected or not) since this Central System started.</summary>
    public IReadOnlyCollection<ChargePointSession> Sessions => _sessions.Snapshot();

    /// <summary>The actions charge points may send that this Central System answers (by the application or by a default); others are answered NotSupported.</summary>
    public IEnumerable<string> HandledActions => _routes.Actions;

    internal ILogger Logger { get; }

    internal ConnectionRegistry Registry { get; } = new();

    /// <summary>
    /// Finds a connected charge point by identity: connected to this node, or, in a cluster, to another node (then its
    /// calls are routed there, with the same API and errors; see <see cref="Cluster.OcppCluster"/>).
    /// </summary>
    /// <param name="chargePointId">The identity (case-sensitive).</param>
    /// <param name="chargePoint">The charge point when connected.</param>
    /// <returns><see langword="true"/> when connected.</returns>
    public bool TryGetChargePoint(string chargePointId, [NotNullWhen(true)] out ConnectedChargePoint? chargePoint)
    {
        if (Registry.TryGet(chargePointId, out chargePoint))
        {
            return true;
        }

        if (Cluster is { } cluster && cluster.TryGetChargePoint(chargePointId, out var remote) && !remote.IsLocal)
        {
            chargePoint = new ConnectedChargePoint(remote, cluster, _options, _sessions.GetOrAdd(chargePointId), this);
            return true;
        }

        return false;
    }

    internal CentralSystemOptions Options => _options;

    internal ChargePointSession GetOrAddSession(string chargePointId) => _sessions.GetOrAdd(chargePointId);

    /// <summary>Finds the session state of a charge point seen since this Central System started, connected or not.</summary>
    /// <param name="chargePointId">The identity (case-sensitive).</param>
    /// <param name="session">The session state, when seen.</param>
    /// <returns><see langword="true"/> when the charge point was seen.</returns>
    public bool TryGetSession(string chargePointId, [NotNullWhen(true)] out ChargePointSession? session)
        => _sessions.TryGet(chargePointId, out session);

    /// <summary>
    /// Handles one charge point's upgrade request to the end of its connection. Checks, cheapest first: the identity
    /// (the <c>{chargePointId}</c> route value, URL-decoded; 1 to <see cref="CentralSystemOptions.MaxIdentityLength"/>
    /// characters without control characters, '/' or ':'; else 400); a WebSocket upgrade offering subprotocol
    /// <c>ocpp1.6</c> (else 400); the <see cref="IChargePointRegistry"/> when unknown identities are refused (404); the
    /// duplicate connection policy (<see cref="DuplicateConnectionPolicy.RejectNew"/>: 409); HTTP Basic credentials
    /// through the registered <see cref="IChargePointAuthenticator"/> (401). Then accepts the WebSocket and serves OCPP
    /// until it closes.
    /// </summary>
    /// <param name="context">The HTTP context of the upgrade request.</param>
    /// <returns>A task that completes when the connection has closed.</returns>
    public Task HandleConnectionAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _handshake.HandleAsync(context);
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

    internal void ReportViolation(ConnectedChargePoint chargePoint, OcppPayloadViolation violation)
    {
        OcppMetrics.RecordValidationFailure(violation);
        CentralSystemLog.PayloadViolation(Logger, chargePoint.Id, violation.Action, violation.Direction, violation.IsRequest ? "request" : "response", violation.Accepted ? "accepted" : "rejected", string.Join("; ", violation.Violations));
        PayloadViolation?.Invoke(this, new ChargePointPayloadViolationEventArgs(chargePoint, violation));
    }

    internal void ReportAfterResponseFailure(ConnectedChargePoint chargePoint, Exception exception)
        => CentralSystemLog.AfterResponseFailed(Logger, chargePoint.Id, exception);

    /// <summary>
    /// Closes every connection with 1001 (Going Away) and waits for the closing handshakes, at most about 4 s per
    /// connection (in parallel) or until <paramref name="cancellationToken"/>; connections accepted from now on are
    /// closed at once. Called when the application stops (a hosted service registered by <c>AddOcpp16CentralSystem</c>,
    /// which stops before Kestrel does), so a graceful shutdown does not wait for charge points to hang up.
    /// </summary>
    internal async Task StopAllAsync(CancellationToken cancellationToken)
    {
        List<Task> closing = [];
        foreach (var chargePoint in Registry.BeginStop())
        {
            closing.Add(chargePoint.Connection.StopAsync());
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
}
