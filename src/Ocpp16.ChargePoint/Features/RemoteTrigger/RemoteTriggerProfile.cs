using Ocpp16.ChargePoint.Engine;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.RemoteTrigger;

/// <summary>
/// The Remote Trigger profile (OCPP 1.6 §5.17): TriggerMessage. The message is sent after the TriggerMessage.conf is on
/// the wire, by the module that owns it (<see cref="ChargePointEngine.FindTrigger"/>: Core's BootNotification,
/// Heartbeat, StatusNotification and MeterValues with context Trigger); DiagnosticsStatusNotification and
/// FirmwareStatusNotification report Idle unless a module that uploads diagnostics or installs firmware provides them.
/// A triggered message may go out before the BootNotification is accepted (while Pending).
/// </summary>
internal sealed class RemoteTriggerProfile : FeatureModule
{
    private readonly Dictionary<MessageTrigger, ITriggerableMessage> _fallbacks;

    public RemoteTriggerProfile(ChargePointEngine engine)
        : base(engine)
        => _fallbacks = new()
        {
            [MessageTrigger.DiagnosticsStatusNotification] = new IdleDiagnosticsStatusTrigger(engine),
            [MessageTrigger.FirmwareStatusNotification] = new IdleFirmwareStatusTrigger(engine),
        };

    public override OcppFeatureProfile Profile => OcppFeatureProfile.RemoteTrigger;

    public override void RegisterActions(ActionRouter router)
        => router.Register<TriggerMessageRequest, TriggerMessageResponse>(OnTriggerMessageAsync);

    /// <summary>
    /// TriggerMessage (§5.17): Rejected for a connectorId that does not exist (below 0 or above the number of
    /// connectors); NotImplemented for a message no module can send; otherwise Accepted, and the message follows the
    /// answer. MeterValues of connector 0 are the main meter's: the sums of the connectors' meters (see
    /// <see cref="Core.Metering"/>). A connectorId is ignored
    /// for the messages that are not about a connector (BootNotification, Heartbeat, the status notifications of
    /// diagnostics and firmware).
    /// </summary>
    private ValueTask<TriggerMessageResponse> OnTriggerMessageAsync(TriggerMessageRequest request, IncomingCall call)
    {
        var connectorId = request.ConnectorId;
        if (connectorId is { } id && (id < 0 || id > Engine.Connectors.All.Count))
        {
            return Answer(TriggerMessageStatus.Rejected);
        }

        if ((Engine.FindTrigger(request.RequestedMessage) ?? _fallbacks.GetValueOrDefault(request.RequestedMessage)) is not { } trigger)
        {
            return Answer(TriggerMessageStatus.NotImplemented);
        }

        var about = request.RequestedMessage is MessageTrigger.StatusNotification or MessageTrigger.MeterValues ? connectorId : null;
        call.AfterResponse(() => trigger.Send(about));
        return Answer(TriggerMessageStatus.Accepted);
    }

    private static ValueTask<TriggerMessageResponse> Answer(TriggerMessageStatus status) => ValueTask.FromResult(new TriggerMessageResponse { Status = status });

    /// <summary>DiagnosticsStatusNotification Idle: no diagnostics upload is going on (§7.24).</summary>
    private sealed class IdleDiagnosticsStatusTrigger(ChargePointEngine engine) : ITriggerableMessage
    {
        public MessageTrigger Trigger => MessageTrigger.DiagnosticsStatusNotification;

        public void Send(int? connectorId)
            => engine.Outbox.Enqueue(new OutboxCall<DiagnosticsStatusNotificationResponse>(new DiagnosticsStatusNotificationRequest { Status = DiagnosticsStatus.Idle }) { AllowedBeforeAccepted = true });
    }

    /// <summary>FirmwareStatusNotification Idle: no firmware download or installation is going on (§7.25).</summary>
    private sealed class IdleFirmwareStatusTrigger(ChargePointEngine engine) : ITriggerableMessage
    {
        public MessageTrigger Trigger => MessageTrigger.FirmwareStatusNotification;

        public void Send(int? connectorId)
            => engine.Outbox.Enqueue(new OutboxCall<FirmwareStatusNotificationResponse>(new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Idle }) { AllowedBeforeAccepted = true });
    }
}
