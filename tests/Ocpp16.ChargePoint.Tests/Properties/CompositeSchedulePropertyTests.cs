using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Features.SmartCharging;
using Ocpp16.Messages;
using Xunit.Abstractions;

namespace Ocpp16.ChargePoint.Tests.Properties;

/// <summary>
/// Property tests of the composite schedule (OCPP 1.6 §3.13, §5.7): on FsCheck-generated sets of ChargePointMaxProfiles,
/// TxDefaultProfiles and TxProfiles (Absolute, Relative, Recurring Daily and Weekly; stack levels, validity, durations,
/// A and W, numberPhases; transactions running or not) the composite of each connector and of the station equals a
/// brute-force evaluation of the spec's rules at every second of the window (the lower of the prevailing
/// ChargePointMaxProfile and transaction limits), is well formed (from 0, ascending, merged, multiples of 0.1), and the
/// next-change instants the limit timers use never skip a change. Focused generators put Recurring schedules across
/// midnight and across the week boundary (Sunday to Monday). Seeds are fixed; set OCPP16_PROPERTY_SEED to explore.
/// </summary>
public sealed class CompositeSchedulePropertyTests(ITestOutputHelper output)
{
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("OCPP16_PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 20261207;

    /// <summary>Sunday 2026-12-06 24:00 = Monday 2026-12-07 00:00 UTC.</summary>
    private static readonly DateTimeOffset WeekBoundary = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static readonly ChargingSupply[] Supplies = [new(400m, 1, 125m), new(230m, 3, 32m)];

    internal sealed record Installed(ChargingProfile Profile, int ConnectorId, int? LocalTransactionId, DateTimeOffset InstalledAt);

    internal sealed record Case(IReadOnlyList<Installed> Profiles, long?[] TransactionStarts, int?[] LocalTransactionIds, ChargingSupply Supply, ChargingRateUnitType Unit, int ConnectorId, DateTimeOffset Start, int Duration)
    {
        public string Describe()
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"connector {ConnectorId}, start {Start:O}, duration {Duration} s, unit {Unit}, supply {Supply}, tx starts [{string.Join(", ", TransactionStarts.Select(t => t is null ? "-" : DateTimeOffset.FromUnixTimeSeconds(t.Value).ToString("O", CultureInfo.InvariantCulture)))}], local tx [{string.Join(", ", LocalTransactionIds)}]\n");
            foreach (var p in Profiles)
            {
                text.Append(CultureInfo.InvariantCulture, $"  connector {p.ConnectorId} localTx {p.LocalTransactionId} installed {p.InstalledAt:O}: {Encoding.UTF8.GetString(OcppPayload.ToUtf8(new SetChargingProfileRequest { ConnectorId = p.ConnectorId, CsChargingProfiles = p.Profile }))}\n");
            }

            return text.ToString();
        }
    }

    [Fact]
    public void RandomProfileSets_TheCompositeEqualsTheBruteForceAtEverySecond()
        => Run(Cases(WindowAround(WeekBoundary, TimeSpan.FromDays(3)), recurringStart: null), 80, 1);

    [Fact]
    public void RecurringDaily_AcrossMidnight_TheCompositeEqualsTheBruteForce()
        => Run(Cases(WindowAround(WeekBoundary.AddDays(-3), TimeSpan.FromHours(6)), recurringStart: (RecurrencyKindType.Daily, WeekBoundary.AddDays(-5).AddHours(20), TimeSpan.FromHours(4))), 40, 2);

    [Fact]
    public void RecurringWeekly_AcrossTheWeekBoundary_TheCompositeEqualsTheBruteForce()
        => Run(Cases(WindowAround(WeekBoundary, TimeSpan.FromHours(8)), recurringStart: (RecurrencyKindType.Weekly, WeekBoundary.AddDays(-14), TimeSpan.FromHours(6))), 40, 3);

    private void Run(Gen<Case> cases, int count, int stream)
    {
        var samples = Gen.Sample(cases, count, new Rnd(Seed ^ ((ulong)stream * 0x9E3779B97F4A7C15UL)), 10);
        var seconds = 0L;
        var failures = new List<string>();
        for (var i = 0; i < samples.Length; i++)
        {
            var c = samples[i];
            seconds += c.Duration;
            if (Check(c) is { } failure)
            {
                failures.Add($"case {i}: {failure}\n{c.Describe()}");
                if (failures.Count >= 3)
                {
                    break;
                }
            }
        }

        output.WriteLine($"{samples.Length} cases, {seconds} seconds compared (seed {Seed}, stream {stream}); profiles per case {samples.Average(c => c.Profiles.Count):F1}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // ------------------------------------------------------------------ the check

    private static string? Check(Case c)
    {
        var profiles = c.Profiles.Select(p => InstalledChargingProfile.Create(p.Profile, p.ConnectorId, p.LocalTransactionId, p.InstalledAt)).ToList();
        var inputs = new ScheduleInputs(2, c.TransactionStarts, c.LocalTransactionIds, c.Supply);
        var start = c.Start.ToUnixTimeSeconds();
        var composite = CompositeSchedule.Compute(profiles, inputs, c.ConnectorId, start, c.Duration, c.Unit);
        var periods = composite.Periods;
        if (periods.Count == 0 || periods[0].Start != 0)
        {
            return "the composite does not start at 0";
        }

        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].Limit < 0 || decimal.Floor(periods[i].Limit * 10m) != periods[i].Limit * 10m)
            {
                return $"period {i}: limit {periods[i].Limit} is not a multiple of 0.1 at least 0";
            }

            if (i > 0 && (periods[i].Start <= periods[i - 1].Start || periods[i].Start >= c.Duration || (periods[i].Limit == periods[i - 1].Limit && periods[i].NumberPhases == periods[i - 1].NumberPhases)))
            {
                return $"period {i} ({periods[i]}) does not ascend, lies beyond the duration, or repeats period {i - 1}";
            }
        }

        var index = 0;
        for (var k = 0; k < c.Duration; k++)
        {
            while (index + 1 < periods.Count && periods[index + 1].Start <= k)
            {
                index++;
            }

            var t = c.Start.AddSeconds(k);
            var expected = Oracle.At(c, c.ConnectorId, t, c.Start);
            var actual = periods[index];
            if (actual.Limit != expected.Limit || actual.NumberPhases != expected.Phases)
            {
                return $"at {k} s ({t:O}): composite {actual.Limit} ({actual.NumberPhases} phases), brute force {expected.Limit} ({expected.Phases} phases)";
            }

        }

        // The limit timers: between two instants NextChange reports, the pushed limit does not change.
        for (var connectorId = 1; connectorId <= 2; connectorId++)
        {
            var t = start;
            while (t < start + c.Duration)
            {
                var next = CompositeSchedule.NextChange(profiles, inputs, t) ?? long.MaxValue;
                var at = CompositeSchedule.ConnectorLimitAt(profiles, inputs, connectorId, t, t, c.Unit, out _);
                for (var u = t + 1; u < Math.Min(next, start + c.Duration); u++)
                {
                    var later = Oracle.At(c, connectorId, DateTimeOffset.FromUnixTimeSeconds(u), DateTimeOffset.FromUnixTimeSeconds(u));
                    if (later.Limit != at.Limit)
                    {
                        return $"connector {connectorId}: the limit changes at {DateTimeOffset.FromUnixTimeSeconds(u):O} ({at.Limit} → {later.Limit}) but the next change reported after {DateTimeOffset.FromUnixTimeSeconds(t):O} is {(next == long.MaxValue ? "never" : DateTimeOffset.FromUnixTimeSeconds(next).ToString("O", CultureInfo.InvariantCulture))}";
                    }
                }

                if (next <= t)
                {
                    return $"NextChange({t}) = {next} does not move forward";
                }

                t = next;
            }
        }

        return null;
    }

    /// <summary>The spec's rules at one instant, written out plainly over the OCPP objects (the brute force).</summary>
    private static class Oracle
    {
        public static (decimal Limit, int? Phases) At(Case c, int connectorId, DateTimeOffset t, DateTimeOffset scheduleStart)
        {
            var max = Prevailing(c, ChargingProfilePurposeType.ChargePointMaxProfile, connectorId, t, scheduleStart);
            decimal? maxLimit = max is null ? null : Convert(c, max.Value.Limit, max.Value.Unit, max.Value.Phases);
            if (connectorId == 0)
            {
                var sum = 0m;
                for (var x = 1; x <= 2; x++)
                {
                    var tx = Prevailing(c, ChargingProfilePurposeType.TxProfile, x, t, scheduleStart) ?? Prevailing(c, ChargingProfilePurposeType.TxDefaultProfile, x, t, scheduleStart);
                    sum += tx is null ? Round(c.Unit == ChargingRateUnitType.A ? c.Supply.MaximumCurrent : c.Supply.MaximumCurrent * c.Supply.Voltage * c.Supply.Phases) : Convert(c, tx.Value.Limit, tx.Value.Unit, tx.Value.Phases);
                }

                return (maxLimit is { } cap && cap < sum ? cap : sum, null);
            }

            var transaction = Prevailing(c, ChargingProfilePurposeType.TxProfile, connectorId, t, scheduleStart) ?? Prevailing(c, ChargingProfilePurposeType.TxDefaultProfile, connectorId, t, scheduleStart);
            decimal? txLimit = transaction is null ? null : Convert(c, transaction.Value.Limit, transaction.Value.Unit, transaction.Value.Phases);
            if (maxLimit is null && txLimit is null)
            {
                return (Round(c.Unit == ChargingRateUnitType.A ? c.Supply.MaximumCurrent : c.Supply.MaximumCurrent * c.Supply.Voltage * c.Supply.Phases), null);
            }

            if (txLimit is null || (maxLimit is { } a && a < txLimit))
            {
                return (maxLimit!.Value, max!.Value.Phases);
            }

            return (txLimit.Value, transaction!.Value.Phases);
        }

        private static (decimal Limit, ChargingRateUnitType Unit, int? Phases)? Prevailing(Case c, ChargingProfilePurposeType purpose, int connectorId, DateTimeOffset t, DateTimeOffset scheduleStart)
        {
            Installed? best = null;
            ChargingSchedulePeriod? bestPeriod = null;
            foreach (var p in c.Profiles)
            {
                var applies = purpose == p.Profile.ChargingProfilePurpose && purpose switch
                {
                    ChargingProfilePurposeType.ChargePointMaxProfile => true,
                    ChargingProfilePurposeType.TxDefaultProfile => p.ConnectorId == connectorId || p.ConnectorId == 0,
                    _ => p.ConnectorId == connectorId && connectorId >= 1 && p.LocalTransactionId is not null && p.LocalTransactionId == c.LocalTransactionIds[connectorId],
                };
                if (!applies || ActivePeriod(c, p, connectorId, t, scheduleStart) is not { } period)
                {
                    continue;
                }

                // Highest stackLevel; at equal stackLevel the connector's own profile over connector 0's.
                if (best is null || p.Profile.StackLevel > best.Profile.StackLevel || (p.Profile.StackLevel == best.Profile.StackLevel && best.ConnectorId == 0 && p.ConnectorId != 0))
                {
                    best = p;
                    bestPeriod = period;
                }
            }

            return best is null ? null : (bestPeriod!.Limit, best.Profile.ChargingSchedule.ChargingRateUnit, bestPeriod.NumberPhases);
        }

        private static ChargingSchedulePeriod? ActivePeriod(Case c, Installed p, int connectorId, DateTimeOffset t, DateTimeOffset scheduleStart)
        {
            var profile = p.Profile;
            var schedule = profile.ChargingSchedule;
            if ((profile.ValidFrom is { } from && t < from) || (profile.ValidTo is { } to && t >= to))
            {
                return null;
            }

            DateTimeOffset start;
            if (profile.ChargingProfileKind == ChargingProfileKindType.Relative || schedule.StartSchedule is null)
            {
                start = profile.ChargingProfilePurpose == ChargingProfilePurposeType.ChargePointMaxProfile ? p.InstalledAt
                    : connectorId >= 1 && c.TransactionStarts[connectorId] is { } tx ? DateTimeOffset.FromUnixTimeSeconds(tx)
                    : scheduleStart;
            }
            else if (profile.ChargingProfileKind == ChargingProfileKindType.Recurring)
            {
                var every = profile.RecurrencyKind == RecurrencyKindType.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
                start = schedule.StartSchedule.Value;
                while (start > t)
                {
                    start -= every;
                }

                while (start + every <= t)
                {
                    start += every;
                }
            }
            else
            {
                start = schedule.StartSchedule.Value;
            }

            var offset = (t - start).TotalSeconds;
            if (offset < 0 || (schedule.Duration is { } duration && offset >= duration))
            {
                return null;
            }

            return schedule.ChargingSchedulePeriod.Last(x => x.StartPeriod <= offset);
        }

        private static decimal Convert(Case c, decimal value, ChargingRateUnitType from, int? phases)
        {
            if (from == c.Unit)
            {
                return Round(value);
            }

            var factor = c.Supply.Voltage * Math.Max(1, Math.Min(phases ?? 3, c.Supply.Phases));
            return Round(from == ChargingRateUnitType.A ? value * factor : value / factor);
        }

        private static decimal Round(decimal value) => Math.Floor(value * 10m) / 10m;
    }

    // ------------------------------------------------------------------ generators

    private sealed record Window(DateTimeOffset Center, TimeSpan Spread);

    private static Window WindowAround(DateTimeOffset center, TimeSpan spread) => new(center, spread);

    /// <summary>
    /// Cases: a window of 1 s to 30 h starting within <c>Spread</c> of <c>Center</c>; 1 to 6 profiles of distinct
    /// (purpose, connector, stackLevel); transactions on either connector or not. With <paramref name="recurringStart"/>,
    /// half the profiles are Recurring of that kind, starting within the given spread of that instant (or a whole number
    /// of recurrences before it).
    /// </summary>
    private static Gen<Case> Cases(Window window, (RecurrencyKindType Kind, DateTimeOffset Around, TimeSpan Spread)? recurringStart)
        =>
            from startOffset in Gen.Choose(-(int)window.Spread.TotalSeconds, (int)window.Spread.TotalSeconds)
            from duration in Gen.Frequency((1, Gen.Choose(1, 3600)), (3, Gen.Choose(3600, 30 * 3600)))
            from connectorId in Gen.Choose(0, 2)
            from unit in Gen.Elements(ChargingRateUnitType.A, ChargingRateUnitType.W)
            from supply in Gen.Elements(Supplies)
            from tx1 in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, 5 * 3600).Select(v => (int?)v)))
            from tx2 in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, 5 * 3600).Select(v => (int?)v)))
            let start = window.Center.AddSeconds(startOffset)
            from profiles in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(ProfileGen(start, recurringStart), n))
            select new Case(
                [.. profiles.DistinctBy(p => (p.Profile.ChargingProfilePurpose, p.ConnectorId, p.Profile.StackLevel))],
                [null, tx1 is { } a ? start.AddSeconds(-a).ToUnixTimeSeconds() : null, tx2 is { } b ? start.AddSeconds(-b).ToUnixTimeSeconds() : null],
                [null, tx1 is null ? null : 1, tx2 is null ? null : 2],
                supply,
                unit,
                connectorId,
                start,
                duration);

    private static Gen<Installed> ProfileGen(DateTimeOffset start, (RecurrencyKindType Kind, DateTimeOffset Around, TimeSpan Spread)? recurringStart)
        =>
            from purpose in Gen.Elements(ChargingProfilePurposeType.ChargePointMaxProfile, ChargingProfilePurposeType.TxDefaultProfile, ChargingProfilePurposeType.TxProfile)
            from connector in purpose switch
            {
                ChargingProfilePurposeType.ChargePointMaxProfile => Gen.Constant(0),
                ChargingProfilePurposeType.TxDefaultProfile => Gen.Choose(0, 2),
                _ => Gen.Choose(1, 2),
            }
            from localTransaction in Gen.Frequency((4, Gen.Constant<int?>(connector)), (1, Gen.Constant<int?>(99))) // 99: a transaction that ended
            from stackLevel in Gen.Choose(0, 3)
            from kind in recurringStart is null
                ? Gen.Elements(ChargingProfileKindType.Absolute, ChargingProfileKindType.Relative, ChargingProfileKindType.Recurring)
                : Gen.Frequency((1, Gen.Elements(ChargingProfileKindType.Absolute, ChargingProfileKindType.Relative)), (3, Gen.Constant(ChargingProfileKindType.Recurring)))
            from recurrency in recurringStart is { } r ? Gen.Constant(r.Kind) : Gen.Elements(RecurrencyKindType.Daily, RecurrencyKindType.Weekly)
            from startSchedule in StartScheduleGen(start, kind, recurringStart)
            from duration in Gen.Frequency((2, Gen.Constant<int?>(null)), (3, Gen.Choose(60, 2 * 86_400).Select(v => (int?)v)))
            from scheduleUnit in Gen.Elements(ChargingRateUnitType.A, ChargingRateUnitType.W)
            from periods in PeriodsGen(scheduleUnit)
            from validFrom in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(-86_400, 86_400).Select(v => (int?)v)))
            from validLength in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(1, 2 * 86_400).Select(v => (int?)v)))
            from installedBefore in Gen.Choose(0, 86_400)
            select new Installed(
                new ChargingProfile
                {
                    ChargingProfileId = 1,
                    StackLevel = stackLevel,
                    ChargingProfilePurpose = purpose,
                    ChargingProfileKind = kind,
                    RecurrencyKind = kind == ChargingProfileKindType.Recurring ? recurrency : null,
                    ValidFrom = validFrom is { } f ? start.AddSeconds(f) : null,
                    ValidTo = validLength is { } l ? (validFrom is { } g ? start.AddSeconds(g + l) : start.AddSeconds(l)) : null,
                    ChargingSchedule = new ChargingSchedule
                    {
                        ChargingRateUnit = scheduleUnit,
                        StartSchedule = startSchedule,
                        Duration = duration,
                        ChargingSchedulePeriod = periods,
                    },
                },
                connector,
                purpose == ChargingProfilePurposeType.TxProfile ? localTransaction : null,
                start.AddSeconds(-installedBefore));

    private static Gen<DateTimeOffset?> StartScheduleGen(DateTimeOffset start, ChargingProfileKindType kind, (RecurrencyKindType Kind, DateTimeOffset Around, TimeSpan Spread)? recurringStart)
    {
        if (kind == ChargingProfileKindType.Recurring && recurringStart is { } r)
        {
            var spread = (int)r.Spread.TotalSeconds;
            return Gen.Choose(-spread, spread).SelectMany(offset => Gen.Choose(0, 2).Select(back => (DateTimeOffset?)r.Around.AddSeconds(offset).AddDays(-back * (r.Kind == RecurrencyKindType.Weekly ? 7 : 1))));
        }

        var around = Gen.Choose(-3 * 86_400, 86_400).Select(offset => (DateTimeOffset?)start.AddSeconds(offset));
        return kind == ChargingProfileKindType.Absolute ? Gen.Frequency((4, around), (1, Gen.Constant<DateTimeOffset?>(null))) : around;
    }

    private static Gen<ChargingSchedulePeriod[]> PeriodsGen(ChargingRateUnitType unit)
        =>
            from count in Gen.Choose(1, 5)
            from gaps in Gen.ArrayOf(Gen.Choose(1, 6 * 3600), count - 1)
            from limits in Gen.ArrayOf(unit == ChargingRateUnitType.A ? Gen.Choose(0, 640) : Gen.Choose(0, 400_000), count)
            from phases in Gen.ArrayOf(Gen.Elements<int?>(null, null, 1, 2, 3), count)
            select Enumerable.Range(0, count).Select(i => new ChargingSchedulePeriod
            {
                StartPeriod = gaps.Take(i).Sum(),
                Limit = limits[i] / 10m,
                NumberPhases = phases[i],
            }).ToArray();
}
