using Microsoft.Extensions.Logging;

namespace Ocpp16.CentralSystem.RabbitMq;

/// <summary>Log messages of the RabbitMQ cluster bus. Event ids 4200–4219 (README.md, "Logging"). Never the broker's password.</summary>
internal static partial class RabbitMqLog
{
    [LoggerMessage(4200, LogLevel.Information, "Cluster node {NodeId} connected to RabbitMQ at {Broker} (queue {Queue})")]
    public static partial void Connected(ILogger logger, string nodeId, string broker, string queue);

    [LoggerMessage(4201, LogLevel.Warning, "Cluster node {NodeId}: the RabbitMQ connection was lost ({Reason}); reconnecting every {RecoveryInterval}")]
    public static partial void ConnectionLost(ILogger logger, string nodeId, string reason, TimeSpan recoveryInterval);

    [LoggerMessage(4202, LogLevel.Information, "Cluster node {NodeId}: the RabbitMQ connection is restored")]
    public static partial void Recovered(ILogger logger, string nodeId);

    [LoggerMessage(4203, LogLevel.Warning, "Cluster node {NodeId}: a broadcast could not be published and is dropped (the node announces its state again when the broker is back)")]
    public static partial void BroadcastDropped(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(4204, LogLevel.Warning, "Cluster node {NodeId}: reconnecting to RabbitMQ failed")]
    public static partial void RecoveryFailed(ILogger logger, string nodeId, Exception exception);
}
