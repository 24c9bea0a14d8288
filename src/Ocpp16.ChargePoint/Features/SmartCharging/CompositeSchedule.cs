using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.SmartCharging;

/// <summary>
/// An installed ChargingProfile (OCPP 1.6 §3.13, §7.8) in the form the composite schedule is computed from: times in whole
/// seconds since 1970 (the resolution of startPeriod; fractions of a second are truncated), an unbounded validity as
/// <see cref="long.MinValue"/>/<see cref="long.MaxValue"/>, the periods as arrays. Immutable.
/// </summary>
internal sealed class InstalledChargingProfile
{
    private InstalledChargingProfile(ChargingProfile profile, int connectorId, int? localTransactionId, DateTimeOffset installedAt)
    {
        Profile = profile;
        ConnectorId = connectorId;
        LocalTransactionId = localTransactionId;
        InstalledAt = installedAt;
        var schedule = profile.ChargingSchedule;
        ValidFrom = profile.ValidFrom is { } from ? from.ToUnixTimeSeconds() : long.MinValue;
        ValidTo = profile.ValidTo is { } to ? to.ToUnixTimeSeconds() : long.MaxValue;
        StartSchedule = profile.ChargingProfileKind == ChargingProfileKindType.Relative ? null : schedule.StartSchedule?.ToUnixTimeSeconds();
        if (StartSchedule is null && profile.ChargingProfilePurpose == ChargingProfilePurposeType.ChargePointMaxProfile)
        {
            // A station limit has no transaction to start with: it starts when it was installed.
            StartSchedule = installedAt.ToUnixTimeSeconds();
        }

        Duration = schedule.Duration;
        Recurrence = profile.ChargingProfileKind != ChargingProfileKindType.Recurring ? 0
            : profile.RecurrencyKind == RecurrencyKindType.Weekly ? 7 * 86_400 : 86_400;
        var periods = schedule.ChargingSchedulePeriod;
        Starts = new int[periods.Count];
        Limits = new decimal[periods.Count];
        Phases = new int?[periods.Count];
        for (var i = 0; i < periods.Count; i++)
        {
            Starts[i] = periods[i].StartPeriod;
            Limits[i] = periods[i].Limit;
            Phases[i] = periods[i].NumberPhases;
        }
    }

    /// <summary>The profile as the Central System sent it.</summary>
    public ChargingProfile Profile { get; }

    /// <summary>The connector it was set on (0 = the station).</summary>
    public int ConnectorId { get; }

    /// <summary>For a TxProfile: the local id of the transaction it belongs to (it is dropped when that transaction ends).</summary>
    public int? LocalTransactionId { get; }

    /// <summary>When it was installed (the start of a ChargePointMaxProfile without startSchedule).</summary>
    public DateTimeOffset InstalledAt { get; }

    public int Id => Profile.ChargingProfileId;

    public int StackLevel => Profile.StackLevel;

    public ChargingProfilePurposeType Purpose => Profile.ChargingProfilePurpose;

    public ChargingRateUnitType Unit => Profile.ChargingSchedule.ChargingRateUnit;

    public long ValidFrom { get; }

    public long ValidTo { get; }

    /// <summary>
    /// The fixed start of the schedule (Absolute, Recurring; a ChargePointMaxProfile without one starts when installed),
    /// or <see langword="null"/> when it starts with the transaction (Relative, Absolute without startSchedule).
    /// </summary>
    public long? StartSchedule { get; }

    public int? Duration { get; }

    /// <summary>The recurrence in seconds (Recurring Daily or Weekly), or 0.</summary>
    public long Recurrence { get; }

    public int[] Starts { get; }

    public decimal[] Limits { get; }

    public int?[] Phases { get; }

    public static InstalledChargingProfile Create(ChargingProfile profile, int connectorId, int? localTransactionId, DateTimeOffset installedAt)
        => new(profile, connectorId, localTransactionId, installedAt);

