using System.Globalization;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Toolkit;

/// <summary>
/// What a charge point declared about smart charging (OCPP 1.6 §9.4 configuration keys), against which
/// <see cref="ChargingProfileValidator"/> checks a profile before it is sent.
/// </summary>
/// <param name="MaxStackLevel"><c>ChargeProfileMaxStackLevel</c>: the highest stack level accepted.</param>
/// <param name="MaxPeriods"><c>ChargingScheduleMaxPeriods</c>: the most periods per schedule.</param>
/// <param name="AllowedRateUnits"><c>ChargingScheduleAllowedChargingRateUnit</c>: which rate units are accepted.</param>
/// <param name="MaxProfilesInstalled"><c>MaxChargingProfilesInstalled</c>, when declared.</param>
public sealed record SmartChargingCapabilities(int MaxStackLevel, int MaxPeriods, IReadOnlySet<ChargingRateUnitType> AllowedRateUnits, int? MaxProfilesInstalled = null)
{
    /// <summary>The configuration keys read by <see cref="FromConfiguration"/>.</summary>
    public static IReadOnlyList<string> ConfigurationKeys { get; } =
        ["ChargeProfileMaxStackLevel", "ChargingScheduleMaxPeriods", "ChargingScheduleAllowedChargingRateUnit", "MaxChargingProfilesInstalled"];

