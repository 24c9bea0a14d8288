using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>Options of the Central System facade. Each property's documentation states its default.</summary>
public sealed class CentralSystemOptions
{
    /// <summary>How long to wait for a charge point's answer to a CALL. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Schema validation per action and direction (WIRE-BEHAVIOUR.md): strict by default; see
    /// <see cref="OcppValidationPolicy"/>. Violations are reported through <see cref="OcppCentralSystem.PayloadViolation"/>.
    /// </summary>
    public OcppValidationPolicy Validation { get; set; } = new();

    /// <summary>Whether a handler's exception text is sent in InternalError CALLERRORs. Default <see langword="false"/>.</summary>
    public bool DetailedErrors { get; set; }

    /// <summary>Largest accepted WebSocket message, in bytes; larger ones close the connection with 1009. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>What to do when a charge point connects while a connection with the same identity is open. Default <see cref="DuplicateConnectionPolicy.ReplaceExisting"/>.</summary>
    public DuplicateConnectionPolicy DuplicateConnections { get; set; } = DuplicateConnectionPolicy.ReplaceExisting;

    /// <summary>
    /// Interval of WebSocket keep-alive frames the Central System sends to each charge point (RFC 6455 §5.5.2), or
    /// <see langword="null"/> for none: in OCPP 1.6 the charge point pings, at its <c>WebSocketPingInterval</c>
    /// (OCPP 1.6 §9.1.40). Without <see cref="PingTimeout"/> these are unsolicited pongs that keep NAT mappings open;
    /// with it, pings whose pong must arrive in time. Default <see langword="null"/>, which also saves a timer per
    /// connection.
    /// </summary>
    public TimeSpan? PingInterval { get; set; }

    /// <summary>With <see cref="PingInterval"/>: how long to wait for the pong before the connection is aborted as dead. Default <see langword="null"/> (no deadline).</summary>
    public TimeSpan? PingTimeout { get; set; }

    /// <summary>Longest accepted charge point identity, in characters. Default 48.</summary>
    public int MaxIdentityLength { get; set; } = 48;
}

/// <summary>What to do with a second connection of an identity that is already connected.</summary>
public enum DuplicateConnectionPolicy
{
    /// <summary>The new connection replaces the old one, which is closed (1008). The default: a rebooted charge point reconnects before the server noticed the old connection died.</summary>
    ReplaceExisting,

    /// <summary>The new connection is refused with HTTP 409 while the old one is open.</summary>
    RejectNew,

    /// <summary>Both stay open; the registry and typed calls use the newest.</summary>
    AllowBoth,
}
