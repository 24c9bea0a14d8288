using Microsoft.Data.Sqlite;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests;

/// <summary>
/// With a data directory, configuration values changed through ChangeConfiguration (OCPP 1.6 §5.3) survive a restart
/// and win over the option defaults; rejected values and read-only keys never come back from the store.
/// </summary>
public sealed class ConfigurationPersistenceTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-cp-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    // Boot answered without an interval, so the charge point keeps its configured HeartbeatInterval (OCPP 1.6 §4.2).
    private static void BootWithoutInterval(FakeCentralSystem cs)
        => cs.Answers["BootNotification"] = _ => FakeCentralSystem.Result($"{{\"status\":\"Accepted\",\"currentTime\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\",\"interval\":0}}");

    private static void Defaults(IDictionary<string, string> c)
    {
        c["HeartbeatInterval"] = "120";
        c["MeterValueSampleInterval"] = "30";
    }

    private static async Task<Dictionary<string, string>> ReadAsync(Rig rig, params string[] keys)
    {
        var read = await rig.Cs.CallAsync(new GetConfigurationRequest { Key = keys });
        return read.ConfigurationKey!.ToDictionary(k => k.Key, k => k.Value!);
    }

    [Fact]
    public async Task ChangedValues_AfterRestartOnTheSameDirectory_AreReportedAndUsed()
    {
        await using (var first = await Rig.StartAsync(Defaults, BootWithoutInterval, dataDirectory: _dataDirectory))
        {
            Assert.Equal(ConfigurationStatus.Accepted, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "1" })).Status);
            Assert.Equal(ConfigurationStatus.Accepted, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "7" })).Status);
        }

        await using var second = await Rig.StartAsync(Defaults, BootWithoutInterval, dataDirectory: _dataDirectory);

        // Visible before any CS call, and as GetConfiguration reports it: the changed value wins over the option default.
        Assert.True(second.ChargePoint.Configuration.TryGet("HeartbeatInterval", out var heartbeat, out _));
        Assert.Equal("1", heartbeat);
        var read = await ReadAsync(second, "HeartbeatInterval", "MeterValueSampleInterval", "ConnectionTimeOut");
        Assert.Equal("1", read["HeartbeatInterval"]);
        Assert.Equal("7", read["MeterValueSampleInterval"]);
        Assert.Equal("60", read["ConnectionTimeOut"]);

        // And it takes effect: heartbeats every second, not every 120 s.
        var (_, firstBeat) = await second.Cs.WaitForAsync("Heartbeat", timeout: TimeSpan.FromSeconds(5));
        await second.Cs.WaitForAsync("Heartbeat", firstBeat + 1, timeout: TimeSpan.FromSeconds(5));
        Assert.Empty(second.Logs.Errors);
    }

    [Fact]
    public async Task RejectedAndNotSupportedValues_AreNotPersisted()
    {
        await using (var first = await Rig.StartAsync(Defaults, dataDirectory: _dataDirectory))
        {
            Assert.Equal(ConfigurationStatus.Accepted, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "15" })).Status);
            Assert.Equal(ConfigurationStatus.Rejected, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "99999" })).Status);
            Assert.Equal(ConfigurationStatus.Rejected, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "often" })).Status);
            Assert.Equal(ConfigurationStatus.Rejected, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "NumberOfConnectors", Value = "5" })).Status);
            Assert.Equal(ConfigurationStatus.NotSupported, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "NoSuchKey", Value = "1" })).Status);
        }

        using (var store = new SqliteChargePointStore(_dataDirectory))
        {
            Assert.Equal(new Dictionary<string, string> { ["MeterValueSampleInterval"] = "15" }, store.LoadConfigurationValues());
        }

        await using var second = await Rig.StartAsync(Defaults, dataDirectory: _dataDirectory);
        var read = await ReadAsync(second, "MeterValueSampleInterval", "HeartbeatInterval", "NumberOfConnectors");
        Assert.Equal("15", read["MeterValueSampleInterval"]);
        Assert.Equal("300", read["HeartbeatInterval"]); // from the BootNotification interval, not "often"
        Assert.Equal("2", read["NumberOfConnectors"]);
    }

    [Fact]
    public async Task SavedReadOnlyUnknownOrInvalidValues_AreNotApplied()
    {
        using (var store = new SqliteChargePointStore(_dataDirectory))
        {
            store.SaveConfigurationValue("NumberOfConnectors", "5");
            store.SaveConfigurationValue("NoSuchKey", "1");
            store.SaveConfigurationValue("ConnectionTimeOut", "not a number");
            store.SaveConfigurationValue("ResetRetries", "7");
        }

        await using var rig = await Rig.StartAsync(dataDirectory: _dataDirectory);
        var read = await ReadAsync(rig, "NumberOfConnectors", "ConnectionTimeOut", "ResetRetries");
        Assert.Equal("2", read["NumberOfConnectors"]);
        Assert.Equal("60", read["ConnectionTimeOut"]);
        Assert.Equal("7", read["ResetRetries"]);
    }

    [Fact]
    public async Task DatabaseOfAnEarlierVersion_WithoutTheConfigurationTable_OpensKeepsItsDataAndGainsTheTable()
    {
        // The schema before configuration values were persisted, with one transaction whose StopTransaction is queued.
        Directory.CreateDirectory(_dataDirectory);
        SQLitePCL.Batteries_V2.Init();
        var path = Path.Combine(_dataDirectory, "ocpp16-chargepoint.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    action TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    local_tx INTEGER NOT NULL);
                CREATE TABLE transactions (
                    local_id INTEGER PRIMARY KEY,
                    connector_id INTEGER NOT NULL,
                    id_tag TEXT NOT NULL,
                    meter_start INTEGER NOT NULL,
                    start_time TEXT NOT NULL,
                    transaction_id INTEGER NULL,
                    active INTEGER NOT NULL,
                    last_meter_wh INTEGER NULL,
                    last_meter_time TEXT NULL);
                INSERT INTO transactions VALUES (1, 1, 'TAG1', 100, '2026-01-01T00:00:00.0000000+00:00', 4242, 0, 150, NULL);
                INSERT INTO outbox (action, payload, local_tx) VALUES ('StopTransaction', '{"meterStop":150,"timestamp":"2026-01-01T01:00:00Z","transactionId":4242,"reason":"Local"}', 1);
                """;
            command.ExecuteNonQuery();
        }

        await using (var rig = await Rig.StartAsync(dataDirectory: _dataDirectory))
        {
            var (stop, _) = await rig.Cs.WaitForAsync("StopTransaction");
            Assert.Equal(4242, stop.Int("transactionId"));
            Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "ConnectionTimeOut", Value = "45" })).Status);
        }

        await using var again = await Rig.StartAsync(dataDirectory: _dataDirectory);
        Assert.Equal("45", (await ReadAsync(again, "ConnectionTimeOut"))["ConnectionTimeOut"]);
        Assert.Empty(again.Logs.Errors);
    }

    [Fact]
    public void TrySet_SavesBeforeApplying_AndAFailedSaveLeavesTheValueUnchanged()
    {
        var saved = new List<(string Key, string Value)>();
        var failing = false;
        var configuration = new ChargePointConfiguration(2, [], (key, value) =>
        {
            if (failing)
            {
                throw new IOException("disk full (test)");
            }

            saved.Add((key, value));
        });

        Assert.Equal(ConfigurationStatus.Accepted, configuration.TrySet("ConnectionTimeOut", "45"));
        Assert.Equal(ConfigurationStatus.Rejected, configuration.TrySet("ConnectionTimeOut", "-1"));
        Assert.Equal(ConfigurationStatus.Rejected, configuration.TrySet("NumberOfConnectors", "3"));
        Assert.Equal(ConfigurationStatus.NotSupported, configuration.TrySet("NoSuchKey", "1"));
        Assert.Equal([("ConnectionTimeOut", "45")], saved);

        failing = true;
        Assert.Throws<IOException>(() => configuration.TrySet("ConnectionTimeOut", "50"));
        Assert.True(configuration.TryGet("ConnectionTimeOut", out var value, out _));
        Assert.Equal("45", value);
    }

    [Fact]
    public async Task WithoutDataDirectory_ChangedValuesAreNotCarriedToANewChargePoint()
    {
        await using (var first = await Rig.StartAsync(Defaults))
        {
            Assert.Equal(ConfigurationStatus.Accepted, (await first.Cs.CallAsync(new ChangeConfigurationRequest { Key = "MeterValueSampleInterval", Value = "15" })).Status);
        }

        await using var second = await Rig.StartAsync(Defaults);
        Assert.Equal("30", (await ReadAsync(second, "MeterValueSampleInterval"))["MeterValueSampleInterval"]);
    }
}
