using Ocpp16.ChargePoint.Features.SmartCharging;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// Smart Charging (OCPP 1.6 §3.13, §5.5, §5.7, §5.16) after the OCA test tool's charge point cases TC_056 to TC_067 and
/// TC_072, on virtual time: profiles accepted and rejected, stacking, the composite schedule, clearing, the TxProfile of
/// RemoteStartTransaction, limits applied to the (simulated) power electronics at every period boundary, Current.Offered
/// and Power.Offered following them, SuspendedEVSE at 0, and persistence. The simulated DC station: 400 V, 1 phase,
/// 125 A (50 kW) per connector.
/// </summary>
public sealed class SmartChargingScenarioTests
{
    internal static ChargingProfile Profile(
        int id,
        ChargingProfilePurposeType purpose,
        int stackLevel,
        ChargingProfileKindType kind,
        (int Start, decimal Limit)[] periods,
        DateTimeOffset? startSchedule = null,
        int? duration = null,
        ChargingRateUnitType unit = ChargingRateUnitType.A,
        RecurrencyKindType? recurrency = null,
        DateTimeOffset? validFrom = null,
        DateTimeOffset? validTo = null,
        int? transactionId = null,
        decimal? minChargingRate = null) => new()
        {
            ChargingProfileId = id,
            StackLevel = stackLevel,
            ChargingProfilePurpose = purpose,
            ChargingProfileKind = kind,
            RecurrencyKind = recurrency,
            ValidFrom = validFrom,
            ValidTo = validTo,
            TransactionId = transactionId,
            ChargingSchedule = new ChargingSchedule
            {
                ChargingRateUnit = unit,
                StartSchedule = startSchedule,
                Duration = duration,
                MinChargingRate = minChargingRate,
                ChargingSchedulePeriod = [.. periods.Select(p => new ChargingSchedulePeriod { StartPeriod = p.Start, Limit = p.Limit })],
            },
        };

    private static async Task<ChargingProfileStatus> SetAsync(Rig rig, int connectorId, ChargingProfile profile)
    {
        var status = (await rig.Cs.CallAsync(new SetChargingProfileRequest { ConnectorId = connectorId, CsChargingProfiles = profile })).Status;
        await rig.SettleAsync();
        return status;
    }

