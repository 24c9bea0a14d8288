using System.Text.Json;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Framing;

/// <summary>The kind of a parsed frame.</summary>
internal enum OcppFrameKind
{
    /// <summary>The frame is malformed; see <see cref="OcppFrame.Reason"/> and <see cref="OcppFrame.ReplyId"/>.</summary>
    Invalid,

    /// <summary>A well-formed array whose MessageTypeId is an integer other than 2, 3 or 4 (OCPP-J 1.6 §4.1.3: ignore).</summary>
    UnknownType,

    /// <summary>CALL <c>[2,"id","Action",{payload}]</c>.</summary>
    Call,

    /// <summary>CALLRESULT <c>[3,"id",{payload}]</c>.</summary>
    CallResult,

    /// <summary>CALLERROR <c>[4,"id","code","description",{details}]</c>.</summary>
    CallError,
}

/// <summary>
/// The fields of one received frame: strings for the unique id, action and error fields, byte ranges (into the frame)
/// for the payload and the error details.
/// </summary>
internal readonly struct OcppFrame
{
    public OcppFrameKind Kind { get; init; }

    public int MessageTypeId { get; init; }

    public string? UniqueId { get; init; }

    public string? Action { get; init; }

    /// <summary>CALL/CALLRESULT payload range, or CALLERROR errorDetails range (length 0 when absent).</summary>
    public int PayloadOffset { get; init; }

    public int PayloadLength { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorDescription { get; init; }

    /// <summary>For <see cref="OcppFrameKind.Invalid"/>: why (a static string, safe to send as errorDescription).</summary>
    public string? Reason { get; init; }

    /// <summary>For <see cref="OcppFrameKind.Invalid"/>: the id to answer with a CALLERROR, or <see langword="null"/> for no reply.</summary>
    public string? ReplyId { get; init; }

    /// <summary>For <see cref="OcppFrameKind.Invalid"/> with a <see cref="ReplyId"/>: the CALLERROR code to send.</summary>
    public OcppErrorCode ReplyCode { get; init; }
}

/// <summary>
/// Parses OCPP-J 1.6 frames (§4) with a <see cref="Utf8JsonReader"/>. Never throws: malformed input is reported as an
/// <see cref="OcppFrameKind.Invalid"/> frame carrying the reason and, for a CALL whose unique id could be recovered,
/// the id and code of the CALLERROR to answer (see docs/wire-behaviour.md).
/// </summary>
internal static class OcppFrameParser
{
    /// <summary>OCPP-J 1.6 §4.1.4: the unique id is at most 36 characters.</summary>
    public const int MaxUniqueIdLength = 36;

    internal const string ReasonNotJson = "Frame is not valid JSON";
    internal const string ReasonNotArray = "Frame is not a JSON array";
    internal const string ReasonBadTypeId = "MessageTypeId is not an integer";
    internal const string ReasonIdNotString = "Unique id is not a string";
    internal const string ReasonIdEmpty = "Unique id is empty";
    internal const string ReasonIdTooLong = "Unique id is longer than 36 characters";
    internal const string ReasonActionNotString = "Action is missing or not a string";
    internal const string ReasonActionEmpty = "Action is empty";
    internal const string ReasonPayloadNotObject = "Payload is not a JSON object";
    internal const string ReasonExtraElements = "Frame has too many elements";
    internal const string ReasonResultPayloadMissing = "CALLRESULT has no payload";
    internal const string ReasonErrorCodeNotString = "CALLERROR errorCode is not a string";
    internal const string ReasonErrorDescriptionNotString = "CALLERROR errorDescription is not a string";

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static OcppFrame Parse(ReadOnlySpan<byte> frame)
    {
        var typeId = 0;
        string? uniqueId = null;
        try
        {
            var reader = new Utf8JsonReader(frame, isFinalBlock: true, new JsonReaderState(s_readerOptions));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return Invalid(ReasonNotArray);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out typeId))
            {
                return Invalid(ReasonBadTypeId);
            }

            if (typeId is not (OcppFrameWriter.CallTypeId or OcppFrameWriter.CallResultTypeId or OcppFrameWriter.CallErrorTypeId))
            {
                return new OcppFrame { Kind = OcppFrameKind.UnknownType, MessageTypeId = typeId };
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return Invalid(ReasonIdNotString);
            }

            uniqueId = reader.GetString()!;
            return typeId switch
            {
                OcppFrameWriter.CallTypeId => ParseCall(ref reader, uniqueId),
                OcppFrameWriter.CallResultTypeId => ParseCallResult(ref reader, uniqueId),
                _ => ParseCallError(ref reader, uniqueId),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Malformed JSON (or invalid UTF-8 in a string). Answer a CALL whose id was recovered.
            return Invalid(ReasonNotJson, typeId == OcppFrameWriter.CallTypeId ? uniqueId : null, OcppErrorCode.FormationViolation);
        }
    }

    private static OcppFrame ParseCall(ref Utf8JsonReader reader, string uniqueId)
    {
        if (uniqueId.Length == 0)
        {
            return Invalid(ReasonIdEmpty, uniqueId, OcppErrorCode.FormationViolation);
        }

        if (uniqueId.Length > MaxUniqueIdLength)
        {
            return Invalid(ReasonIdTooLong, uniqueId, OcppErrorCode.PropertyConstraintViolation);
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return Invalid(ReasonActionNotString, uniqueId, OcppErrorCode.FormationViolation);
        }

        var action = KnownActions.Get(ref reader);
        if (action.Length == 0)
        {
            return Invalid(ReasonActionEmpty, uniqueId, OcppErrorCode.FormationViolation);
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid(ReasonPayloadNotObject, uniqueId, OcppErrorCode.FormationViolation);
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        if (!ReadEnd(ref reader))
        {
            return Invalid(ReasonExtraElements, uniqueId, OcppErrorCode.FormationViolation);
        }

        return new OcppFrame
        {
            Kind = OcppFrameKind.Call,
            MessageTypeId = OcppFrameWriter.CallTypeId,
            UniqueId = uniqueId,
            Action = action,
            PayloadOffset = start,
            PayloadLength = end - start,
        };
    }

    private static OcppFrame ParseCallResult(ref Utf8JsonReader reader, string uniqueId)
    {
        // Any JSON value is passed on: the layer above validates the response payload and names the violation.
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return Invalid(ReasonResultPayloadMissing);
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        if (!ReadEnd(ref reader))
        {
            return Invalid(ReasonExtraElements);
        }

        return new OcppFrame
        {
            Kind = OcppFrameKind.CallResult,
            MessageTypeId = OcppFrameWriter.CallResultTypeId,
            UniqueId = uniqueId,
            PayloadOffset = start,
            PayloadLength = end - start,
        };
    }

    private static OcppFrame ParseCallError(ref Utf8JsonReader reader, string uniqueId)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return Invalid(ReasonErrorCodeNotString);
        }

        var code = reader.GetString()!;
        string? description = null;
        int start = 0, end = 0;
        if (!reader.Read())
        {
            return Invalid(ReasonNotJson);
        }

        // Lenient: errorDescription may be null, errorDetails may be absent.
        if (reader.TokenType == JsonTokenType.String)
        {
            description = reader.GetString();
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            return reader.TokenType == JsonTokenType.EndArray && ReadEnd(ref reader, alreadyAtEnd: true)
                ? CallError(uniqueId, code, null, 0, 0)
                : Invalid(ReasonErrorDescriptionNotString);
        }

        if (!reader.Read())
        {
            return Invalid(ReasonNotJson);
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return ReadEnd(ref reader, alreadyAtEnd: true) ? CallError(uniqueId, code, description, 0, 0) : Invalid(ReasonNotJson);
        }

        start = (int)reader.TokenStartIndex;
        reader.Skip();
        end = (int)reader.BytesConsumed;
        if (!ReadEnd(ref reader))
        {
            return Invalid(ReasonExtraElements);
        }

        return CallError(uniqueId, code, description, start, end - start);
    }

    private static OcppFrame CallError(string uniqueId, string code, string? description, int start, int length) => new()
    {
        Kind = OcppFrameKind.CallError,
        MessageTypeId = OcppFrameWriter.CallErrorTypeId,
        UniqueId = uniqueId,
        ErrorCode = code,
        ErrorDescription = description ?? string.Empty,
        PayloadOffset = start,
        PayloadLength = length,
    };

    /// <summary>Reads the closing bracket of the frame and checks that nothing but whitespace follows it.</summary>
    private static bool ReadEnd(ref Utf8JsonReader reader, bool alreadyAtEnd = false)
    {
        if (!alreadyAtEnd && (!reader.Read() || reader.TokenType != JsonTokenType.EndArray))
        {
            return false;
        }

        // At depth 0 a further Read() either returns false (end of input) or throws for trailing garbage.
        return !reader.Read();
    }

    private static OcppFrame Invalid(string reason, string? replyId = null, OcppErrorCode replyCode = OcppErrorCode.FormationViolation) => new()
    {
        Kind = OcppFrameKind.Invalid,
        Reason = reason,
        ReplyId = replyId,
        ReplyCode = replyCode,
    };
}
