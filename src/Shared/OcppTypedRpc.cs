using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.Internal;

/// <summary>
/// Typed CALL and typed dispatch over the payload-agnostic <see cref="OcppRpcConnection"/>, shared by both facades
/// (compiled into each as an internal type).
/// </summary>
internal static class OcppTypedRpc
{
    /// <summary>
    /// Sends <paramref name="request"/> (validated first) and reads the CALLRESULT into <typeparamref name="TResponse"/>,
    /// validating it against its schema.
    /// </summary>
    /// <exception cref="ArgumentException">The request violates its schema (nothing is sent).</exception>
    /// <exception cref="OcppCallErrorException">The peer answered CALLERROR.</exception>
    /// <exception cref="OcppTimeoutException">No answer within the timeout.</exception>
    /// <exception cref="OcppConnectionClosedException">The connection closed before the answer.</exception>
    /// <exception cref="OcppProtocolException">The answer violates the response schema.</exception>
    public static async ValueTask<TResponse> CallAsync<TResponse>(OcppRpcConnection connection, IOcppRequest<TResponse> request, OcppValidationOptions? options, TimeSpan? timeout, CancellationToken cancellationToken)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryValidate(options, out var invalid) && invalid is not null)
        {
            throw new ArgumentException($"The {request.Action} request violates its schema: {invalid}", nameof(request));
        }

        var result = await connection.CallAsync(request.Action, request, timeout, cancellationToken).ConfigureAwait(false);
        return ReadResult<TResponse>(request.Action, result, options);
    }

    /// <summary>Turns a raw call result into the typed response or the matching exception.</summary>
    public static TResponse ReadResult<TResponse>(string action, OcppCallResult result, OcppValidationOptions? options)
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        switch (result.Status)
        {
            case OcppCallStatus.Result:
                if (TResponse.TryRead(result.Payload.Span, options, out var response, out var violation))
                {
                    return response;
                }

                throw new OcppProtocolException($"The {action} response violates its schema: {violation}", violation?.ErrorCode ?? OcppErrorCode.ProtocolError, violation);
            default:
                result.EnsureSuccess();
                throw new OcppProtocolException($"The {action} call failed.");
        }
    }

    /// <summary>Turns a raw call result into the untyped response of <paramref name="action"/> or the matching exception.</summary>
    public static IOcppMessage ReadResult(OcppActionInfo action, OcppCallResult result, OcppValidationOptions? options)
    {
        if (result.Status != OcppCallStatus.Result)
        {
            result.EnsureSuccess();
        }

        if (action.ReadResponse(result.Payload.Span, options, out var response, out var violation))
        {
            return response;
        }

        throw new OcppProtocolException($"The {action.Name} response violates its schema: {violation}", violation?.ErrorCode ?? OcppErrorCode.ProtocolError, violation);
    }

    /// <summary>
    /// Reads a CALL payload as <typeparamref name="TRequest"/> synchronously (the payload memory is only valid now),
    /// then runs <paramref name="handler"/> and validates its response. Violations in the request become the mapped
    /// CALLERROR; an invalid own response becomes InternalError and is reported through <paramref name="onInvalidResponse"/>.
    /// </summary>
    public static ValueTask<OcppResponse> Dispatch<TRequest, TResponse>(
        OcppIncomingCall call,
        OcppValidationOptions? options,
        Func<TRequest, CancellationToken, ValueTask<TResponse>> handler,
        Action<string, OcppViolation>? onInvalidResponse,
        CancellationToken cancellationToken)
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        if (!TRequest.TryRead(call.Payload.Span, options, out var request, out var violation))
        {
            var v = violation ?? new OcppViolation(OcppErrorCode.FormationViolation, "$", "invalid payload");
            return ValueTask.FromResult(OcppResponse.Error(v.ErrorCode, v.ToString(), null));
        }

        ValueTask<TResponse> pending;
        try
        {
            pending = handler(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ValueTask.FromException<OcppResponse>(e);
        }

        if (pending.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(Finish(call.Action, pending.Result, options, onInvalidResponse));
        }

        return AwaitAsync(call.Action, pending, options, onInvalidResponse);

        static async ValueTask<OcppResponse> AwaitAsync(string action, ValueTask<TResponse> pending, OcppValidationOptions? options, Action<string, OcppViolation>? onInvalidResponse)
            => Finish(action, await pending.ConfigureAwait(false), options, onInvalidResponse);
    }

    private static OcppResponse Finish<TResponse>(string action, TResponse response, OcppValidationOptions? options, Action<string, OcppViolation>? onInvalidResponse)
        where TResponse : class, IOcppResponse
    {
        if (response is null)
        {
            return OcppResponse.Error(OcppErrorCode.InternalError, "The handler returned no response.", null);
        }

        if (!response.TryValidate(options, out var violation) && violation is not null)
        {
            onInvalidResponse?.Invoke(action, violation);
            return OcppResponse.Error(OcppErrorCode.InternalError, "The response could not be produced.", null);
        }

        return OcppResponse.Result(response);
    }

    /// <summary>The CALLERROR for an action OCPP 1.6 does not define, or one defined but not handled here.</summary>
    public static OcppResponse Unhandled(string action)
        => OcppActions.TryGet(action, out _)
            ? OcppResponse.Error(OcppErrorCode.NotSupported, $"Action {action} is recognized but not supported.", null)
            : OcppResponse.Error(OcppErrorCode.NotImplemented, $"Action {action} is not known.", null);
}
