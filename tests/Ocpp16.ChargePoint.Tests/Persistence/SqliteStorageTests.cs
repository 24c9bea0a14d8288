using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Persistence;

/// <summary>The SQLite storage: atomic batches, WAL, versioned migrations from every earlier schema.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ocpp16-sqlite-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string DatabasePath => Path.Combine(_directory, SqliteChargePointStorage.FileName);

    [Fact]
    public void Write_PutsDeletesAndClears_InOneTransaction_LoadReturnsRecordsOrderedByKey()
    {
        using var storage = new SqliteChargePointStorage(_directory);
        storage.Write(new ChargePointStorageBatch().Put("c", "b", [2]).Put("c", "a", [1]).Put("c", "z", [26]).Put("other", "x", [9]));
        storage.Write(new ChargePointStorageBatch().Delete("c", "z").Put("c", "a", [11]).Clear("other"));
        var records = storage.Load("c");
        Assert.Equal(["a", "b"], records.Select(r => r.Key));
        Assert.Equal<byte[]>([[11], [2]], records.Select(r => r.Value));
        Assert.Empty(storage.Load("other"));
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
        Assert.Equal(3L, Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public void Write_WhenAStatementFailsHalfway_NothingOfTheBatchIsApplied()
    {
        using (var storage = new SqliteChargePointStorage(_directory))
        {
            storage.Write(new ChargePointStorageBatch().Put("tx", "1", [1]));
        }

        Execute("CREATE TRIGGER boom BEFORE INSERT ON records WHEN NEW.key = 'boom' BEGIN SELECT RAISE(ABORT, 'test failure'); END;");
        using (var storage = new SqliteChargePointStorage(_directory))
        {
            var e = Assert.Throws<ChargePointStorageException>(() => storage.Write(new ChargePointStorageBatch().Put("tx", "1", [99]).Put("tx", "2", [2]).Put("tx", "boom", [0])));
            Assert.IsType<SqliteException>(e.InnerException);
            Assert.Equal<byte[]>([[1]], storage.Load("tx").Select(r => r.Value));
        }
    }

    [Fact]
    public void Open_ADatabaseOfANewerSchema_IsRefusedWithAClearError()
    {
        using (new SqliteChargePointStorage(_directory))
        {
        }

        Execute("PRAGMA user_version = 99;");
        var e = Assert.Throws<ChargePointStorageException>(() => new SqliteChargePointStorage(_directory));
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DatabaseOfAnEarlierVersion_IsMigrated_AndItsQueuedMessagesAndConfigurationAreKept(int version)
    {
        // Schema version 1: outbox + transactions; version 2 added configuration. Both had user_version 0.
        Directory.CreateDirectory(_directory);
        Execute("""
            CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, payload TEXT NOT NULL, local_tx INTEGER NOT NULL);
            CREATE TABLE transactions (local_id INTEGER PRIMARY KEY, connector_id INTEGER NOT NULL, id_tag TEXT NOT NULL, meter_start INTEGER NOT NULL,
                start_time TEXT NOT NULL, transaction_id INTEGER NULL, active INTEGER NOT NULL, last_meter_wh INTEGER NULL, last_meter_time TEXT NULL);
            INSERT INTO transactions VALUES (1, 1, 'OLD-TAG', 1000, '2026-11-30T10:00:00.0000000+00:00', 4711, 0, 1500, '2026-11-30T10:30:00.0000000+00:00');
            INSERT INTO transactions VALUES (2, 2, 'NEW-TAG', 5000, '2026-11-30T11:00:00.0000000+00:00', NULL, 1, 5200, '2026-11-30T11:05:00.0000000+00:00');
            INSERT INTO outbox (action, payload, local_tx) VALUES ('StopTransaction', '{"meterStop":1500,"timestamp":"2026-11-30T10:30:00.000Z","transactionId":4711,"reason":"Local"}', 1);
            INSERT INTO outbox (action, payload, local_tx) VALUES ('StartTransaction', '{"connectorId":2,"idTag":"NEW-TAG","meterStart":5000,"timestamp":"2026-11-30T11:00:00.000Z"}', 2);
            """);
        if (version == 2)
        {
            Execute("CREATE TABLE configuration (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL); INSERT INTO configuration VALUES ('HeartbeatInterval', '42');");
        }

        var storage = new SqliteChargePointStorage(_directory);
        Assert.Equal(3L, Scalar("PRAGMA user_version;"));
        await using var rig = await Rig.StartAsync(storage: storage);
        await rig.AdvanceAsync(2);

        // The old StopTransaction goes first, then the StartTransaction of the transaction that was running, then its
        // PowerLoss stop with the id the Central System gave it.
        var transactional = rig.Cs.Calls.Where(c => c.Action is "StartTransaction" or "StopTransaction").ToList();
        Assert.Equal(["StopTransaction", "StartTransaction", "StopTransaction"], transactional.Select(c => c.Action));
        Assert.Equal(4711, transactional[0].Int("transactionId"));
        Assert.Equal("NEW-TAG", transactional[1].Str("idTag"));
        Assert.Equal(rig.Cs.TransactionIdFor(transactional[1]), transactional[2].Int("transactionId"));
        Assert.Equal("PowerLoss", transactional[2].Str("reason"));
        Assert.Equal(5200, transactional[2].Int("meterStop"));
        Assert.Equal(0, (await rig.ChargePoint.GetSnapshotAsync()).QueuedTransactionMessages);
        var configuration = storage.Load("config");
        if (version == 2)
        {
            Assert.Equal("\"42\"", Encoding.UTF8.GetString(configuration.Single(r => r.Key == "HeartbeatInterval").Value));
        }
        else
        {
            Assert.Empty(configuration);
        }
    }

    [Fact]
    public async Task TheJournal_SurvivesReopeningTheDatabase()
    {
        await using (var rig = await Rig.StartAsync(storage: new SqliteChargePointStorage(_directory), setup: cs => cs.Unreachable = true))
        {
            rig.Hardware.Connector(1).Plug();
            rig.Hardware.RfidReader.Present("TAG1");
            await rig.SettleAsync();
            Assert.Equal(1, (await rig.ChargePoint.GetSnapshotAsync()).QueuedTransactionMessages);
        }

        await using var second = await Rig.StartAsync(storage: new SqliteChargePointStorage(_directory));
        await second.AdvanceAsync(2);
        Assert.Equal(["StartTransaction", "StopTransaction"], second.Cs.Calls.Where(c => c.Action.EndsWith("Transaction", StringComparison.Ordinal)).Select(c => c.Action));
        Assert.Equal("PowerLoss", second.Cs.CallsOf("StopTransaction").Single().Str("reason"));
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is string s ? s.ToLower(CultureInfo.InvariantCulture) : value;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
