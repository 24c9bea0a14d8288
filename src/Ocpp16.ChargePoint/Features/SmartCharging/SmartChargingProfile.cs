using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.SmartCharging;

/// <summary>
/// A ChargingProfile as stored (collection <c>chargingprofiles</c>, key = chargingProfileId): the connector, the local id
/// of the transaction of a TxProfile, when it was installed, and the SetChargingProfile.req payload (OCPP JSON).
/// </summary>
internal sealed record ChargingProfileRecord(int ConnectorId, int? LocalTransactionId, DateTimeOffset InstalledAt, string Request);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChargingProfileRecord))]
internal sealed partial class SmartChargingJsonContext : JsonSerializerContext;

/// <summary>The names and declarations of the Smart Charging keys (OCPP 1.6 §9.4).</summary>
internal static class SmartChargingKeys
{
    public const string ChargeProfileMaxStackLevel = nameof(ChargeProfileMaxStackLevel);
    public const string ChargingScheduleAllowedChargingRateUnit = nameof(ChargingScheduleAllowedChargingRateUnit);
    public const string ChargingScheduleMaxPeriods = nameof(ChargingScheduleMaxPeriods);
    public const string ConnectorSwitch3to1PhaseSupported = nameof(ConnectorSwitch3to1PhaseSupported);
    public const string MaxChargingProfilesInstalled = nameof(MaxChargingProfilesInstalled);

    /// <summary>The keys, with the reference DC station's values as defaults (rate unit A only, stack levels 0–5, 24 periods).</summary>
    public static IEnumerable<ConfigurationKeyDefinition> Declare()
    {
        const OcppFeatureProfile profile = OcppFeatureProfile.SmartCharging;
        yield return ReadOnlyInt(ChargeProfileMaxStackLevel, 5, "Highest stackLevel a ChargingProfile may have.");
        yield return new ConfigurationKeyDefinition
        {
            Name = ChargingScheduleAllowedChargingRateUnit, Type = ConfigurationKeyType.StringList, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "Current",
            Profile = profile, AllowedValues = ["Current", "Power"],
            Validate = value => value.Length > 0,
            Description = "The chargingRateUnits ChargingProfiles may use: Current (A), Power (W) or both; the first is the unit of the limits applied and of GetCompositeSchedule by default.",
        };
        yield return ReadOnlyInt(ChargingScheduleMaxPeriods, 24, "Most chargingSchedulePeriods a ChargingSchedule may have.");
        yield return new ConfigurationKeyDefinition
        {
            Name = ConnectorSwitch3to1PhaseSupported, Type = ConfigurationKeyType.Boolean, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "false", Profile = profile,
            Description = "The charge point can switch from 3 phases to 1 during a transaction.",
        };
        yield return ReadOnlyInt(MaxChargingProfilesInstalled, 20, "Most ChargingProfiles installed at a time.");

        static ConfigurationKeyDefinition ReadOnlyInt(string name, int value, string description) => new()
        {
            Name = name, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = value.ToString(CultureInfo.InvariantCulture),
            Profile = profile, Minimum = 0, Description = description,
        };
    }
}

/// <summary>
/// The Smart Charging profile (OCPP 1.6 §3.13, §5.5, §5.7, §5.16): SetChargingProfile, ClearChargingProfile and
/// GetCompositeSchedule, the TxProfile of RemoteStartTransaction, and the charging limits the engine pushes to the
/// hardware (<see cref="IChargingLimitSource"/>: a connector's composite limit, and the station's ChargePointMaxProfile
/// for connector 0, in the first allowed unit). Every profile installed or cleared is one atomic write (collection
/// <c>chargingprofiles</c>); the TxProfile of RemoteStartTransaction is written with the transaction's start; a
/// transaction's TxProfiles are dropped when it ends (also when it is found ended after a restart).
/// </summary>
internal sealed class SmartChargingProfile : FeatureModule, IChargingLimitSource, ITransactionObserver, IRemoteStartChargingProfiles
{
    /// <summary>The storage collection.</summary>
    public const string Collection = "chargingprofiles";

