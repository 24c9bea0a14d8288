using Microsoft.Data.Sqlite;

namespace MinimalCsms.Persistence;

/// <summary>
/// The CSMS's SQLite database (<c>csms.db</c> in the data directory, created on first run): charge points seen with
/// their boot information, connector statuses, transactions, meter values, idTags and local list versions. The schema
/// is versioned with <c>PRAGMA user_version</c>; <see cref="Migrations"/> brings an older file up to date at start. WAL
/// journal: readers (the HTTP API) never wait for the writer (<see cref="CsmsWriter"/>).
/// </summary>
internal sealed class CsmsDatabase
{
    /// <summary>Schema migrations, in order: migration i takes the database from version i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE charge_points (
            id TEXT PRIMARY KEY,
            vendor TEXT, model TEXT, serial_number TEXT, firmware_version TEXT,
            registration_status TEXT,
            first_seen TEXT NOT NULL, last_boot TEXT, last_heartbeat TEXT,
            diagnostics_status TEXT, firmware_status TEXT);
        CREATE TABLE connector_status (
            charge_point_id TEXT NOT NULL, connector_id INTEGER NOT NULL,
            status TEXT NOT NULL, error_code TEXT NOT NULL, info TEXT, timestamp TEXT NOT NULL,
            PRIMARY KEY (charge_point_id, connector_id));
        CREATE TABLE transactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            charge_point_id TEXT NOT NULL, connector_id INTEGER NOT NULL,
            id_tag TEXT NOT NULL, id_tag_status TEXT NOT NULL,
            start_time TEXT NOT NULL, meter_start INTEGER NOT NULL,
            stop_time TEXT, meter_stop INTEGER, stop_reason TEXT,
            last_energy_wh REAL, meter_values_count INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX transactions_active ON transactions (charge_point_id) WHERE stop_time IS NULL;
        CREATE TABLE meter_values (
            id INTEGER PRIMARY KEY,
            charge_point_id TEXT NOT NULL, connector_id INTEGER NOT NULL, transaction_id INTEGER,
            timestamp TEXT NOT NULL, meter_value TEXT NOT NULL);
        CREATE INDEX meter_values_transaction ON meter_values (transaction_id);
        CREATE TABLE id_tags (
            id_tag TEXT PRIMARY KEY, status TEXT NOT NULL, expiry_date TEXT, parent_id_tag TEXT,
            allow_concurrent INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE local_lists (
            charge_point_id TEXT PRIMARY KEY, version INTEGER NOT NULL, entries TEXT NOT NULL);
        """,
        """
        CREATE TABLE security_events (
            id INTEGER PRIMARY KEY, charge_point_id TEXT NOT NULL, type TEXT NOT NULL, timestamp TEXT NOT NULL, tech_info TEXT);
        """,
    ];

    static CsmsDatabase() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating when missing) the database in <paramref name="dataDirectory"/> and migrates it.</summary>
    public CsmsDatabase(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), "csms.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");

        // The version is read inside the write transaction (BEGIN IMMEDIATE): nodes of a cluster that share the data
        // directory and start together migrate once, one after the other.
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;", transaction), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = version; i < Migrations.Length; i++)
            {
                Execute(connection, Migrations[i], transaction);
                Execute(connection, $"PRAGMA user_version = {i + 1};", transaction);
            }

            transaction.Commit();
        }

        SchemaVersion = Migrations.Length;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version after migration.</summary>
    public int SchemaVersion { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a new connection (WAL, normal synchronous mode, foreign keys off).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
