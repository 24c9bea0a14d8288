using System.Globalization;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>Who may read and change a configuration key (OCPP 1.6 §9: "Accessibility").</summary>
public enum ConfigurationKeyAccess
{
    /// <summary>Read by GetConfiguration; ChangeConfiguration answers Rejected.</summary>
    ReadOnly,

    /// <summary>Read by GetConfiguration and changed by ChangeConfiguration.</summary>
    ReadWrite,

    /// <summary>
    /// Changed by ChangeConfiguration but never readable: GetConfiguration neither lists it nor returns its value
    /// (asked by name, it is reported in unknownKey), e.g. AuthorizationKey (Security Whitepaper ed. 3).
    /// </summary>
    WriteOnly,
}

/// <summary>The type of a configuration key's value (OCPP 1.6 §9: "Type").</summary>
public enum ConfigurationKeyType
{
    /// <summary><c>true</c> or <c>false</c> (case-insensitive).</summary>
    Boolean,

    /// <summary>A decimal integer, within <see cref="ConfigurationKeyDefinition.Minimum"/>..<see cref="ConfigurationKeyDefinition.Maximum"/>.</summary>
    Integer,

    /// <summary>Any text of at most 500 characters (the limit of ChangeConfiguration.value), or one of <see cref="ConfigurationKeyDefinition.AllowedValues"/>.</summary>
    String,

    /// <summary>
    /// A comma-separated list of measurands (OCPP 1.6 §7.31), e.g. <c>Energy.Active.Import.Register,SoC</c>; at most
    /// as many items as the key named by <see cref="ConfigurationKeyDefinition.MaxItemsKey"/> says; empty allowed.
    /// </summary>
    MeasurandList,

    /// <summary>A comma-separated list, each item one of <see cref="ConfigurationKeyDefinition.AllowedValues"/> when given.</summary>
    StringList,
}

/// <summary>
/// The declaration of one configuration key: its name, type, access, default value, owning feature profile, whether a
/// change needs a reboot, and how values are validated. The engine declares the keys of every registered profile;
/// embedders add vendor keys through <see cref="ChargePointOptions.ConfigurationKeys"/> (or replace a built-in key's
/// declaration by declaring it again with the same name and type), and narrow an integer key's range with
/// <see cref="ChargePointOptions.ConfigurationKeyRanges"/>.
/// </summary>
public sealed class ConfigurationKeyDefinition
{
    /// <summary>The key name as on the wire, e.g. <c>HeartbeatInterval</c> (at most 50 characters, CiString50Type).</summary>
    public required string Name { get; init; }

    /// <summary>The value type.</summary>
    public required ConfigurationKeyType Type { get; init; }

    /// <summary>Who may read and change it. Default <see cref="ConfigurationKeyAccess.ReadWrite"/>.</summary>
    public ConfigurationKeyAccess Access { get; init; } = ConfigurationKeyAccess.ReadWrite;

    /// <summary>The value until the embedder or the Central System sets another one.</summary>
    public required string DefaultValue { get; init; }

    /// <summary>The feature profile the key belongs to; <see langword="null"/> for a vendor-specific key.</summary>
    public OcppFeatureProfile? Profile { get; init; }

    /// <summary>
    /// Whether a change takes effect only after a reboot: ChangeConfiguration then answers RebootRequired (OCPP 1.6
    /// §5.3), saves the value and the engine reads it at its next start. Default <see langword="false"/>.
    /// </summary>
    public bool RebootRequired { get; init; }

    /// <summary>For <see cref="ConfigurationKeyType.Integer"/>: the smallest value accepted. Default <see langword="null"/> (no bound).</summary>
    public long? Minimum { get; init; }

    /// <summary>For <see cref="ConfigurationKeyType.Integer"/>: the largest value accepted. Default <see langword="null"/> (no bound).</summary>
    public long? Maximum { get; init; }

    /// <summary>For lists: the name of the integer key that bounds the number of items (e.g. <c>MeterValuesSampledDataMaxLength</c>). Default <see langword="null"/>.</summary>
    public string? MaxItemsKey { get; init; }

    /// <summary>For <see cref="ConfigurationKeyType.String"/> and <see cref="ConfigurationKeyType.StringList"/>: the values allowed (ordinal). Default <see langword="null"/>: any.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>The unit of an integer value, for the documentation (e.g. <c>s</c>). Default <see langword="null"/>.</summary>
    public string? Unit { get; init; }

    /// <summary>What the key does, for the documentation.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>An extra check of a value, after the type check. Default <see langword="null"/>.</summary>
    public Func<string, bool>? Validate { get; init; }

    /// <summary>A copy with another integer range (<see cref="ChargePointOptions.ConfigurationKeyRanges"/>).</summary>
    internal ConfigurationKeyDefinition WithRange(long? minimum, long? maximum) => new()
    {
        Name = Name, Type = Type, Access = Access, DefaultValue = DefaultValue, Profile = Profile, RebootRequired = RebootRequired,
        Minimum = minimum, Maximum = maximum, MaxItemsKey = MaxItemsKey, AllowedValues = AllowedValues, Unit = Unit, Description = Description,
        Validate = Validate,
    };

    /// <summary>Checks <paramref name="value"/> against the type, bounds and allowed values (lists see <paramref name="maxItems"/>).</summary>
    /// <param name="value">The value as text.</param>
    /// <param name="maxItems">For lists: the most items allowed, or <see langword="null"/> for no bound.</param>
    /// <returns><see langword="true"/> when the value is acceptable.</returns>
    internal bool IsValid(string value, int? maxItems)
    {
        if (value.Length > 500)
        {
            return false;
        }

        var ok = Type switch
        {
            ConfigurationKeyType.Boolean => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase),
            ConfigurationKeyType.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                && (Minimum is not { } min || i >= min) && (Maximum is not { } max || i <= max),
            ConfigurationKeyType.String => AllowedValues is null || AllowedValues.Contains(value, StringComparer.Ordinal),
            ConfigurationKeyType.MeasurandList => IsList(value, maxItems, static item => OcppEnums.TryParse(item, out Measurand _)),
            ConfigurationKeyType.StringList => IsList(value, maxItems, item => AllowedValues is null || AllowedValues.Contains(item, StringComparer.Ordinal)),
            _ => false,
        };
        return ok && (Validate is not { } validate || validate(value));
    }

    private static bool IsList(string value, int? maxItems, Func<string, bool> isItem)
    {
        if (value.Length == 0)
        {
            return true;
        }

        var items = value.Split(',', StringSplitOptions.TrimEntries);
        if (maxItems is { } max && items.Length > max)
        {
            return false;
        }

        foreach (var item in items)
        {
            if (item.Length == 0 || !isItem(item))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A narrower range for an integer configuration key, set by the embedder in
/// <see cref="ChargePointOptions.ConfigurationKeyRanges"/> (e.g. HeartbeatInterval 0–60 s on a station that declares
/// so). Bounds are in the key's unit (see docs/configuration-keys.md) and inclusive.
/// </summary>
public sealed class ConfigurationKeyRange
{
    /// <summary>The smallest value accepted; at least the declared minimum. Default <see langword="null"/>: the declared minimum.</summary>
    public long? Minimum { get; set; }

    /// <summary>The largest value accepted; at most the declared maximum. Default <see langword="null"/>: the declared maximum.</summary>
    public long? Maximum { get; set; }
}
