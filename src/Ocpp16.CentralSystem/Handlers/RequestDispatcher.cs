using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Dispatches the CALLs of one connection: notes when the charge point was last seen, applies the registration policy
/// (<see cref="CentralSystemOptions.EnforceRegistrationStatus"/>), routes the action (<see cref="ActionRoutes"/>), and
/// runs the charge point's deferred work once an answer is on the wire (<see cref="ConnectedChargePoint.AfterResponse"/>).
/// </summary>
internal sealed class RequestDispatcher(OcppCentralSystem owner, ActionRoutes routes, CentralSystemOptions options, TimeProvider time) : IOcppRequestHandler, IOcppResponseObserver
{
    public ConnectedChargePoint ChargePoint { get; set; } = null!;

    public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
    {
        var chargePoint = ChargePoint;
        var now = time.GetUtcNow();
        chargePoint.Session.Seen(now);
        if (!routes.TryGet(call.Action, out var route))
        {
            return ValueTask.FromResult(OcppTypedRpc.Unhandled(call.Action));
        }

        if (!chargePoint.Session.Admits(call.Action, options))
        {
            var status = chargePoint.Session.RegistrationStatus;
            CentralSystemLog.RefusedByRegistration(owner.Logger, chargePoint.Id, call.Action, status?.ToString() ?? "not booted");
            return ValueTask.FromResult(OcppResponse.Error(
                OcppErrorCode.SecurityError,
                status is null ? "BootNotification first (OCPP 1.6 §4.2)." : $"Registration status is {status} (OCPP 1.6 §4.2).",
                null));
        }

        chargePoint.BeginCall(call.UniqueId, cancellationToken);
        return route.DispatchAsync(call, new OcppCallContext(chargePoint, call.UniqueId, call.Action, now, options, routes.ScopeFactory), cancellationToken);
    }

    public void OnResponseSent(string uniqueId, string action, bool sent) => ChargePoint.ResponseSent(uniqueId, sent);
}
