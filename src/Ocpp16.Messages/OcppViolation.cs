namespace Ocpp16.Messages;

/// <summary>
/// One violation of an OCPP 1.6 JSON schema found while reading or validating a payload, with the OCPP-J
/// CALLERROR code it maps to (see docs/wire-behaviour.md; OCPP-J 1.6 §4.2.3 Table 7).
/// </summary>
public sealed class OcppViolation
{
    /// <summary>Creates a violation.</summary>
    /// <param name="errorCode">The CALLERROR code the violation maps to.</param>
    /// <param name="path">The JSON path of the offending value, e.g. <c>$.meterValue[0].sampledValue[1].unit</c>.</param>
    /// <param name="message">A human-readable description that never contains the offending value.</param>
    public OcppViolation(OcppErrorCode errorCode, string path, string message)
    {
        ErrorCode = errorCode;
        Path = path;
        Message = message;
    }

    /// <summary>
    /// The CALLERROR code: <see cref="OcppErrorCode.OccurenceConstraintViolation"/> for a missing required property
    /// or too few items, <see cref="OcppErrorCode.TypeConstraintViolation"/> for a wrong JSON type,
    /// <see cref="OcppErrorCode.PropertyConstraintViolation"/> for enum, maxLength, date-time, multipleOf and bounds,
    /// <see cref="OcppErrorCode.FormationViolation"/> for an unknown property or malformed JSON.
    /// </summary>
    public OcppErrorCode ErrorCode { get; }

    /// <summary>The JSON path of the offending value, rooted at <c>$</c> (the payload object).</summary>
    public string Path { get; internal set; }

    /// <summary>What is wrong, e.g. "string longer than maxLength 20". Never contains the offending value.</summary>
    public string Message { get; }

    /// <summary>Returns <c>"{ErrorCode} at {Path}: {Message}"</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"{ErrorCode.ToWireString()} at {Path}: {Message}";
}
