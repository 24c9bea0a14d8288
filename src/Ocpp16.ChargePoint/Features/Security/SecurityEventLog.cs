using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Security;

/// <summary>One entry of the security log (collection <c>seclog</c>, key = sequence).</summary>
internal sealed record SecurityLogEntry(long Sequence, DateTimeOffset Timestamp, string Type, string? TechInfo, bool Critical);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SecurityLogEntry))]
internal sealed partial class SecurityLogJsonContext : JsonSerializerContext;

/// <summary>
/// The security events (Security Whitepaper ed. 3, A04 "Security Event Notification", and its table of events): every
/// event is written to the security log (a rolling log of the last <see cref="Capacity"/> entries in the charge point's
/// storage, uploaded by GetLog SecurityLog) and sent in a SecurityEventNotification. A critical event goes on the
/// durable lane in the same atomic write as its log entry, so it is never lost across offline periods or power loss;
/// the others are kept in memory while offline (the latest of each type) and sent when the connection is back.
/// </summary>
internal sealed class SecurityEventLog(ChargePointEngine engine) : ISecurityEventSink
{
    public const string Collection = "seclog";

    /// <summary>How many entries the security log keeps (the oldest go first).</summary>
    public const int Capacity = 1000;

    /// <summary>The security events of the whitepaper and whether each is critical.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Events = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["FirmwareUpdated"] = true,
        ["FailedToAuthenticateAtCentralSystem"] = false,
        ["CentralSystemFailedToAuthenticate"] = false,
        ["SettingSystemTime"] = true,
        ["StartupOfTheDevice"] = true,
        ["ResetOrReboot"] = true,
        ["SecurityLogWasCleared"] = true,
        ["ReconfigurationOfSecurityParameters"] = false,
        ["MemoryExhaustion"] = true,
        ["InvalidMessages"] = false,
        ["AttemptedReplayAttacks"] = false,
        ["TamperDetectionActivated"] = true,
        ["InvalidFirmwareSignature"] = false,
        ["InvalidFirmwareSigningCertificate"] = false,
        ["InvalidCentralSystemCertificate"] = false,
        ["InvalidChargePointCertificate"] = false,
        ["InvalidTLSVersion"] = false,
        ["InvalidTLSCipherSuite"] = false,
    };

    private readonly Queue<string> _keys = new();
    private long _nextSequence = 1;

    /// <summary>Loads the log's keys (before the first event).</summary>
    public void Load()
    {
        foreach (var (key, _) in engine.Storage.Load(Collection))
        {
            _keys.Enqueue(key);
            _nextSequence = Math.Max(_nextSequence, long.Parse(key, CultureInfo.InvariantCulture) + 1);
        }
    }

    /// <inheritdoc/>
    public void Report(string type, string? techInfo = null, bool? critical = null)
    {
        type = type.Length <= 50 ? type : type[..50];
        techInfo = techInfo is { Length: > 255 } ? techInfo[..255] : techInfo;
        var isCritical = critical ?? Events.GetValueOrDefault(type);
        var entry = new SecurityLogEntry(_nextSequence++, engine.Now, type, techInfo, isCritical);
        var key = entry.Sequence.ToString("D19", CultureInfo.InvariantCulture);
        var batch = new ChargePointStorageBatch().Put(Collection, key, JsonSerializer.SerializeToUtf8Bytes(entry, SecurityLogJsonContext.Default.SecurityLogEntry));
        var dropped = _keys.Count >= Capacity ? _keys.Peek() : null;
        if (dropped is not null)
        {
            batch.Delete(Collection, dropped);
        }

        var request = new SecurityEventNotificationRequest { Type = type, Timestamp = entry.Timestamp, TechInfo = techInfo };
        var durable = isCritical ? engine.Durable.Add(batch, request) : null;
        ChargePointLog.SecurityEvent(engine.Logger, engine.Identity, type, isCritical);
        try
        {
            engine.Storage.Write(batch);
            _keys.Enqueue(key);
            if (dropped is not null)
            {
                _keys.Dequeue();
            }
        }
        catch (ChargePointStorageException e)
        {
            // Not logged durably: still sent, as a non-critical event is.
            ChargePointLog.StateWriteFailed(engine.Logger, engine.Identity, "security log", e);
            durable = null;
        }

        if (durable is not null)
        {
            engine.Durable.Enqueue(durable);
        }
        else
        {
            engine.Outbox.Enqueue(new OutboxCall<SecurityEventNotificationResponse>(request) { KeptOffline = true, CoalesceKey = "SecurityEvent:" + type });
        }
    }

    /// <summary>Writes the entries between <paramref name="oldest"/> and <paramref name="latest"/> to a file (one line each: time, type, critical, techInfo) for GetLog SecurityLog.</summary>
    public async Task<string> WriteFileAsync(DateTimeOffset? oldest, DateTimeOffset? latest, int requestId)
    {
        var directory = engine.Options.FilesDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"security-log-{requestId}.log"));
        var text = new StringBuilder();
        foreach (var (_, value) in engine.Storage.Load(Collection))
        {
            var entry = JsonSerializer.Deserialize(value, SecurityLogJsonContext.Default.SecurityLogEntry);
            if (entry is null || (oldest is { } from && entry.Timestamp < from) || (latest is { } to && entry.Timestamp > to))
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{OcppDateTime.ToWireString(entry.Timestamp)} {entry.Type} critical={(entry.Critical ? "true" : "false")} {entry.TechInfo}").Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString()).ConfigureAwait(false);
        return path;
    }
}
