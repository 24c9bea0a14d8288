using Ocpp16.Messages;

namespace Ocpp16.Transport;

/// <summary>
/// Receives the schema violations of the payloads exchanged over a connection (the facades implement it on the facade
/// object itself, so reporting costs no delegate per connection or per call).
/// </summary>
public interface IOcppViolationSink
{
    /// <summary>Reports one payload's violations (codes and JSON paths, never the values); must not throw.</summary>
    /// <param name="violation">The action, direction, every violation found and whether the payload was accepted.</param>
    void Report(OcppPayloadViolation violation);
}

/// <summary>
/// Typed CALL and typed dispatch over the payload-agnostic <see cref="OcppRpcConnection"/>: the one place where the
/// generated message types meet the RPC layer, used by both facades and available to anyone who drives an
/// <see cref="OcppRpcConnection"/> directly. Every payload is validated per the <see cref="OcppValidationPolicy"/> of
/// its action and direction (OCPP-J 1.6 §4.2.3 error codes, see the repository's docs/wire-behaviour.md); violations are
/// reported through an <see cref="IOcppViolationSink"/>.
/// </summary>
public static class OcppTypedRpc
{
    /// <summary>
    /// Sends <paramref name="request"/> (validated first) and reads the CALLRESULT into <typeparamref name="TResponse"/>,
    /// validating it against its schema.
    /// </summary>
    /// <typeparam name="TResponse">The generated response type of the action, e.g. <c>HeartbeatResponse</c>.</typeparam>
    /// <param name="connection">The connection to call over.</param>
    /// <param name="request">The request payload; its <see cref="IOcppRequest.Action"/> names the CALL.</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <param name="report">Receives every violation found (sent request, received response); may be <see langword="null"/>.</param>
    /// <param name="timeout">The answer timeout; <see langword="null"/> for the connection's per-action or default timeout.</param>
    /// <param name="cancellationToken">Cancels waiting for the answer.</param>
    /// <returns>The validated response.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request violates its schema (nothing is sent).</exception>
    /// <exception cref="OcppCallErrorException">The peer answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before the answer.</exception>
    /// <exception cref="OcppProtocolException">The answer violates the response schema.</exception>
    public static ValueTask<TResponse> CallAsync<TResponse>(OcppRpcConnection connection, IOcppRequest<TResponse> request, OcppValidationPolicy? policy, IOcppViolationSink? report, TimeSpan? timeout, CancellationToken cancellationToken)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        ArgumentNullException.ThrowIfNull(connection);
        return CallAsync(connection, static (c, action, payload, t, ct) => c.CallAsync(action, payload, t, ct), request, policy, report, timeout, cancellationToken);
    }

    /// <summary>
    /// As the other overload, over any way of making the call (<paramref name="send"/> gets the action, the validated
    /// request and the timeout, and returns the raw outcome): for routers that carry a CALL to where its connection is,
    /// such as a node of a Central System cluster.
    /// </summary>
    /// <typeparam name="TState">The state passed to <paramref name="send"/>.</typeparam>
    /// <typeparam name="TResponse">The generated response type of the action.</typeparam>
    /// <param name="state">Passed to <paramref name="send"/>.</param>
    /// <param name="send">Makes the call and returns its outcome as a value.</param>
    /// <param name="request">The request payload.</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <param name="report">Receives every violation found; may be <see langword="null"/>.</param>
    /// <param name="timeout">The answer timeout, passed to <paramref name="send"/> as given (<see langword="null"/>: the
    /// sender's per-action or default timeout).</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The validated response.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="send"/> or <paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request violates its schema (nothing is sent).</exception>
    /// <exception cref="OcppCallErrorException">The peer answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before the answer.</exception>
    /// <exception cref="OcppProtocolException">The answer violates the response schema.</exception>
    public static async ValueTask<TResponse> CallAsync<TState, TResponse>(
        TState state,
        Func<TState, string, IOcppJsonWritable, TimeSpan?, CancellationToken, ValueTask<OcppCallResult>> send,
        IOcppRequest<TResponse> request,
        OcppValidationPolicy? policy,
        IOcppViolationSink? report,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        ArgumentNullException.ThrowIfNull(send);
        ValidateOutgoingRequest(request, policy, report);
        var result = await send(state, request.Action, request, timeout, cancellationToken).ConfigureAwait(false);
        if (result.Status != OcppCallStatus.Result)
        {
            result.EnsureSuccess();
        }

        var ok = TResponse.TryReadAll(result.Payload.Span, policy?.For(request.Action, OcppPayloadDirection.Received), out var response, out var violations);
        if (violations.Count > 0)
        {
            report?.Report(new OcppPayloadViolation(request.Action, OcppPayloadDirection.Received, false, violations, ok));
        }

        if (!ok)
        {
            var violation = violations.Count > 0 ? violations[^1] : null;
            throw new OcppProtocolException($"The {request.Action} response violates its schema: {violation}", violation?.ErrorCode ?? OcppErrorCode.ProtocolError, violation);
        }

        return response!;
    }

    /// <summary>Validates a request about to be sent, reporting every violation.</summary>
    /// <param name="request">The request payload.</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <param name="report">Receives the violations; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The policy rejects the request.</exception>
    public static void ValidateOutgoingRequest(IOcppRequest request, OcppValidationPolicy? policy, IOcppViolationSink? report)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ok = request.TryValidateAll(policy?.For(request.Action, OcppPayloadDirection.Sent), out var violations);
        if (violations.Count > 0)
        {
            report?.Report(new OcppPayloadViolation(request.Action, OcppPayloadDirection.Sent, true, violations, ok));
        }

        if (!ok)
        {
            throw new ArgumentException($"The {request.Action} request violates its schema: {violations[^1]}", nameof(request));
        }
    }

    /// <summary>Turns a raw call result into the untyped response of <paramref name="action"/> or the matching exception.</summary>
    /// <param name="action">The catalog entry of the action that was called.</param>
    /// <param name="result">The raw result of <see cref="OcppRpcConnection.CallAsync"/>.</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <returns>The validated response payload (an instance of <see cref="OcppActionInfo.ResponseType"/>).</returns>
    /// <exception cref="OcppCallErrorException">The peer answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer came in time.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before the answer.</exception>
    /// <exception cref="OcppProtocolException">The answer violates the response schema.</exception>
    public static IOcppMessage ReadResult(OcppActionInfo action, OcppCallResult result, OcppValidationPolicy? policy)
    {
        if (result.Status != OcppCallStatus.Result)
        {
            result.EnsureSuccess();
        }

        if (action.ReadResponse(result.Payload.Span, policy?.For(action.Name, OcppPayloadDirection.Received), out var response, out var violation))
        {
            return response;
        }

        throw new OcppProtocolException($"The {action.Name} response violates its schema: {violation}", violation?.ErrorCode ?? OcppErrorCode.ProtocolError, violation);
    }

    /// <summary>
    /// Reads a CALL payload as <typeparamref name="TRequest"/> synchronously (the payload memory is only valid now),
    /// then runs <paramref name="handler"/> and validates its response. A request the policy rejects is answered with
    /// the CALLERROR its violation maps to; an own response that fails validation becomes InternalError (never a code
    /// that blames the peer). Every violation is reported through <paramref name="report"/>.
    /// </summary>
    /// <typeparam name="TRequest">The generated request type of the action.</typeparam>
    /// <typeparam name="TResponse">The generated response type of the action.</typeparam>
    /// <param name="call">The incoming CALL (its payload is read before this returns).</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <param name="handler">Produces the response; an exception becomes the CALLERROR InternalError.</param>
    /// <param name="report">Receives the violations; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Passed to <paramref name="handler"/>.</param>
    /// <returns>The CALLRESULT or CALLERROR to send.</returns>
    public static ValueTask<OcppResponse> Dispatch<TRequest, TResponse>(
        OcppIncomingCall call,
        OcppValidationPolicy? policy,
        Func<TRequest, CancellationToken, ValueTask<TResponse>> handler,
        IOcppViolationSink? report,
        CancellationToken cancellationToken)
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
        => Dispatch<Func<TRequest, CancellationToken, ValueTask<TResponse>>, TRequest, TResponse>(call, policy, handler, static (h, request, ct) => h(request, ct), report, cancellationToken);

    /// <summary>
    /// As the other overload, with the handler's state passed explicitly so a static lambda serves every call (no
    /// closure allocated per CALL on the hot path).
    /// </summary>
    /// <typeparam name="TState">The handler's state.</typeparam>
    /// <typeparam name="TRequest">The generated request type of the action.</typeparam>
    /// <typeparam name="TResponse">The generated response type of the action.</typeparam>
    /// <param name="call">The incoming CALL (its payload is read before this returns).</param>
    /// <param name="policy">Validation per action and direction; <see langword="null"/> for strict.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    /// <param name="handler">Produces the response; an exception becomes the CALLERROR InternalError.</param>
    /// <param name="report">Receives the violations; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Passed to <paramref name="handler"/>.</param>
    /// <returns>The CALLRESULT or CALLERROR to send.</returns>
    public static ValueTask<OcppResponse> Dispatch<TState, TRequest, TResponse>(
        OcppIncomingCall call,
        OcppValidationPolicy? policy,
        TState state,
        Func<TState, TRequest, CancellationToken, ValueTask<TResponse>> handler,
        IOcppViolationSink? report,
        CancellationToken cancellationToken)
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        var ok = TRequest.TryReadAll(call.Payload.Span, policy?.For(call.Action, OcppPayloadDirection.Received), out var request, out var violations);
        if (violations.Count > 0)
        {
            report?.Report(new OcppPayloadViolation(call.Action, OcppPayloadDirection.Received, true, violations, ok));
        }

        if (!ok)
        {
            // Reading stops at the violation that rejects the payload, so it is the last one recorded.
            var v = violations.Count > 0 ? violations[^1] : new OcppViolation(OcppErrorCode.FormationViolation, "$", "invalid payload");
            return ValueTask.FromResult(OcppResponse.Error(v.ErrorCode, v.ToString(), null));
        }

        ValueTask<TResponse> pending;
        try
        {
            pending = handler(state, request!, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ValueTask.FromException<OcppResponse>(e);
        }

        if (pending.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(Finish(call.Action, pending.Result, policy, report));
        }

        return AwaitAsync(call.Action, pending, policy, report);

        static async ValueTask<OcppResponse> AwaitAsync(string action, ValueTask<TResponse> pending, OcppValidationPolicy? policy, IOcppViolationSink? report)
            => Finish(action, await pending.ConfigureAwait(false), policy, report);
    }

    private static OcppResponse Finish<TResponse>(string action, TResponse response, OcppValidationPolicy? policy, IOcppViolationSink? report)
        where TResponse : class, IOcppResponse
    {
        if (response is null)
        {
            return OcppResponse.Error(OcppErrorCode.InternalError, "The handler returned no response.", null);
        }

        var ok = response.TryValidateAll(policy?.For(action, OcppPayloadDirection.Sent), out var violations);
        if (violations.Count > 0)
        {
            report?.Report(new OcppPayloadViolation(action, OcppPayloadDirection.Sent, false, violations, ok));
        }

        return ok
            ? OcppResponse.Result(response)
            : OcppResponse.Error(OcppErrorCode.InternalError, "The response could not be produced.", null);
    }

    /// <summary>
    /// The CALLERROR for an action that is not handled: NotSupported for one of the 39 actions of OCPP 1.6 and its
    /// Security extension, NotImplemented for any other name (OCPP-J 1.6 §4.2.3).
    /// </summary>
    /// <param name="action">The action name of the CALL.</param>
    /// <returns>The CALLERROR to send.</returns>
    public static OcppResponse Unhandled(string action)
        => OcppActions.TryGet(action, out _)
            ? OcppResponse.Error(OcppErrorCode.NotSupported, $"Action {action} is recognized but not supported.", null)
            : OcppResponse.Error(OcppErrorCode.NotImplemented, $"Action {action} is not known.", null);
}
