using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Ocpp16.Messages;
using Ocpp16.CentralSystem.Security;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem;

/// <summary>
/// The route of every CP→CS action, built once at start from the registrations: a delegate registered for the action,
/// else the profile's handler interface, else the default answer; actions with none of these are answered NotSupported.
/// Session state is updated from every answered BootNotification, Heartbeat and StatusNotification, whoever answered.
/// </summary>
internal sealed class ActionRoutes
{
    private readonly FrozenDictionary<string, ActionRoute> _routes;

    public ActionRoutes(IServiceProvider services, HandlerRegistrations registrations)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        ScopeFactory = scopes;
        Dictionary<string, ActionRoute> routes = new(StringComparer.Ordinal);
        foreach (var binding in ChargePointActionBindings.All)
        {
            if (binding.CreateRoute(services, registrations) is { } route)
            {
                routes.Add(binding.Action, route);
            }
        }

        // SignCertificate without an answerer of the application: the registered certificate authority answers it.
        if (!routes.ContainsKey(SignCertificateRequest.ActionName) && services.GetService<Security.ICertificateAuthority>() is { } authority)
        {
            routes.Add(SignCertificateRequest.ActionName, new ActionRoute<SignCertificateRequest, SignCertificateResponse>(
                (context, request, ct) => authority.AnswerSignCertificateAsync(context.ChargePoint, request, ct),
                null));
        }

        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IServiceScopeFactory ScopeFactory { get; }

    /// <summary>The actions that have an answer (application or default).</summary>
    public IEnumerable<string> Actions => _routes.Keys;

    public bool TryGet(string action, out ActionRoute route) => _routes.TryGetValue(action, out route!);
}

/// <summary>Dispatches one action: reads the request, runs its answerer in an <see cref="OcppCallContext"/>, validates the answer.</summary>
internal abstract class ActionRoute
{
    public abstract ValueTask<OcppResponse> DispatchAsync(OcppIncomingCall call, OcppCallContext context, CancellationToken cancellationToken);
}

