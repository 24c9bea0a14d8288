using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Ocpp16.CentralSystem.Cluster;

/// <summary>
/// A broker in memory that joins the Central System nodes of one process: for tests of an application's scale-out
/// behaviour without RabbitMQ. Each node gets its own bus from <see cref="CreateBus"/>; messages are delivered in order,
/// one at a time per node, on the thread pool, as a broker would.
/// </summary>
public sealed class InMemoryOcppClusterNetwork
{
    private readonly ConcurrentDictionary<string, Bus> _nodes = new(StringComparer.Ordinal);

    /// <summary>The ids of the nodes connected now.</summary>
    public IReadOnlyCollection<string> Nodes => [.. _nodes.Keys];

    /// <summary>Creates the bus of one node (pass it to <c>AddScaleOut</c>).</summary>
    /// <returns>A bus that joins this network when its node starts. Its <see cref="IOcppClusterBus.StartAsync"/> throws
    /// <see cref="InvalidOperationException"/> when a node of the same id is connected to this network now, and
    /// <see cref="ArgumentNullException"/> for a <see langword="null"/> node id or receiver; its
    /// <see cref="IOcppClusterBus.SendAsync"/> answers <see langword="false"/> for a node not connected (or cut off).</returns>
    public IOcppClusterBus CreateBus() => new Bus(this);

    /// <summary>
    /// Cuts a node off as a crash of its process would: its queue is gone (messages sent to it are refused), and what it
    /// sends is lost. The others see it leave at their next heartbeat, when a message to it is refused.
    /// </summary>
    /// <param name="nodeId">The node.</param>
    /// <returns><see langword="true"/> when the node was connected.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> is <see langword="null"/>.</exception>
    public bool Isolate(string nodeId)
    {
        if (!_nodes.TryRemove(nodeId, out var bus))
        {
            return false;
        }

        bus.Cut();
        return true;
    }

    /// <summary>
    /// Silences a node as a frozen machine or a lost network would: messages to it are still accepted (and lost), and
    /// what it sends is lost. The others see it leave after <see cref="OcppClusterOptions.NodeTimeout"/>.
    /// </summary>
    /// <param name="nodeId">The node.</param>
    /// <returns><see langword="true"/> when the node was connected.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> is <see langword="null"/>.</exception>
    public bool Silence(string nodeId)
    {
        if (!_nodes.TryGetValue(nodeId, out var bus))
        {
            return false;
        }

        bus.Silenced = true;
        return true;
    }

    private sealed class Bus(InMemoryOcppClusterNetwork network) : IOcppClusterBus
    {
        public volatile bool Silenced;

        private readonly Channel<byte[]> _inbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        private string? _nodeId;
        private volatile bool _cut;
        private Task? _delivery;

        public Task StartAsync(string nodeId, IOcppClusterReceiver receiver, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(nodeId);
            ArgumentNullException.ThrowIfNull(receiver);
            if (!network._nodes.TryAdd(nodeId, this))
            {
                throw new InvalidOperationException($"A node with id {nodeId} is already connected to this network.");
            }

            _nodeId = nodeId;
            _delivery = Task.Run(() => DeliverAsync(receiver), CancellationToken.None);
            return Task.CompletedTask;
        }

        public Task BroadcastAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            if (!_cut && !Silenced)
            {
                var copy = message.ToArray();
                foreach (var node in network._nodes.Values)
                {
                    node._inbox.Writer.TryWrite(copy);
                }
            }

            return Task.CompletedTask;
        }

        public Task<bool> SendAsync(string nodeId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
            => Task.FromResult(!_cut && network._nodes.TryGetValue(nodeId, out var node) && (Silenced || node.Silenced || node._inbox.Writer.TryWrite(message.ToArray())));

        public async ValueTask DisposeAsync()
        {
            if (_nodeId is { } id)
            {
                network._nodes.TryRemove(new KeyValuePair<string, Bus>(id, this));
            }

            Cut();
            if (_delivery is { } delivery)
            {
                await delivery.ConfigureAwait(false);
            }
        }

        public void Cut()
        {
            _cut = true;
            _inbox.Writer.TryComplete();
        }

        private async Task DeliverAsync(IOcppClusterReceiver receiver)
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (_cut)
                {
                    return;
                }

                receiver.OnMessage(message);
            }
        }
    }
}
