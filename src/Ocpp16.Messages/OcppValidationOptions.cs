namespace Ocpp16.Messages;

/// <summary>How strictly a payload is checked against its schema (docs/wire-behaviour.md, "Validation strictness").</summary>
public enum OcppValidationMode
{
    /// <summary>Every schema constraint is checked; the first violation rejects the payload. The default.</summary>
    Strict,

    /// <summary>
    /// Constraint violations (maxLength, enum subset, multipleOf, minItems, date-time bounds, unknown properties) are
    /// reported but the payload is accepted when it can still be represented. A wrong JSON type, a missing required
    /// property or an unknown enum value still rejects it, because no typed value can hold it.
    /// </summary>
    Lenient,

    /// <summary>Only what is needed to build the typed value is checked (JSON types, required properties, known enum values).</summary>
    Off,
}

/// <summary>
/// Options for reading and validating OCPP payloads. Immutable once shared; use <see cref="Strict"/> for the default.
/// </summary>
public sealed class OcppValidationOptions
{
    /// <summary>Strict validation, exact <c>multipleOf</c>: the default for every action and direction.</summary>
    public static OcppValidationOptions Strict { get; } = new();

    /// <summary>The validation mode. Default: <see cref="OcppValidationMode.Strict"/>.</summary>
    public OcppValidationMode Mode { get; init; } = OcppValidationMode.Strict;

    /// <summary>
    /// When <see langword="true"/>, a value that violates <c>"multipleOf": 0.1</c> (the charging schedule
    /// <c>limit</c> and <c>minChargingRate</c>, in A or W) is accepted, e.g. 6.25 or 16.67 as sent by many Central
    /// Systems in the field. Default: <see langword="false"/> — the check is exact (7.3 passes, 7.35 fails; a received number is checked on its JSON digits, so 7.30 and 73e-1 pass and 1e-30 fails).
    /// </summary>
    public bool TolerateMultipleOf { get; init; }
}
