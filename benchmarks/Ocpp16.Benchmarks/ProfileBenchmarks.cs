using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Ocpp16.ChargePoint.Features.LocalAuthList;
using Ocpp16.ChargePoint.Features.SmartCharging;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.Benchmarks;

/// <summary>
/// The Local Authorization List with 100,000 entries (issue 9): a lookup (target ≤ 1 µs, no allocation), a
/// Differential SendLocalList of 100 entries checked, written to SQLite (WAL, synchronous=FULL: one fsync) and applied
/// (target ≤ 20 ms), and the list loaded from SQLite as at start-up (target ≤ 500 ms).
/// </summary>
[MemoryDiagnoser]
public class LocalAuthListBenchmarks
{
    private const int Entries = 100_000;

    private string _directory = string.Empty;
    private SqliteChargePointStorage? _storage;
    private LocalAuthorizationList _list = null!;
    private AuthorizationData[][] _changes = [];
    private int _version = 1;
    private string _present = string.Empty;
    private string _absent = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ocpp16-locallist-bench-" + Guid.NewGuid().ToString("N"));
        _storage = new SqliteChargePointStorage(_directory);
        var full = new SendLocalListRequest
        {
            ListVersion = 1,
            UpdateType = UpdateType.Full,
            LocalAuthorizationList = [.. Enumerable.Range(0, Entries).Select(i => Entry(i, i % 10 == 0 ? AuthorizationStatus.Blocked : AuthorizationStatus.Accepted))],
        };
        _storage.Write(LocalAuthorizationList.ToBatch(full));
        _list = new LocalAuthorizationList();
        _list.Load(_storage);

        // The changes of the Differential updates: 100 existing entries each, changing their status.
        _changes = [.. Enumerable.Range(0, 1000).Select(u => Enumerable.Range(0, 100).Select(i => Entry(((u * 100) + i) % Entries, u % 2 == 0 ? AuthorizationStatus.Blocked : AuthorizationStatus.Accepted)).ToArray())];

        // Tags as a reader hands them over: new string instances, another case.
        _present = new string(Tag(54_321).ToLowerInvariant());
        _absent = new string("04FFFFFFFFFFFF");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _storage?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A lookup of a present IdTag (case-insensitive).</summary>
    [Benchmark]
    public IdTagInfo? LookupPresent() => _list.Find(_present);

    /// <summary>A lookup of an IdTag the list does not hold.</summary>
    [Benchmark]
    public IdTagInfo? LookupAbsent() => _list.Find(_absent);

    /// <summary>A Differential update of 100 entries: checked, written (one SQLite transaction) and applied.</summary>
    [Benchmark]
    public UpdateStatus DifferentialUpdateOf100()
    {
        var version = ++_version;
        var request = new SendLocalListRequest { ListVersion = version, UpdateType = UpdateType.Differential, LocalAuthorizationList = _changes[version % _changes.Length] };
        var status = _list.Check(request, Entries, 100);
        if (status == UpdateStatus.Accepted)
        {
            _storage!.Write(LocalAuthorizationList.ToBatch(request));
            _list.Apply(request);
        }

        return status == UpdateStatus.Accepted ? status : throw new InvalidOperationException($"The update was {status}.");
    }

    /// <summary>The list read from SQLite as the module does at start-up.</summary>
    [Benchmark]
    public int LoadAtStartup()
    {
        var list = new LocalAuthorizationList();
        list.Load(_storage!);
        return list.Count;
    }

    /// <summary>For comparison: only the records read from SQLite (no JSON, no dictionary).</summary>
    [Benchmark]
    public int ReadRecordsOnly() => _storage!.Load(LocalAuthorizationList.Collection).Count;

    private static string Tag(int i) => string.Create(CultureInfo.InvariantCulture, $"04A1{i:X10}");

    private static AuthorizationData Entry(int i, AuthorizationStatus status) => new()
    {
        IdTag = Tag(i),
        IdTagInfo = new IdTagInfo
        {
            Status = status,
            ExpiryDate = i % 3 == 0 ? new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) : null,
            ParentIdTag = i % 4 == 0 ? "FLEET-" + (i % 50).ToString(CultureInfo.InvariantCulture) : null,
        },
    };
}

/// <summary>
/// GetCompositeSchedule (issue 9): three profiles of 24 periods each — a ChargePointMaxProfile (Absolute), a
/// TxDefaultProfile (Recurring Daily, across midnight) and the transaction's TxProfile (Relative) — composed over 24 h
/// for a connector (target ≤ 50 µs), and for the station (connector 0).
/// </summary>
[MemoryDiagnoser]
public class CompositeScheduleBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private List<InstalledChargingProfile> _profiles = [];
    private ScheduleInputs _inputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _profiles =
        [
            InstalledChargingProfile.Create(Profile(1, ChargingProfilePurposeType.ChargePointMaxProfile, ChargingProfileKindType.Absolute, Now.AddHours(-2), null, 3600, 40m), 0, null, Now.AddDays(-1)),
            InstalledChargingProfile.Create(Profile(2, ChargingProfilePurposeType.TxDefaultProfile, ChargingProfileKindType.Recurring, new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddHours(-2), RecurrencyKindType.Daily, 3600, 20m), 0, null, Now.AddDays(-1)),
            InstalledChargingProfile.Create(Profile(3, ChargingProfilePurposeType.TxProfile, ChargingProfileKindType.Relative, null, null, 1800, 16m), 1, 7, Now.AddMinutes(-10)),
        ];
        _inputs = new ScheduleInputs(2, [null, Now.AddMinutes(-10).ToUnixTimeSeconds(), null], [null, 7, null], new ChargingSupply(400m, 1, 125m));
    }

    /// <summary>Connector 1, 24 h, in A.</summary>
    [Benchmark]
    public int Connector24Hours() => CompositeSchedule.Compute(_profiles, _inputs, 1, Now.ToUnixTimeSeconds(), 86_400, ChargingRateUnitType.A).Periods.Count;

    /// <summary>Connector 1, 24 h, in W (every limit converted).</summary>
    [Benchmark]
    public int Connector24HoursInWatts() => CompositeSchedule.Compute(_profiles, _inputs, 1, Now.ToUnixTimeSeconds(), 86_400, ChargingRateUnitType.W).Periods.Count;

    /// <summary>The station (connector 0, the sum of both connectors under the ChargePointMaxProfile), 24 h.</summary>
    [Benchmark]
    public int Station24Hours() => CompositeSchedule.Compute(_profiles, _inputs, 0, Now.ToUnixTimeSeconds(), 86_400, ChargingRateUnitType.A).Periods.Count;

    private static ChargingProfile Profile(int id, ChargingProfilePurposeType purpose, ChargingProfileKindType kind, DateTimeOffset? start, RecurrencyKindType? recurrency, int step, decimal baseLimit) => new()
    {
        ChargingProfileId = id,
        StackLevel = 0,
        ChargingProfilePurpose = purpose,
        ChargingProfileKind = kind,
        RecurrencyKind = recurrency,
        ChargingSchedule = new ChargingSchedule
        {
            ChargingRateUnit = ChargingRateUnitType.A,
            StartSchedule = start,
            ChargingSchedulePeriod = [.. Enumerable.Range(0, 24).Select(i => new ChargingSchedulePeriod { StartPeriod = i * step, Limit = baseLimit + ((i * 7) % 11) })],
        },
    };
}
