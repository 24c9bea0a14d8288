namespace Ocpp16.CentralSystem.Cluster;

/// <summary>
/// The message broker under a Central System cluster (scale-out): broadcasts reach every node, a message sent to a
/// node reaches that node only. The cluster logic (ownership of charge points, routed calls, shared sessions, node
/// liveness) is in <see cref="OcppCluster"/>; a bus only moves opaque messages. Ocpp16.CentralSystem.RabbitMq provides
/// one over RabbitMQ; <see cref="InMemoryOcppClusterNetwork"/> joins the nodes of one process (tests).
/// </summary>
public interface IOcppClusterBus : IAsyncDisposable
{
    /// <summary>Connects the node and starts delivering messages to <paramref name="receiver"/>.</summary>
    /// <param name="nodeId">This node's unique id (the address of <see cref="SendAsync"/>).</param>
    /// <param name="receiver">Gets the messages; called on the bus's threads, one message at a time per kind.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>A task that completes when the node can send and receive.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> or <paramref name="receiver"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The node cannot join: e.g. another node of the same id is connected
    /// (<see cref="InMemoryOcppClusterNetwork"/>) or the broker cannot be reached (RabbitMQ).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task StartAsync(string nodeId, IOcppClusterReceiver receiver, CancellationToken cancellationToken);

    /// <summary>Sends a message to every node of the cluster, this one included.</summary>
    /// <param name="message">The message (UTF-8 JSON); the bus may keep a reference until it is sent.</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns>A task that completes when the broker has the message (or, for a bus that queues broadcasts, when it is queued).</returns>
    /// <remarks>A broadcast that cannot be delivered is lost; the cluster announces its state again after <see cref="IOcppClusterReceiver.OnBusRestored"/>.</remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task BroadcastAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Sends a message to one node.</summary>
    /// <param name="nodeId">The node.</param>
    /// <param name="message">The message (UTF-8 JSON).</param>
    /// <param name="cancellationToken">Cancels sending.</param>
    /// <returns><see langword="true"/> when the broker accepted it for that node; <see langword="false"/> when the node
    /// is not connected to the broker (its queue is gone), so it cannot arrive.</returns>
    /// <exception cref="InvalidOperationException">The bus has not started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Any other exception (the broker connection is down) counts, for <see cref="OcppCluster"/>, as the node not
    /// being reachable; a routed CALL whose send does not complete ends with <see cref="Transport.OcppTimeoutException"/>
    /// after its timeout plus <see cref="OcppClusterOptions.RoutingGrace"/>.</remarks>
    Task<bool> SendAsync(string nodeId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}

/// <summary>What a node receives from its <see cref="IOcppClusterBus"/>.</summary>
public interface IOcppClusterReceiver
{
    /// <summary>A broadcast (from any node, this one included) or a message sent to this node.</summary>
    /// <param name="message">The message (UTF-8 JSON), valid during the call only. A message that cannot be read or
    /// handled is logged and dropped; this method does not throw.</param>
    void OnMessage(ReadOnlySpan<byte> message);

    /// <summary>The connection to the broker was lost (and is being restored by the bus, if it can).</summary>
    /// <param name="reason">Why, when known.</param>
    void OnBusLost(Exception? reason);

    /// <summary>The connection to the broker was restored after <see cref="OnBusLost"/> (this node's queue is bound again).</summary>
    void OnBusRestored();
}
