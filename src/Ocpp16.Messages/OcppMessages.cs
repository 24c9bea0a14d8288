using System.Diagnostics.CodeAnalysis;

namespace Ocpp16.Messages;

/// <summary>The feature profiles of OCPP 1.6 (OCPP 1.6 §3.1) plus the Security extension (Security Whitepaper ed. 3).</summary>
public enum OcppFeatureProfile
{
    /// <summary>Core: basic charge point functionality (OCPP 1.6 §4, §5).</summary>
    Core,

    /// <summary>Firmware Management: firmware update and diagnostic log upload.</summary>
    FirmwareManagement,

    /// <summary>Local Auth List Management: the LocalAuthorizationList.</summary>
    LocalAuthListManagement,

    /// <summary>Reservation: reservation of a Connector.</summary>
    Reservation,

    /// <summary>Smart Charging: ChargingProfiles and composite schedules.</summary>
    SmartCharging,

    /// <summary>Remote Trigger: TriggerMessage.</summary>
    RemoteTrigger,

    /// <summary>The Security extension ("Improved security for OCPP 1.6-J"): certificates, signed firmware, logs, security events.</summary>
    Security,
}

/// <summary>Who initiates an action.</summary>
public enum OcppMessageDirection
{
    /// <summary>The Charge Point sends the request; the Central System answers.</summary>
    ChargePointToCentralSystem = 1,

    /// <summary>The Central System sends the request; the Charge Point answers.</summary>
    CentralSystemToChargePoint = 2,

    /// <summary>Either side may send the request (DataTransfer).</summary>
    Both = 3,
}

/// <summary>A generated OCPP payload type (request or response) that can write and validate itself.</summary>
public interface IOcppMessage : IOcppJsonWritable
{
    /// <summary>
    /// Checks this value, as built in code, against its schema: required properties present, maxLength, the enum
    /// values the schema allows at this place, minItems and multipleOf.
    /// </summary>
    /// <param name="options">Validation options; <see langword="null"/> means <see cref="OcppValidationOptions.Strict"/>.</param>
    /// <param name="violation">The first violation found, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the value is valid, or when <paramref name="options"/> is lenient.</returns>
    bool TryValidate(OcppValidationOptions? options, out OcppViolation? violation);

    /// <summary>As <see cref="TryValidate"/>, returning every violation found (several in Lenient mode).</summary>
    /// <param name="options">Validation options; <see langword="null"/> means <see cref="OcppValidationOptions.Strict"/>.</param>
    /// <param name="violations">Every violation, in property order; empty when valid.</param>
    /// <returns><see langword="true"/> when the value is valid, or accepted under <paramref name="options"/>.</returns>
    bool TryValidateAll(OcppValidationOptions? options, out IReadOnlyList<OcppViolation> violations);
}

/// <summary>The payload of an OCPP CALL.</summary>
public interface IOcppRequest : IOcppMessage
{
    /// <summary>The OCPP action name, e.g. <c>"BootNotification"</c>.</summary>
    string Action { get; }
}

/// <summary>The payload of an OCPP CALL whose CALLRESULT payload is <typeparamref name="TResponse"/>.</summary>
/// <typeparam name="TResponse">The response (".conf") type.</typeparam>
public interface IOcppRequest<TResponse> : IOcppRequest
    where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
{
}

/// <summary>The payload of an OCPP CALLRESULT.</summary>
public interface IOcppResponse : IOcppMessage
{
}

