using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ocpp16.ChargePoint.Persistence;

/// <summary>A queued transaction message as stored by schema versions 1 and 2 (table <c>outbox</c>).</summary>
internal sealed record LegacyOutboxRecord(string Action, string Payload, int LocalTransactionId);

/// <summary>A transaction as stored by schema versions 1 and 2 (table <c>transactions</c>).</summary>
internal sealed record LegacyTransactionRecord(
    int LocalId,
    int ConnectorId,
    string IdTag,
    long MeterStart,
    DateTimeOffset StartTime,
    int? TransactionId,
    bool Active,
    long? LastMeter,
    DateTimeOffset? LastMeterTime);

/// <summary>The records of the storage layer itself (configuration values and the rows of old schemas).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(LegacyOutboxRecord))]
[JsonSerializable(typeof(LegacyTransactionRecord))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