internal sealed class ActionRoute<TRequest, TResponse>(
    Func<OcppCallContext, TRequest, CancellationToken, ValueTask<TResponse>> invoke,
    Action<OcppCallContext, TRequest, TResponse>? observe) : ActionRoute
    where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
    where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
{
    public override ValueTask<OcppResponse> DispatchAsync(OcppIncomingCall call, OcppCallContext context, CancellationToken cancellationToken)
        => OcppTypedRpc.Dispatch<(ActionRoute<TRequest, TResponse> Route, OcppCallContext Context), TRequest, TResponse>(
            call,
            context.Options.Validation,
            (Route: this, Context: context),
            static (state, request, ct) => state.Route.InvokeAsync(state.Context, request, ct),
            context.ChargePoint,
            cancellationToken);

    private async ValueTask<TResponse> InvokeAsync(OcppCallContext context, TRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await invoke(context, request, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                observe?.Invoke(context, request, response);
            }

            return response!;
        }
        finally
        {
            await context.DisposeScopeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>How one CP→CS action is answered: its handler interface method, its default answer and its session update.</summary>
internal abstract class ChargePointActionBinding(string action, Type handlerInterface)
{
    public string Action { get; } = action;

    public Type HandlerInterface { get; } = handlerInterface;

    public abstract bool HasDefault { get; }

    public abstract ActionRoute? CreateRoute(IServiceProvider services, HandlerRegistrations registrations);
}

internal sealed class ChargePointActionBinding<TRequest, TResponse, THandler>(
    string action,
    Func<THandler, ConnectedChargePoint, TRequest, CancellationToken, ValueTask<TResponse>> method,
    Func<OcppCallContext, TRequest, TResponse>? defaultAnswer,
    Action<OcppCallContext, TRequest, TResponse>? observe) : ChargePointActionBinding(action, typeof(THandler))
    where TRequest : class, IOcppRequest<TResponse>, IOcppMessageReader<TRequest>
    where TResponse : class, IOcppResponse, IOcppMessageReader<TResponse>
    where THandler : class
{
    public override bool HasDefault => defaultAnswer is not null;

    public override ActionRoute? CreateRoute(IServiceProvider services, HandlerRegistrations registrations)
    {
        Func<OcppCallContext, TRequest, CancellationToken, ValueTask<TResponse>>? invoke = null;
        if (registrations.DelegateFor(Action) is OcppActionHandler<TRequest, TResponse> handler)
        {
            invoke = (context, request, ct) => handler(context, request, ct);
        }
        else if (registrations.TryGetLifetime(typeof(THandler), out var lifetime))
        {
            if (lifetime == ServiceLifetime.Singleton)
            {
                THandler? singleton = null;
                invoke = (context, request, ct) => method(singleton ??= services.GetRequiredService<THandler>(), context.ChargePoint, request, ct);
            }
            else
            {
                invoke = (context, request, ct) => method(context.Services.GetRequiredService<THandler>(), context.ChargePoint, request, ct);
            }
        }
        else if (defaultAnswer is not null)
        {
            invoke = (context, request, _) => ValueTask.FromResult(defaultAnswer(context, request));
        }

        return invoke is null ? null : new ActionRoute<TRequest, TResponse>(invoke, observe);
    }
}

/// <summary>The 14 CP→CS actions of OCPP 1.6 and its Security extension (a test compares them with the catalog).</summary>
internal static class ChargePointActionBindings
{
    private static readonly MeterValuesResponse s_meterValues = new();
    private static readonly StatusNotificationResponse s_statusNotification = new();
    private static readonly StopTransactionResponse s_stopTransaction = new();
    private static readonly DiagnosticsStatusNotificationResponse s_diagnosticsStatus = new();
    private static readonly FirmwareStatusNotificationResponse s_firmwareStatus = new();
    private static readonly LogStatusNotificationResponse s_logStatus = new();
    private static readonly SecurityEventNotificationResponse s_securityEvent = new();
    private static readonly SignedFirmwareStatusNotificationResponse s_signedFirmwareStatus = new();

    public static IReadOnlyList<ChargePointActionBinding> All { get; } =
    [
        // Core (OCPP 1.6 §4)
        new ChargePointActionBinding<AuthorizeRequest, AuthorizeResponse, ICentralSystemCoreHandler>(
            AuthorizeRequest.ActionName, static (h, cp, r, ct) => h.OnAuthorizeAsync(cp, r, ct), null, null),
        new ChargePointActionBinding<BootNotificationRequest, BootNotificationResponse, ICentralSystemCoreHandler>(
            BootNotificationRequest.ActionName,
            static (h, cp, r, ct) => h.OnBootNotificationAsync(cp, r, ct),
            static (context, _) => new BootNotificationResponse
            {
                Status = RegistrationStatus.Accepted,
                CurrentTime = context.ReceivedAt,
                Interval = (int)context.Options.HeartbeatInterval.TotalSeconds,
            },
            static (context, request, response) => context.ChargePoint.Session.OnBootNotification(request, response, context.ReceivedAt)),
        new ChargePointActionBinding<DataTransferRequest, DataTransferResponse, ICentralSystemCoreHandler>(
            DataTransferRequest.ActionName,
            static (h, cp, r, ct) => h.OnDataTransferAsync(cp, r, ct),
            static (_, _) => new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId },
            null),
        new ChargePointActionBinding<HeartbeatRequest, HeartbeatResponse, ICentralSystemCoreHandler>(
            HeartbeatRequest.ActionName,
            static (h, cp, r, ct) => h.OnHeartbeatAsync(cp, r, ct),
            static (context, _) => new HeartbeatResponse { CurrentTime = context.ReceivedAt },
            static (context, _, _) => context.ChargePoint.Session.OnHeartbeat(context.ReceivedAt)),
        new ChargePointActionBinding<MeterValuesRequest, MeterValuesResponse, ICentralSystemCoreHandler>(
            MeterValuesRequest.ActionName, static (h, cp, r, ct) => h.OnMeterValuesAsync(cp, r, ct), static (_, _) => s_meterValues, null),
        new ChargePointActionBinding<StartTransactionRequest, StartTransactionResponse, ICentralSystemCoreHandler>(
            StartTransactionRequest.ActionName, static (h, cp, r, ct) => h.OnStartTransactionAsync(cp, r, ct), null, null),
        new ChargePointActionBinding<StatusNotificationRequest, StatusNotificationResponse, ICentralSystemCoreHandler>(
            StatusNotificationRequest.ActionName,
            static (h, cp, r, ct) => h.OnStatusNotificationAsync(cp, r, ct),
            static (_, _) => s_statusNotification,
            static (context, request, _) => context.ChargePoint.Session.OnStatusNotification(request, context.ReceivedAt)),
        new ChargePointActionBinding<StopTransactionRequest, StopTransactionResponse, ICentralSystemCoreHandler>(
            StopTransactionRequest.ActionName, static (h, cp, r, ct) => h.OnStopTransactionAsync(cp, r, ct), static (_, _) => s_stopTransaction, null),

        // Firmware Management (OCPP 1.6 §4.4, §4.5)
        new ChargePointActionBinding<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse, ICentralSystemFirmwareManagementHandler>(
            DiagnosticsStatusNotificationRequest.ActionName, static (h, cp, r, ct) => h.OnDiagnosticsStatusNotificationAsync(cp, r, ct), static (_, _) => s_diagnosticsStatus,
            static (context, request, _) => Transfer(context, TransferKind.Diagnostics, request.Status.ToWireString(), null)),
        new ChargePointActionBinding<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse, ICentralSystemFirmwareManagementHandler>(
            FirmwareStatusNotificationRequest.ActionName, static (h, cp, r, ct) => h.OnFirmwareStatusNotificationAsync(cp, r, ct), static (_, _) => s_firmwareStatus,
            static (context, request, _) => Transfer(context, TransferKind.Firmware, request.Status.ToWireString(), null)),

        // Security extension
        new ChargePointActionBinding<LogStatusNotificationRequest, LogStatusNotificationResponse, ICentralSystemSecurityHandler>(
            LogStatusNotificationRequest.ActionName, static (h, cp, r, ct) => h.OnLogStatusNotificationAsync(cp, r, ct), static (_, _) => s_logStatus,
            static (context, request, _) => Transfer(context, TransferKind.Log, request.Status.ToWireString(), request.RequestId)),
        new ChargePointActionBinding<SecurityEventNotificationRequest, SecurityEventNotificationResponse, ICentralSystemSecurityHandler>(
            SecurityEventNotificationRequest.ActionName, static (h, cp, r, ct) => h.OnSecurityEventNotificationAsync(cp, r, ct), static (_, _) => s_securityEvent,
            static (context, request, _) =>
            {
                var received = new ChargePointSecurityEvent(request.Type, request.Timestamp, request.TechInfo, context.ReceivedAt);
                context.ChargePoint.Session.OnSecurityEvent(request, context.ReceivedAt);
                context.ChargePoint.Owner?.OnSecurityEventReceived(context.ChargePoint, received);
            }),
        new ChargePointActionBinding<SignCertificateRequest, SignCertificateResponse, ICentralSystemSecurityHandler>(
            SignCertificateRequest.ActionName, static (h, cp, r, ct) => h.OnSignCertificateAsync(cp, r, ct), null, null),
        new ChargePointActionBinding<SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse, ICentralSystemSecurityHandler>(
            SignedFirmwareStatusNotificationRequest.ActionName, static (h, cp, r, ct) => h.OnSignedFirmwareStatusNotificationAsync(cp, r, ct), static (_, _) => s_signedFirmwareStatus,
            static (context, request, _) => Transfer(context, TransferKind.SignedFirmware, request.Status.ToWireString(), request.RequestId)),
    ];

    /// <summary>Keeps a transfer status in the session and raises <see cref="OcppCentralSystem.TransferStatusReceived"/>.</summary>
    private static void Transfer(OcppCallContext context, TransferKind kind, string status, int? requestId)
    {
        context.ChargePoint.Session.OnTransferStatus(kind, status, requestId, context.ReceivedAt);
        context.ChargePoint.Owner?.OnTransferStatusReceived(context.ChargePoint, new TransferStatus(kind, status, requestId, context.ReceivedAt));
    }
}
