using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;

namespace Ocpp16.Benchmarks;

/// <summary>
/// Journaled transaction events per second (issue 8) next to the physical limit: a bare SQLite insert and commit with
/// the same pragmas (WAL, synchronous=FULL) on the same disk, where each commit waits for an fsync. One journaled
/// event is one atomic write of a state change with the message it causes or settles: <see cref="JournalSampleAndDelivery"/>
/// journals a meter sample (the transaction's last reading plus its MeterValues message) and then its delivery (the
/// message settled): two events, two commits — compare half of it with <see cref="BareInsertCommit"/>.
/// </summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private string _directory = string.Empty;
    private SqliteConnection? _bare;
    private SqliteCommand? _insert;
    private long _key;
    private OcppChargePoint? _chargePoint;
    private SqliteChargePointStorage? _storage;
    private TransactionJournal? _journal;
    private JournalTransaction? _transaction;
    private MeterValue _sample = null!;
    private long _register;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ocpp16-journal-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        SQLitePCL.Batteries_V2.Init();

        _bare = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "bare.db"), Pooling = false }.ToString());
        _bare.Open();
        Execute(_bare, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;");
        _insert = _bare.CreateCommand();
        _insert.CommandText = "INSERT INTO t (k, v) VALUES ($k, $v);";
        _insert.Parameters.Add("$k", SqliteType.Text);
        _insert.Parameters.Add("$v", SqliteType.Blob).Value = new byte[200];
        _insert.Prepare();

        _storage = new SqliteChargePointStorage(Path.Combine(_directory, "journal"));
        var options = new ChargePointOptions { Identity = "BENCH", CentralSystemUri = new Uri("ws://127.0.0.1:1/ocpp") };
        _chargePoint = new OcppChargePoint(options, new SimulatedChargePointHardware(1), storage: _storage);
        _journal = _chargePoint.Engine.Journal;
        _transaction = _journal.Start(1, "BENCH-TAG", null, 0, DateTimeOffset.UtcNow, null, null);
        _sample = new MeterValue
        {
            Timestamp = DateTimeOffset.UtcNow,
            SampledValue =
            [
                new SampledValue { Value = "12345", Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.Wh, Context = ReadingContext.SamplePeriodic },
                new SampledValue { Value = "49000", Measurand = Measurand.PowerActiveImport, Unit = UnitOfMeasure.W, Context = ReadingContext.SamplePeriodic },
                new SampledValue { Value = "80", Measurand = Measurand.SoC, Unit = UnitOfMeasure.Percent, Context = ReadingContext.SamplePeriodic, Location = Location.EV },
            ],
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert?.Dispose();
        _bare?.Dispose();
        _chargePoint?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _storage?.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The physical limit: one row inserted and committed (an fsync).</summary>
    [Benchmark(Baseline = true)]
    public void BareInsertCommit()
    {
        using var transaction = _bare!.BeginTransaction();
        _insert!.Transaction = transaction;
        _insert.Parameters[0].Value = (++_key).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
        _insert.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Two journaled events: a meter sample with its MeterValues message, then that message's delivery.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public void JournalSampleAndDelivery()
    {
        _journal!.Sample(_transaction!, ++_register, DateTimeOffset.UtcNow, _sample, null);
        var outbox = _chargePoint!.Engine.Outbox;
        var message = (JournalMessage)outbox.Items.Last();
        _journal.OnDelivered(message, new MeterValuesResponse());
        outbox.RemoveQueued(item => ReferenceEquals(item, message));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
