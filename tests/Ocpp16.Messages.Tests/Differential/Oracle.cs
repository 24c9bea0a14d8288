using System.Collections.Concurrent;
using NJsonSchema;
using NJsonSchema.Validation;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests.Differential;

/// <summary>One leaf violation reported by NJsonSchema: its kind, its path (<c>#/a[0].b</c>) and the OCPP-J code docs/wire-behaviour.md maps that kind to.</summary>
internal sealed record OracleError(ValidationErrorKind Kind, string Path, OcppErrorCode Code)
{
    public override string ToString() => $"{Kind} at {Path} ({Code.ToWireString()})";
}

/// <summary>
/// NJsonSchema as the oracle: every official schema loaded once with <see cref="JsonSchema.FromJsonAsync(string)"/>, payloads
/// validated with <see cref="JsonSchema.Validate(string, JsonSchemaValidatorSettings)"/>, nested errors flattened to leaves.
/// </summary>
internal static class Oracle
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);

    public static JsonSchema Schema(string fileName)
        => Schemas.GetOrAdd(fileName, f => new Lazy<JsonSchema>(() =>
            JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(SchemaRepository.SchemaDirectory, f))).GetAwaiter().GetResult())).Value;

    /// <summary>The leaf violations NJsonSchema reports for <paramref name="json"/>; empty when it accepts the payload.</summary>
    public static IReadOnlyList<OracleError> Validate(string fileName, string json)
        => Leaves(Schema(fileName).Validate(json)).Select(e => new OracleError(e.Kind, e.Path ?? "#/", CodeOf(e.Kind, e.Path ?? "#/"))).ToArray();

    /// <summary>Our JSON path (<c>$.a[0].b</c>) in NJsonSchema's notation (<c>#/a[0].b</c>; the root is <c>#/</c>).</summary>
    public static string ToOraclePath(string ourPath)
        => ourPath == "$" ? "#/" : "#/" + ourPath[2..];

    /// <summary>
    /// docs/wire-behaviour.md's mapping, applied to the kinds of error NJsonSchema reports: "payload not an object" (an
    /// ObjectExpected at the root) is a FormationViolation, an ObjectExpected anywhere else a TypeConstraintViolation.
    /// </summary>
    public static OcppErrorCode CodeOf(ValidationErrorKind kind, string path) => kind switch
    {
        ValidationErrorKind.ObjectExpected when path == "#/" => OcppErrorCode.FormationViolation,
        ValidationErrorKind.PropertyRequired or ValidationErrorKind.TooFewItems => OcppErrorCode.OccurenceConstraintViolation,
        ValidationErrorKind.StringExpected or ValidationErrorKind.IntegerExpected or ValidationErrorKind.NumberExpected
            or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected
            or ValidationErrorKind.NullExpected => OcppErrorCode.TypeConstraintViolation,
        ValidationErrorKind.NotInEnumeration or ValidationErrorKind.StringTooLong or ValidationErrorKind.DateTimeExpected
            or ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.UriExpected or ValidationErrorKind.NumberTooBig
            or ValidationErrorKind.NumberTooSmall => OcppErrorCode.PropertyConstraintViolation,
        ValidationErrorKind.NoAdditionalPropertiesAllowed => OcppErrorCode.FormationViolation,
        _ => throw new NotSupportedException("NJsonSchema error kind without a mapping: " + kind),
    };

    private static IEnumerable<ValidationError> Leaves(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child)
            {
                foreach (var nested in child.Errors.Values.SelectMany(Leaves))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }
}
