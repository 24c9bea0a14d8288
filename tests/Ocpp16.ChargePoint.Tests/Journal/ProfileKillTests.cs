using System.Text.Json;
using Ocpp16.ChargePoint.Features.LocalAuthList;
using Ocpp16.ChargePoint.Features.Reservation;
using Ocpp16.ChargePoint.Features.SmartCharging;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Tests.Scenarios;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Xunit.Abstractions;

namespace Ocpp16.ChargePoint.Tests.Journal;

/// <summary>
/// Kill tests of the state of the Local Auth List, Reservation and Smart Charging modules: a charge point is stopped
/// dead before and after every storage write of a session of SendLocalList, ReserveNow (used by a transaction) and
/// SetChargingProfile/ClearChargingProfile (with the TxProfile of RemoteStartTransaction), then started again on the same
/// storage. Whatever the kill point, the state after the restart is one of the states between two of the Central
/// System's requests — never half of one — and never older than an answer the Central System received.
/// </summary>
public sealed class ProfileKillTests(ITestOutputHelper output)
{
    public enum Session
    {
        /// <summary>SendLocalList: Full v1 [A, B], Differential v2 [+C, −A], Differential v3 [B Blocked], Full v4 [].</summary>
        LocalList,

        /// <summary>ReserveNow 5 on connector 1, the reserved tag starts (reservationId 5, written with the start), stops.</summary>
        Reservation,

        /// <summary>SetChargingProfile 1 and 2, RemoteStart with TxProfile 3, SetChargingProfile 4 replacing 2, Clear 1, stop.</summary>
        SmartCharging,
    }

    public static TheoryData<Session> Sessions => new() { Session.LocalList, Session.Reservation, Session.SmartCharging };

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task EveryKillPoint_LeavesTheStateOfOneRequestOrTheNext_NeverHalfOfOne(Session session)
    {
        var (writes, _) = await RunAsync(session, new Crash(), null, null);
        output.WriteLine($"{session}: {writes} storage writes");
        Assert.True(writes >= 4, $"{writes} writes");
        for (var n = 1; n <= writes; n++)
        {
            await RunAsync(session, new Crash(), dieBeforeWrite: n, dieAfterWrite: null);
            await RunAsync(session, new Crash(), dieBeforeWrite: null, dieAfterWrite: n);
        }

        output.WriteLine($"{session}: {writes * 2} kill points checked");
    }

    private async Task<(int Writes, string? Point)> RunAsync(Session session, Crash crash, int? dieBeforeWrite, int? dieAfterWrite)
    {
        var inner = new InMemoryChargePointStorage();
        var storage = new CrashableStorage(inner, crash) { DieBeforeWrite = dieBeforeWrite, DieAfterWrite = dieAfterWrite };
        var plan = dieBeforeWrite is { } b ? $"die before write {b}" : dieAfterWrite is { } a ? $"die after write {a}" : "no crash";
        await using var rig = await Rig.StartAsync(setup: cs => cs.WrapTransport = t => crash.IsDead ? t : new CrashableTransport(t, crash, null), storage: storage);
        var answered = new List<string>(); // the answers the Central System received, in order
        var deathCheck = (string?)null;
        crash.Died += () =>
        {
            rig.Cs.Unreachable = true;
            deathCheck = CheckAtDeath(session, inner);
        };

        try
        {
            await PlayAsync(rig, session, answered);
        }
        catch (Exception e) when (crash.IsDead)
        {
            output.WriteLine($"{plan}: the session ended with the crash ({e.GetType().Name})");
        }

        if (crash.IsDead)
        {
            Assert.True(deathCheck is null, $"{session} {plan} ({crash.Point}): {deathCheck}");
            await rig.RestartAsync(inner, beforeStart: () => rig.Cs.Unreachable = false);
            await rig.AdvanceAsync(30, stepSeconds: 5);
        }
        else
        {
            Assert.True(dieBeforeWrite is null && dieAfterWrite is null, $"{plan}: the kill point was never reached");
        }

        await CheckAsync(rig, session, answered, $"{session} {plan} ({crash.Point ?? "clean"}); answers: {string.Join(", ", answered)}");
        return (crash.Writes, crash.Point);
    }

