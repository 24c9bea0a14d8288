using Microsoft.Extensions.DependencyInjection;

namespace Ocpp16.CentralSystem;

/// <summary>
/// One CALL from a charge point being handled: who sent it, and a DI scope of its own. Passed to delegate handlers
/// (<see cref="Ocpp16CentralSystemBuilder.Handle{TRequest, TResponse}"/>); interface handlers registered scoped are
/// resolved from the same scope. The scope is created on first use of <see cref="Services"/> and disposed once the
/// handler has produced its answer, so a scoped service (a DbContext, a unit of work) lives exactly as long as one CALL.
/// </summary>
public sealed class OcppCallContext
{
    private readonly IServiceScopeFactory _scopes;
    private IServiceScope? _scope;

    internal OcppCallContext(ConnectedChargePoint chargePoint, string uniqueId, string action, DateTimeOffset receivedAt, CentralSystemOptions options, IServiceScopeFactory scopes)
    {
        ChargePoint = chargePoint;
        UniqueId = uniqueId;
        Action = action;
        ReceivedAt = receivedAt;
        Options = options;
        _scopes = scopes;
    }

    /// <summary>The charge point that sent the CALL; call it back after the answer with <see cref="AfterResponse"/>.</summary>
    public ConnectedChargePoint ChargePoint { get; }

    /// <summary>The unique id of the CALL (OCPP-J 1.6 §4.1.3).</summary>
    public string UniqueId { get; }

    /// <summary>The action, e.g. <c>BootNotification</c>.</summary>
    public string Action { get; }

    /// <summary>When the CALL was received (UTC, the Central System's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The services of this CALL's DI scope (created on first use, disposed after the answer is produced).</summary>
    public IServiceProvider Services => (_scope ??= _scopes.CreateScope()).ServiceProvider;

    internal CentralSystemOptions Options { get; }

    /// <summary>Runs <paramref name="work"/> after the answer to this CALL is on the wire; see <see cref="ConnectedChargePoint.AfterResponse"/>.</summary>
    /// <param name="work">The follow-up, given the charge point and a token cancelled when the connection closes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    public void AfterResponse(Func<ConnectedChargePoint, CancellationToken, Task> work) => ChargePoint.AfterResponse(work);

    internal ValueTask DisposeScopeAsync()
    {
        var scope = _scope;
        _scope = null;
        return scope switch
        {
            null => ValueTask.CompletedTask,
            IAsyncDisposable asyncDisposable => asyncDisposable.DisposeAsync(),
            _ => DisposeSync(scope),
        };

        static ValueTask DisposeSync(IDisposable scope)
        {
            scope.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Answers one CP→CS action; registered with <see cref="Ocpp16CentralSystemBuilder.Handle{TRequest, TResponse}"/>.</summary>
/// <typeparam name="TRequest">The request type, e.g. <see cref="Messages.AuthorizeRequest"/>.</typeparam>
/// <typeparam name="TResponse">The response type, e.g. <see cref="Messages.AuthorizeResponse"/>.</typeparam>
/// <param name="context">The charge point and the CALL's DI scope.</param>
/// <param name="request">The validated request.</param>
/// <param name="cancellationToken">Cancelled when the connection closes.</param>
/// <returns>The response (validated before it is sent; an invalid one is answered InternalError).</returns>
public delegate ValueTask<TResponse> OcppActionHandler<in TRequest, TResponse>(OcppCallContext context, TRequest request, CancellationToken cancellationToken);
