using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ocpp16.Transport.Internal;

/// <summary>
/// Makes a raw frame safe for the Trace log: the value of the <c>AuthorizationKey</c> configuration key (the HTTP Basic
/// password of security profiles 1 and 2, set by ChangeConfiguration and never to be read back) is replaced by
/// <c>***</c> wherever an object pairs <c>"key": "AuthorizationKey"</c> with a <c>"value"</c>.
/// </summary>
internal static class FrameRedaction
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Mask = "***";

    private static ReadOnlySpan<byte> AuthorizationKeyUtf8 => "AuthorizationKey"u8;

    /// <summary>The frame as text, with any <c>AuthorizationKey</c> value masked.</summary>
    /// <param name="frame">The UTF-8 frame.</param>
    /// <returns>The text to log.</returns>
    public static string ToLogText(ReadOnlySpan<byte> frame)
    {
        if (!ContainsIgnoreAsciiCase(frame, AuthorizationKeyUtf8))
        {
            return Encoding.UTF8.GetString(frame);
        }

        try
        {
            var root = JsonNode.Parse(frame);
            if (root is not null && Redact(root))
            {
                return root.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through and mask everything after the key name, to be safe.
        }

        var text = Encoding.UTF8.GetString(frame);
        var at = text.IndexOf("AuthorizationKey", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at + "AuthorizationKey".Length), Mask);
    }

    private static bool Redact(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue("key", out var key)
                    && key is JsonValue keyValue
                    && keyValue.TryGetValue<string>(out var name)
                    && string.Equals(name, "AuthorizationKey", StringComparison.OrdinalIgnoreCase)
                    && obj.ContainsKey("value"))
                {
                    obj["value"] = Mask;
                    changed = true;
                }

                foreach (var (_, child) in obj)
                {
                    if (child is not null && child is not JsonValue)
                    {
                        changed |= Redact(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null && child is not JsonValue)
                    {
                        changed |= Redact(child);
                    }
                }

                break;
        }

        return changed;
    }

    private static bool ContainsIgnoreAsciiCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(i, needle.Length), needle))
            {
                return true;
            }
        }

        return false;
    }
}