/// <summary>Reads and validates a payload of type <typeparamref name="TSelf"/> in one pass.</summary>
/// <typeparam name="TSelf">The generated message type.</typeparam>
public interface IOcppMessageReader<TSelf>
    where TSelf : class
{
    /// <summary>
    /// Reads a JSON payload object and checks it against the schema while reading (required, type, enum,
    /// maxLength, minItems, additionalProperties, date-time, multipleOf).
    /// </summary>
    /// <param name="utf8Json">The payload JSON (an object), UTF-8.</param>
    /// <param name="options">Validation options; <see langword="null"/> means <see cref="OcppValidationOptions.Strict"/>.</param>
    /// <param name="value">The typed value, when it could be built.</param>
    /// <param name="violation">The first violation with its OCPP-J error code and JSON path, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> was built (in Lenient mode a violation may still be reported).</returns>
    static abstract bool TryRead(ReadOnlySpan<byte> utf8Json, OcppValidationOptions? options, [NotNullWhen(true)] out TSelf? value, out OcppViolation? violation);

    /// <summary>As <see cref="TryRead"/>, returning every violation found (several in Lenient mode).</summary>
    /// <param name="utf8Json">The payload JSON (an object), UTF-8.</param>
    /// <param name="options">Validation options; <see langword="null"/> means <see cref="OcppValidationOptions.Strict"/>.</param>
    /// <param name="value">The typed value, when it could be built.</param>
    /// <param name="violations">Every violation, in document order; empty when valid.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> was built.</returns>
    static abstract bool TryReadAll(ReadOnlySpan<byte> utf8Json, OcppValidationOptions? options, [NotNullWhen(true)] out TSelf? value, out IReadOnlyList<OcppViolation> violations);
}

/// <summary>Reads a payload into an untyped message; see <see cref="OcppActionInfo"/>.</summary>
/// <param name="utf8Json">The payload JSON.</param>
/// <param name="options">Validation options, or <see langword="null"/> for strict.</param>
/// <param name="value">The message.</param>
/// <param name="violation">The first violation, or <see langword="null"/>.</param>
/// <returns><see langword="true"/> when the value was built.</returns>
public delegate bool OcppPayloadReader(ReadOnlySpan<byte> utf8Json, OcppValidationOptions? options, [NotNullWhen(true)] out IOcppMessage? value, out OcppViolation? violation);

/// <summary>One of the 39 OCPP 1.6 actions (28 of OCPP 1.6 Edition 2 and 11 of the Security extension).</summary>
public sealed class OcppActionInfo
{
    internal OcppActionInfo(string name, Type requestType, Type responseType, OcppMessageDirection direction, OcppFeatureProfile profile, OcppPayloadReader readRequest, OcppPayloadReader readResponse)
    {
        Name = name;
        RequestType = requestType;
        ResponseType = responseType;
        Direction = direction;
        Profile = profile;
        ReadRequest = readRequest;
        ReadResponse = readResponse;
    }

    /// <summary>The action name as on the wire, e.g. <c>"StartTransaction"</c>.</summary>
    public string Name { get; }

    /// <summary>The generated request type, e.g. <c>StartTransactionRequest</c>.</summary>
    public Type RequestType { get; }

    /// <summary>The generated response type, e.g. <c>StartTransactionResponse</c>.</summary>
    public Type ResponseType { get; }

    /// <summary>Which side sends the request.</summary>
    public OcppMessageDirection Direction { get; }

    /// <summary>The feature profile the action belongs to.</summary>
    public OcppFeatureProfile Profile { get; }

    /// <summary>Reads and validates a request payload of this action.</summary>
    public OcppPayloadReader ReadRequest { get; }

    /// <summary>Reads and validates a response payload of this action.</summary>
    public OcppPayloadReader ReadResponse { get; }

    /// <summary>Returns the action name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;
}

/// <summary>Lookup in the generated action catalog.</summary>
public static partial class OcppActions
{
    private static System.Collections.Frozen.FrozenDictionary<string, OcppActionInfo>? s_byName;

    /// <summary>Finds an action by its exact (case-sensitive) wire name.</summary>
    /// <param name="action">The action name, e.g. <c>"Heartbeat"</c>.</param>
    /// <param name="info">The action, when known.</param>
    /// <returns><see langword="true"/> when OCPP 1.6 or its Security extension defines <paramref name="action"/>.</returns>
    public static bool TryGet(string? action, [NotNullWhen(true)] out OcppActionInfo? info)
    {
        if (action is null)
        {
            info = null;
            return false;
        }

        var map = s_byName ??= System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(All, a => a.Name, StringComparer.Ordinal);
        return map.TryGetValue(action, out info);
    }
}
