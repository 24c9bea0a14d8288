using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ocpp16.CentralSystem.Toolkit;
using Ocpp16.Messages;

namespace MinimalCsms.Persistence;

/// <summary>What the CSMS keeps, over <see cref="CsmsDatabase"/>: writes go through the group-committing <see cref="CsmsWriter"/>, reads open their own connection.</summary>
internal sealed class CsmsStore(CsmsDatabase database, CsmsWriter writer) : IIdTagStore, ILocalListStore
{
    public CsmsDatabase Database => database;

    public CsmsWriter Writer => writer;

    private static string Time(DateTimeOffset value) => OcppDateTime.ToWireString(value);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static long Run(WriteContext w, string sql, params (string, object?)[] parameters) => w.Command(sql, parameters).ExecuteNonQuery();

    public Task SeenAsync(string chargePointId, DateTimeOffset now)
        => writer.WriteAsync(w => Run(w, "INSERT INTO charge_points (id, first_seen) VALUES ($id, $now) ON CONFLICT (id) DO NOTHING", ("$id", chargePointId), ("$now", Time(now))));

    public Task BootAsync(string chargePointId, BootNotificationRequest boot, RegistrationStatus status, DateTimeOffset now)
        => writer.WriteAsync(w => Run(w, """
            INSERT INTO charge_points (id, vendor, model, serial_number, firmware_version, registration_status, first_seen, last_boot)
            VALUES ($id, $vendor, $model, $serial, $firmware, $status, $now, $now)
            ON CONFLICT (id) DO UPDATE SET vendor = $vendor, model = $model, serial_number = $serial, firmware_version = $firmware,
                registration_status = $status, last_boot = $now
            """,
            ("$id", chargePointId), ("$vendor", boot.ChargePointVendor), ("$model", boot.ChargePointModel),
            ("$serial", boot.ChargePointSerialNumber ?? boot.ChargeBoxSerialNumber), ("$firmware", boot.FirmwareVersion),
            ("$status", status.ToWireString()), ("$now", Time(now))));

    public Task HeartbeatAsync(string chargePointId, DateTimeOffset now)
        => writer.WriteAsync(w => Run(w, "UPDATE charge_points SET last_heartbeat = $now WHERE id = $id", ("$id", chargePointId), ("$now", Time(now))));

    public Task StatusAsync(string chargePointId, StatusNotificationRequest status, DateTimeOffset now)
        => writer.WriteAsync(w => Run(w, """
            INSERT INTO connector_status (charge_point_id, connector_id, status, error_code, info, timestamp) VALUES ($id, $connector, $status, $error, $info, $time)
            ON CONFLICT (charge_point_id, connector_id) DO UPDATE SET status = $status, error_code = $error, info = $info, timestamp = $time
            """,
            ("$id", chargePointId), ("$connector", status.ConnectorId), ("$status", status.Status.ToWireString()),
            ("$error", status.ErrorCode.ToWireString()), ("$info", status.Info), ("$time", Time(status.Timestamp ?? now))));

    /// <summary>Records a new transaction; its id comes from SQLite's AUTOINCREMENT, which never reuses an id, also after a restart.</summary>
    public async Task<int> StartTransactionAsync(string chargePointId, StartTransactionRequest request, AuthorizationStatus status)
        => checked((int)await writer.WriteAsync(w =>
        {
            var command = w.Command("""
                INSERT INTO transactions (charge_point_id, connector_id, id_tag, id_tag_status, start_time, meter_start)
                VALUES ($id, $connector, $tag, $status, $start, $meter) RETURNING id
                """,
                ("$id", chargePointId), ("$connector", request.ConnectorId), ("$tag", request.IdTag), ("$status", status.ToWireString()),
                ("$start", Time(request.Timestamp)), ("$meter", request.MeterStart));
            return (long)command.ExecuteScalar()!;
        }).ConfigureAwait(false));

