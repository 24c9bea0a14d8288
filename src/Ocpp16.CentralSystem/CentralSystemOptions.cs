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

    /// <summary>Longest accepted charge point identity, in characters. Default 48.</summary>
    public int MaxIdentityLength { get; set; } = 48;
}
