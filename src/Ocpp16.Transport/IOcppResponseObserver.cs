namespace Ocpp16.Transport;

/// <summary>
/// Optional companion of <see cref="IOcppRequestHandler"/>: a handler that also implements this interface is told when
/// the answer (CALLRESULT or CALLERROR) to each CALL it handled has been written to the transport, or could not be.
/// A Central System uses it to issue its own CALLs to the same peer only after its answer is on the wire (OCPP-J 1.6
/// §4.1.1: the answer to a CALL comes before anything the answer causes, e.g. GetConfiguration after a
/// BootNotification).
/// </summary>
/// <remarks>
/// Called on the connection's send path, once per answered CALL, after the frame has been handed to
/// <see cref="IOcppTransport.SendAsync"/> (or after that failed). Not called for a CALL that gets no answer because the
/// connection ended. Implementations must return quickly and must not throw; start any follow-up work asynchronously.
/// </remarks>
public interface IOcppResponseObserver
{
    /// <summary>The answer to the CALL <paramref name="uniqueId"/> was sent, or sending it failed.</summary>
    /// <param name="uniqueId">The unique id of the CALL that was answered.</param>
    /// <param name="action">Its action name, as received.</param>
    /// <param name="sent"><see langword="true"/> when the frame was handed to the transport; <see langword="false"/> when sending failed (the connection is ending).</param>
    void OnResponseSent(string uniqueId, string action, bool sent);
}