    /// <summary>Closes a transaction; one unknown here (e.g. started while the database was lost) is recorded from the StopTransaction alone.</summary>
    public Task StopTransactionAsync(string chargePointId, StopTransactionRequest request)
        => writer.WriteAsync(w =>
        {
            var updated = Run(w, "UPDATE transactions SET stop_time = $stop, meter_stop = $meter, stop_reason = $reason WHERE id = $tx",
                ("$tx", request.TransactionId), ("$stop", Time(request.Timestamp)), ("$meter", request.MeterStop), ("$reason", (request.Reason ?? Reason.Local).ToWireString()));
            if (updated == 0)
            {
                Run(w, """
                    INSERT INTO transactions (id, charge_point_id, connector_id, id_tag, id_tag_status, start_time, meter_start, stop_time, meter_stop, stop_reason)
                    VALUES ($tx, $id, 0, $tag, 'Accepted', $stop, $meter, $stop, $meter, $reason)
                    """,
                    ("$tx", request.TransactionId), ("$id", chargePointId), ("$tag", request.IdTag ?? string.Empty),
                    ("$stop", Time(request.Timestamp)), ("$meter", request.MeterStop), ("$reason", (request.Reason ?? Reason.Local).ToWireString()));
            }

            return updated;
        });

    /// <summary>
    /// Stores every meter value of a MeterValues.req, one row each (its timestamp, and the meter value with all its sampled
    /// values as OCPP JSON: values, measurands, phases, units, contexts), and updates its transaction's energy so far.
    /// </summary>
    public Task MeterValuesAsync(string chargePointId, MeterValuesRequest request, decimal? energyWh)
    {
        // Serialized here, on the handler's thread, so the writer's loop only binds and inserts.
        var rows = new (string Time, string SampledValues)[request.MeterValue.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var meterValue = request.MeterValue[i];
            rows[i] = (Time(meterValue.Timestamp), MeterValueJson(request, meterValue));
        }

        return writer.WriteAsync(w =>
        {
            foreach (var (time, sampled) in rows)
            {
                Run(w, """
                    INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, timestamp, meter_value)
                    VALUES ($id, $connector, $tx, $time, $sampled)
                    """,
                    ("$id", chargePointId), ("$connector", request.ConnectorId), ("$tx", request.TransactionId), ("$time", time), ("$sampled", sampled));
            }

            if (request.TransactionId is { } tx)
            {
                Run(w, "UPDATE transactions SET meter_values_count = meter_values_count + 1, last_energy_wh = COALESCE($energy, last_energy_wh) WHERE id = $tx",
                    ("$tx", tx), ("$energy", energyWh is { } e ? (double)e : null));
            }

            return rows.Length;
        });
    }

    /// <summary>One meter value as OCPP JSON: a MeterValues.req payload holding just that meter value.</summary>
    private static string MeterValueJson(MeterValuesRequest request, MeterValue meterValue)
    {
        var one = request.MeterValue.Count == 1 ? request : new MeterValuesRequest { ConnectorId = request.ConnectorId, TransactionId = request.TransactionId, MeterValue = [meterValue] };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            one.WriteTo(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public Task FirmwareStatusAsync(string chargePointId, string column, string status)
        => writer.WriteAsync(w => Run(w, $"UPDATE charge_points SET {column} = $status WHERE id = $id", ("$id", chargePointId), ("$status", status)));

    public Task SecurityEventAsync(string chargePointId, string type, DateTimeOffset timestamp, string? techInfo)
        => writer.WriteAsync(w => Run(w, "INSERT INTO security_events (charge_point_id, type, timestamp, tech_info) VALUES ($id, $type, $time, $info)",
            ("$id", chargePointId), ("$type", type), ("$time", Time(timestamp)), ("$info", techInfo)));

    /// <summary>Replaces the idTags with the configured ones (configuration is the source of truth in this sample).</summary>
    public Task SeedIdTagsAsync(IEnumerable<(string IdTag, AuthorizationStatus Status)> tags)
        => writer.WriteAsync(w =>
        {
            Run(w, "DELETE FROM id_tags");
            foreach (var (tag, status) in tags)
            {
                Run(w, "INSERT INTO id_tags (id_tag, status, allow_concurrent) VALUES ($tag, $status, 1)", ("$tag", tag), ("$status", status.ToWireString()));
            }

            return 0;
        });

    public async ValueTask<IdTagRecord?> FindAsync(string idTag, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, null, "SELECT status, expiry_date, parent_id_tag, allow_concurrent FROM id_tags WHERE id_tag = $tag", ("$tag", idTag));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var status = OcppEnums.TryParse(reader.GetString(0), out AuthorizationStatus s) ? s : AuthorizationStatus.Invalid;
        DateTimeOffset? expiry = reader.IsDBNull(1) ? null : DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        return new IdTagRecord(idTag, status, expiry, reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3) != 0);
    }