    /// <summary>
    /// Reads the capabilities from a GetConfiguration answer (<see cref="ConfigurationKeys"/>); a key the charge point
    /// does not report gives the conservative value: stack level 0, 1 period, no rate unit.
    /// </summary>
    /// <param name="configuration">The GetConfiguration.conf.</param>
    /// <returns>The capabilities.</returns>
    public static SmartChargingCapabilities FromConfiguration(GetConfigurationResponse configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Value(string key) => configuration.ConfigurationKey?.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase))?.Value;
        static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        HashSet<ChargingRateUnitType> units = [];
        foreach (var part in (Value("ChargingScheduleAllowedChargingRateUnit") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("Current", StringComparison.OrdinalIgnoreCase) || part.Equals("A", StringComparison.OrdinalIgnoreCase))
            {
                units.Add(ChargingRateUnitType.A);
            }
            else if (part.Equals("Power", StringComparison.OrdinalIgnoreCase) || part.Equals("W", StringComparison.OrdinalIgnoreCase))
            {
                units.Add(ChargingRateUnitType.W);
            }
        }

        return new SmartChargingCapabilities(
            Int(Value("ChargeProfileMaxStackLevel")) ?? 0,
            Int(Value("ChargingScheduleMaxPeriods")) ?? 1,
            units,
            Int(Value("MaxChargingProfilesInstalled")));
    }

    /// <summary>Asks a charge point for its capabilities (GetConfiguration of <see cref="ConfigurationKeys"/>).</summary>
    /// <param name="chargePoint">The charge point.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The capabilities.</returns>
    /// <exception cref="Transport.OcppException">The GetConfiguration call failed.</exception>
    public static async Task<SmartChargingCapabilities> ReadAsync(ConnectedChargePoint chargePoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chargePoint);
        return FromConfiguration(await chargePoint.GetConfigurationAsync(ConfigurationKeys, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// Checks a charging profile (OCPP 1.6 §3.13, §7.8) before it is sent with SetChargingProfile or RemoteStartTransaction:
/// its shape and, given them, the station's declared <see cref="SmartChargingCapabilities"/>.
/// </summary>
public static class ChargingProfileValidator
{
    /// <summary>Returns every problem found; an empty list means the profile may be sent.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="connectorId">The connector it is for (0 = the charge point as a whole / the grid connection).</param>
    /// <param name="capabilities">What the station declared; <see langword="null"/> to check the shape only.</param>
    /// <returns>Human-readable problems, each naming the field (e.g. <c>stackLevel 6 is above ChargeProfileMaxStackLevel 5</c>).</returns>
    public static IReadOnlyList<string> Validate(ChargingProfile profile, int connectorId, SmartChargingCapabilities? capabilities = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        List<string> problems = [];
        var schedule = profile.ChargingSchedule;
        if (profile.StackLevel < 0)
        {
            problems.Add($"stackLevel {profile.StackLevel} is negative");
        }

        if (connectorId < 0)
        {
            problems.Add($"connectorId {connectorId} is negative");
        }

        switch (profile.ChargingProfilePurpose)
        {
            case ChargingProfilePurposeType.ChargePointMaxProfile when connectorId != 0:
                problems.Add("a ChargePointMaxProfile can only be set on connector 0 (§3.13.1)");
                break;
            case ChargingProfilePurposeType.TxProfile when connectorId == 0:
                problems.Add("a TxProfile must be set on a connector (1..n), not on connector 0 (§3.13.1)");
                break;
        }

        if (profile.ChargingProfilePurpose != ChargingProfilePurposeType.TxProfile && profile.TransactionId is not null)
        {
            problems.Add("transactionId is only allowed in a TxProfile (§7.8)");
        }

        switch (profile.ChargingProfileKind)
        {
            case ChargingProfileKindType.Recurring when profile.RecurrencyKind is null:
                problems.Add("a Recurring profile needs recurrencyKind (§7.8)");
                break;
            case ChargingProfileKindType.Recurring when schedule.StartSchedule is null:
                problems.Add("a Recurring profile needs chargingSchedule.startSchedule (§7.8)");
                break;
            case ChargingProfileKindType.Relative when schedule.StartSchedule is not null:
                problems.Add("a Relative profile must not have chargingSchedule.startSchedule (§7.8)");
                break;
        }

        if (profile.ChargingProfileKind != ChargingProfileKindType.Recurring && profile.RecurrencyKind is not null)
        {
            problems.Add("recurrencyKind is only allowed in a Recurring profile");
        }

        if (profile.ValidFrom is { } from && profile.ValidTo is { } to && from >= to)
        {
            problems.Add("validFrom must be before validTo");
        }

        if (schedule.Duration is <= 0)
        {
            problems.Add($"chargingSchedule.duration {schedule.Duration} s must be positive");
        }

        var periods = schedule.ChargingSchedulePeriod;
        if (periods.Count == 0)
        {
            problems.Add("chargingSchedule.chargingSchedulePeriod is empty");
        }
        else if (periods[0].StartPeriod != 0)
        {
            problems.Add($"the first period starts at {periods[0].StartPeriod} s; it must start at 0 (§7.9)");
        }

        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (i > 0 && period.StartPeriod <= periods[i - 1].StartPeriod)
            {
                problems.Add($"chargingSchedulePeriod[{i}].startPeriod {period.StartPeriod} s is not after the previous period's {periods[i - 1].StartPeriod} s");
            }

            if (period.Limit < 0)
            {
                problems.Add($"chargingSchedulePeriod[{i}].limit {period.Limit} is negative");
            }

            if (decimal.Remainder(period.Limit * 10, 1) != 0)
            {
                problems.Add($"chargingSchedulePeriod[{i}].limit {period.Limit} is not a multiple of 0.1 (the schema's multipleOf)");
            }

            if (period.NumberPhases is < 1 or > 3)
            {
                problems.Add($"chargingSchedulePeriod[{i}].numberPhases {period.NumberPhases} must be 1 to 3");
            }
        }

        if (schedule.MinChargingRate is { } min && (min < 0 || decimal.Remainder(min * 10, 1) != 0))
        {
            problems.Add($"chargingSchedule.minChargingRate {min} must be a non-negative multiple of 0.1");
        }

        if (capabilities is not null)
        {
            if (profile.StackLevel > capabilities.MaxStackLevel)
            {
                problems.Add($"stackLevel {profile.StackLevel} is above ChargeProfileMaxStackLevel {capabilities.MaxStackLevel}");
            }

            if (periods.Count > capabilities.MaxPeriods)
            {
                problems.Add($"{periods.Count} periods are more than ChargingScheduleMaxPeriods {capabilities.MaxPeriods}");
            }

            if (!capabilities.AllowedRateUnits.Contains(schedule.ChargingRateUnit))
            {
                problems.Add($"rate unit {schedule.ChargingRateUnit} is not in ChargingScheduleAllowedChargingRateUnit ({string.Join(",", capabilities.AllowedRateUnits.Order())})");
            }
        }

        return problems;
    }
}

/// <summary>
/// Builds a charging profile (OCPP 1.6 §7.8) step by step; <see cref="Build"/> checks it with
/// <see cref="ChargingProfileValidator"/> (shape only). Example: a default limit of 16 A, 10 A from 18:00 to 21:00 daily:
/// <c>new ChargingProfileBuilder(1, ChargingProfilePurposeType.TxDefaultProfile).Recurring(RecurrencyKindType.Daily, midnight).Limit(TimeSpan.Zero, 16).Limit(TimeSpan.FromHours(18), 10).Limit(TimeSpan.FromHours(21), 16).Build()</c>.
/// </summary>
public sealed class ChargingProfileBuilder
{
    private readonly List<ChargingSchedulePeriod> _periods = [];
    private readonly int _id;
    private readonly ChargingProfilePurposeType _purpose;
    private readonly int _stackLevel;
    private ChargingProfileKindType _kind = ChargingProfileKindType.Relative;
    private RecurrencyKindType? _recurrency;
    private DateTimeOffset? _start;
    private ChargingRateUnitType _unit = ChargingRateUnitType.A;
    private int? _transactionId;
    private DateTimeOffset? _validFrom;
    private DateTimeOffset? _validTo;
    private int? _duration;
    private decimal? _minChargingRate;

    /// <summary>Starts a profile; by default Relative, in amperes, without periods.</summary>
    /// <param name="chargingProfileId">The profile id (unique per charge point; a new profile with the same id replaces the old one).</param>
    /// <param name="purpose">ChargePointMaxProfile, TxDefaultProfile or TxProfile.</param>
    /// <param name="stackLevel">The stack level (0 = lowest precedence). Default 0.</param>
    public ChargingProfileBuilder(int chargingProfileId, ChargingProfilePurposeType purpose, int stackLevel = 0)
    {
        _id = chargingProfileId;
        _purpose = purpose;
        _stackLevel = stackLevel;
    }

    /// <summary>The schedule starts at an absolute time.</summary>
    /// <param name="startSchedule">The start (UTC is sent).</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder Absolute(DateTimeOffset startSchedule)
    {
        _kind = ChargingProfileKindType.Absolute;
        _start = startSchedule;
        _recurrency = null;
        return this;
    }

    /// <summary>The schedule starts when the transaction starts (the default).</summary>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder Relative()
    {
        _kind = ChargingProfileKindType.Relative;
        _start = null;
        _recurrency = null;
        return this;
    }

    /// <summary>The schedule repeats daily or weekly from <paramref name="startSchedule"/>.</summary>
    /// <param name="recurrency">Daily or Weekly.</param>
    /// <param name="startSchedule">The first start.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder Recurring(RecurrencyKindType recurrency, DateTimeOffset startSchedule)
    {
        _kind = ChargingProfileKindType.Recurring;
        _recurrency = recurrency;
        _start = startSchedule;
        return this;
    }

    /// <summary>Limits are in amperes (the default) or watts.</summary>
    /// <param name="unit">A or W.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder RateUnit(ChargingRateUnitType unit)
    {
        _unit = unit;
        return this;
    }

    /// <summary>Adds a period: from <paramref name="start"/> after the schedule's start, the limit applies (until the next period).</summary>
    /// <param name="start">Offset from the schedule start, whole seconds.</param>
    /// <param name="limit">The limit in the rate unit (A or W), a multiple of 0.1.</param>
    /// <param name="numberPhases">Phases used (1–3); <see langword="null"/> for the default of 3.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder Limit(TimeSpan start, decimal limit, int? numberPhases = null)
    {
        _periods.Add(new ChargingSchedulePeriod { StartPeriod = (int)start.TotalSeconds, Limit = limit, NumberPhases = numberPhases });
        return this;
    }

    /// <summary>Makes it a TxProfile for one running transaction.</summary>
    /// <param name="transactionId">The transaction.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder ForTransaction(int transactionId)
    {
        _transactionId = transactionId;
        return this;
    }

    /// <summary>The profile is valid only in this window.</summary>
    /// <param name="from">Valid from; <see langword="null"/> for now.</param>
    /// <param name="to">Valid to; <see langword="null"/> for ever.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder ValidBetween(DateTimeOffset? from, DateTimeOffset? to)
    {
        _validFrom = from;
        _validTo = to;
        return this;
    }

    /// <summary>The schedule lasts this long (whole seconds); without it, the last period lasts until the profile ends.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder Duration(TimeSpan duration)
    {
        _duration = (int)duration.TotalSeconds;
        return this;
    }

    /// <summary>The lowest rate the EV supports (a hint for the charge point), in the rate unit.</summary>
    /// <param name="rate">A multiple of 0.1.</param>
    /// <returns>This builder.</returns>
    public ChargingProfileBuilder MinChargingRate(decimal rate)
    {
        _minChargingRate = rate;
        return this;
    }

    /// <summary>Builds and checks the profile.</summary>
    /// <param name="connectorId">The connector it is meant for (0 for ChargePointMaxProfile), for the purpose checks.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="InvalidOperationException">The profile is not valid; the message lists every problem.</exception>
    public ChargingProfile Build(int connectorId = 1)
    {
        var profile = new ChargingProfile
        {
            ChargingProfileId = _id,
            StackLevel = _stackLevel,
            ChargingProfilePurpose = _purpose,
            ChargingProfileKind = _kind,
            RecurrencyKind = _recurrency,
            TransactionId = _transactionId,
            ValidFrom = _validFrom,
            ValidTo = _validTo,
            ChargingSchedule = new ChargingSchedule
            {
                Duration = _duration,
                StartSchedule = _start,
                ChargingRateUnit = _unit,
                ChargingSchedulePeriod = [.. _periods],
                MinChargingRate = _minChargingRate,
            },
        };
        var problems = ChargingProfileValidator.Validate(profile, _purpose == ChargingProfilePurposeType.ChargePointMaxProfile ? 0 : connectorId);
        return problems.Count == 0 ? profile : throw new InvalidOperationException("Invalid charging profile: " + string.Join("; ", problems) + ".");
    }
}
