using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>The building blocks: idTag evaluation, durable transaction ids, charging profiles, the local list plan.</summary>
public sealed class ToolkitTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IdTagEvaluation_CoversUnknown_Blocked_Expiry_BlockedParent_AndConcurrentTx()
    {
        var accepted = new IdTagRecord("A", AuthorizationStatus.Accepted, Now.AddDays(1), "GROUP");
        Assert.Equal(AuthorizationStatus.Invalid, IdTagEvaluator.Evaluate(null, null, IdTagUse.Authorize, 0, Now).Status);
        Assert.Equal(AuthorizationStatus.Blocked, IdTagEvaluator.Evaluate(accepted with { Status = AuthorizationStatus.Blocked }, null, IdTagUse.Authorize, 0, Now).Status);
        Assert.Equal(AuthorizationStatus.Expired, IdTagEvaluator.Evaluate(accepted with { ExpiryDate = Now }, null, IdTagUse.Authorize, 0, Now).Status);
        Assert.Equal(AuthorizationStatus.Blocked, IdTagEvaluator.Evaluate(accepted, new IdTagRecord("GROUP", AuthorizationStatus.Blocked), IdTagUse.Authorize, 0, Now).Status);
        Assert.Equal(AuthorizationStatus.ConcurrentTx, IdTagEvaluator.Evaluate(accepted, null, IdTagUse.StartTransaction, 1, Now).Status);
        Assert.Equal(AuthorizationStatus.Accepted, IdTagEvaluator.Evaluate(accepted, null, IdTagUse.StopTransaction, 1, Now).Status);
        Assert.Equal(AuthorizationStatus.Accepted, IdTagEvaluator.Evaluate(accepted with { AllowConcurrentTransactions = true }, null, IdTagUse.StartTransaction, 3, Now).Status);

        var info = IdTagEvaluator.Evaluate(accepted, new IdTagRecord("GROUP", AuthorizationStatus.Accepted), IdTagUse.Authorize, 0, Now);
        Assert.Equal(AuthorizationStatus.Accepted, info.Status);
        Assert.Equal(Now.AddDays(1), info.ExpiryDate);
        Assert.Equal("GROUP", info.ParentIdTag);
    }

    [Fact]
    public async Task IdTagEvaluator_CountsRunningTransactionsFromTheStore()
    {
        var store = new InMemoryIdTagStore();
        store.Set(new IdTagRecord("A", AuthorizationStatus.Accepted));
        var evaluator = new IdTagEvaluator(store);
        Assert.Equal(AuthorizationStatus.Accepted, (await evaluator.EvaluateAsync("A", IdTagUse.StartTransaction, CancellationToken.None)).Status);
        store.TransactionStarted("A");
        Assert.Equal(AuthorizationStatus.ConcurrentTx, (await evaluator.EvaluateAsync("A", IdTagUse.Authorize, CancellationToken.None)).Status);
        store.TransactionStopped("A");
        Assert.Equal(AuthorizationStatus.Accepted, (await evaluator.EvaluateAsync("A", IdTagUse.Authorize, CancellationToken.None)).Status);
        Assert.Equal(AuthorizationStatus.Invalid, (await evaluator.EvaluateAsync("B", IdTagUse.Authorize, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task FileTransactionIds_AreNeverReusedAcrossRestarts()
    {
        var path = Path.Combine(Path.GetTempPath(), "ocpp16-txid-" + Guid.NewGuid().ToString("N"), "txid");
        try
        {
            List<int> ids = [];
            using (var first = new FileTransactionIdAllocator(path, blockSize: 10))
            {
                for (var i = 0; i < 3; i++)
                {
                    ids.Add(await first.NextAsync(CancellationToken.None));
                }
            }

            using (var second = new FileTransactionIdAllocator(path, blockSize: 10))
            {
                for (var i = 0; i < 12; i++)
                {
                    ids.Add(await second.NextAsync(CancellationToken.None));
                }
            }

            using var third = new FileTransactionIdAllocator(path, blockSize: 10);
            ids.Add(await third.NextAsync(CancellationToken.None));

            Assert.Equal([1, 2, 3], ids[..3]);
            Assert.Equal(11, ids[3]);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.True(ids.Zip(ids.Skip(1)).All(p => p.Second > p.First), "ids increase");
            Assert.Equal(31, ids[^1]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void ChargingProfileBuilder_BuildsAValidProfile_AndTheValidatorChecksTheStationsDeclaredLimits()
    {
        var profile = new ChargingProfileBuilder(7, ChargingProfilePurposeType.TxDefaultProfile, stackLevel: 3)
            .Recurring(RecurrencyKindType.Daily, Now.Date)
            .Limit(TimeSpan.Zero, 32)
            .Limit(TimeSpan.FromHours(18), 16.5m, numberPhases: 3)
            .Build();
        Assert.Equal(ChargingProfileKindType.Recurring, profile.ChargingProfileKind);
        Assert.Equal(2, profile.ChargingSchedule.ChargingSchedulePeriod.Count);
        Assert.Equal(64800, profile.ChargingSchedule.ChargingSchedulePeriod[1].StartPeriod);
        Assert.True(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = profile }.TryValidate(null, out _));

        // The EVSIS DC station: stack level 5, 24 periods, amperes only.
        var evsis = new SmartChargingCapabilities(5, 24, new HashSet<ChargingRateUnitType> { ChargingRateUnitType.A });
        Assert.Empty(ChargingProfileValidator.Validate(profile, 1, evsis));
        var tooHigh = new ChargingProfileBuilder(8, ChargingProfilePurposeType.TxDefaultProfile, stackLevel: 6).RateUnit(ChargingRateUnitType.W).Limit(TimeSpan.Zero, 11000).Build();
        var problems = ChargingProfileValidator.Validate(tooHigh, 1, evsis);
        Assert.Contains(problems, p => p.Contains("ChargeProfileMaxStackLevel 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ChargingScheduleAllowedChargingRateUnit", StringComparison.Ordinal));

        var shapeErrors = ChargingProfileValidator.Validate(
            new ChargingProfile
            {
                ChargingProfileId = 1,
                StackLevel = 0,
                ChargingProfilePurpose = ChargingProfilePurposeType.ChargePointMaxProfile,
                ChargingProfileKind = ChargingProfileKindType.Relative,
                ChargingSchedule = new ChargingSchedule
                {
                    ChargingRateUnit = ChargingRateUnitType.A,
                    StartSchedule = Now,
                    ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 60, Limit = 6.25m }, new ChargingSchedulePeriod { StartPeriod = 30, Limit = 6 }],
                },
            },
            connectorId: 1);
        Assert.Equal(5, shapeErrors.Count);
        Assert.Throws<InvalidOperationException>(() => new ChargingProfileBuilder(1, ChargingProfilePurposeType.TxProfile).Build(connectorId: 0));
    }

    [Fact]
    public void SmartChargingCapabilities_AreReadFromGetConfiguration()
    {
        var caps = SmartChargingCapabilities.FromConfiguration(new GetConfigurationResponse
        {
            ConfigurationKey =
            [
                new KeyValue { Key = "ChargeProfileMaxStackLevel", Readonly = true, Value = "5" },
                new KeyValue { Key = "ChargingScheduleMaxPeriods", Readonly = true, Value = "24" },
                new KeyValue { Key = "ChargingScheduleAllowedChargingRateUnit", Readonly = true, Value = "Current" },
            ],
        });
        Assert.Equal(5, caps.MaxStackLevel);
        Assert.Equal(24, caps.MaxPeriods);
        Assert.Equal([ChargingRateUnitType.A], caps.AllowedRateUnits);
        Assert.Null(caps.MaxProfilesInstalled);
    }

    [Fact]
    public void LocalListPlan_FullWhenUnknown_SplitToMaxLength_DifferentialWhenSmaller_NothingWhenEqual()
    {
        static IdTagInfo Ok() => new() { Status = AuthorizationStatus.Accepted };
        var desired = Enumerable.Range(1, 5).ToDictionary(i => $"T{i}", _ => Ok());

        var full = LocalListManager.Plan(null, desired, maxEntriesPerMessage: 2);
        Assert.Equal([UpdateType.Full, UpdateType.Differential, UpdateType.Differential], full.Select(r => r.UpdateType));
        Assert.Equal([1, 2, 3], full.Select(r => r.ListVersion));
        Assert.Equal(5, full.Sum(r => r.LocalAuthorizationList!.Count));

        var current = new LocalListState(3, desired);
        Assert.Empty(LocalListManager.Plan(current, desired, 2));

        var changed = new Dictionary<string, IdTagInfo>(desired) { ["T6"] = Ok() };
        changed.Remove("T1");
        changed["T2"] = new IdTagInfo { Status = AuthorizationStatus.Blocked };
        var diff = Assert.Single(LocalListManager.Plan(current, changed, 10));
        Assert.Equal(UpdateType.Differential, diff.UpdateType);
        Assert.Equal(4, diff.ListVersion);
        Assert.Equal(["T2", "T6", "T1"], diff.LocalAuthorizationList!.Select(e => e.IdTag));
        Assert.Null(diff.LocalAuthorizationList![2].IdTagInfo);
        Assert.True(diff.TryValidate(null, out _));
    }
}
