using System.Globalization;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>
/// The configuration keys of a Charge Point (OCPP 1.6 §9.1 Core keys), read by GetConfiguration and changed by
/// ChangeConfiguration. Thread-safe. Keys a station does not support are absent (reported as unknownKey).
/// </summary>
public sealed class ChargePointConfiguration
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Action<string, string>? _save;

    /// <summary>
    /// Creates the keys with their defaults, then applies <paramref name="overrides"/> (<see cref="ChargePointOptions.Configuration"/>).
    /// </summary>
    /// <param name="numberOfConnectors">The value of NumberOfConnectors.</param>
    /// <param name="overrides">Initial values; an unknown key or invalid value throws <see cref="ArgumentException"/>.</param>
    /// <param name="save">
    /// Called by <see cref="TrySet"/> with each accepted key and value before the value takes effect (the durable store
    /// of the charge point); <see langword="null"/> for none.
    /// </param>
    internal ChargePointConfiguration(int numberOfConnectors, IEnumerable<KeyValuePair<string, string>> overrides, Action<string, string>? save = null)
    {
        _save = save;
        // Core profile keys (OCPP 1.6 §9.1) with the reference DC station's values where it declares them.
        Add("AllowOfflineTxForUnknownId", "true", false, Bool);
        Add("AuthorizationCacheEnabled", "true", false, Bool);
        Add("AuthorizeRemoteTxRequests", "false", false, Bool);
        Add("ClockAlignedDataInterval", "0", false, IntRange(0, 86_400));
        Add("ConnectionTimeOut", "60", false, IntRange(0, 3_600));
        Add("ConnectorPhaseRotation", "NotApplicable", false, v => v.Length <= 500);
        Add("GetConfigurationMaxKeys", "50", true, null);
        Add("HeartbeatInterval", "60", false, IntRange(0, 86_400));
        Add("LocalAuthorizeOffline", "true", false, Bool);
        Add("LocalPreAuthorize", "false", false, Bool);
        Add("MeterValuesAlignedData", "Energy.Active.Import.Register", false, v => Measurands(v, 8));
        Add("MeterValuesAlignedDataMaxLength", "8", true, null);
        Add("MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import,Current.Offered,Power.Offered,SoC", false, v => Measurands(v, 8));
        Add("MeterValuesSampledDataMaxLength", "8", true, null);
        Add("MeterValueSampleInterval", "60", false, IntRange(0, 300));
        Add("NumberOfConnectors", numberOfConnectors.ToString(CultureInfo.InvariantCulture), true, null);
        Add("ResetRetries", "3", false, IntRange(0, 10));
        Add("StopTransactionOnEVSideDisconnect", "true", false, Bool);
        Add("StopTransactionOnInvalidId", "true", false, Bool);
        Add("StopTxnAlignedData", "Energy.Active.Import.Register", false, v => Measurands(v, 8));
        Add("StopTxnAlignedDataMaxLength", "8", true, null);
        Add("StopTxnSampledData", "Energy.Active.Import.Register", false, v => Measurands(v, 8));
        Add("StopTxnSampledDataMaxLength", "8", true, null);
        Add("SupportedFeatureProfiles", "Core", true, null);
        Add("TransactionMessageAttempts", "3", false, IntRange(0, 100));
        Add("TransactionMessageRetryInterval", "10", false, IntRange(0, 3_600));
        Add("UnlockConnectorOnEVSideDisconnect", "true", false, Bool);
        Add("WebSocketPingInterval", "0", false, IntRange(0, 3_600));

        foreach (var kv in overrides)
        {
            if (!_entries.TryGetValue(kv.Key, out var entry))
            {
                throw new ArgumentException($"Unknown configuration key '{kv.Key}'.");
            }

            if (entry.Validate is { } validate && !validate(kv.Value))
            {
                throw new ArgumentException($"Invalid value for configuration key '{kv.Key}'.");
            }

            entry.Value = kv.Value;
        }
    }

    /// <summary>Raised after a key's value changed through <see cref="TrySet"/> or ChangeConfiguration; the argument is the key.</summary>
    public event EventHandler<string>? Changed;

    /// <summary>All keys in definition order.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _order];
            }
        }
    }

    /// <summary>Reads a key.</summary>
    /// <param name="key">The key name (case-sensitive).</param>
    /// <param name="value">Its value when the key exists.</param>
    /// <param name="readOnly">Whether the Central System may change it.</param>
    /// <returns><see langword="true"/> when the key exists.</returns>
    public bool TryGet(string key, out string value, out bool readOnly)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var e))
            {
                value = e.Value;
                readOnly = e.ReadOnly;
                return true;
            }
        }

        value = string.Empty;
        readOnly = false;
        return false;
    }

    /// <summary>
    /// Changes a key as ChangeConfiguration does (OCPP 1.6 §5.3): <see cref="ConfigurationStatus.NotSupported"/> for an
    /// unknown key, <see cref="ConfigurationStatus.Rejected"/> for a read-only key or an invalid value. With
    /// <see cref="ChargePointOptions.DataDirectory"/> set, an accepted value is saved durably before it takes effect
    /// (so before ChangeConfiguration is answered) and is applied again on every later start; rejected values are
    /// not saved.
    /// </summary>
    /// <param name="key">The key name.</param>
    /// <param name="value">The new value, at most 500 characters.</param>
    /// <returns>The ChangeConfiguration status.</returns>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">
    /// The value could not be saved (disk full, I/O error); it is unchanged, and ChangeConfiguration is answered with
    /// the CALLERROR InternalError.
    /// </exception>
    public ConfigurationStatus TrySet(string key, string value)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var e))
            {
                return ConfigurationStatus.NotSupported;
            }

            if (e.ReadOnly || value.Length > 500 || (e.Validate is { } validate && !validate(value)))
            {
                return ConfigurationStatus.Rejected;
            }

            // Durable first: a power loss right after ChangeConfiguration.conf must not lose the accepted value.
            _save?.Invoke(key, value);
            e.Value = value;
        }

        Changed?.Invoke(this, key);
        return ConfigurationStatus.Accepted;
    }

    internal int GetInt32(string key)
        => TryGet(key, out var v, out _) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;

    internal bool GetBoolean(string key)
        => TryGet(key, out var v, out _) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);

    internal IReadOnlyList<Measurand> GetMeasurands(string key)
    {
        if (!TryGet(key, out var v, out _) || v.Length == 0)
        {
            return [];
        }

        var list = new List<Measurand>();
        foreach (var part in v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (OcppEnums.TryParse(part, out Measurand m))
            {
                list.Add(m);
            }
        }

        return list;
    }

    /// <summary>
    /// Applies values saved by an earlier run (see <see cref="TrySet"/>) over the defaults and the
    /// <see cref="ChargePointOptions.Configuration"/> overrides: what the Central System set last wins, as on a real
    /// station. Unknown and read-only keys and values that are no longer valid are skipped.
    /// </summary>
    /// <param name="saved">Key → value as loaded from the store.</param>
    /// <returns>The skipped keys, each with the reason (for the log).</returns>
    internal IReadOnlyList<(string Key, string Reason)> ApplySaved(IReadOnlyDictionary<string, string> saved)
    {
        var skipped = new List<(string Key, string Reason)>();
        lock (_gate)
        {
            foreach (var (key, value) in saved)
            {
                if (!_entries.TryGetValue(key, out var e))
                {
                    skipped.Add((key, "unknown key"));
                }
                else if (e.ReadOnly)
                {
                    skipped.Add((key, "read-only key"));
                }
                else if (value.Length > 500 || (e.Validate is { } validate && !validate(value)))
                {
                    skipped.Add((key, "invalid value"));
                }
                else
                {
                    e.Value = value;
                }
            }
        }

        return skipped;
    }

    internal void SetInternal(string key, string value)
    {
        lock (_gate)
        {
            _entries[key].Value = value;
        }
    }

    private void Add(string key, string value, bool readOnly, Func<string, bool>? validate)
    {
        _entries.Add(key, new Entry { Value = value, ReadOnly = readOnly, Validate = validate });
        _order.Add(key);
    }

    private static bool Bool(string v) => v is "true" or "false" or "True" or "False";

    private static Func<string, bool> IntRange(int min, int max)
        => v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max;

    private static bool Measurands(string v, int maxLength)
    {
        if (v.Length == 0)
        {
            return true;
        }

        var parts = v.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > maxLength)
        {
            return false;
        }

        foreach (var p in parts)
        {
            if (!OcppEnums.TryParse(p, out Measurand _))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Entry
    {
        public required string Value { get; set; }

        public required bool ReadOnly { get; init; }

        public Func<string, bool>? Validate { get; init; }
    }
}
