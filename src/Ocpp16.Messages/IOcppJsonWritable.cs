using System.Text.Json;

namespace Ocpp16.Messages;

/// <summary>
/// A value that writes itself as one JSON value (an OCPP payload object) to a <see cref="Utf8JsonWriter"/>.
/// Implemented by every generated message type; the transport uses it to write payloads straight into frames.
/// </summary>
public interface IOcppJsonWritable
{
    /// <summary>
    /// Writes this value as a JSON object, properties in the schema's order, optional properties that are
    /// <see langword="null"/> omitted, timestamps in UTC with milliseconds and <c>Z</c>.
    /// </summary>
    /// <param name="writer">The writer, positioned where a JSON value may be written.</param>
    void WriteTo(Utf8JsonWriter writer);
}