    /// <summary>
    /// The start of the schedule instance in force at <paramref name="t"/>: the fixed start (Absolute), the latest
    /// recurrence at or before <paramref name="t"/> (Recurring: the schedule repeats every day or week, before its
    /// startSchedule too), or <paramref name="relativeAnchor"/> (Relative, or Absolute without startSchedule: "relative
    /// to the start of charging").
    /// </summary>
    public long InstanceStart(long t, long relativeAnchor)
    {
        if (StartSchedule is not { } start)
        {
            return relativeAnchor;
        }

        if (Recurrence == 0)
        {
            return start;
        }

        // The latest recurrence at or before t (floor division, also for t before the startSchedule).
        var elapsed = t - start;
        var k = elapsed / Recurrence;
        if (elapsed < 0 && k * Recurrence != elapsed)
        {
            k--;
        }

        return start + (k * Recurrence);
    }

    /// <summary>The period of the schedule in force at <paramref name="t"/> (validity, instance, duration), or -1.</summary>
    public int PeriodAt(long t, long relativeAnchor)
    {
        if (t < ValidFrom || t >= ValidTo)
        {
            return -1;
        }

        var offset = t - InstanceStart(t, relativeAnchor);
        if (offset < 0 || (Duration is { } duration && offset >= duration))
        {
            return -1;
        }

        // The last period that has started (startPeriod ascending, the first is 0).
        var starts = Starts;
        int lo = 0, hi = starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (starts[mid] <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    /// <summary>Adds the instants within (<paramref name="from"/>, <paramref name="to"/>) at which this profile's limit may change.</summary>
    public void AddBoundaries(long from, long to, long relativeAnchor, List<long> boundaries)
    {
        AddIfInside(ValidFrom, from, to, boundaries);
        AddIfInside(ValidTo, from, to, boundaries);
        var first = InstanceStart(from, relativeAnchor);
        var step = Recurrence == 0 ? long.MaxValue : Recurrence;
        for (var s = first; s < to; s += step)
        {
            AddIfInside(s, from, to, boundaries);
            foreach (var start in Starts)
            {
                AddIfInside(s + start, from, to, boundaries);
            }

            if (Duration is { } duration)
            {
                AddIfInside(s + duration, from, to, boundaries);
            }

            if (step == long.MaxValue)
            {
                break;
            }
        }
    }

    /// <summary>The first instant after <paramref name="t"/> at which this profile's limit may change, or <see cref="long.MaxValue"/>.</summary>
    public long NextBoundary(long t, long relativeAnchor)
    {
        var next = long.MaxValue;
        Consider(ValidFrom);
        Consider(ValidTo);
        var s = InstanceStart(t, relativeAnchor);
        Consider(s);
        foreach (var start in Starts)
        {
            Consider(s + start);
        }

        if (Duration is { } duration)
        {
            Consider(s + duration);
        }

        if (Recurrence != 0)
        {
            Consider(s + Recurrence);
        }

        return next;

        void Consider(long instant)
        {
            if (instant > t && instant < next)
            {
                next = instant;
            }
        }
    }

    private static void AddIfInside(long instant, long from, long to, List<long> boundaries)
    {
        if (instant > from && instant < to)
        {
            boundaries.Add(instant);
        }
    }
}

/// <summary>The electrical figures of the station (from its <see cref="Hardware.IChargingLimitSink"/>) for A↔W and the unlimited rate.</summary>
/// <param name="Voltage">Nominal voltage in V.</param>
/// <param name="Phases">Phases the station can use (1 for DC).</param>
/// <param name="MaximumCurrent">What a connector offers without a limit, in A per phase.</param>
internal readonly record struct ChargingSupply(decimal Voltage, int Phases, decimal MaximumCurrent)
{
    /// <summary>The electrical figures of a sink (the interface's defaults without one).</summary>
    public static ChargingSupply Of(Hardware.IChargingLimitSink? sink)
        => sink is null
            ? new ChargingSupply(Hardware.IChargingLimitSink.DefaultNominalVoltage, Hardware.IChargingLimitSink.DefaultNumberOfPhases, Hardware.IChargingLimitSink.DefaultMaximumCurrent)
            : new ChargingSupply(sink.NominalVoltage, sink.NumberOfPhases, sink.MaximumCurrent);

    /// <summary>Converts a limit to <paramref name="unit"/>: W = A × V × phases (phases: the period's numberPhases, default 3, at most the station's).</summary>
    public decimal Convert(decimal value, ChargingRateUnitType from, ChargingRateUnitType unit, int? numberPhases)
    {
        if (from == unit)
        {
            return value;
        }

        var factor = Voltage * Math.Max(1, Math.Min(numberPhases ?? 3, Phases));
        return from == ChargingRateUnitType.A ? value * factor : value / factor;
    }

    /// <summary>The unlimited rate of one connector in <paramref name="unit"/>.</summary>
    public decimal Maximum(ChargingRateUnitType unit) => unit == ChargingRateUnitType.A ? MaximumCurrent : MaximumCurrent * Voltage * Math.Max(1, Phases);
}

/// <summary>What the composite schedule depends on besides the profiles: the connectors' transactions and the supply.</summary>
/// <param name="ConnectorCount">Connectors 1..n.</param>
/// <param name="TransactionStarts">Per connector (index = connector id, 0 unused): when its running transaction started, in seconds since 1970, or <see langword="null"/>.</param>
/// <param name="LocalTransactionIds">Per connector: the local id of its running transaction, or <see langword="null"/>.</param>
/// <param name="Supply">The station's electrical figures.</param>
internal sealed record ScheduleInputs(int ConnectorCount, long?[] TransactionStarts, int?[] LocalTransactionIds, ChargingSupply Supply);

/// <summary>One period of a composite schedule: from <see cref="Start"/> (seconds after the schedule start) on.</summary>
internal readonly record struct CompositePeriod(int Start, decimal Limit, int? NumberPhases);

/// <summary>
/// A composite schedule (OCPP 1.6 §5.7, GetCompositeSchedule.conf): periods from <paramref name="Start"/> (seconds since
/// 1970) for <paramref name="Duration"/> seconds, and the minChargingRate of the transaction schedule in force at the start.
/// </summary>
internal sealed record CompositeResult(long Start, int Duration, ChargingRateUnitType Unit, IReadOnlyList<CompositePeriod> Periods, decimal? MinChargingRate);

/// <summary>
/// The composite schedule (OCPP 1.6 §3.13, §5.7) as a pure function of the installed profiles, the transactions, the
/// connector, the start, the duration and the unit. At each second the limit of a connector is the lower of the
/// prevailing ChargePointMaxProfile and the prevailing TxProfile of its running transaction (else the prevailing
/// TxDefaultProfile of the connector or of connector 0); "prevailing" is the highest stackLevel among the profiles of
/// that purpose whose validity (validFrom ≤ t &lt; validTo) and schedule (startSchedule or the transaction start ≤ t,
/// before startSchedule + duration) cover the instant; at equal stackLevel a TxDefaultProfile of the connector wins over
/// one of connector 0. A TxProfile or TxDefaultProfile without a fixed start (Relative, or Absolute without
/// startSchedule) starts with the transaction of the connector evaluated, or, without one, at the schedule's start (as
/// for a transaction starting then); a ChargePointMaxProfile without one starts when it was installed. Without any
/// limit a connector offers the supply's maximum. Connector 0
/// gives the station's total: the lower of the ChargePointMaxProfile and the sum of the connectors' limits. Limits in
/// the other unit are converted (W = A × V × phases) and rounded down to 0.1; equal adjacent periods are merged.
/// </summary>
internal static class CompositeSchedule
{
    /// <summary>The composite schedule of <paramref name="connectorId"/> from <paramref name="start"/> for <paramref name="duration"/> seconds.</summary>
    public static CompositeResult Compute(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, int connectorId, long start, int duration, ChargingRateUnitType unit)
    {
        var end = start + duration;
        var boundaries = new List<long>(64) { start };
        foreach (var p in profiles)
        {
            if (p.Purpose == ChargingProfilePurposeType.ChargePointMaxProfile)
            {
                p.AddBoundaries(start, end, start, boundaries);
                continue;
            }

            for (var c = connectorId == 0 ? 1 : connectorId; c <= (connectorId == 0 ? inputs.ConnectorCount : connectorId); c++)
            {
                if (AppliesTo(p, inputs, c))
                {
                    p.AddBoundaries(start, end, Anchor(inputs, c, start), boundaries);
                }
            }
        }

        boundaries.Sort();
        var periods = new List<CompositePeriod>(boundaries.Count);
        var previous = long.MinValue;
        foreach (var t in boundaries)
        {
            if (t == previous)
            {
                continue;
            }

            previous = t;
            var (limit, phases) = connectorId == 0 ? StationLimitAt(profiles, inputs, t, start, unit) : ConnectorLimitAt(profiles, inputs, connectorId, t, start, unit, out _);
            var period = new CompositePeriod((int)(t - start), limit, phases);
            if (periods.Count == 0 || periods[^1].Limit != period.Limit || periods[^1].NumberPhases != period.NumberPhases)
            {
                periods.Add(period);
            }
        }

        decimal? minChargingRate = null;
        if (connectorId >= 1)
        {
            var tx = TransactionLimit(profiles, inputs, connectorId, start, start);

            if (tx.Profile?.Profile.ChargingSchedule.MinChargingRate is { } rate)
            {
                minChargingRate = Round(inputs.Supply.Convert(rate, tx.Profile.Unit, unit, tx.Phases));
            }
        }

        return new CompositeResult(start, duration, unit, periods, minChargingRate);
    }

    /// <summary>
    /// The limit of connector <paramref name="connectorId"/> (1..n) at <paramref name="t"/> in <paramref name="unit"/>, and
    /// its numberPhases; <paramref name="limited"/> is <see langword="false"/> when no profile limits it (the supply's
    /// maximum is returned). <paramref name="scheduleStart"/> anchors Relative schedules without a transaction.
    /// </summary>
    public static (decimal Limit, int? NumberPhases) ConnectorLimitAt(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, int connectorId, long t, long scheduleStart, ChargingRateUnitType unit, out bool limited)
    {
        var max = Prevailing(profiles, inputs, ChargingProfilePurposeType.ChargePointMaxProfile, 0, t, scheduleStart);
        var tx = TransactionLimit(profiles, inputs, connectorId, t, scheduleStart);

        limited = max.Profile is not null || tx.Profile is not null;
        if (!limited)
        {
            return (Round(inputs.Supply.Maximum(unit)), null);
        }

        var a = max.Profile is null ? decimal.MaxValue : Round(inputs.Supply.Convert(max.Limit, max.Profile.Unit, unit, max.Phases));
        var b = tx.Profile is null ? decimal.MaxValue : Round(inputs.Supply.Convert(tx.Limit, tx.Profile.Unit, unit, tx.Phases));
        return a < b ? (a, max.Phases) : (b, tx.Phases);
    }

    /// <summary>The station's total at <paramref name="t"/>: the lower of the ChargePointMaxProfile and the sum of the connectors' limits.</summary>
    public static (decimal Limit, int? NumberPhases) StationLimitAt(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, long t, long scheduleStart, ChargingRateUnitType unit)
    {
        var sum = 0m;
        for (var c = 1; c <= inputs.ConnectorCount; c++)
        {
            var tx = TransactionLimit(profiles, inputs, c, t, scheduleStart);

            sum += tx.Profile is null ? Round(inputs.Supply.Maximum(unit)) : Round(inputs.Supply.Convert(tx.Limit, tx.Profile.Unit, unit, tx.Phases));
        }

        var max = Prevailing(profiles, inputs, ChargingProfilePurposeType.ChargePointMaxProfile, 0, t, scheduleStart);
        return (max.Profile is null ? sum : Math.Min(sum, Round(inputs.Supply.Convert(max.Limit, max.Profile.Unit, unit, max.Phases))), null);
    }

    /// <summary>The limit of the prevailing ChargePointMaxProfile at <paramref name="t"/> (the station's cap), if any.</summary>
    public static (decimal Limit, int? NumberPhases)? StationMaximumAt(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, long t, ChargingRateUnitType unit)
    {
        var max = Prevailing(profiles, inputs, ChargingProfilePurposeType.ChargePointMaxProfile, 0, t, t);
        return max.Profile is null ? null : (Round(inputs.Supply.Convert(max.Limit, max.Profile.Unit, unit, max.Phases)), max.Phases);
    }

    /// <summary>
    /// The first instant after <paramref name="t"/> at which the limit of the station or of a connector may change, or
    /// <see langword="null"/>. A schedule that starts with a transaction, on a connector without one, restarts with every
    /// evaluation and adds only its validity bounds.
    /// </summary>
    public static long? NextChange(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, long t)
    {
        var next = long.MaxValue;
        foreach (var p in profiles)
        {
            if (p.StartSchedule is not null)
            {
                next = Math.Min(next, p.NextBoundary(t, t));
                continue;
            }

            for (var c = 1; c <= inputs.ConnectorCount; c++)
            {
                if (!AppliesTo(p, inputs, c))
                {
                    continue;
                }

                if (inputs.TransactionStarts[c] is { } anchor)
                {
                    next = Math.Min(next, p.NextBoundary(t, anchor));
                }
                else
                {
                    next = Math.Min(next, p.ValidFrom > t ? p.ValidFrom : long.MaxValue);
                    next = Math.Min(next, p.ValidTo > t ? p.ValidTo : long.MaxValue);
                }
            }
        }

        return next == long.MaxValue ? null : next;
    }

    /// <summary>Rounds down to 0.1 (the schema's multipleOf), so a converted limit never exceeds the one it comes from.</summary>
    public static decimal Round(decimal value) => decimal.Floor(value * 10m) / 10m;

    /// <summary>The transaction limit of a connector: its prevailing TxProfile, else its prevailing TxDefaultProfile (§3.13.1).</summary>
    private static (InstalledChargingProfile? Profile, decimal Limit, int? Phases) TransactionLimit(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, int connectorId, long t, long scheduleStart)
    {
        var tx = Prevailing(profiles, inputs, ChargingProfilePurposeType.TxProfile, connectorId, t, scheduleStart);
        return tx.Profile is not null ? tx : Prevailing(profiles, inputs, ChargingProfilePurposeType.TxDefaultProfile, connectorId, t, scheduleStart);
    }

    private static (InstalledChargingProfile? Profile, decimal Limit, int? Phases) Prevailing(IReadOnlyList<InstalledChargingProfile> profiles, ScheduleInputs inputs, ChargingProfilePurposeType purpose, int connectorId, long t, long scheduleStart)
    {
        InstalledChargingProfile? best = null;
        var bestPeriod = -1;
        foreach (var p in profiles)
        {
            if (p.Purpose != purpose || !AppliesTo(p, inputs, connectorId))
            {
                continue;
            }

            if (best is not null && (p.StackLevel < best.StackLevel || (p.StackLevel == best.StackLevel && (p.ConnectorId == 0 || best.ConnectorId != 0))))
            {
                continue;
            }

            var period = p.PeriodAt(t, Anchor(inputs, connectorId, scheduleStart));
            if (period >= 0)
            {
                best = p;
                bestPeriod = period;
            }
        }

        return best is null ? (null, 0m, null) : (best, best.Limits[bestPeriod], best.Phases[bestPeriod]);
    }

    /// <summary>Whether the profile takes part in the limit of connector <paramref name="connectorId"/> (0: the ChargePointMaxProfile).</summary>
    private static bool AppliesTo(InstalledChargingProfile p, ScheduleInputs inputs, int connectorId) => p.Purpose switch
    {
        ChargingProfilePurposeType.ChargePointMaxProfile => true,
        ChargingProfilePurposeType.TxDefaultProfile => p.ConnectorId == connectorId || p.ConnectorId == 0,
        _ => p.ConnectorId == connectorId && p.LocalTransactionId is { } tx && inputs.LocalTransactionIds[connectorId] == tx,
    };

    /// <summary>Where a schedule without a fixed start begins on connector <paramref name="connectorId"/>: its transaction's start, else <paramref name="scheduleStart"/>.</summary>
    private static long Anchor(ScheduleInputs inputs, int connectorId, long scheduleStart)
        => connectorId >= 1 && inputs.TransactionStarts[connectorId] is { } txStart ? txStart : scheduleStart;
}
