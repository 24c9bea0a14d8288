using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Options of the Central System facade. Each property's documentation states its default. They are checked when the
/// application starts (<c>ValidateOnStart</c>): a bad value stops the start with an <c>OptionsValidationException</c>
/// whose message names the option. Bind them from configuration with
/// <c>AddOcpp16CentralSystem(configuration.GetSection("Ocpp"))</c> (durations as <c>hh:mm:ss</c>).
/// </summary>
public sealed class CentralSystemOptions
{
    /// <summary>How long to wait for a charge point's answer to a CALL when neither the caller nor <see cref="ActionTimeouts"/> gives a timeout. Default 30 s; positive.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Call timeouts of particular CS→CP actions (for instance a longer one for <c>GetDiagnostics</c>), by action name
    /// (ordinal), overriding <see cref="CallTimeout"/>. Every typed call of <see cref="ConnectedChargePoint"/> without an
    /// explicit timeout uses them. Default empty; each value positive, each key an OCPP 1.6 action.
    /// </summary>
    public IDictionary<string, TimeSpan> ActionTimeouts { get; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>
    /// Schema validation per action and direction (docs/wire-behaviour.md): strict by default; see
    /// <see cref="OcppValidationPolicy"/>. Violations are reported through <see cref="OcppCentralSystem.PayloadViolation"/>.
    /// </summary>
    public OcppValidationPolicy Validation { get; set; } = new();

    /// <summary>Whether a handler's exception text is sent in InternalError CALLERRORs. Default <see langword="false"/>.</summary>
    public bool DetailedErrors { get; set; }

    /// <summary>Largest accepted WebSocket message, in bytes; larger ones close the connection with 1009. Default 1 MiB; positive.</summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>What to do when a charge point connects while a connection with the same identity is open. Default <see cref="DuplicateConnectionPolicy.ReplaceExisting"/>.</summary>
    public DuplicateConnectionPolicy DuplicateConnections { get; set; } = DuplicateConnectionPolicy.ReplaceExisting;

    /// <summary>
    /// Interval of WebSocket keep-alive frames the Central System sends to each charge point (RFC 6455 §5.5.2), or
    /// <see langword="null"/> for none: in OCPP 1.6 the charge point pings, at its <c>WebSocketPingInterval</c>
    /// (OCPP 1.6 §9.1.40). Without <see cref="PingTimeout"/> these are unsolicited pongs that keep NAT mappings open;
    /// with it, pings whose pong must arrive in time. Default <see langword="null"/>, which also saves a timer per
    /// connection; positive when set.
    /// </summary>
    public TimeSpan? PingInterval { get; set; }

    /// <summary>With <see cref="PingInterval"/>: how long to wait for the pong before the connection is aborted as dead. Default <see langword="null"/> (no deadline); positive when set.</summary>
    public TimeSpan? PingTimeout { get; set; }

    /// <summary>Longest accepted charge point identity, in characters. Default 48; 1 to 1024.</summary>
    public int MaxIdentityLength { get; set; } = 48;

    /// <summary>
    /// The heartbeat interval the default BootNotification answer gives (OCPP 1.6 §4.2 <c>interval</c>, whole seconds).
    /// Only used when no application handler answers BootNotification. Default 300 s; 1 s to 24 h.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Whether the registration status a charge point was last given (its BootNotification answer, OCPP 1.6 §4.2) is
    /// enforced. Default <see langword="true"/>. The policy, in both directions:
    /// <list type="bullet">
    /// <item>Pending: the charge point's CALLs other than BootNotification and Heartbeat are answered CALLERROR
    /// <c>SecurityError</c>; RemoteStartTransaction and RemoteStopTransaction are not sent (OCPP 1.6 §4.2: not allowed
    /// while Pending), every other CS→CP call is (the CSMS may configure the charge point before accepting it).</item>
    /// <item>Rejected: every CALL other than BootNotification is answered <c>SecurityError</c>, and no CS→CP call is sent
    /// (the charge point is not meant to be reachable then).</item>
    /// <item>Accepted, or no BootNotification seen since this Central System started: nothing is refused, since a charge
    /// point that only reconnected does not boot again. <see cref="RequireBootNotification"/> tightens the latter.</item>
    /// </list>
    /// A refused CS→CP call throws <see cref="InvalidOperationException"/> before anything is sent.
    /// </summary>
    public bool EnforceRegistrationStatus { get; set; } = true;

    /// <summary>
    /// With <see cref="EnforceRegistrationStatus"/>: whether a charge point must send BootNotification (and be accepted)
    /// after this Central System started before its other CALLs are served; they are answered <c>SecurityError</c>
    /// until then. Default <see langword="false"/> (a charge point that only reconnected does not boot again, OCPP 1.6
    /// §4.2).
    /// </summary>
    public bool RequireBootNotification { get; set; }

    /// <summary>
    /// What to do with an identity the <see cref="IChargePointRegistry"/> does not know. Default
    /// <see cref="UnknownChargePointPolicy.Accept"/> (the registry is not asked).
    /// </summary>
    public UnknownChargePointPolicy UnknownChargePoints { get; set; } = UnknownChargePointPolicy.Accept;

    /// <summary>
    /// How many connection attempts may run the authenticator at the same time; others wait for a slot (or the request
    /// to be aborted). Password hashing (PBKDF2, about 30 ms of CPU each) is CPU-bound, so more than the processor count
    /// only adds latency to every handshake and lets a burst of reconnects starve the connected charge points. Default
    /// <see cref="Environment.ProcessorCount"/>; 1 to 1024.
    /// </summary>
    public int MaxConcurrentAuthentications { get; set; } = Environment.ProcessorCount;
}

/// <summary>What to do with a second connection of an identity that is already connected.</summary>
public enum DuplicateConnectionPolicy
{
    /// <summary>The new connection replaces the old one, which is closed (1008). The default: a rebooted charge point reconnects before the server noticed the old connection died.</summary>
    ReplaceExisting,

    /// <summary>The new connection is refused with HTTP 409 while the old one is open (or another with the same identity is being admitted).</summary>
    RejectNew,

    /// <summary>Both stay open; the registry and typed calls use the newest.</summary>
    AllowBoth,
}

/// <summary>What to do with a charge point identity that the <see cref="IChargePointRegistry"/> does not know.</summary>
public enum UnknownChargePointPolicy
{
    /// <summary>Accept it (the registry is not consulted at the handshake). The default.</summary>
    Accept,

    /// <summary>Refuse the handshake with HTTP 404 before authentication and the WebSocket upgrade.</summary>
    Refuse,
}
