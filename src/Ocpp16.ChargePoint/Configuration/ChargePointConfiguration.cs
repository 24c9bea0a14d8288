using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>A configuration key changed (through ChangeConfiguration, the BootNotification interval, or a restart of the engine).</summary>
/// <param name="Key">The key name.</param>
/// <param name="Value">The new value (empty for a write-only key: its value is never exposed).</param>
public sealed record ConfigurationKeyChange(string Key, string Value);

/// <summary>
/// The configuration keys of a charge point (OCPP 1.6 §9), as declared by the registered feature profiles and the
/// embedder (<see cref="ConfigurationKeyDefinition"/>), read by GetConfiguration and changed by ChangeConfiguration.
/// Values the Central System changes are saved in the charge point's storage before the answer is sent, and win over
/// the defaults and <see cref="ChargePointOptions.Configuration"/> at every later start. Thread-safe to read.
/// </summary>
public sealed class ChargePointConfiguration
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ConfigurationKeyDefinition> _definitions = [];

    internal ChargePointConfiguration(IEnumerable<ConfigurationKeyDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            Declare(definition);
        }
    }

    /// <summary>Raised after a key's value changed; runs on the charge point's loop, so keep it short.</summary>
    public event EventHandler<ConfigurationKeyChange>? Changed;

    /// <summary>Every declared key, in declaration order (profile by profile).</summary>
    public IReadOnlyList<ConfigurationKeyDefinition> Definitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _definitions];
            }
        }
    }

    /// <summary>Reads a key as GetConfiguration does: write-only and unknown keys are not readable.</summary>
    /// <param name="key">The key name (compared case-insensitively).</param>
    /// <param name="value">The value, when readable.</param>
    /// <returns><see langword="true"/> when the key exists and is readable.</returns>
    public bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Definition.Access != ConfigurationKeyAccess.WriteOnly)
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Finds a key's declaration.</summary>
    /// <param name="key">The key name (compared case-insensitively).</param>
    /// <param name="definition">The declaration, when the key exists.</param>
    /// <returns><see langword="true"/> when the key is declared.</returns>
    public bool TryGetDefinition(string key, [NotNullWhen(true)] out ConfigurationKeyDefinition? definition)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                definition = entry.Definition;
                return true;
            }
        }

        definition = null;
        return false;
    }

    /// <summary>Declares a key (or replaces the declaration of a key with the same name and type).</summary>
    internal void Declare(ConfigurationKeyDefinition definition)
    {
        ArgumentException.ThrowIfNullOrEmpty(definition.Name);
        if (definition.Name.Length > 50)
        {
            throw new ArgumentException($"Configuration key '{definition.Name}' is longer than 50 characters (CiString50Type).");
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(definition.Name, out var existing))
            {
                if (existing.Definition.Type != definition.Type)
                {
                    throw new ArgumentException($"Configuration key '{definition.Name}' is already declared with type {existing.Definition.Type}.");
                }

                _definitions[_definitions.IndexOf(existing.Definition)] = definition;
                existing.Definition = definition;
                existing.Value = definition.DefaultValue;
                return;
            }

            _entries.Add(definition.Name, new Entry(definition, definition.DefaultValue));
            _definitions.Add(definition);
        }
    }

    /// <summary>
    /// Narrows the ranges of integer keys (<see cref="ChargePointOptions.ConfigurationKeyRanges"/>); a range for an
    /// unknown key or a key that is not an integer, an empty range, or one that reaches beyond the declared range throws.
    /// </summary>
    internal void Narrow(IEnumerable<KeyValuePair<string, ConfigurationKeyRange>> ranges)
    {
        foreach (var (key, range) in ranges)
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    throw new ArgumentException($"Unknown configuration key '{key}' in ChargePointOptions.ConfigurationKeyRanges.");
                }

                var declared = entry.Definition;
                if (declared.Type != ConfigurationKeyType.Integer)
                {
                    throw new ArgumentException($"ChargePointOptions.ConfigurationKeyRanges: configuration key '{declared.Name}' is not an integer ({declared.Type}).");
                }

                var minimum = range.Minimum ?? declared.Minimum;
                var maximum = range.Maximum ?? declared.Maximum;
                if (minimum < declared.Minimum || maximum > declared.Maximum || minimum > maximum)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"ChargePointOptions.ConfigurationKeyRanges: {minimum}..{maximum} is not a range within the declared {declared.Minimum}..{declared.Maximum} of configuration key '{declared.Name}'."));
                }

                var narrowed = declared.WithRange(minimum, maximum);
                _definitions[_definitions.IndexOf(declared)] = narrowed;
                entry.Definition = narrowed;
            }
        }
    }

    /// <summary>Throws when the value of one of <paramref name="keys"/> (a default, after the initial values) is not valid for its declaration.</summary>
    internal void EnsureValid(IEnumerable<string> keys, string option)
    {
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_entries.TryGetValue(key, out var entry) && !entry.Definition.IsValid(entry.Value, MaxItemsLocked(entry.Definition)))
                {
                    throw new ArgumentException($"The value '{entry.Value}' of configuration key '{entry.Definition.Name}' is outside {option}; set ChargePointOptions.Configuration[\"{entry.Definition.Name}\"] to a value within it.");
                }
            }
        }
    }

    /// <summary>The nearest value to <paramref name="value"/> within the range of integer key <paramref name="key"/>.</summary>
    internal long Clamp(string key, long value)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return value;
            }

            var d = entry.Definition;
            return Math.Min(Math.Max(value, d.Minimum ?? long.MinValue), d.Maximum ?? long.MaxValue);
        }
    }

    /// <summary>Applies the embedder's initial values (any access; an unknown key or invalid value throws).</summary>
    internal void ApplyInitialValues(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (key, value) in values)
        {
            lock (_gate)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    throw new ArgumentException($"Unknown configuration key '{key}' in ChargePointOptions.Configuration (declare vendor keys in ChargePointOptions.ConfigurationKeys).");
                }

                if (!entry.Definition.IsValid(value, MaxItemsLocked(entry.Definition)))
                {
                    throw new ArgumentException($"Invalid value for configuration key '{key}' in ChargePointOptions.Configuration.");
                }

                entry.Value = value;
            }
        }
    }

    /// <summary>Applies values saved by earlier runs; unknown, read-only and no longer valid ones are skipped and returned.</summary>
    internal IReadOnlyList<(string Key, string Reason)> ApplySavedValues(IEnumerable<KeyValuePair<string, string>> saved)
    {
        var skipped = new List<(string Key, string Reason)>();
        lock (_gate)
        {
            foreach (var (key, value) in saved)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    skipped.Add((key, "unknown key"));
                }
                else if (entry.Definition.Access == ConfigurationKeyAccess.ReadOnly)
                {
                    skipped.Add((key, "read-only key"));
                }
                else if (!entry.Definition.IsValid(value, MaxItemsLocked(entry.Definition)))
                {
                    skipped.Add((key, "invalid value"));
                }
                else
                {
                    entry.Value = value;
                }
            }
        }

        return skipped;
    }

    /// <summary>
    /// Checks a ChangeConfiguration (OCPP 1.6 §5.3): NotSupported for an unknown key, Rejected for a read-only key or an
    /// invalid value, else Accepted or RebootRequired. Does not change anything.
    /// </summary>
    internal ConfigurationStatus Check(string key, string value, out ConfigurationKeyDefinition? definition)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                definition = null;
                return ConfigurationStatus.NotSupported;
            }

            definition = entry.Definition;
            if (entry.Definition.Access == ConfigurationKeyAccess.ReadOnly || !entry.Definition.IsValid(value, MaxItemsLocked(entry.Definition)))
            {
                return ConfigurationStatus.Rejected;
            }

            return entry.Definition.RebootRequired ? ConfigurationStatus.RebootRequired : ConfigurationStatus.Accepted;
        }
    }

    /// <summary>Sets a value (already checked) and raises <see cref="Changed"/>. Call on the loop.</summary>
    internal void Set(string key, string value)
    {
        ConfigurationKeyDefinition definition;
        lock (_gate)
        {
            var entry = _entries[key];
            if (string.Equals(entry.Value, value, StringComparison.Ordinal))
            {
                return;
            }

            entry.Value = value;
            definition = entry.Definition;
        }

        Changed?.Invoke(this, new ConfigurationKeyChange(definition.Name, definition.Access == ConfigurationKeyAccess.WriteOnly ? string.Empty : value));
    }

    /// <summary>The value of any key, write-only ones included (for the engine).</summary>
    internal string GetRaw(string key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.Value : string.Empty;
        }
    }

    /// <summary>Whether a key is declared.</summary>
    internal bool Contains(string key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key);
        }
    }

    /// <summary>The canonical name of a key.</summary>
    internal string CanonicalName(string key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.Definition.Name : key;
        }
    }

    internal int GetInt32(string key)
        => long.TryParse(GetRaw(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? (int)Math.Clamp(i, int.MinValue, int.MaxValue) : 0;

    internal bool GetBoolean(string key) => string.Equals(GetRaw(key), "true", StringComparison.OrdinalIgnoreCase);

    internal IReadOnlyList<Measurand> GetMeasurands(string key)
    {
        var value = GetRaw(key);
        if (value.Length == 0)
        {
            return [];
        }

        var list = new List<Measurand>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (OcppEnums.TryParse(item, out Measurand m) && !list.Contains(m))
            {
                list.Add(m);
            }
        }

        return list;
    }

    private int? MaxItemsLocked(ConfigurationKeyDefinition definition)
        => definition.MaxItemsKey is { } maxKey && _entries.TryGetValue(maxKey, out var max) && int.TryParse(max.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private sealed class Entry(ConfigurationKeyDefinition definition, string value)
    {
        public ConfigurationKeyDefinition Definition { get; set; } = definition;

        public string Value { get; set; } = value;
    }
}
