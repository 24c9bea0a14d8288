using Microsoft.Extensions.Logging;

namespace Ocpp16.Transport.Internal;

/// <summary>
/// Source-generated log messages of Ocpp16.Transport. Event ids are unique and stable (1000–1999); they are listed in
/// README.md in this folder. Raw frames are logged at Trace only.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "ReceiveLoopStarted", Level = LogLevel.Debug, Message = "OCPP connection {Identity} ({RemoteAddress}): receive loop started")]
    public static partial void ReceiveLoopStarted(ILogger logger, string? identity, string? remoteAddress);

    [LoggerMessage(EventId = 1001, EventName = "ReceiveLoopEnded", Level = LogLevel.Debug, Message = "OCPP connection {Identity}: receive loop ended (close status {CloseStatus}, description {CloseDescription}, cancelled {IsCancelled})")]
    public static partial void ReceiveLoopEnded(ILogger logger, string? identity, System.Net.WebSockets.WebSocketCloseStatus? closeStatus, string? closeDescription, bool isCancelled);

    [LoggerMessage(EventId = 1002, EventName = "FrameReceived", Level = LogLevel.Trace, Message = "OCPP connection {Identity}: received {Frame}")]
    public static partial void FrameReceived(ILogger logger, string? identity, string frame);

    [LoggerMessage(EventId = 1003, EventName = "FrameSent", Level = LogLevel.Trace, Message = "OCPP connection {Identity}: sent {Frame}")]
    public static partial void FrameSent(ILogger logger, string? identity, string frame);

    [LoggerMessage(EventId = 1004, EventName = "BadFrame", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: bad frame of {FrameLength} bytes: {Reason} (answered with {ReplyCode} for id {UniqueId})")]
    public static partial void BadFrame(ILogger logger, string? identity, int frameLength, string reason, string? replyCode, string? uniqueId);

    [LoggerMessage(EventId = 1005, EventName = "UnknownMessageType", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: ignored a frame with unknown MessageTypeId {MessageTypeId}")]
    public static partial void UnknownMessageType(ILogger logger, string? identity, int messageTypeId);

    [LoggerMessage(EventId = 1006, EventName = "UnmatchedResponse", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: dropped a {FrameType} for {Expiry} unique id {UniqueId}")]
    public static partial void UnmatchedResponse(ILogger logger, string? identity, string frameType, string expiry, string uniqueId);

    [LoggerMessage(EventId = 1007, EventName = "CallTimedOut", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: CALL {Action} ({UniqueId}) received no response within {Timeout}")]
    public static partial void CallTimedOut(ILogger logger, string? identity, string action, string uniqueId, TimeSpan timeout);

    [LoggerMessage(EventId = 1008, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "OCPP connection {Identity}: the handler of {Action} ({UniqueId}) threw; answering InternalError")]
    public static partial void HandlerFailed(ILogger logger, string? identity, string action, string uniqueId, Exception exception);

    [LoggerMessage(EventId = 1009, EventName = "ResponseWriteFailed", Level = LogLevel.Error, Message = "OCPP connection {Identity}: writing the response to {Action} ({UniqueId}) failed; answering InternalError")]
    public static partial void ResponseWriteFailed(ILogger logger, string? identity, string action, string uniqueId, Exception exception);

    [LoggerMessage(EventId = 1010, EventName = "SendFailed", Level = LogLevel.Debug, Message = "OCPP connection {Identity}: sending a frame failed")]
    public static partial void SendFailed(ILogger logger, string? identity, Exception exception);

    [LoggerMessage(EventId = 1011, EventName = "TooManyBadFrames", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: {Count} bad frames in a row; closing with 1002 (ProtocolError)")]
    public static partial void TooManyBadFrames(ILogger logger, string? identity, int count);

    [LoggerMessage(EventId = 1012, EventName = "EventHandlerFailed", Level = LogLevel.Error, Message = "OCPP connection {Identity}: a {EventName} event handler threw")]
    public static partial void EventHandlerFailed(ILogger logger, string? identity, string eventName, Exception exception);

    [LoggerMessage(EventId = 1013, EventName = "ReceiveFailed", Level = LogLevel.Warning, Message = "OCPP connection {Identity}: receiving failed; the connection is considered lost")]
    public static partial void ReceiveFailed(ILogger logger, string? identity, Exception exception);

    [LoggerMessage(EventId = 1014, EventName = "CallErrorReceived", Level = LogLevel.Debug, Message = "OCPP connection {Identity}: CALL {Action} ({UniqueId}) answered with CALLERROR {ErrorCode}")]
    public static partial void CallErrorReceived(ILogger logger, string? identity, string action, string uniqueId, string errorCode);

    [LoggerMessage(EventId = 1015, EventName = "FrameProcessingFailed", Level = LogLevel.Error, Message = "OCPP connection {Identity}: unexpected failure while processing a frame; the frame is dropped")]
    public static partial void FrameProcessingFailed(ILogger logger, string? identity, Exception exception);
}
