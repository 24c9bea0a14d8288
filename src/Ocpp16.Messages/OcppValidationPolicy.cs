namespace Ocpp16.Messages;

/// <summary>Whether a payload was received from the peer or is about to be sent to it.</summary>
public enum OcppPayloadDirection
{
    /// <summary>A request (CALL) or response (CALLRESULT) received from the peer.</summary>
    Received,

    /// <summary>A request or response this side sends.</summary>
    Sent,
}

/// <summary>
/// Which <see cref="OcppValidationOptions"/> apply to each action and direction (docs/wire-behaviour.md, "Validation
/// strictness"): strict everywhere by default, with overrides such as "accept and report a non-multiple-of-0.1 limit
/// in SetChargingProfile we send" or "be lenient with MeterValues we receive". Configure before use; reads are
/// thread-safe afterwards.
/// </summary>
public sealed class OcppValidationPolicy
{
    private readonly Dictionary<(string Action, OcppPayloadDirection Direction), OcppValidationOptions> _overrides = [];

    /// <summary>Creates a policy whose default is <paramref name="defaultOptions"/> (strict when <see langword="null"/>).</summary>
    /// <param name="defaultOptions">Options for every action and direction without an override.</param>
    public OcppValidationPolicy(OcppValidationOptions? defaultOptions = null) => Default = defaultOptions ?? OcppValidationOptions.Strict;

    /// <summary>Options used where no override applies. Default <see cref="OcppValidationOptions.Strict"/>.</summary>
    public OcppValidationOptions Default { get; }

    /// <summary>Sets the options for one action in one direction (both the request and the response of that action).</summary>
    /// <param name="action">An OCPP 1.6 action name, e.g. <c>"MeterValues"</c>.</param>
    /// <param name="direction">Received or sent payloads.</param>
    /// <param name="options">The options to apply.</param>
    /// <returns>This policy.</returns>
    /// <exception cref="ArgumentException"><paramref name="action"/> is not an OCPP 1.6 action.</exception>
    public OcppValidationPolicy Set(string action, OcppPayloadDirection direction, OcppValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OcppActions.TryGet(action, out _))
        {
            throw new ArgumentException($"'{action}' is not an OCPP 1.6 action.", nameof(action));
        }

        _overrides[(action, direction)] = options;
        return this;
    }

    /// <summary>The options that apply to <paramref name="action"/> in <paramref name="direction"/>.</summary>
    /// <param name="action">The action name.</param>
    /// <param name="direction">Received or sent.</param>
    /// <returns>The override, or <see cref="Default"/>.</returns>
    public OcppValidationOptions For(string action, OcppPayloadDirection direction)
        => _overrides.Count != 0 && _overrides.TryGetValue((action, direction), out var options) ? options : Default;
}

/// <summary>A payload that violated its schema, as reported to the application by the facades.</summary>
/// <param name="Action">The action, e.g. <c>"MeterValues"</c>.</param>
/// <param name="Direction">Received from the peer or about to be sent.</param>
/// <param name="IsRequest"><see langword="true"/> for a CALL payload, <see langword="false"/> for a CALLRESULT payload.</param>
/// <param name="Violations">Every violation found (codes and JSON paths; never the offending values).</param>
/// <param name="Accepted">
/// <see langword="true"/> when the policy (Lenient) let the payload through; <see langword="false"/> when it was rejected
/// (a received request answered with the mapped CALLERROR, a sent one not sent, an own response replaced by InternalError).
/// </param>
public sealed record OcppPayloadViolation(string Action, OcppPayloadDirection Direction, bool IsRequest, IReadOnlyList<OcppViolation> Violations, bool Accepted);
