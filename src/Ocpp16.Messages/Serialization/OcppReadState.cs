using System.Runtime.CompilerServices;

namespace Ocpp16.Messages.Serialization;

/// <summary>
/// Mutable state of one read/validate pass, used by generated code. Records violations and decides whether
/// reading continues after one (Strict: stop; Lenient/Off: continue where the value can still be represented).
/// </summary>
internal struct OcppReadState
{
    private readonly OcppValidationOptions _options;
    private List<OcppViolation>? _violations;
    private OcppViolation? _fatal;

    public OcppReadState(OcppValidationOptions options)
    {
        _options = options;
        _violations = null;
        _fatal = null;
    }

    /// <summary>True when constraint keywords (maxLength, enum subsets, multipleOf, minItems, additionalProperties) are checked.</summary>
    public readonly bool CheckConstraints
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _options.Mode != OcppValidationMode.Off;
    }

    /// <summary>True when multipleOf 0.1 is checked.</summary>
    public readonly bool CheckMultipleOf => _options.Mode != OcppValidationMode.Off && !_options.TolerateMultipleOf;

    public readonly int ViolationCount => _violations?.Count ?? 0;

    /// <summary>The violation that stopped reading when there is one, else the first one reported.</summary>
    public readonly OcppViolation? FirstViolation => _fatal ?? (_violations is { Count: > 0 } v ? v[0] : null);

    public readonly IReadOnlyList<OcppViolation> Violations => (IReadOnlyList<OcppViolation>?)_violations ?? [];

    /// <summary>Records a constraint violation; returns true when reading may continue.</summary>
    public bool Report(OcppErrorCode code, string relativePath, string message)
    {
        var violation = new OcppViolation(code, relativePath, message);
        (_violations ??= []).Add(violation);
        if (_options.Mode == OcppValidationMode.Strict)
        {
            _fatal ??= violation;
            return false;
        }

        return true;
    }

    /// <summary>Records a violation after which no typed value can be built; always returns false.</summary>
    public bool Fatal(OcppErrorCode code, string relativePath, string message)
    {
        var violation = new OcppViolation(code, relativePath, message);
        (_violations ??= []).Add(violation);
        _fatal ??= violation;
        return false;
    }

    /// <summary>Prefixes the path of every violation recorded since <paramref name="mark"/> with <paramref name="segment"/>.</summary>
    public readonly void PrependPath(int mark, string segment)
    {
        if (_violations is null)
        {
            return;
        }

        for (var i = mark; i < _violations.Count; i++)
        {
            _violations[i].Path = segment + _violations[i].Path;
        }
    }

    /// <summary>Prefixes the path of every violation recorded since <paramref name="mark"/> with an array index.</summary>
    public readonly void PrependIndex(int mark, int index)
    {
        if (_violations is not null && _violations.Count > mark)
        {
            PrependPath(mark, "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
        }
    }
}
