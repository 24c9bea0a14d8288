using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Ocpp16.ChargePoint.Persistence;

/// <summary>
/// The default durable storage: one SQLite database <c>ocpp16-chargepoint.db</c> in a folder, in WAL mode with
/// <c>synchronous=FULL</c>, so a batch that <see cref="Write"/> returned from survives a power loss, and one SQLite
/// transaction per batch, so a crash never leaves half of one. The schema is versioned (<c>PRAGMA user_version</c>) and
/// migrated on open; databases of every earlier version of this library open and keep their queued transaction
/// messages and configuration values.
/// </summary>
/// <remarks>
/// Schema version 3: one table <c>records(collection, key, value)</c>. Versions 1 and 2 (user_version 0) had the tables
/// <c>outbox</c> and <c>transactions</c> (and, from version 2, <c>configuration</c>); their rows move into the
/// collections <c>legacy.outbox</c>, <c>legacy.transactions</c> and <c>config</c>, where the engine picks them up.
/// Not thread-safe by itself: the engine calls it from its loop only.
/// </remarks>
public sealed class SqliteChargePointStorage : IChargePointStorage
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "ocpp16-chargepoint.db";

    /// <summary>The schema version this library writes.</summary>
    public const int SchemaVersion = 3;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _put;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _clear;
    private readonly SqliteCommand _load;
    private bool _disposed;

    static SqliteChargePointStorage() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (or creates) the database in <paramref name="dataDirectory"/>, migrating an older schema.</summary>
    /// <param name="dataDirectory">The folder; created when missing.</param>
    /// <exception cref="ChargePointStorageException">The database cannot be opened or migrated, or is of a newer version.</exception>
    public SqliteChargePointStorage(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        try
        {
            Directory.CreateDirectory(dataDirectory);
            Path = System.IO.Path.Combine(dataDirectory, FileName);
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=FULL;");
            Migrate();
            _put = Prepare("INSERT OR REPLACE INTO records (collection, key, value) VALUES ($c, $k, $v);", "$c", "$k", "$v");
            _delete = Prepare("DELETE FROM records WHERE collection = $c AND key = $k;", "$c", "$k");
            _clear = Prepare("DELETE FROM records WHERE collection = $c;", "$c");
            _load = Prepare("SELECT key, value FROM records WHERE collection = $c ORDER BY key;", "$c");
        }
        catch (SqliteException e)
        {
            _connection?.Dispose();
            throw new ChargePointStorageException($"The charge point database in '{dataDirectory}' cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Load(string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        lock (_gate)
        {
            ThrowIfDisposed();
            try
            {
                _load.Parameters[0].Value = collection;
                using var reader = _load.ExecuteReader();
                var records = new List<KeyValuePair<string, byte[]>>();
                while (reader.Read())
                {
                    records.Add(new KeyValuePair<string, byte[]>(reader.GetString(0), (byte[])reader.GetValue(1)));
                }

                return records;
            }
            catch (SqliteException e)
            {
                throw new ChargePointStorageException($"Reading '{collection}' failed: {e.Message}", e);
            }
        }
    }

    /// <inheritdoc/>
    public void Write(ChargePointStorageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            SqliteTransaction? transaction = null;
            try
            {
                transaction = _connection.BeginTransaction();
                foreach (var write in batch.Writes)
                {
                    var command = write.Kind switch
                    {
                        ChargePointStorageWriteKind.Put => _put,
                        ChargePointStorageWriteKind.Delete => _delete,
                        _ => _clear,
                    };
                    command.Transaction = transaction;
                    command.Parameters[0].Value = write.Collection;
                    if (write.Kind != ChargePointStorageWriteKind.Clear)
                    {
                        command.Parameters[1].Value = write.Key;
                    }

                    if (write.Kind == ChargePointStorageWriteKind.Put)
                    {
                        command.Parameters[2].Value = write.Value;
                    }

                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException e)
            {
                try
                {
                    transaction?.Rollback();
                }
                catch (SqliteException)
                {
                    // The transaction is gone with the failure; nothing was committed.
                }

                throw new ChargePointStorageException($"Writing to the charge point database failed: {e.Message}", e);
            }
            finally
            {
                transaction?.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _put.Dispose();
            _delete.Dispose();
            _clear.Dispose();
            _load.Dispose();
            _connection.Dispose();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ChargePointStorageException("The charge point database is closed.");
        }
    }

    private void Migrate()
    {
        var version = Convert.ToInt32(Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new ChargePointStorageException($"The charge point database '{Path}' has schema version {version}; this library knows up to {SchemaVersion}. Use a newer library or another data directory.");
        }

        if (version == SchemaVersion)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        Execute("CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID;", transaction);

        // Versions 1 and 2 (user_version 0): tables outbox, transactions and (2) configuration.
        if (TableExists("outbox", transaction))
        {
            CopyRows(transaction, "SELECT seq, action, payload, local_tx FROM outbox ORDER BY seq;", "legacy.outbox", r => (
                r.GetInt64(0).ToString("D19", CultureInfo.InvariantCulture),
                JsonSerializer.SerializeToUtf8Bytes(new LegacyOutboxRecord(r.GetString(1), r.GetString(2), r.GetInt32(3)), StorageJsonContext.Default.LegacyOutboxRecord)));
            Execute("DROP TABLE outbox;", transaction);
        }

        if (TableExists("transactions", transaction))
        {
            CopyRows(transaction, "SELECT local_id, connector_id, id_tag, meter_start, start_time, transaction_id, active, last_meter_wh, last_meter_time FROM transactions ORDER BY local_id;", "legacy.transactions", r => (
                r.GetInt64(0).ToString("D10", CultureInfo.InvariantCulture),
                JsonSerializer.SerializeToUtf8Bytes(
                    new LegacyTransactionRecord(
                        r.GetInt32(0),
                        r.GetInt32(1),
                        r.GetString(2),
                        r.GetInt64(3),
                        DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                        r.IsDBNull(5) ? null : r.GetInt32(5),
                        r.GetInt64(6) != 0,
                        r.IsDBNull(7) ? null : r.GetInt64(7),
                        r.IsDBNull(8) ? null : DateTimeOffset.Parse(r.GetString(8), CultureInfo.InvariantCulture)),
                    StorageJsonContext.Default.LegacyTransactionRecord)));
            Execute("DROP TABLE transactions;", transaction);
        }

        if (TableExists("configuration", transaction))
        {
            CopyRows(transaction, "SELECT key, value FROM configuration;", "config", r => (r.GetString(0), JsonSerializer.SerializeToUtf8Bytes(r.GetString(1), StorageJsonContext.Default.String)));
            Execute("DROP TABLE configuration;", transaction);
        }

        Execute($"PRAGMA user_version = {SchemaVersion};", transaction);
        transaction.Commit();
    }

    private void CopyRows(SqliteTransaction transaction, string select, string collection, Func<SqliteDataReader, (string Key, byte[] Value)> map)
    {
        var rows = new List<(string Key, byte[] Value)>();
        using (var command = _connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = select;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }
        }

        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO records (collection, key, value) VALUES ($c, $k, $v);";
        var c = insert.Parameters.Add("$c", SqliteType.Text);
        var k = insert.Parameters.Add("$k", SqliteType.Text);
        var v = insert.Parameters.Add("$v", SqliteType.Blob);
        c.Value = collection;
        foreach (var (key, value) in rows)
        {
            k.Value = key;
            v.Value = value;
            insert.ExecuteNonQuery();
        }
    }

    private bool TableExists(string name, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $n;";
        command.Parameters.AddWithValue("$n", name);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
