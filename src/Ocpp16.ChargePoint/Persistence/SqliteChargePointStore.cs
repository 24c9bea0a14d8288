using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ocpp16.ChargePoint.Persistence;

/// <summary>
/// The durable store in <c>{DataDirectory}/ocpp16-chargepoint.db</c> (SQLite, WAL journal, synchronous FULL so a
/// committed message survives power loss). Tables: <c>outbox</c>, <c>transactions</c> and <c>configuration</c>
/// (key, value; added later); each is created when missing, so a database of an earlier version opens and gains the
/// tables it lacks.
/// </summary>
internal sealed class SqliteChargePointStore : IChargePointStore
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    static SqliteChargePointStore() => SQLitePCL.Batteries_V2.Init();

    public SqliteChargePointStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "ocpp16-chargepoint.db");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                action TEXT NOT NULL,
                payload TEXT NOT NULL,
                local_tx INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS transactions (
                local_id INTEGER PRIMARY KEY,
                connector_id INTEGER NOT NULL,
                id_tag TEXT NOT NULL,
                meter_start INTEGER NOT NULL,
                start_time TEXT NOT NULL,
                transaction_id INTEGER NULL,
                active INTEGER NOT NULL,
                last_meter_wh INTEGER NULL,
                last_meter_time TEXT NULL);
            CREATE TABLE IF NOT EXISTS configuration (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL);
            """);
    }

    public long Enqueue(string action, string payloadJson, int localTransactionId)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO outbox (action, payload, local_tx) VALUES ($a, $p, $t); SELECT last_insert_rowid();";
            command.Parameters.AddWithValue("$a", action);
            command.Parameters.AddWithValue("$p", payloadJson);
            command.Parameters.AddWithValue("$t", localTransactionId);
            return (long)command.ExecuteScalar()!;
        }
    }

    public void Remove(long sequence) => Execute("DELETE FROM outbox WHERE seq = $s;", ("$s", sequence));

    public IReadOnlyList<StoredMessage> LoadMessages()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, action, payload, local_tx FROM outbox ORDER BY seq;";
            using var reader = command.ExecuteReader();
            var list = new List<StoredMessage>();
            while (reader.Read())
            {
                list.Add(new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
            }

            return list;
        }
    }

    public void SaveTransaction(StoredTransaction t)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO transactions
                    (local_id, connector_id, id_tag, meter_start, start_time, transaction_id, active, last_meter_wh, last_meter_time)
                VALUES ($l, $c, $i, $ms, $st, $tx, $a, $lw, $lt);
                """;
            command.Parameters.AddWithValue("$l", t.LocalId);
            command.Parameters.AddWithValue("$c", t.ConnectorId);
            command.Parameters.AddWithValue("$i", t.IdTag);
            command.Parameters.AddWithValue("$ms", t.MeterStartWh);
            command.Parameters.AddWithValue("$st", t.StartTime.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$tx", (object?)t.TransactionId ?? DBNull.Value);
            command.Parameters.AddWithValue("$a", t.Active ? 1 : 0);
            command.Parameters.AddWithValue("$lw", (object?)t.LastMeterWh ?? DBNull.Value);
            command.Parameters.AddWithValue("$lt", (object?)t.LastMeterTime?.ToString("O", CultureInfo.InvariantCulture) ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    public void DeleteTransaction(int localId) => Execute("DELETE FROM transactions WHERE local_id = $l;", ("$l", localId));

    public IReadOnlyList<StoredTransaction> LoadTransactions()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT local_id, connector_id, id_tag, meter_start, start_time, transaction_id, active, last_meter_wh, last_meter_time FROM transactions ORDER BY local_id;";
            using var reader = command.ExecuteReader();
            var list = new List<StoredTransaction>();
            while (reader.Read())
            {
                list.Add(new StoredTransaction(
                    reader.GetInt32(0),
                    reader.GetInt32(1),
                    reader.GetString(2),
                    reader.GetInt64(3),
                    DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                    reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    reader.GetInt32(6) != 0,
                    reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture)));
            }

            return list;
        }
    }

    public void SaveConfigurationValue(string key, string value)
        => Execute("INSERT OR REPLACE INTO configuration (key, value) VALUES ($k, $v);", ("$k", key), ("$v", value));

    public IReadOnlyDictionary<string, string> LoadConfigurationValues()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM configuration;";
            using var reader = command.ExecuteReader();
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetString(1);
            }

            return values;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    /// <summary>Runs one statement with its parameters under the store's lock.</summary>
    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }
    }
}
