using System.Text;
using Ocpp16.Messages;

namespace Ocpp16.Transport;

/// <summary>How an outbound CALL ended.</summary>
public enum OcppCallStatus
{
    /// <summary>The peer answered with a CALLRESULT; <see cref="OcppCallResult.Payload"/> holds its payload.</summary>
    Result,

    /// <summary>The peer answered with a CALLERROR; see <see cref="OcppCallResult.ErrorCode"/>.</summary>
    Error,

    /// <summary>No answer arrived within the call timeout; a late answer will be dropped.</summary>
    Timeout,

    /// <summary>The connection closed (or was already closed) before an answer arrived.</summary>
    Disconnected,
}

/// <summary>
/// The outcome of <see cref="OcppRpcConnection.CallAsync"/> as a value (OCPP-J 1.6 §4.2.2, §4.2.3): a CALLRESULT payload,
/// a CALLERROR, a timeout or a disconnect. <see cref="EnsureSuccess"/> converts the failures to exceptions.
/// </summary>
public sealed class OcppCallResult
{
    private OcppCallResult(OcppCallStatus status, string uniqueId, string action, TimeSpan timeout)
    {
        Status = status;
        UniqueId = uniqueId;
        Action = action;
        Timeout = timeout;
    }

    /// <summary>How the call ended.</summary>
    public OcppCallStatus Status { get; }

    /// <summary><see langword="true"/> when <see cref="Status"/> is <see cref="OcppCallStatus.Result"/>.</summary>
    public bool IsSuccess => Status == OcppCallStatus.Result;

    /// <summary>The unique id of the CALL (at most 36 characters).</summary>
    public string UniqueId { get; }

    /// <summary>The action of the CALL.</summary>
    public string Action { get; }

    /// <summary>The timeout that applied to the call.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// The UTF-8 JSON payload of the CALLRESULT (normally an object), copied from the receive buffer so it stays valid;
    /// empty unless <see cref="Status"/> is <see cref="OcppCallStatus.Result"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Payload { get; private init; }

    /// <summary>The CALLERROR code when <see cref="Status"/> is <see cref="OcppCallStatus.Error"/>; an unknown code maps to <see cref="OcppErrorCode.GenericError"/>.</summary>
    public OcppErrorCode ErrorCode { get; private init; }

    /// <summary>The errorCode string exactly as received, or <see langword="null"/> when not a CALLERROR.</summary>
    public string? RawErrorCode { get; private init; }

    /// <summary>The errorDescription of the CALLERROR, or <see langword="null"/> when not a CALLERROR.</summary>
    public string? ErrorDescription { get; private init; }

    /// <summary>The errorDetails JSON of the CALLERROR (copied; empty when absent).</summary>
    public ReadOnlyMemory<byte> ErrorDetails { get; private init; }

    /// <summary>Returns the CALLRESULT payload, or throws the exception that describes the failure.</summary>
    /// <returns><see cref="Payload"/>.</returns>
    /// <exception cref="OcppCallErrorException">The peer answered with a CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before an answer arrived.</exception>
    public ReadOnlyMemory<byte> EnsureSuccess() => Status switch
    {
        OcppCallStatus.Result => Payload,
        OcppCallStatus.Error => throw new OcppCallErrorException(
            ErrorCode,
            ErrorDescription ?? string.Empty,
            ErrorDetails.IsEmpty || IsEmptyObject(ErrorDetails.Span) ? null : Encoding.UTF8.GetString(ErrorDetails.Span),
            RawErrorCode),
        OcppCallStatus.Timeout => throw new OcppTimeoutException(Action, Timeout),
        _ => throw new OcppConnectionClosedException("The connection closed before the OCPP call '" + Action + "' was answered."),
    };

    /// <summary>
    /// A CALLRESULT (for transports and routers that carry a call's outcome elsewhere, e.g. between the nodes of a
    /// Central System cluster).
    /// </summary>
    /// <param name="uniqueId">The unique id of the CALL.</param>
    /// <param name="action">The action of the CALL.</param>
    /// <param name="timeout">The timeout that applied.</param>
    /// <param name="payload">The UTF-8 JSON payload of the CALLRESULT, a JSON object (OCPP-J 1.6 §4.2.2; copied, and
    /// validated only when the result is read against its response type).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uniqueId"/> or <paramref name="action"/> is <see langword="null"/>.</exception>
    public static OcppCallResult FromResult(string uniqueId, string action, TimeSpan timeout, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(uniqueId);
        ArgumentNullException.ThrowIfNull(action);
        return new(OcppCallStatus.Result, uniqueId, action, timeout) { Payload = payload.ToArray() };
    }

    /// <summary>A CALLERROR (OCPP-J 1.6 §4.2.3), as <see cref="FromResult"/>.</summary>
    /// <param name="uniqueId">The unique id of the CALL.</param>
    /// <param name="action">The action of the CALL.</param>
    /// <param name="timeout">The timeout that applied.</param>
    /// <param name="rawCode">The errorCode as received (an unknown code maps to GenericError in <see cref="ErrorCode"/>).</param>
    /// <param name="description">The errorDescription.</param>
    /// <param name="details">The errorDetails JSON, a JSON object (OCPP-J 1.6 §4.2.3; copied; empty for none).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uniqueId"/>, <paramref name="action"/> or <paramref name="rawCode"/> is <see langword="null"/>.</exception>
    public static OcppCallResult FromError(string uniqueId, string action, TimeSpan timeout, string rawCode, string? description, ReadOnlySpan<byte> details) =>
        new(OcppCallStatus.Error, uniqueId ?? throw new ArgumentNullException(nameof(uniqueId)), action ?? throw new ArgumentNullException(nameof(action)), timeout)
        {
            ErrorCode = OcppErrorCodes.Parse(rawCode ?? throw new ArgumentNullException(nameof(rawCode))),
            RawErrorCode = rawCode,
            ErrorDescription = description ?? string.Empty,
            ErrorDetails = details.IsEmpty ? ReadOnlyMemory<byte>.Empty : details.ToArray(),
        };

    /// <summary>No answer within the timeout, as <see cref="FromResult"/>.</summary>
    /// <param name="uniqueId">The unique id of the CALL.</param>
    /// <param name="action">The action of the CALL.</param>
    /// <param name="timeout">The timeout that passed.</param>
    /// <returns>The result.</returns>
    public static OcppCallResult FromTimeout(string uniqueId, string action, TimeSpan timeout) =>
        new(OcppCallStatus.Timeout, uniqueId, action, timeout);

    /// <summary>The connection closed (or was closed) before an answer, as <see cref="FromResult"/>.</summary>
    /// <param name="uniqueId">The unique id of the CALL.</param>
    /// <param name="action">The action of the CALL.</param>
    /// <param name="timeout">The timeout that applied.</param>
    /// <returns>The result.</returns>
    public static OcppCallResult FromDisconnect(string uniqueId, string action, TimeSpan timeout) =>
        new(OcppCallStatus.Disconnected, uniqueId, action, timeout);

    private static bool IsEmptyObject(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).SequenceEqual("{}"u8);
}
