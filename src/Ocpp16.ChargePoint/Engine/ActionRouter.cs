using System.Collections.Concurrent;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>
/// What a CS→CP handler gets besides the request: a way to schedule work that must follow its answer on the wire
/// (the StartTransaction after RemoteStartTransaction.conf, the reboot after Reset.conf).
/// </summary>
internal sealed class IncomingCall
{
    private List<Action>? _afterResponse;

    public IncomingCall(string uniqueId, string action)
    {
        UniqueId = uniqueId;
        Action = action;
    }

    public string UniqueId { get; }

    public string Action { get; }

    /// <summary>
    /// Set by a handler whose answer waits for a later event on the loop (it returns a pending task): the loop then
    /// goes on instead of awaiting it. A handler that only awaits hardware leaves it unset, so it runs atomically.
    /// </summary>
    public bool Deferred { get; set; }

    /// <summary>Runs <paramref name="work"/> on the loop once the answer has been handed to the transport.</summary>
    public void AfterResponse(Action work) => (_afterResponse ??= []).Add(work);

    internal List<Action>? TakeAfterResponse()
    {
        var list = _afterResponse;
        _afterResponse = null;
        return list;
    }
}

/// <summary>
/// Routes the CS→CP CALLs to the handlers the feature modules register; every handler runs on the loop. An action no
/// module registered is answered NotSupported (one of the 39 OCPP 1.6 actions) or NotImplemented (any other name).
/// </summary>
internal sealed class ActionRouter
{
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly EngineLoop _loop;
    private readonly OcppValidationPolicy _policy;
    private readonly IOcppViolationSink _sink;
    private readonly Action<string> _onReceived;

    public ActionRouter(EngineLoop loop, OcppValidationPolicy policy, IOcppViolationSink sink, Action<string> onReceived)
    {
        _loop = loop;
        _policy = policy;
        _sink = sink;
        _onReceived = onReceived;
    }

    /// <summary>The actions with a handler.</summary>
    public IReadOnlyCollection<string> Actions => _routes.Keys;

    /// <summary>Registers the handler of one action; registering an action twice fails.</summary>
    public void Register<TRequest, TResponse>(Func<TRequest, IncomingCall, ValueTask<TResponse>> handler)
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        var action = ActionOf<TRequest>();
        if (!_routes.TryAdd(action, new Route<TRequest, TResponse>(this, handler)))
        {
            throw new InvalidOperationException($"A handler for {action} is already registered.");
        }
    }

    /// <summary>Creates the handler given to one connection (it tracks the answers still to be sent on that connection).</summary>
    public IOcppRequestHandler CreateConnectionHandler() => new ConnectionHandler(this);

    private static string ActionOf<TRequest>()
        where TRequest : class, IOcppRequest
    {
        foreach (var action in OcppActions.All)
        {
            if (action.RequestType == typeof(TRequest))
            {
                return action.Name;
            }
        }

        throw new ArgumentException($"{typeof(TRequest).Name} is not an OCPP request type.");
    }

    private abstract class Route
    {
        public abstract ValueTask<OcppResponse> DispatchAsync(OcppIncomingCall call, IncomingCall context, CancellationToken cancellationToken);
    }

    private sealed class Route<TRequest, TResponse>(ActionRouter router, Func<TRequest, IncomingCall, ValueTask<TResponse>> handler) : Route
        where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
        where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    {
        public override ValueTask<OcppResponse> DispatchAsync(OcppIncomingCall call, IncomingCall context, CancellationToken cancellationToken)
            => OcppTypedRpc.Dispatch<(ActionRouter Router, Func<TRequest, IncomingCall, ValueTask<TResponse>> Handler, IncomingCall Context), TRequest, TResponse>(
                call,
                router._policy,
                (router, handler, context),
                static (state, request, _) => new ValueTask<TResponse>(RunAsync(state.Router._loop, state.Handler, request, state.Context)),
                router._sink,
                cancellationToken);

        private static async Task<TResponse> RunAsync(EngineLoop loop, Func<TRequest, IncomingCall, ValueTask<TResponse>> handler, TRequest request, IncomingCall context)
        {
            var answer = await loop.InvokeAsync(async () =>
            {
                var pending = handler(request, context);
                if (context.Deferred && !pending.IsCompleted)
                {
                    return pending.AsTask();
                }

                return Task.FromResult(await pending.ConfigureAwait(false));
            }).ConfigureAwait(false);
            return await answer.ConfigureAwait(false);
        }
    }

    private sealed class ConnectionHandler(ActionRouter router) : IOcppRequestHandler, IOcppResponseObserver
    {
        private readonly ConcurrentDictionary<string, IncomingCall> _answering = new(StringComparer.Ordinal);

        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            router._onReceived(call.Action);
            if (!router._routes.TryGetValue(call.Action, out var route))
            {
                return ValueTask.FromResult(OcppTypedRpc.Unhandled(call.Action));
            }

            var context = new IncomingCall(call.UniqueId, call.Action);
            _answering[call.UniqueId] = context;
            return route.DispatchAsync(call, context, cancellationToken);
        }

        public void OnResponseSent(string uniqueId, string action, bool sent)
        {
            if (_answering.TryRemove(uniqueId, out var context) && context.TakeAfterResponse() is { } work)
            {
                foreach (var item in work)
                {
                    router._loop.Post(item);
                }
            }
        }
    }
}