    private static async Task<IReadOnlyList<(int Start, decimal Limit)>> CompositeAsync(Rig rig, int connectorId, int duration, ChargingRateUnitType? unit = null)
    {
        var answer = await rig.Cs.CallAsync(new GetCompositeScheduleRequest { ConnectorId = connectorId, Duration = duration, ChargingRateUnit = unit });
        Assert.Equal(GetCompositeScheduleStatus.Accepted, answer.Status);
        Assert.Equal(connectorId, answer.ConnectorId);
        var now = rig.Time.GetUtcNow();
        Assert.Equal(now, answer.ScheduleStart);
        Assert.Equal(now, answer.ChargingSchedule!.StartSchedule);
        Assert.Equal(duration, answer.ChargingSchedule.Duration);
        Assert.Equal(unit ?? ChargingRateUnitType.A, answer.ChargingSchedule.ChargingRateUnit);
        return [.. answer.ChargingSchedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit))];
    }

    private static decimal Offered(Rig rig, int connectorId) => rig.Hardware.Connector(connectorId).OfferedCurrentAmperes;

    private static IReadOnlyList<InstalledChargingProfile> Installed(Rig rig) => rig.ChargePoint.Engine.Modules.OfType<SmartChargingProfile>().Single().Profiles;

    private static (int, decimal)[] P(params (int, decimal)[] periods) => periods;

    [Fact]
    public async Task TC_056_CS_TxDefaultProfile_AppliesToNewTransactions_FromTheirStart_AndOfferedFollows()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "30");
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 6m), (60, 8m)))));
        await rig.AdvanceAsync(100);
        await rig.StartTransactionAsync("TAG", 1);

        // Relative: from the start of the transaction, not of the profile.
        Assert.Equal(6m, Offered(rig, 1));
        await rig.AdvanceAsync(59);
        Assert.Equal(6m, Offered(rig, 1));
        await rig.AdvanceAsync(1);
        Assert.Equal(8m, Offered(rig, 1));

        await rig.AdvanceAsync(30);

        // The samples at 30 s and 90 s (the one at 60 s is taken at the boundary itself).
        var samples = rig.Cs.CallsOf("MeterValues").Select(m => m.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray()
            .ToDictionary(v => v.GetProperty("measurand").GetString()!, v => decimal.Parse(v.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(3, samples.Count);
        Assert.Equal((6m, 2400m), (samples[0]["Current.Offered"], samples[0]["Power.Offered"]));
        Assert.Equal((8m, 3200m), (samples[2]["Current.Offered"], samples[2]["Power.Offered"]));
        Assert.Equal([(0, 8m)], await CompositeAsync(rig, 1, 600));
    }

    [Fact]
    public async Task TC_057_CS_TxProfile_OnARunningTransaction_IsFollowedAtEveryPeriodBoundary()
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync("TAG", 1);
        Assert.Equal(125m, Offered(rig, 1));
        var now = rig.Time.GetUtcNow();
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 1, Profile(
            2, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Absolute, P((0, 10m), (120, 16m)),
            startSchedule: now, duration: 300, validFrom: now, validTo: now.AddHours(1), transactionId: transactionId)));
        Assert.Equal(10m, Offered(rig, 1));
        Assert.Equal(125m, Offered(rig, 2));
        Assert.Equal([(0, 10m), (120, 16m), (300, 125m)], await CompositeAsync(rig, 1, 400));
        await rig.AdvanceAsync(120, stepSeconds: 30);
        Assert.Equal(16m, Offered(rig, 1));
        await rig.AdvanceAsync(180, stepSeconds: 30);
        Assert.Equal(125m, Offered(rig, 1));
    }

    [Fact]
    public async Task TC_058_1_CS_TxProfile_WithoutATransaction_And_TC_058_2_CS_WithAnotherTransactionId_AreRejected()
    {
        await using var rig = await Rig.StartAsync();
        // TC_058_1: no transaction on the connector (with and without a transactionId in the profile).
        Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, 1, Profile(3, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))));
        var profile = Profile(3, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), transactionId: 42);
        Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, 1, profile));
        var transactionId = await rig.StartTransactionAsync("TAG", 1);
        Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, 1, profile));
        Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, 2, Profile(3, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), transactionId: transactionId)));
        Assert.Empty(Installed(rig));
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 1, Profile(3, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), transactionId: transactionId)));
    }

    [Fact]
    public async Task TC_059_CS_RemoteStartTransaction_WithChargingProfile_IsFollowed_AndEndsWithTheTransaction()
    {
        await using var rig = await Rig.StartAsync();
        rig.Hardware.Connector(1).Plug();
        var txProfile = Profile(4, ChargingProfilePurposeType.TxProfile, 1, ChargingProfileKindType.Relative, P((0, 12m), (300, 20m)));
        Assert.Equal(RemoteStartStopStatus.Accepted, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE", ConnectorId = 1, ChargingProfile = txProfile })).Status);
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));
        Assert.Equal(12m, Offered(rig, 1));
        Assert.Equal([(0, 12m), (300, 20m)], await CompositeAsync(rig, 1, 600));
        Assert.Equal(4, Assert.Single(Installed(rig)).Id);

        rig.Hardware.RfidReader.Present("REMOTE");
        await rig.SettleAsync();
        Assert.Empty(Installed(rig));
        Assert.Empty(rig.Storage.Load(SmartChargingProfile.Collection));
        Assert.Equal([(0, 125m)], await CompositeAsync(rig, 1, 600));
    }

    [Fact]
    public async Task TC_060_CS_RemoteStartTransaction_WithAChargingProfileItCannotInstall_IsRejected()
    {
        await using var rig = await Rig.StartAsync();
        rig.Hardware.Connector(1).Plug();
        foreach (var bad in new[]
        {
            Profile(5, ChargingProfilePurposeType.TxProfile, 6, ChargingProfileKindType.Relative, P((0, 12m))), // above ChargeProfileMaxStackLevel
            Profile(5, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 5000m)), unit: ChargingRateUnitType.W), // W not allowed
            Profile(5, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 12m)), transactionId: 7), // no transactionId yet
            Profile(5, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 12m))),
        })
        {
            Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "REMOTE", ConnectorId = 1, ChargingProfile = bad })).Status);
        }

        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("StartTransaction"));
    }

    [Fact]
    public async Task TC_066_CS_GetCompositeSchedule_ChargePointMax_TxDefault_TxProfile()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ChargingScheduleAllowedChargingRateUnit"] = "Current,Power");
        var transactionId = await rig.StartTransactionAsync("TAG", 1);
        var now = rig.Time.GetUtcNow();
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(10, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Absolute, P((0, 10m)), startSchedule: now.AddSeconds(-1), duration: 86_400)));
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 1, Profile(11, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Absolute, P((0, 6m), (50, 12m), (100, 8m)), startSchedule: now, duration: 400)));
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 1, Profile(12, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Absolute, P((0, 7m), (200, 9m)), startSchedule: now, duration: 250, transactionId: transactionId)));

        Assert.Equal([(0, 7m), (200, 9m), (250, 8m), (400, 10m)], await CompositeAsync(rig, 1, 500));

        // In W: A × 400 V × 1 phase (DC).
        Assert.Equal([(0, 2800m), (200, 3600m), (250, 3200m), (400, 4000m)], await CompositeAsync(rig, 1, 500, ChargingRateUnitType.W));

        // Connector 2: the station limit only; connector 0: the station total (ChargePointMax below the sum).
        Assert.Equal([(0, 10m)], await CompositeAsync(rig, 2, 500));
        Assert.Equal([(0, 10m)], await CompositeAsync(rig, 0, 500));

        // Unknown connector, duration 0 and (with A only) W are Rejected.
        Assert.Equal(GetCompositeScheduleStatus.Rejected, (await rig.Cs.CallAsync(new GetCompositeScheduleRequest { ConnectorId = 3, Duration = 60 })).Status);
        Assert.Equal(GetCompositeScheduleStatus.Rejected, (await rig.Cs.CallAsync(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 0 })).Status);

        // A duration of years is answered for the first 31 days, and says so.
        var far = await rig.Cs.CallAsync(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = int.MaxValue });
        Assert.Equal(GetCompositeScheduleStatus.Accepted, far.Status);
        Assert.Equal(31 * 86_400, far.ChargingSchedule!.Duration);
    }

    [Fact]
    public async Task TC_066_CS_GetCompositeSchedule_InW_IsRejected_WhenOnlyCurrentIsAllowed_AndTheStationTotalSumsTheConnectors()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(GetCompositeScheduleStatus.Rejected, (await rig.Cs.CallAsync(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 60, ChargingRateUnit = ChargingRateUnitType.W })).Status);
        await SetAsync(rig, 0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 16m), (60, 32m))));
        Assert.Equal([(0, 32m), (60, 64m)], await CompositeAsync(rig, 0, 120));
        await SetAsync(rig, 0, Profile(2, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 40m))));
        Assert.Equal([(0, 32m), (60, 40m)], await CompositeAsync(rig, 0, 120));
    }

    [Fact]
    public async Task TC_067_CS_ClearChargingProfile_ById_ByCriteria_AndAll_UnknownWhenNothingMatches()
    {
        await using var rig = await Rig.StartAsync();
        await SetAsync(rig, 1, Profile(21, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, P((0, 6m), (60, 8m), (200, 10m)), duration: 400));
        await SetAsync(rig, 1, Profile(22, ChargingProfilePurposeType.TxDefaultProfile, 2, ChargingProfileKindType.Relative, P((0, 5m))));
        await SetAsync(rig, 0, Profile(23, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 20m))));
        await SetAsync(rig, 2, Profile(24, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, P((0, 7m))));
        Assert.Equal([(0, 5m)], await CompositeAsync(rig, 1, 400));

        Assert.Equal(ClearChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { Id = 22, StackLevel = 99 })).Status);
        Assert.Equal([(0, 6m), (60, 8m), (200, 10m), (400, 20m)], await CompositeAsync(rig, 1, 500));

        Assert.Equal(ClearChargingProfileStatus.Unknown, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { Id = 22 })).Status);
        Assert.Equal(ClearChargingProfileStatus.Unknown, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { ConnectorId = 1, ChargingProfilePurpose = ChargingProfilePurposeType.TxDefaultProfile, StackLevel = 2 })).Status);
        Assert.Equal(ClearChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { ConnectorId = 1, ChargingProfilePurpose = ChargingProfilePurposeType.TxDefaultProfile, StackLevel = 1 })).Status);
        Assert.Equal([23, 24], Installed(rig).Select(p => p.Id).Order());
        Assert.Equal(ClearChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new ClearChargingProfileRequest { ChargingProfilePurpose = ChargingProfilePurposeType.ChargePointMaxProfile })).Status);
        Assert.Equal([(0, 125m)], await CompositeAsync(rig, 1, 500));

        Assert.Equal(ClearChargingProfileStatus.Accepted, (await rig.Cs.CallAsync(new ClearChargingProfileRequest())).Status);
        Assert.Empty(Installed(rig));
        Assert.Empty(rig.Storage.Load(SmartChargingProfile.Collection));
        Assert.Equal(ClearChargingProfileStatus.Unknown, (await rig.Cs.CallAsync(new ClearChargingProfileRequest())).Status);
    }

    [Fact]
    public async Task TC_072_CS_StackingChargingProfiles_TheHigherStackLevelPrevails_WhileItsScheduleRuns()
    {
        await using var rig = await Rig.StartAsync();
        var now = rig.Time.GetUtcNow();
        await SetAsync(rig, 1, Profile(31, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Absolute, P((0, 6m), (100, 8m), (200, 10m)), startSchedule: now, duration: 400, validFrom: now, validTo: now.AddSeconds(401)));
        await SetAsync(rig, 1, Profile(32, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Absolute, P((0, 5m), (100, 7m)), startSchedule: now, duration: 150, validFrom: now, validTo: now.AddSeconds(401)));
        Assert.Equal([(0, 5m), (100, 7m), (150, 8m), (200, 10m), (400, 125m)], await CompositeAsync(rig, 1, 500));

        // A TxDefaultProfile of connector 0 at the same stackLevel as the connector's own one yields to it.
        await SetAsync(rig, 0, Profile(33, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Absolute, P((0, 4m)), startSchedule: now, duration: 300));
        Assert.Equal([(0, 5m), (100, 7m), (150, 4m), (300, 10m), (400, 125m)], await CompositeAsync(rig, 1, 500));
        Assert.Equal([(0, 4m), (300, 125m)], await CompositeAsync(rig, 2, 500));
    }

    [Fact]
    public async Task SetChargingProfile_Rejected_BeyondEveryDeclaredLimit_AndForInvalidProfiles()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MaxChargingProfilesInstalled"] = "2");
        var now = rig.Time.GetUtcNow();
        var periods25 = Enumerable.Range(0, 25).Select(i => (i * 60, 10m)).ToArray();
        var rejected = new (int ConnectorId, ChargingProfile Profile)[]
        {
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 6, ChargingProfileKindType.Relative, P((0, 10m)))), // ChargeProfileMaxStackLevel 5
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, -1, ChargingProfileKindType.Relative, P((0, 10m)))),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, periods25)), // ChargingScheduleMaxPeriods 24
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, [])),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 4000m)), unit: ChargingRateUnitType.W)), // Current only
            (1, Profile(1, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))), // connector 0 only
            (3, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))), // no such connector
            (0, Profile(1, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), transactionId: 1)),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((10, 10m)))), // not from 0
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 10m), (60, 8m), (60, 6m)))), // not ascending
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, -1m)))),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), duration: 0)),
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Recurring, P((0, 10m)), startSchedule: now)), // no recurrencyKind
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Recurring, P((0, 10m)), recurrency: RecurrencyKindType.Daily)), // no startSchedule
            (0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), validFrom: now, validTo: now)),
        };
        foreach (var (connectorId, profile) in rejected)
        {
            Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, connectorId, profile));
        }

        Assert.Empty(Installed(rig));

        // MaxChargingProfilesInstalled 2: a third is Rejected, a replacement is not.
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(1, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, Enumerable.Range(0, 24).Select(i => (i * 60, 10m + i)).ToArray())));
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(2, ChargingProfilePurposeType.TxDefaultProfile, 5, ChargingProfileKindType.Relative, P((0, 10m)))));
        Assert.Equal(ChargingProfileStatus.Rejected, await SetAsync(rig, 0, Profile(3, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))));
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(2, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)))));
        Assert.Equal([1, 2], Installed(rig).Select(p => p.Id).Order());
    }

    [Fact]
    public async Task SetChargingProfile_ReplacesTheSameId_AndTheSameStackLevelAndPurposeOnTheSameConnector()
    {
        await using var rig = await Rig.StartAsync();
        await SetAsync(rig, 1, Profile(41, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, P((0, 10m))));
        await SetAsync(rig, 2, Profile(42, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, P((0, 11m))));
        Assert.Equal(2, Installed(rig).Count); // other connector: both stay

        await SetAsync(rig, 1, Profile(43, ChargingProfilePurposeType.TxDefaultProfile, 1, ChargingProfileKindType.Relative, P((0, 12m))));
        Assert.Equal([42, 43], Installed(rig).Select(p => p.Id).Order());

        await SetAsync(rig, 1, Profile(42, ChargingProfilePurposeType.TxDefaultProfile, 3, ChargingProfileKindType.Relative, P((0, 13m))));
        Assert.Equal([(42, 1), (43, 1)], Installed(rig).Select(p => (p.Id, p.ConnectorId)).Order());
        Assert.Equal([(0, 13m)], await CompositeAsync(rig, 1, 60));
        Assert.Equal([(0, 125m)], await CompositeAsync(rig, 2, 60));
        Assert.Equal(["42", "43"], rig.Storage.Load(SmartChargingProfile.Collection).Select(r => r.Key).Order());
    }

    [Fact]
    public async Task ValidFromAndValidTo_TheLimitChangesAtThoseInstants()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync("TAG", 1);
        var now = rig.Time.GetUtcNow();
        await SetAsync(rig, 0, Profile(51, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Absolute, P((0, 20m)), startSchedule: now, validFrom: now.AddSeconds(30), validTo: now.AddSeconds(90)));
        Assert.Equal(125m, Offered(rig, 1));
        await rig.AdvanceAsync(29);
        Assert.Equal(125m, Offered(rig, 1));
        await rig.AdvanceAsync(1);
        Assert.Equal(20m, Offered(rig, 1));
        await rig.AdvanceAsync(59);
        Assert.Equal(20m, Offered(rig, 1));
        await rig.AdvanceAsync(1);
        Assert.Equal(125m, Offered(rig, 1));
    }

    [Fact]
    public async Task RecurringDaily_AcrossMidnight_TheLimitIsAppliedAtEachBoundary()
    {
        // The rig starts at 2026-12-02T08:00Z. A daily night limit from 22:00 to 06:00, 32 A by day.
        await using var rig = await Rig.StartAsync();
        await rig.StartTransactionAsync("TAG", 1);
        var start = new DateTimeOffset(2026, 12, 1, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(ChargingProfileStatus.Accepted, await SetAsync(rig, 0, Profile(61, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Recurring, P((0, 16m), (8 * 3600, 32m)), startSchedule: start, recurrency: RecurrencyKindType.Daily)));
        Assert.Equal(32m, Offered(rig, 1));
        Assert.Equal([(0, 32m), (14 * 3600, 16m), (22 * 3600, 32m)], await CompositeAsync(rig, 1, 86_400));

        await rig.AdvanceAsync(TimeSpan.FromHours(14) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)); // 21:59:59
        Assert.Equal(32m, Offered(rig, 1));
        await rig.AdvanceAsync(1);
        Assert.Equal(16m, Offered(rig, 1));
        await rig.AdvanceAsync(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)); // 05:59:59 the next day
        Assert.Equal(16m, Offered(rig, 1));
        await rig.AdvanceAsync(1);
        Assert.Equal(32m, Offered(rig, 1));
    }

    [Fact]
    public async Task ALimitOfZero_IsSuspendedEVSE_WithNoOfferedPower_UntilTheLimitRises()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["MeterValueSampleInterval"] = "10");
        var transactionId = await rig.StartTransactionAsync("TAG", 1);
        var from = rig.Cs.Calls.Count;
        await SetAsync(rig, 1, Profile(71, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 0m), (60, 16m)), transactionId: transactionId));
        Assert.Equal(ChargePointStatus.SuspendedEVSE, rig.ChargePoint.GetConnectorStatus(1));
        await rig.AdvanceAsync(59);
        Assert.Equal(ChargePointStatus.SuspendedEVSE, rig.ChargePoint.GetConnectorStatus(1));
        await rig.AdvanceAsync(11);
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(["StatusNotification:1:SuspendedEVSE", "StatusNotification:1:Charging"], rig.Trace(from).Where(a => a.StartsWith("StatusNotification", StringComparison.Ordinal)));

        // Samples every 10 s: none offered before 60 s, 16 A × 400 V after (the one at 60 s is taken at the boundary itself).
        var offered = rig.Cs.Calls.Skip(from).Where(c => c.Action == "MeterValues")
            .Select(m => m.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray().Single(v => v.GetProperty("measurand").GetString() == "Power.Offered").GetProperty("value").GetString()).ToList();
        Assert.Equal(7, offered.Count);
        Assert.Equal(["0", "0", "0", "0", "0"], offered[..5]);
        Assert.Equal("6400", offered[6]);
    }

    [Fact]
    public async Task AWattProfile_IsConvertedWithTheStationsVoltageAndPhases_WhenBothUnitsAreAllowed()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ChargingScheduleAllowedChargingRateUnit"] = "Current,Power");
        await rig.StartTransactionAsync("TAG", 1);
        await SetAsync(rig, 1, Profile(81, ChargingProfilePurposeType.TxDefaultProfile, 0, ChargingProfileKindType.Relative, P((0, 4000m), (60, 10_001m)), unit: ChargingRateUnitType.W));
        Assert.Equal(10m, Offered(rig, 1)); // 4000 W / 400 V
        await SetAsync(rig, 0, Profile(82, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Relative, P((0, 8m))));
        Assert.Equal(8m, Offered(rig, 1));
        Assert.Equal([(0, 3200m)], await CompositeAsync(rig, 1, 30, ChargingRateUnitType.W));
        await rig.Cs.CallAsync(new ClearChargingProfileRequest { Id = 82 });
        Assert.Equal([(0, 10m), (60, 25m)], await CompositeAsync(rig, 1, 120)); // 10001 W / 400 V = 25.0025, rounded down
    }

    [Fact]
    public async Task Profiles_SurviveARestart_ATxProfileOfATransactionEndedByThePowerLoss_IsDropped()
    {
        await using var rig = await Rig.StartAsync();
        var transactionId = await rig.StartTransactionAsync("TAG", 1);
        await SetAsync(rig, 0, Profile(91, ChargingProfilePurposeType.ChargePointMaxProfile, 0, ChargingProfileKindType.Absolute, P((0, 30m)), startSchedule: rig.Time.GetUtcNow()));
        await SetAsync(rig, 1, Profile(92, ChargingProfilePurposeType.TxDefaultProfile, 2, ChargingProfileKindType.Relative, P((0, 20m), (600, 24m))));
        await SetAsync(rig, 1, Profile(93, ChargingProfilePurposeType.TxProfile, 0, ChargingProfileKindType.Relative, P((0, 10m)), transactionId: transactionId));
        Assert.Equal(10m, Offered(rig, 1));

        await rig.RestartAsync();
        Assert.Equal([91, 92], Installed(rig).Select(p => p.Id).Order());
        Assert.Equal(["91", "92"], rig.Storage.Load(SmartChargingProfile.Collection).Select(r => r.Key).Order());
        Assert.Equal([(0, 20m), (600, 24m)], await CompositeAsync(rig, 1, 700));
        rig.Hardware.Connector(1).Unplug();
        await rig.StartTransactionAsync("TAG", 1);
        Assert.Equal(20m, Offered(rig, 1));
    }
}