    private static readonly OcppValidationOptions StoredPayload = new() { TolerateMultipleOf = true };

    private readonly List<InstalledChargingProfile> _profiles = [];
    private readonly Dictionary<int, (InstalledChargingProfile Profile, List<InstalledChargingProfile> Replaced)> _pendingTxProfiles = [];

    public SmartChargingProfile(ChargePointEngine engine)
        : base(engine)
    {
        engine.ChargingLimits.AddSource(this);
        engine.AddTransactionObserver(this);
        engine.RemoteStartProfiles = this;
    }

    /// <inheritdoc/>
    public event Action? Changed;

    public override OcppFeatureProfile Profile => OcppFeatureProfile.SmartCharging;

    public override IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys => SmartChargingKeys.Declare();

    /// <summary>The installed profiles.</summary>
    public IReadOnlyList<InstalledChargingProfile> Profiles => _profiles;

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<SetChargingProfileRequest, SetChargingProfileResponse>(OnSetChargingProfileAsync);
        router.Register<ClearChargingProfileRequest, ClearChargingProfileResponse>(OnClearChargingProfileAsync);
        router.Register<GetCompositeScheduleRequest, GetCompositeScheduleResponse>(OnGetCompositeScheduleAsync);
    }

    /// <summary>Loads the profiles; TxProfiles of transactions that no longer run (stopped by a power loss) are dropped (one write).</summary>
    public override ValueTask StartAsync()
    {
        var stale = new ChargePointStorageBatch();
        foreach (var (key, value) in Engine.Storage.Load(Collection))
        {
            var record = JsonSerializer.Deserialize(value, SmartChargingJsonContext.Default.ChargingProfileRecord)!;
            if (!SetChargingProfileRequest.TryRead(Encoding.UTF8.GetBytes(record.Request), StoredPayload, out var request, out _))
            {
                stale.Delete(Collection, key);
                continue;
            }

            var profile = request.CsChargingProfiles;
            if (profile.ChargingProfilePurpose == ChargingProfilePurposeType.TxProfile
                && Engine.Connectors.Find(record.ConnectorId)?.Transaction?.LocalId != record.LocalTransactionId)
            {
                stale.Delete(Collection, key);
                continue;
            }

            _profiles.Add(InstalledChargingProfile.Create(profile, record.ConnectorId, record.LocalTransactionId, record.InstalledAt));
        }

        if (!stale.IsEmpty)
        {
            Engine.TryWrite(stale, "charging profiles");
        }

        return ValueTask.CompletedTask;
    }

    // ------------------------------------------------------------------ SetChargingProfile (§5.16)

    /// <summary>
    /// SetChargingProfile (§5.16): Rejected for a connector that does not exist; a ChargePointMaxProfile not on connector
    /// 0; a TxProfile on connector 0, without a transaction on its connector, or whose transactionId is not that
    /// transaction's; a transactionId on another purpose; a stackLevel above ChargeProfileMaxStackLevel; a
    /// chargingRateUnit ChargingScheduleAllowedChargingRateUnit does not allow; no periods or more than
    /// ChargingScheduleMaxPeriods; periods that do not start at 0 and ascend; a negative limit or minChargingRate;
    /// numberPhases outside 1–3; a duration below 1; a Recurring profile without recurrencyKind or startSchedule;
    /// validTo not after validFrom; more than MaxChargingProfilesInstalled profiles; or a storage failure. Otherwise
    /// Accepted: the profile replaces the one with the same chargingProfileId and the one on the same connector with
    /// the same stackLevel and purpose, written before the answer, and the limits are applied at once.
    /// </summary>
    private ValueTask<SetChargingProfileResponse> OnSetChargingProfileAsync(SetChargingProfileRequest request, IncomingCall call)
    {
        var profile = request.CsChargingProfiles;
        var connectorId = request.ConnectorId;
        int? localTransactionId = null;
        var problem = Check(connectorId, profile, forNewTransaction: false);
        if (problem is null && profile.ChargingProfilePurpose == ChargingProfilePurposeType.TxProfile)
        {
            var tx = Engine.Connectors.Find(connectorId)?.Transaction;
            problem = tx is null ? "no transaction runs on the connector"
                : profile.TransactionId is { } id && tx.TransactionId != id ? "the transactionId is not the connector's transaction"
                : null;
            localTransactionId = tx?.LocalId;
        }

        var installed = InstalledChargingProfile.Create(profile, connectorId, localTransactionId, Engine.Now);
        var replaced = problem is null ? Replaced(installed) : [];
        if (problem is null && _profiles.Count - replaced.Count + 1 > Engine.Configuration.GetInt32(SmartChargingKeys.MaxChargingProfilesInstalled))
        {
            problem = "MaxChargingProfilesInstalled";
        }

        if (problem is null)
        {
            var batch = new ChargePointStorageBatch();
            AddWrites(batch, installed, replaced);
            if (!Engine.TryWrite(batch, "charging profile"))
            {
                problem = "storage";
            }
        }

        if (problem is not null)
        {
            ChargePointLog.ChargingProfileRejected(Engine.Logger, Engine.Identity, profile.ChargingProfileId, connectorId, problem);
            return ValueTask.FromResult(new SetChargingProfileResponse { Status = ChargingProfileStatus.Rejected });
        }

        Install(installed, replaced);
        return ValueTask.FromResult(new SetChargingProfileResponse { Status = ChargingProfileStatus.Accepted });
    }

    /// <inheritdoc/>
    public bool CanInstall(int connectorId, ChargingProfile profile) => Check(connectorId, profile, forNewTransaction: true) is null;

    /// <summary>What is wrong with a profile for <paramref name="connectorId"/>, or <see langword="null"/> (the checks of <see cref="OnSetChargingProfileAsync"/> that do not depend on a running transaction).</summary>
    private string? Check(int connectorId, ChargingProfile profile, bool forNewTransaction)
    {
        var configuration = Engine.Configuration;
        var schedule = profile.ChargingSchedule;
        var periods = schedule.ChargingSchedulePeriod;
        if (connectorId < 0 || connectorId > Engine.Connectors.All.Count)
        {
            return "no such connector";
        }

        switch (profile.ChargingProfilePurpose)
        {
            case ChargingProfilePurposeType.ChargePointMaxProfile when connectorId != 0:
                return "a ChargePointMaxProfile is set on connector 0";
            case ChargingProfilePurposeType.TxProfile when connectorId == 0:
                return "a TxProfile is set on a connector";
            case ChargingProfilePurposeType.TxProfile when forNewTransaction && profile.TransactionId is not null:
                return "the TxProfile of RemoteStartTransaction has no transactionId";
            case not ChargingProfilePurposeType.TxProfile when profile.TransactionId is not null:
                return "only a TxProfile has a transactionId";
        }

        if (profile.StackLevel < 0 || profile.StackLevel > configuration.GetInt32(SmartChargingKeys.ChargeProfileMaxStackLevel))
        {
            return "ChargeProfileMaxStackLevel";
        }

        if (!AllowedUnits().Contains(schedule.ChargingRateUnit))
        {
            return "ChargingScheduleAllowedChargingRateUnit";
        }

        if (periods.Count == 0 || periods.Count > configuration.GetInt32(SmartChargingKeys.ChargingScheduleMaxPeriods))
        {
            return "ChargingScheduleMaxPeriods";
        }

        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if ((i == 0 ? period.StartPeriod != 0 : period.StartPeriod <= periods[i - 1].StartPeriod) || period.Limit < 0 || period.NumberPhases is < 1 or > 3)
            {
                return "chargingSchedulePeriod";
            }
        }

        if (schedule.Duration is < 1 || schedule.MinChargingRate is < 0)
        {
            return "duration or minChargingRate";
        }

        if (profile.ChargingProfileKind == ChargingProfileKindType.Recurring && (profile.RecurrencyKind is null || schedule.StartSchedule is null))
        {
            return "a Recurring profile has recurrencyKind and startSchedule";
        }

        return profile.ValidFrom is { } from && profile.ValidTo is { } to && to <= from ? "validTo is not after validFrom" : null;
    }

    /// <summary>The installed profiles a new one replaces: the same chargingProfileId, or the same connector, purpose and stackLevel.</summary>
    private List<InstalledChargingProfile> Replaced(InstalledChargingProfile installed)
        => [.. _profiles.Where(p => p.Id == installed.Id || (p.ConnectorId == installed.ConnectorId && p.Purpose == installed.Purpose && p.StackLevel == installed.StackLevel))];

    private static void AddWrites(ChargePointStorageBatch batch, InstalledChargingProfile installed, List<InstalledChargingProfile> replaced)
    {
        foreach (var old in replaced.Where(p => p.Id != installed.Id))
        {
            batch.Delete(Collection, Key(old.Id));
        }

        var payload = OcppPayload.ToJson(new SetChargingProfileRequest { ConnectorId = installed.ConnectorId, CsChargingProfiles = installed.Profile });
        var record = new ChargingProfileRecord(installed.ConnectorId, installed.LocalTransactionId, installed.InstalledAt, payload);
        batch.Put(Collection, Key(installed.Id), JsonSerializer.SerializeToUtf8Bytes(record, SmartChargingJsonContext.Default.ChargingProfileRecord));
    }

    private void Install(InstalledChargingProfile installed, List<InstalledChargingProfile> replaced)
    {
        foreach (var old in replaced)
        {
            _profiles.Remove(old);
        }

        _profiles.Add(installed);
        ChargePointLog.ChargingProfileInstalled(Engine.Logger, Engine.Identity, installed.Id, installed.ConnectorId, installed.Purpose, installed.StackLevel);
        Changed?.Invoke();
    }

    // ------------------------------------------------------------------ ClearChargingProfile (§5.5)

    /// <summary>
    /// ClearChargingProfile (§5.5): the profile with the id (when an id is given; the other fields are then not used),
    /// else every profile matching all of the fields given (none given: every profile) is removed in one write before
    /// the answer: Accepted; Unknown when none matches (or the storage refused, and nothing was removed).
    /// </summary>
    private ValueTask<ClearChargingProfileResponse> OnClearChargingProfileAsync(ClearChargingProfileRequest request, IncomingCall call)
    {
        var matches = request.Id is { } id
            ? _profiles.Where(p => p.Id == id).ToList()
            : _profiles.Where(p => (request.ConnectorId is not { } c || p.ConnectorId == c)
                && (request.ChargingProfilePurpose is not { } purpose || p.Purpose == purpose)
                && (request.StackLevel is not { } level || p.StackLevel == level)).ToList();
        if (matches.Count == 0 || !Remove(matches))
        {
            return ValueTask.FromResult(new ClearChargingProfileResponse { Status = ClearChargingProfileStatus.Unknown });
        }

        return ValueTask.FromResult(new ClearChargingProfileResponse { Status = ClearChargingProfileStatus.Accepted });
    }

    private bool Remove(List<InstalledChargingProfile> profiles)
    {
        var batch = new ChargePointStorageBatch();
        foreach (var p in profiles)
        {
            batch.Delete(Collection, Key(p.Id));
        }

        if (!Engine.TryWrite(batch, "charging profiles"))
        {
            return false;
        }

        foreach (var p in profiles)
        {
            _profiles.Remove(p);
        }

        ChargePointLog.ChargingProfilesCleared(Engine.Logger, Engine.Identity, profiles.Count, string.Join(",", profiles.Select(p => p.Id.ToString(CultureInfo.InvariantCulture))));
        Changed?.Invoke();
        return true;
    }

    // ------------------------------------------------------------------ GetCompositeSchedule (§5.7)

    /// <summary>
    /// How far a composite schedule reaches at most, in seconds (31 days): the work and the answer grow with every
    /// recurrence in the window, and a duration of years would hold the engine's loop and make an answer too large to send.
    /// </summary>
    internal const int MaxCompositeScheduleSeconds = 31 * 86_400;

    /// <summary>
    /// GetCompositeSchedule (§5.7): Rejected for a connector that does not exist, a duration below 1 or a
    /// chargingRateUnit ChargingScheduleAllowedChargingRateUnit does not allow; otherwise the composite schedule (see
    /// <see cref="CompositeSchedule"/>) from now (whole seconds) for the duration, at most
    /// <see cref="MaxCompositeScheduleSeconds"/> (the schedule's duration says how far it reaches), in the unit asked for
    /// or the first allowed one, with scheduleStart and startSchedule set to now.
    /// </summary>
    private ValueTask<GetCompositeScheduleResponse> OnGetCompositeScheduleAsync(GetCompositeScheduleRequest request, IncomingCall call)
    {
        var allowed = AllowedUnits();
        var unit = request.ChargingRateUnit ?? allowed[0];
        if (request.ConnectorId < 0 || request.ConnectorId > Engine.Connectors.All.Count || request.Duration < 1 || !allowed.Contains(unit))
        {
            return ValueTask.FromResult(new GetCompositeScheduleResponse { Status = GetCompositeScheduleStatus.Rejected });
        }

        var composite = Compose(request.ConnectorId, Engine.Now, Math.Min(request.Duration, MaxCompositeScheduleSeconds), unit);
        var start = DateTimeOffset.FromUnixTimeSeconds(composite.Start);
        return ValueTask.FromResult(new GetCompositeScheduleResponse
        {
            Status = GetCompositeScheduleStatus.Accepted,
            ConnectorId = request.ConnectorId,
            ScheduleStart = start,
            ChargingSchedule = new ChargingSchedule
            {
                Duration = composite.Duration,
                StartSchedule = start,
                ChargingRateUnit = composite.Unit,
                ChargingSchedulePeriod = [.. composite.Periods.Select(p => new ChargingSchedulePeriod { StartPeriod = p.Start, Limit = p.Limit, NumberPhases = p.NumberPhases })],
                MinChargingRate = composite.MinChargingRate,
            },
        });
    }

    /// <summary>The composite schedule of a connector (0 = the station) from <paramref name="start"/> (truncated to whole seconds).</summary>
    public CompositeResult Compose(int connectorId, DateTimeOffset start, int durationSeconds, ChargingRateUnitType unit)
        => CompositeSchedule.Compute(_profiles, Inputs(), connectorId, start.ToUnixTimeSeconds(), durationSeconds, unit);

    // ------------------------------------------------------------------ limits pushed to the hardware

    /// <inheritdoc/>
    public ChargingLimit? GetLimit(int connectorId, DateTimeOffset at)
    {
        if (_profiles.Count == 0)
        {
            return null;
        }

        var unit = AllowedUnits()[0];
        var t = at.ToUnixTimeSeconds();
        var inputs = Inputs();
        if (connectorId == 0)
        {
            return CompositeSchedule.StationMaximumAt(_profiles, inputs, t, unit) is { } max ? Limit(max.Limit, max.NumberPhases, unit) : null;
        }

        var (limit, phases) = CompositeSchedule.ConnectorLimitAt(_profiles, inputs, connectorId, t, t, unit, out var limited);
        return limited ? Limit(limit, phases, unit) : null;
    }

    /// <inheritdoc/>
    public DateTimeOffset? NextChange(DateTimeOffset after)
        => CompositeSchedule.NextChange(_profiles, Inputs(), after.ToUnixTimeSeconds()) is { } next ? DateTimeOffset.FromUnixTimeSeconds(next) : null;

    private static ChargingLimit Limit(decimal value, int? phases, ChargingRateUnitType unit)
        => unit == ChargingRateUnitType.A ? new ChargingLimit(value, null, phases) : new ChargingLimit(null, value, phases);

    // ------------------------------------------------------------------ transactions

    /// <summary>The TxProfile of RemoteStartTransaction is written with the start (replacing as SetChargingProfile does).</summary>
    public void OnStarting(TransactionStarting start)
    {
        _pendingTxProfiles.Remove(start.LocalTransactionId);
        if (start.ChargingProfile is not { } profile || Check(start.ConnectorId, profile, forNewTransaction: true) is not null)
        {
            return;
        }

        var installed = InstalledChargingProfile.Create(profile, start.ConnectorId, start.LocalTransactionId, Engine.Now);
        var replaced = Replaced(installed);
        if (_profiles.Count - replaced.Count + 1 > Engine.Configuration.GetInt32(SmartChargingKeys.MaxChargingProfilesInstalled))
        {
            ChargePointLog.ChargingProfileRejected(Engine.Logger, Engine.Identity, profile.ChargingProfileId, start.ConnectorId, "MaxChargingProfilesInstalled");
            return;
        }

        AddWrites(start.Batch, installed, replaced);
        _pendingTxProfiles[start.LocalTransactionId] = (installed, replaced);
    }

    public void OnStarted(JournalTransaction transaction, TransactionStarting start)
    {
        if (_pendingTxProfiles.Remove(start.LocalTransactionId, out var pending))
        {
            Install(pending.Profile, pending.Replaced);
            return;
        }

        // A schedule that starts with the transaction (TxDefaultProfile) starts now.
        Changed?.Invoke();
    }

    /// <summary>The transaction's TxProfiles end with it.</summary>
    public void OnStopped(JournalTransaction transaction)
    {
        var ended = _profiles.Where(p => p.Purpose == ChargingProfilePurposeType.TxProfile && p.LocalTransactionId == transaction.LocalId).ToList();
        if (ended.Count == 0 || !Remove(ended))
        {
            // The transaction has ended, so its TxProfiles apply no more even when their deletion could not be written
            // (the next start prunes TxProfiles of transactions that are gone): they must not count against
            // MaxChargingProfilesInstalled meanwhile.
            _profiles.RemoveAll(ended.Contains);
            Changed?.Invoke();
        }
    }

    // ------------------------------------------------------------------ helpers

    private ScheduleInputs Inputs()
    {
        var connectors = Engine.Connectors.All;
        var starts = new long?[connectors.Count + 1];
        var ids = new int?[connectors.Count + 1];
        foreach (var c in connectors)
        {
            if (c.Transaction is { } tx)
            {
                starts[c.Id] = tx.Record.StartTime.ToUnixTimeSeconds();
                ids[c.Id] = tx.LocalId;
            }
        }

        return new ScheduleInputs(connectors.Count, starts, ids, ChargingSupply.Of(Engine.Hardware.ChargingLimitSink));
    }

    /// <summary>ChargingScheduleAllowedChargingRateUnit as units, in its order.</summary>
    private List<ChargingRateUnitType> AllowedUnits()
    {
        var units = new List<ChargingRateUnitType>(2);
        foreach (var item in Engine.Configuration.GetRaw(SmartChargingKeys.ChargingScheduleAllowedChargingRateUnit).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var unit = item == "Power" ? ChargingRateUnitType.W : ChargingRateUnitType.A;
            if (!units.Contains(unit))
            {
                units.Add(unit);
            }
        }

        return units.Count > 0 ? units : [ChargingRateUnitType.A];
    }

    private static string Key(int chargingProfileId) => chargingProfileId.ToString(CultureInfo.InvariantCulture);
}
