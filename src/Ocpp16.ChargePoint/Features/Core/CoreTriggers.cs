using Ocpp16.ChargePoint.Engine;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>TriggerMessage BootNotification: a new BootNotification (also while Pending).</summary>
internal sealed class BootNotificationTrigger(ChargePointEngine engine) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.BootNotification;

    public void Send(int? connectorId) => engine.SendBootNotification();
}

/// <summary>TriggerMessage Heartbeat.</summary>
internal sealed class HeartbeatTrigger(ChargePointEngine engine) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.Heartbeat;

    public void Send(int? connectorId) => engine.SendHeartbeat(triggered: true);
}

/// <summary>TriggerMessage StatusNotification: the current status of one connector, or of connector 0 and every connector.</summary>
internal sealed class StatusNotificationTrigger(ChargePointEngine engine) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.StatusNotification;

    public void Send(int? connectorId)
    {
        var connectors = engine.Connectors;
        var now = engine.Now;
        if (connectorId is null or 0)
        {
            Enqueue(0, connectors.StationStatus, ChargePointErrorCode.NoError, now);
        }

        foreach (var c in connectors.All.Where(c => connectorId is null || c.Id == connectorId))
        {
            var status = connectors.Resolve(c);
            Enqueue(c.Id, status, status == ChargePointStatus.Faulted ? c.Fault!.ErrorCode : c.Warning?.ErrorCode ?? ChargePointErrorCode.NoError, now);
        }
    }

    private void Enqueue(int connectorId, ChargePointStatus status, ChargePointErrorCode error, DateTimeOffset now)
        => engine.Outbox.Enqueue(new OutboxCall<StatusNotificationResponse>(new StatusNotificationRequest { ConnectorId = connectorId, Status = status, ErrorCode = error, Timestamp = now })
        {
            AllowedBeforeAccepted = true,
        });
}

/// <summary>TriggerMessage MeterValues: the current sampled measurands of a connector, of every connector, or of connector 0 (the sums of the connectors' meters), context Trigger.</summary>
internal sealed class MeterValuesTrigger(ChargePointEngine engine, Metering metering) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.MeterValues;

    public void Send(int? connectorId) => engine.Loop.Post(() => metering.SendTriggeredAsync(connectorId));
}
