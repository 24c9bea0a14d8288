using System.Text.Json;
using System.Text.Json.Serialization;
using MinimalCsms.Live;
using MinimalCsms.Persistence;
using Ocpp16.Messages;

namespace MinimalCsms;

/// <summary>An action the CSMS can send, for the dashboard's command form.</summary>
/// <param name="Name">The action, e.g. <c>RemoteStartTransaction</c>.</param>
/// <param name="Profile">Its feature profile.</param>
/// <param name="Example">An example request payload (JSON).</param>
internal sealed record ActionDescription(string Name, string Profile, string Example);

/// <summary>System.Text.Json source generation for the API's own (non-OCPP) types; OCPP payloads write themselves.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LiveEvent))]
[JsonSerializable(typeof(IReadOnlyList<MessageLogEntry>))]
[JsonSerializable(typeof(List<ChargePointRow>))]
[JsonSerializable(typeof(List<TransactionRow>))]
[JsonSerializable(typeof(List<ActionDescription>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>OCPP payloads as JSON text (for the message log) and JSON responses written with Utf8JsonWriter.</summary>
internal static class Json
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(IOcppJsonWritable payload) => System.Text.Encoding.UTF8.GetString(Bytes(payload.WriteTo));

    public static IResult Write(Action<Utf8JsonWriter> write) => Results.Bytes(Bytes(write), "application/json");

    public static byte[] Bytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
