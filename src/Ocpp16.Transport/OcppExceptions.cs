using Ocpp16.Messages;

namespace Ocpp16.Transport;

/// <summary>
/// The base of every exception Ocpp16 throws for a protocol-level failure. The OCPP-J error code (OCPP-J 1.6 §4.2.3,
/// Table 7) is data (<see cref="ErrorCode"/>), not a type. Cancellation stays <see cref="OperationCanceledException"/>.
/// </summary>
public class OcppException : Exception
{
    /// <summary>Creates an exception with <see cref="OcppErrorCode.GenericError"/>.</summary>
    public OcppException()
        : this("An OCPP error occurred.", OcppErrorCode.GenericError)
    {
    }

    /// <summary>Creates an exception with <see cref="OcppErrorCode.GenericError"/>.</summary>
    /// <param name="message">The message.</param>
    public OcppException(string message)
        : this(message, OcppErrorCode.GenericError)
    {
    }

    /// <summary>Creates an exception with <see cref="OcppErrorCode.GenericError"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OcppException(string message, Exception? innerException)
        : this(message, OcppErrorCode.GenericError, innerException)
    {
    }

    /// <summary>Creates an exception carrying an OCPP-J error code.</summary>
    /// <param name="message">The message.</param>
    /// <param name="errorCode">The OCPP-J error code.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OcppException(string message, OcppErrorCode errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The OCPP-J CALLERROR code that describes the failure (OCPP-J 1.6 §4.2.3, Table 7).</summary>
    public OcppErrorCode ErrorCode { get; }
}

/// <summary>
/// A CALLERROR (OCPP-J 1.6 §4.2.3): thrown by <see cref="OcppCallResult.EnsureSuccess"/> when the peer answered a CALL
/// with a CALLERROR, and thrown by an <see cref="IOcppRequestHandler"/> to answer an incoming CALL with a chosen code.
/// </summary>
public sealed class OcppCallErrorException : OcppException
{
    /// <summary>Creates a CALLERROR exception.</summary>
    /// <param name="errorCode">The error code to send or that was received.</param>
    /// <param name="errorDescription">The errorDescription field (may be empty; sent verbatim by a handler).</param>
    /// <param name="errorDetailsJson">The errorDetails field as raw JSON object text, or <see langword="null"/> for <c>{}</c>.</param>
    /// <param name="rawErrorCode">The errorCode string as received, when it differs from the known spelling (e.g. an unknown code mapped to <see cref="OcppErrorCode.GenericError"/>).</param>
    public OcppCallErrorException(OcppErrorCode errorCode, string errorDescription, string? errorDetailsJson = null, string? rawErrorCode = null)
        : base(BuildMessage(errorCode, errorDescription, rawErrorCode), errorCode)
    {
        ErrorDescription = errorDescription ?? string.Empty;
        ErrorDetailsJson = errorDetailsJson;
        RawErrorCode = rawErrorCode;
    }

    /// <summary>The errorDescription field.</summary>
    public string ErrorDescription { get; }

    /// <summary>The errorDetails object as raw JSON text, or <see langword="null"/> when empty (<c>{}</c>).</summary>
    public string? ErrorDetailsJson { get; }

    /// <summary>The errorCode string as received on the wire, or <see langword="null"/> when thrown locally.</summary>
    public string? RawErrorCode { get; }

    private static string BuildMessage(OcppErrorCode code, string? description, string? raw)
    {
        var name = raw ?? code.ToString();
        return string.IsNullOrEmpty(description) ? "CALLERROR " + name : "CALLERROR " + name + ": " + description;
    }
}

/// <summary>
/// No CALLRESULT or CALLERROR arrived within the call timeout (OCPP-J 1.6 §4.1.1 leaves the timeout to the
/// implementation; Ocpp16 defaults to 30 s). <see cref="OcppException.ErrorCode"/> is <see cref="OcppErrorCode.GenericError"/>.
/// </summary>
public sealed class OcppTimeoutException : OcppException
{
    /// <summary>Creates a timeout exception.</summary>
    /// <param name="action">The action of the CALL that timed out.</param>
    /// <param name="timeout">The timeout that elapsed.</param>
    public OcppTimeoutException(string action, TimeSpan timeout)
        : base("The OCPP call '" + action + "' received no response within " + timeout.ToString() + ".", OcppErrorCode.GenericError)
    {
        Action = action;
        Timeout = timeout;
    }

    /// <summary>The action of the CALL that timed out.</summary>
    public string Action { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>
/// The connection to the peer is closed or was lost before the operation completed.
/// <see cref="OcppException.ErrorCode"/> is <see cref="OcppErrorCode.GenericError"/>.
/// </summary>
public sealed class OcppConnectionClosedException : OcppException
{
    /// <summary>Creates a connection-closed exception.</summary>
    /// <param name="message">What was being done.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public OcppConnectionClosedException(string message, Exception? innerException = null)
        : base(message, OcppErrorCode.GenericError, innerException)
    {
    }
}

/// <summary>
/// The peer violated the protocol, e.g. a CALLRESULT payload that does not conform to the response schema, or a
/// WebSocket handshake without the <c>ocpp1.6</c> subprotocol (OCPP-J 1.6 §3.1.2).
/// </summary>
public sealed class OcppProtocolException : OcppException
{
    /// <summary>Creates a protocol exception.</summary>
    /// <param name="message">What was violated.</param>
    /// <param name="errorCode">The code describing the violation; <see cref="OcppErrorCode.ProtocolError"/> by default.</param>
    /// <param name="violation">The schema violation, when the failure is one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OcppProtocolException(string message, OcppErrorCode errorCode = OcppErrorCode.ProtocolError, OcppViolation? violation = null, Exception? innerException = null)
        : base(message, violation?.ErrorCode ?? errorCode, innerException)
    {
        Violation = violation;
    }

    /// <summary>The schema violation that caused this exception, or <see langword="null"/>.</summary>
    public OcppViolation? Violation { get; }
}
