using System.Text.Json;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Framing;

/// <summary>
/// Writes OCPP-J 1.6 frames (§4.2): <c>[2,"id","Action",{payload}]</c>, <c>[3,"id",{payload}]</c> and
/// <c>[4,"id","code","description",{details}]</c>, without whitespace. Payloads are written by
/// <see cref="IOcppJsonWritable.WriteTo"/> straight into the frame. Each method flushes the writer.
/// </summary>
internal static class OcppFrameWriter
{
    public const int CallTypeId = 2;
    public const int CallResultTypeId = 3;
    public const int CallErrorTypeId = 4;

    public static void WriteCall(Utf8JsonWriter writer, string uniqueId, string action, IOcppJsonWritable payload)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(CallTypeId);
        writer.WriteStringValue(uniqueId);
        writer.WriteStringValue(action);
        payload.WriteTo(writer);
        writer.WriteEndArray();
        writer.Flush();
    }

    public static void WriteCallResult(Utf8JsonWriter writer, string uniqueId, IOcppJsonWritable payload)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(CallResultTypeId);
        writer.WriteStringValue(uniqueId);
        payload.WriteTo(writer);
        writer.WriteEndArray();
        writer.Flush();
    }

    /// <summary>Writes a CALLERROR; <paramref name="details"/> <see langword="null"/> writes <c>{}</c>.</summary>
    public static void WriteCallError(Utf8JsonWriter writer, string uniqueId, string errorCode, string? errorDescription, IOcppJsonWritable? details)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(CallErrorTypeId);
        writer.WriteStringValue(uniqueId);
        writer.WriteStringValue(errorCode);
        writer.WriteStringValue(errorDescription ?? string.Empty);
        if (details is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            details.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.Flush();
    }
}

/// <summary>An <see cref="IOcppJsonWritable"/> over raw JSON text (used for errorDetails given as text).</summary>
internal sealed class RawJsonWritable : IOcppJsonWritable
{
    private readonly string _json;

    public RawJsonWritable(string json) => _json = json;

    public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(_json);
}
