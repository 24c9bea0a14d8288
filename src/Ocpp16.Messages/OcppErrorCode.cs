namespace Ocpp16.Messages;

/// <summary>
/// The CALLERROR error codes of OCPP-J 1.6 (OCPP-J 1.6 §4.2.3, Table 7).
/// </summary>
/// <remarks>
/// OCPP 1.6 spells <see cref="OccurenceConstraintViolation"/> with a single "r"; it goes on the wire spelled so.
/// Both spellings are accepted when reading (see <see cref="OcppErrorCodes.Parse(string)"/>).
/// </remarks>
public enum OcppErrorCode
{
    /// <summary>Requested Action is not known by receiver.</summary>
    NotImplemented,

    /// <summary>Requested Action is recognized but not supported by the receiver.</summary>
    NotSupported,

    /// <summary>An internal error occurred and the receiver was not able to process the requested Action successfully.</summary>
    InternalError,

    /// <summary>Payload for Action is incomplete.</summary>
    ProtocolError,

    /// <summary>During the processing of Action a security issue occurred preventing receiver from completing the Action successfully.</summary>
    SecurityError,

    /// <summary>Payload for Action is syntactically incorrect or not conform the PDU structure for Action.</summary>
    FormationViolation,

    /// <summary>Payload is syntactically correct but at least one field contains an invalid value.</summary>
    PropertyConstraintViolation,

    /// <summary>Payload for Action is syntactically correct but at least one of the fields violates occurrence constraints (spelled so in OCPP 1.6).</summary>
    OccurenceConstraintViolation,

    /// <summary>Payload for Action is syntactically correct but at least one of the fields violates data type constraints (e.g. "somestring": 12).</summary>
    TypeConstraintViolation,

    /// <summary>Any other error not covered by the previous ones.</summary>
    GenericError,
}

/// <summary>
/// Conversions between <see cref="OcppErrorCode"/> and its wire spelling (OCPP-J 1.6 §4.2.3).
/// </summary>
public static class OcppErrorCodes
{
    /// <summary>
    /// Returns the exact wire spelling of <paramref name="code"/>, e.g. <c>"OccurenceConstraintViolation"</c>.
    /// </summary>
    /// <param name="code">The error code.</param>
    /// <returns>The string to put in a CALLERROR frame.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is not a defined value.</exception>
    public static string ToWireString(this OcppErrorCode code) => code switch
    {
        OcppErrorCode.NotImplemented => "NotImplemented",
        OcppErrorCode.NotSupported => "NotSupported",
        OcppErrorCode.InternalError => "InternalError",
        OcppErrorCode.ProtocolError => "ProtocolError",
        OcppErrorCode.SecurityError => "SecurityError",
        OcppErrorCode.FormationViolation => "FormationViolation",
        OcppErrorCode.PropertyConstraintViolation => "PropertyConstraintViolation",
        OcppErrorCode.OccurenceConstraintViolation => "OccurenceConstraintViolation",
        OcppErrorCode.TypeConstraintViolation => "TypeConstraintViolation",
        OcppErrorCode.GenericError => "GenericError",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not an OCPP 1.6 error code."),
    };

    /// <summary>
    /// Maps a received wire string to an <see cref="OcppErrorCode"/>. Both the OCPP 1.6 spelling
    /// <c>OccurenceConstraintViolation</c> and the corrected <c>OccurrenceConstraintViolation</c> map to
    /// <see cref="OcppErrorCode.OccurenceConstraintViolation"/>, and likewise for <c>FormationViolation</c> /
    /// <c>FormatViolation</c>; any other unknown string maps to <see cref="OcppErrorCode.GenericError"/>.
    /// Never throws.
    /// </summary>
    /// <param name="value">The errorCode field of a received CALLERROR, or <see langword="null"/>.</param>
    /// <returns>The mapped code.</returns>
    public static OcppErrorCode Parse(string? value) => TryParse(value, out var code) ? code : OcppErrorCode.GenericError;

    /// <summary>
    /// Tries to map a received wire string to a known <see cref="OcppErrorCode"/>, accepting both spellings of the
    /// OCPP 1.6 typos (<c>OccurenceConstraintViolation</c>/<c>OccurrenceConstraintViolation</c>,
    /// <c>FormationViolation</c>/<c>FormatViolation</c>).
    /// </summary>
    /// <param name="value">The wire string.</param>
    /// <param name="code">The code when known; <see cref="OcppErrorCode.GenericError"/> otherwise.</param>
    /// <returns><see langword="true"/> when the string is a known code.</returns>
    public static bool TryParse(string? value, out OcppErrorCode code)
    {
        code = value switch
        {
            "NotImplemented" => OcppErrorCode.NotImplemented,
            "NotSupported" => OcppErrorCode.NotSupported,
            "InternalError" => OcppErrorCode.InternalError,
            "ProtocolError" => OcppErrorCode.ProtocolError,
            "SecurityError" => OcppErrorCode.SecurityError,
            "FormationViolation" or "FormatViolation" => OcppErrorCode.FormationViolation,
            "PropertyConstraintViolation" => OcppErrorCode.PropertyConstraintViolation,
            "OccurenceConstraintViolation" or "OccurrenceConstraintViolation" => OcppErrorCode.OccurenceConstraintViolation,
            "TypeConstraintViolation" => OcppErrorCode.TypeConstraintViolation,
            "GenericError" => OcppErrorCode.GenericError,
            _ => (OcppErrorCode)(-1),
        };
        if ((int)code < 0)
        {
            code = OcppErrorCode.GenericError;
            return false;
        }

        return true;
    }
}
