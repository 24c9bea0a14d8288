using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Cluster;

/// <summary>The kinds of cluster messages.</summary>
internal static class ClusterKinds
{
    /// <summary>Broadcast every HeartbeatInterval: the node is alive.</summary>
    public const string Alive = "alive";

    /// <summary>Broadcast by a starting node: every node answers with what it owns.</summary>
    public const string Sync = "sync";

    /// <summary>Broadcast: a charge point connected to the sender (it owns it now).</summary>
    public const string Owned = "owned";

    /// <summary>Broadcast: a charge point's connection to the sender closed.</summary>
    public const string Released = "released";

    /// <summary>Broadcast: the session state of a charge point the sender owns changed.</summary>
    public const string Session = "session";

    /// <summary>Sent to the owner: make a CALL to one of its charge points.</summary>
    public const string Call = "call";

    /// <summary>Sent to the caller: the outcome of a routed CALL.</summary>
    public const string Reply = "reply";

    /// <summary>Sent to the owner: close a charge point's connection.</summary>
    public const string Close = "close";

    /// <summary>Broadcast by a stopping node: forget its charge points now.</summary>
    public const string Left = "left";
}

/// <summary>One cluster message (every kind; the fields a kind does not use are absent).</summary>
internal sealed class ClusterMessage
{
    public required string Kind { get; init; }

    public required string Node { get; init; }

    public string? ChargePoint { get; init; }

    public DateTimeOffset? ConnectedAt { get; init; }

    public string? RemoteAddress { get; init; }

    public SessionSnapshot? Session { get; init; }

    public string? RequestId { get; init; }

    public string? Action { get; init; }

    public string? Payload { get; init; }

    /// <summary>A routed CALL's timeout in milliseconds; 0 for Timeout.InfiniteTimeSpan.</summary>
    public long TimeoutMs { get; init; }

    public string? Status { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorDescription { get; init; }

    public string? ErrorDetails { get; init; }
}

/// <summary>A <see cref="ChargePointSession"/> as carried between nodes.</summary>
internal sealed class SessionSnapshot
{
    public string? BootNotification { get; init; }

    public DateTimeOffset? BootedAt { get; init; }

    public RegistrationStatus? RegistrationStatus { get; init; }

    public double? IntervalSeconds { get; init; }

    public DateTimeOffset? LastHeartbeat { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    public List<ConnectorStatus> Connectors { get; init; } = [];

    public TransferStatus? FirmwareStatus { get; init; }

    public TransferStatus? DiagnosticsStatus { get; init; }

    public TransferStatus? LogStatus { get; init; }

    public CertificateSignedStatus? CertificateSignedStatus { get; init; }

    /// <summary>All the security events kept, or <see langword="null"/> when they did not change (not carried).</summary>
    public List<ChargePointSecurityEvent>? SecurityEvents { get; init; }
}

/// <summary>Reply statuses of a routed CALL.</summary>
internal static class ReplyStatus
{
    public const string Result = "result";
    public const string Error = "error";
    public const string Timeout = "timeout";
    public const string Disconnected = "disconnected";

    /// <summary>The node does not hold the charge point (it moved, or went): the CALL was not sent.</summary>
    public const string NotHeld = "notheld";

    /// <summary>The owner's registration policy forbids the action now (a local call throws InvalidOperationException).</summary>
    public const string Refused = "refused";

    /// <summary>The owner could not read the request (a local call throws ArgumentException).</summary>
    public const string Invalid = "invalid";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterMessage))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;

/// <summary>Cluster messages to and from UTF-8 JSON.</summary>
internal static class ClusterJson
{
    public static byte[] Serialize(ClusterMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, ClusterJsonContext.Default.ClusterMessage);

    public static ClusterMessage? Deserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ClusterJsonContext.Default.ClusterMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An OCPP payload as JSON text (the generated writer).</summary>
    public static string Payload(IOcppJsonWritable payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            payload.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