    // ------------------------------------------------------------------ the sessions

    private static async Task PlayAsync(Rig rig, Session session, List<string> answered)
    {
        switch (session)
        {
            case Session.LocalList:
                foreach (var request in LocalLists)
                {
                    var status = (await rig.Cs.CallAsync(request)).Status;
                    Assert.Equal(UpdateStatus.Accepted, status);
                    answered.Add($"v{request.ListVersion}");
                }

                break;
            case Session.Reservation:
                Assert.Equal(ReservationStatus.Accepted, (await rig.Cs.CallAsync(new ReserveNowRequest { ReservationId = 5, ConnectorId = 1, IdTag = "TAG-R", ExpiryDate = rig.Time.GetUtcNow().AddHours(1) })).Status);
                answered.Add("reserved");
                rig.Hardware.RfidReader.Present("TAG-R");
                await rig.SettleAsync();
                rig.Hardware.Connector(1).Plug();
                await rig.AdvanceAsync(5);
                rig.Hardware.RfidReader.Present("TAG-R");
                await rig.SettleAsync();
                rig.Hardware.Connector(1).Unplug();
                await rig.AdvanceAsync(3);
                break;
            case Session.SmartCharging:
                await SetAsync(rig, 0, CpMax(1), answered, "set 1");
                await SetAsync(rig, 1, TxDefault(2, 16m), answered, "set 2");
                rig.Hardware.Connector(1).Plug();
                await rig.SettleAsync();
                Assert.Equal(RemoteStartStopStatus.Accepted, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "TAG-S", ConnectorId = 1, ChargingProfile = TxProfile(3) })).Status);
                await rig.AdvanceAsync(5);
                await SetAsync(rig, 1, TxDefault(4, 10m), answered, "set 4");
                Assert.Equal(ClearChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { Id = 1 })).Status);
                answered.Add("clear 1");
                rig.Hardware.RfidReader.Present("TAG-S");
                await rig.AdvanceAsync(3);
                break;
        }
    }

    private static readonly SendLocalListRequest[] LocalLists =
    [
        LocalAuthListScenarioTests.Full(1, LocalAuthListScenarioTests.Entry("A"), LocalAuthListScenarioTests.Entry("B")),
        LocalAuthListScenarioTests.Differential(2, LocalAuthListScenarioTests.Entry("C"), LocalAuthListScenarioTests.Removal("A")),
        LocalAuthListScenarioTests.Differential(3, LocalAuthListScenarioTests.Entry("B", AuthorizationStatus.Blocked)),
        LocalAuthListScenarioTests.Full(4),
    ];

    /// <summary>The list after each version (version 0: empty).</summary>
    private static readonly Dictionary<int, string> ListStates = new()
    {
        [0] = "",
        [1] = "A:Accepted,B:Accepted",
        [2] = "B:Accepted,C:Accepted",
        [3] = "B:Blocked,C:Accepted",
    };

    private static ChargingProfile CpMax(int id) => SmartChargingScenarioTests.Profile(id, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, [(0, 40m)]);

    private static ChargingProfile TxDefault(int id, decimal limit) => SmartChargingScenarioTests.Profile(id, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, [(0, limit)]);

    private static ChargingProfile TxProfile(int id) => SmartChargingScenarioTests.Profile(id, ChargingProfilePurposeType.TxProfile, 2, ChargingProfileKindType.Relative, [(0, 6m)]);

    private static async Task SetAsync(Rig rig, int connectorId, ChargingProfile profile, List<string> answered, string step)
    {
        Assert.Equal(ChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new SetChargingProfileRequest { ConnectorId = connectorId, CsChargingProfiles = profile })).Status);
        answered.Add(step);
    }

    /// <summary>The installed profile ids after each step of the Smart Charging session, the TxProfile left out (a restart ends its transaction).</summary>
    private static readonly string[][] ProfileStates = [[], ["1"], ["1", "2"], ["1", "4"], ["4"]];

    // ------------------------------------------------------------------ the invariants

    /// <summary>What must hold in the storage at the moment of the crash.</summary>
    private static string? CheckAtDeath(Session session, InMemoryChargePointStorage inner)
    {
        if (session != Session.SmartCharging)
        {
            return null;
        }

        // The TxProfile of RemoteStartTransaction is written with the start: a running journaled transaction has it.
        var running = inner.Load("tx").Any(r => !JsonDocument.Parse(r.Value).RootElement.TryGetProperty("stopped", out var stopped) || !stopped.GetBoolean());
        var txProfile = inner.Load(SmartChargingProfile.Collection).Any(r => r.Key == "3");
        return running && !txProfile ? "a transaction started by RemoteStartTransaction was journaled without its TxProfile" : null;
    }

    private static async Task CheckAsync(Rig rig, Session session, List<string> answered, string text)
    {
        switch (session)
        {
            case Session.LocalList:
            {
                // The stored version says which update was written last (v4 leaves an empty list, reported as version 0).
                var stored = rig.Storage.Load(LocalAuthorizationList.VersionCollection).Select(r => JsonSerializer.Deserialize<int>(r.Value)).DefaultIfEmpty(0).Single();
                var version = (await rig.Cs.CallAsync(new GetLocalListVersionRequest())).ListVersion;
                var list = rig.ChargePoint.Engine.Modules.OfType<LocalAuthListProfile>().Single().List;
                var entries = string.Join(",", list.Entries.Select(e => $"{e.Key}:{e.Value.Status}").Order(StringComparer.Ordinal));
                Assert.True(version == (stored == 4 ? 0 : stored) && ListStates[version] == entries, $"stored version {stored}, reported {version}, with [{entries}]: {text}");
                var lastAnswered = answered.Count == 0 ? 0 : int.Parse(answered[^1][1..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(stored >= lastAnswered, $"version {stored} is older than the answer for v{lastAnswered}: {text}");
                break;
            }

            case Session.Reservation:
            {
                var reservations = rig.ChargePoint.Engine.Modules.OfType<ReservationProfile>().Single().Reservations;
                var started = rig.Cs.CallsOf("StartTransaction").Where(c => c.Has("reservationId")).ToList();
                Assert.All(started, s => Assert.Equal(5, s.Int("reservationId")));
                Assert.False(reservations.Count > 0 && started.Count > 0, $"the reservation survived the transaction that used it: {text}");
                Assert.True(!answered.Contains("reserved") || reservations.Count > 0 || started.Count > 0, $"an accepted reservation was lost: {text}");
                var status = rig.ChargePoint.GetConnectorStatus(1);
                Assert.True(reservations.Count > 0 ? status is ChargePointStatus.Reserved or ChargePointStatus.Preparing : status != ChargePointStatus.Reserved, $"connector 1 {status} with {reservations.Count} reservations: {text}");
                Assert.True(rig.Storage.Load(ReservationProfile.Collection).Count == reservations.Count, $"storage and memory differ: {text}");
                break;
            }

            case Session.SmartCharging:
            {
                var installed = rig.ChargePoint.Engine.Modules.OfType<SmartChargingProfile>().Single().Profiles.Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
                var state = Array.FindIndex(ProfileStates, s => s.SequenceEqual(installed));
                Assert.True(state >= 0, $"profiles [{string.Join(",", installed)}] are no state of the session: {text}");
                var reached = answered.Select(a => a switch { "set 1" => 1, "set 2" => 2, "set 4" => 3, "clear 1" => 4, _ => 0 }).DefaultIfEmpty(0).Max();
                Assert.True(state >= reached, $"state {state} is older than the answer of step {reached}: {text}");
                Assert.Equal(installed, rig.Storage.Load(SmartChargingProfile.Collection).Select(r => r.Key).Order().ToArray());
                break;
            }
        }
    }
}
