using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem.Cluster;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Ocpp16.CentralSystem.RabbitMq;

/// <summary>
/// A cluster bus over RabbitMQ. Broadcasts go through a fanout exchange to every node's queue, in the order they were
/// made (one publisher loop); a message to one node goes through a direct exchange, published as mandatory with
/// publisher confirms, so a node whose queue is gone (it died or left) is known at once: the broker returns the
/// message and <see cref="SendAsync"/> answers <see langword="false"/>. Each node's queue is exclusive to its
/// connection: RabbitMQ deletes it when the node's connection dies. The connection recovers by itself (the client's
/// automatic recovery, with the queue and bindings declared again).
/// </summary>
internal sealed class RabbitMqClusterBus(RabbitMqScaleOutOptions options, ILogger logger) : IOcppClusterBus
{
    private readonly Channel<ReadOnlyMemory<byte>> _broadcasts = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _broadcastExchange = options.Exchange + ".broadcast";
    private readonly string _directExchange = options.Exchange + ".node";
    private IConnection? _connection;
    private IChannel? _publisher;
    private IChannel? _sender;
    private IChannel? _consumer;
    private Task? _publishing;
    private string _nodeId = string.Empty;
    private volatile bool _disposed;

    public async Task StartAsync(string nodeId, IOcppClusterReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(receiver);
        _nodeId = nodeId;
        var factory = new ConnectionFactory
        {
            Uri = options.Broker!,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = options.RecoveryInterval,
            RequestedHeartbeat = options.BrokerHeartbeat,
            ClientProvidedName = "ocpp16 " + nodeId,
        };
        try
        {
            _connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException e)
        {
            throw new InvalidOperationException($"The RabbitMQ broker {options.DescribeBroker()} cannot be reached: {e.InnerException?.Message ?? e.Message}", e);
        }

        _publisher = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _sender = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
        _consumer = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        await _consumer.ExchangeDeclareAsync(_broadcastExchange, ExchangeType.Fanout, durable: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _consumer.ExchangeDeclareAsync(_directExchange, ExchangeType.Direct, durable: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        var queue = $"{_directExchange}.{nodeId}";
        await _consumer.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _consumer.QueueBindAsync(queue, _broadcastExchange, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _consumer.QueueBindAsync(queue, _directExchange, nodeId, cancellationToken: cancellationToken).ConfigureAwait(false);

        // One delivery at a time (the default dispatch concurrency): the receiver sees messages in the broker's order.
        var consumer = new AsyncEventingBasicConsumer(_consumer);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            receiver.OnMessage(delivery.Body.Span);
            return Task.CompletedTask;
        };
        await _consumer.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken).ConfigureAwait(false);

        _connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (!_disposed)
            {
                RabbitMqLog.ConnectionLost(logger, nodeId, e.ReplyText, options.RecoveryInterval);
                receiver.OnBusLost(e.Exception);
            }

            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            RabbitMqLog.Recovered(logger, nodeId);
            receiver.OnBusRestored();
            return Task.CompletedTask;
        };
        _connection.ConnectionRecoveryErrorAsync += (_, e) =>
        {
            RabbitMqLog.RecoveryFailed(logger, nodeId, e.Exception);
            return Task.CompletedTask;
        };

        _publishing = Task.Run(PublishBroadcastsAsync, CancellationToken.None);
        RabbitMqLog.Connected(logger, nodeId, options.DescribeBroker(), queue);
    }

    /// <summary>Queues the broadcast; one loop publishes them in order (a lost connection drops them: state is announced again on recovery).</summary>
    public Task BroadcastAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        _broadcasts.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public async Task<bool> SendAsync(string nodeId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var sender = _sender ?? throw new InvalidOperationException("The cluster bus has not started.");
        try
        {
            await sender.BasicPublishAsync(_directExchange, nodeId, mandatory: true, message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PublishReturnException)
        {
            // No queue for that node: it is not connected to the broker.
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _broadcasts.Writer.TryComplete();
        if (_publishing is { } publishing)
        {
            await publishing.ConfigureAwait(false);
        }

        // The channels first, then the connection that carries them.
        foreach (var channel in new[] { _publisher, _sender, _consumer })
        {
            if (channel is null)
            {
                continue;
            }

            try
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException)
            {
                // Already gone with its connection.
            }

            await channel.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is { } connection)
        {
            try
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                // Already gone.
            }

            connection.Dispose();
        }
    }

    private async Task PublishBroadcastsAsync()
    {
        await foreach (var message in _broadcasts.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _publisher!.BasicPublishAsync(_broadcastExchange, string.Empty, message).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever the failure, the loop goes on: ending it would leave every later broadcast queued forever.
                RabbitMqLog.BroadcastDropped(logger, _nodeId, e);
            }
        }
    }
}
