using Microsoft.Extensions.Logging;

namespace Ocpp16.CentralSystem.Cluster;

/// <summary>Log messages of the cluster (scale-out). Event ids 4020–4039 (README.md, "Logging").</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(4020, LogLevel.Information, "Cluster node {NodeId} joined")]
    public static partial void Joined(ILogger logger, string nodeId);

    [LoggerMessage(4021, LogLevel.Information, "Cluster node {NodeId}: node {Other} is alive")]
    public static partial void NodeJoined(ILogger logger, string nodeId, string other);

    [LoggerMessage(4022, LogLevel.Warning, "Cluster node {NodeId}: node {Other} left the cluster; its charge points are gone and {InFlight} calls routed to it end as disconnected")]
    public static partial void NodeLeft(ILogger logger, string nodeId, string other, int inFlight);

    [LoggerMessage(4023, LogLevel.Information, "Cluster node {NodeId}: charge point {ChargePointId} reconnected to node {Other}; its connection here is closed")]
    public static partial void Moved(ILogger logger, string nodeId, string chargePointId, string other);

    [LoggerMessage(4024, LogLevel.Warning, "Cluster node {NodeId}: an unreadable cluster message was dropped")]
    public static partial void BadMessage(ILogger logger, string nodeId);

    [LoggerMessage(4025, LogLevel.Warning, "Cluster node {NodeId}: the connection to the broker was lost")]
    public static partial void BusLost(ILogger logger, string nodeId, Exception? exception);

    [LoggerMessage(4026, LogLevel.Warning, "Cluster node {NodeId}: a {Kind} broadcast failed")]
    public static partial void BroadcastFailed(ILogger logger, string nodeId, string kind, Exception exception);

    [LoggerMessage(4027, LogLevel.Warning, "Cluster node {NodeId}: a {Kind} message could not be sent to node {Other}")]
    public static partial void SendFailed(ILogger logger, string nodeId, string kind, string other, Exception exception);

    [LoggerMessage(4028, LogLevel.Error, "Cluster node {NodeId}: a subscriber of a cluster event threw")]
    public static partial void SubscriberFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(4029, LogLevel.Information, "Cluster node {NodeId}: the connection to the broker is restored")]
    public static partial void BusRestored(ILogger logger, string nodeId);

    [LoggerMessage(4030, LogLevel.Information, "Cluster node {NodeId} left the cluster (stopping)")]
    public static partial void Stopped(ILogger logger, string nodeId);

    [LoggerMessage(4031, LogLevel.Error, "Cluster node {NodeId}: a {Kind} message from node {Other} failed")]
    public static partial void MessageFailed(ILogger logger, string nodeId, string kind, string other, Exception exception);
}
