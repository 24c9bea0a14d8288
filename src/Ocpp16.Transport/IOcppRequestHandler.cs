using System.Net.WebSockets;
using Ocpp16.Messages;

namespace Ocpp16.Transport;

/// <summary>
/// Answers the CALLs an <see cref="OcppRpcConnection"/> receives from its peer (OCPP-J 1.6 §4.2.1).
/// </summary>
/// <remarks>
/// <para><b>Payload lifetime contract.</b> <see cref="OcppIncomingCall.Payload"/> points into the connection's receive
/// buffer and is valid only during the synchronous part of <see cref="HandleAsync"/>, i.e. until it returns its
/// <see cref="ValueTask{TResult}"/>. Parse (or copy) the payload before the first <see langword="await"/>.</para>
/// <para><b>Threading.</b> <see cref="HandleAsync"/> is invoked on the connection's receive loop. When the returned
/// task is not yet completed, the connection awaits it off the receive loop and keeps receiving, so a handler may itself
/// make a CALL (<see cref="OcppRpcConnection.CallAsync"/>) without deadlocking. A handler completing synchronously is
/// answered before the next frame is read.</para>
/// <para><b>Errors.</b> Return <see cref="OcppResponse.Error"/> or throw <see cref="OcppCallErrorException"/> to choose
/// the CALLERROR code; any other exception is answered with InternalError and a generic description (the exception
/// message only when <see cref="OcppRpcOptions.DetailedErrors"/> is on). The cancellation token is cancelled when the
/// connection ends; an <see cref="OperationCanceledException"/> then sends no answer.</para>
/// </remarks>
public interface IOcppRequestHandler
{
    /// <summary>Handles one incoming CALL and produces its CALLRESULT or CALLERROR.</summary>
    /// <param name="call">The unique id, action and raw payload of the CALL (payload valid only until this method returns its task).</param>
    /// <param name="cancellationToken">Cancelled when the connection ends.</param>
    /// <returns>The response to send.</returns>
    ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken);
}

/// <summary>
/// One CALL received from the peer (OCPP-J 1.6 §4.2.1): <c>[2,"uniqueId","Action",{payload}]</c>.
/// </summary>
public readonly struct OcppIncomingCall : IEquatable<OcppIncomingCall>
{
    /// <summary>Creates an incoming call.</summary>
    /// <param name="uniqueId">The unique id (1 to 36 characters).</param>
    /// <param name="action">The action name, e.g. <c>BootNotification</c>.</param>
    /// <param name="payload">The UTF-8 JSON payload object.</param>
    public OcppIncomingCall(string uniqueId, string action, ReadOnlyMemory<byte> payload)
    {
        UniqueId = uniqueId;
        Action = action;
        Payload = payload;
    }

    /// <summary>The unique id of the CALL; the response carries the same id.</summary>
    public string UniqueId { get; }

    /// <summary>The action name exactly as received; it is not checked against the list of OCPP 1.6 actions here.</summary>
    public string Action { get; }

    /// <summary>
    /// The UTF-8 JSON payload object, including its braces. Valid only during the synchronous part of
    /// <see cref="IOcppRequestHandler.HandleAsync"/> (see the contract there).
    /// </summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <inheritdoc />
    public bool Equals(OcppIncomingCall other) =>
        string.Equals(UniqueId, other.UniqueId, StringComparison.Ordinal) &&
        string.Equals(Action, other.Action, StringComparison.Ordinal) && Payload.Equals(other.Payload);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OcppIncomingCall other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(UniqueId, Action, Payload);

    /// <summary>Compares two calls (the payload by memory identity).</summary>
    /// <param name="left">The first call.</param>
    /// <param name="right">The second call.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(OcppIncomingCall left, OcppIncomingCall right) => left.Equals(right);

    /// <summary>Compares two calls (the payload by memory identity).</summary>
    /// <param name="left">The first call.</param>
    /// <param name="right">The second call.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(OcppIncomingCall left, OcppIncomingCall right) => !left.Equals(right);
}