    public async ValueTask<int> CountActiveTransactionsAsync(string idTag, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, null, "SELECT COUNT(*) FROM transactions WHERE id_tag = $tag AND stop_time IS NULL", ("$tag", idTag));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async ValueTask<LocalListState?> GetAsync(string chargePointId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = Command(connection, null, "SELECT version, entries FROM local_lists WHERE charge_point_id = $id", ("$id", chargePointId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var entries = JsonSerializer.Deserialize(reader.GetString(1), ApiJsonContext.Default.DictionaryStringString) ?? [];
        return new LocalListState(reader.GetInt32(0), entries.ToDictionary(e => e.Key, e => new IdTagInfo { Status = OcppEnums.TryParse(e.Value, out AuthorizationStatus s) ? s : AuthorizationStatus.Invalid }));
    }

    public async ValueTask SaveAsync(string chargePointId, LocalListState state, CancellationToken cancellationToken)
    {
        var entries = JsonSerializer.Serialize(state.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToWireString()), ApiJsonContext.Default.DictionaryStringString);
        await writer.WriteAsync(w => Run(w, """
            INSERT INTO local_lists (charge_point_id, version, entries) VALUES ($id, $version, $entries)
            ON CONFLICT (charge_point_id) DO UPDATE SET version = $version, entries = $entries
            """, ("$id", chargePointId), ("$version", state.Version), ("$entries", entries))).ConfigureAwait(false);
    }

    public List<TransactionRow> Transactions(string? chargePointId = null)
    {
        using var connection = database.Open();
        using var command = Command(connection, null, """
            SELECT id, charge_point_id, connector_id, id_tag, id_tag_status, start_time, meter_start, stop_time, meter_stop, stop_reason, last_energy_wh, meter_values_count
            FROM transactions WHERE $cp IS NULL OR charge_point_id = $cp ORDER BY id
            """, ("$cp", chargePointId));
        using var reader = command.ExecuteReader();
        List<TransactionRow> rows = [];
        while (reader.Read())
        {
            rows.Add(new TransactionRow(
                reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : (decimal)reader.GetDouble(10), reader.GetInt32(11)));
        }

        return rows;
    }

    public List<ChargePointRow> ChargePoints()
    {
        using var connection = database.Open();
        using var command = Command(connection, null, "SELECT id, vendor, model, serial_number, firmware_version, registration_status, first_seen, last_boot, last_heartbeat, diagnostics_status, firmware_status FROM charge_points ORDER BY id");
        using var reader = command.ExecuteReader();
        List<ChargePointRow> rows = [];
        string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (reader.Read())
        {
            rows.Add(new ChargePointRow(reader.GetString(0), S(1), S(2), S(3), S(4), S(5), reader.GetString(6), S(7), S(8), S(9), S(10)));
        }

        return rows;
    }

    /// <summary>Meter values stored (one row per meter value of a MeterValues.req).</summary>
    public long CountMeterValues()
    {
        using var connection = database.Open();
        return (long)CsmsDatabase.Scalar(connection, "SELECT COUNT(*) FROM meter_values")!;
    }
}

internal sealed record TransactionRow(int TransactionId, string ChargePointId, int ConnectorId, string IdTag, string IdTagStatus, string StartTime, int MeterStart, string? StopTime, int? MeterStop, string? StopReason, decimal? LastMeterValueWh, int MeterValuesCount)
{
    public bool Active => StopTime is null;
}

internal sealed record ChargePointRow(string Id, string? Vendor, string? Model, string? SerialNumber, string? FirmwareVersion, string? RegistrationStatus, string FirstSeen, string? LastBoot, string? LastHeartbeat, string? DiagnosticsStatus, string? FirmwareStatus);