/// <summary>
/// The answer to an incoming CALL: a CALLRESULT payload (OCPP-J 1.6 §4.2.2) or a CALLERROR (§4.2.3).
/// <c>default(OcppResponse)</c> is not a valid response; it is answered with InternalError.
/// </summary>
public readonly struct OcppResponse : IEquatable<OcppResponse>
{
    private OcppResponse(IOcppJsonWritable? payload, bool isError, OcppErrorCode errorCode, string? errorDescription, IOcppJsonWritable? errorDetails)
    {
        Payload = payload;
        IsError = isError;
        ErrorCode = errorCode;
        ErrorDescription = errorDescription;
        ErrorDetails = errorDetails;
    }

    /// <summary><see langword="true"/> for a CALLERROR response.</summary>
    public bool IsError { get; }

    /// <summary>The CALLRESULT payload, or <see langword="null"/> for a CALLERROR.</summary>
    public IOcppJsonWritable? Payload { get; }

    /// <summary>The CALLERROR code (meaningful when <see cref="IsError"/>).</summary>
    public OcppErrorCode ErrorCode { get; }

    /// <summary>The CALLERROR errorDescription (meaningful when <see cref="IsError"/>).</summary>
    public string? ErrorDescription { get; }

    /// <summary>The CALLERROR errorDetails object, or <see langword="null"/> for <c>{}</c>.</summary>
    public IOcppJsonWritable? ErrorDetails { get; }

    /// <summary>Creates a CALLRESULT response.</summary>
    /// <param name="payload">The response payload; written straight into the frame with <see cref="IOcppJsonWritable.WriteTo"/>.</param>
    /// <returns>The response.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payload"/> is <see langword="null"/>.</exception>
    public static OcppResponse Result(IOcppJsonWritable payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new OcppResponse(payload, false, default, null, null);
    }

    /// <summary>Creates a CALLERROR response (OCPP-J 1.6 §4.2.3).</summary>
    /// <param name="code">The error code, e.g. <see cref="OcppErrorCode.NotSupported"/>.</param>
    /// <param name="description">The errorDescription; may be empty.</param>
    /// <param name="details">The errorDetails object, or <see langword="null"/> for <c>{}</c>.</param>
    /// <returns>The response.</returns>
    public static OcppResponse Error(OcppErrorCode code, string description, IOcppJsonWritable? details = null) =>
        new(null, true, code, description ?? string.Empty, details);

    /// <inheritdoc />
    public bool Equals(OcppResponse other) =>
        IsError == other.IsError && ErrorCode == other.ErrorCode && ReferenceEquals(Payload, other.Payload) &&
        string.Equals(ErrorDescription, other.ErrorDescription, StringComparison.Ordinal) && ReferenceEquals(ErrorDetails, other.ErrorDetails);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is OcppResponse other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsError, ErrorCode, Payload, ErrorDescription, ErrorDetails);

    /// <summary>Compares two responses (payloads by reference).</summary>
    /// <param name="left">The first response.</param>
    /// <param name="right">The second response.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(OcppResponse left, OcppResponse right) => left.Equals(right);

    /// <summary>Compares two responses (payloads by reference).</summary>
    /// <param name="left">The first response.</param>
    /// <param name="right">The second response.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(OcppResponse left, OcppResponse right) => !left.Equals(right);
}

/// <summary>
/// Cheap information about one malformed or rejected frame, raised by <see cref="OcppRpcConnection.BadMessage"/>.
/// </summary>
/// <param name="Reason">Why the frame was rejected, e.g. "Frame is not valid JSON" (a constant string).</param>
/// <param name="FrameLength">The frame length in bytes.</param>
/// <param name="UniqueId">The unique id answered with a CALLERROR, or <see langword="null"/> when no reply was sent.</param>
/// <param name="ReplyCode">The CALLERROR code sent, or <see langword="null"/> when no reply was sent.</param>
public readonly record struct OcppBadMessage(string Reason, int FrameLength, string? UniqueId, OcppErrorCode? ReplyCode);

/// <summary>
/// How an <see cref="OcppRpcConnection"/>'s receive loop ended (returned by <see cref="OcppRpcConnection.RunAsync"/>).
/// </summary>
/// <param name="CloseStatus">The WebSocket close status (received from the peer or sent by us, e.g. 1002 after too many bad frames); <see langword="null"/> when the connection was lost or the loop was cancelled.</param>
/// <param name="CloseDescription">The close description, if any.</param>
/// <param name="IsCancelled"><see langword="true"/> when the loop ended because its token was cancelled (the close
/// handshake with 1001 may have completed first: then <paramref name="CloseStatus"/> is the peer's answer) or the
/// connection was disposed.</param>
public sealed record OcppCloseInfo(WebSocketCloseStatus? CloseStatus, string? CloseDescription, bool IsCancelled);
