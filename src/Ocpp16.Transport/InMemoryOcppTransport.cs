using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Ocpp16.Transport;

/// <summary>
/// A connected pair of in-process transports (no sockets), for tests of this library and of applications built on it.
/// </summary>
/// <remarks>
/// Messages are copied when sent, so the sender may reuse its buffer at once. Closing one side
/// (<see cref="IOcppTransport.CloseAsync"/> or <see cref="IAsyncDisposable.DisposeAsync"/>) makes the pending and later
/// <see cref="IOcppTransport.ReceiveAsync"/> calls of both sides return a close result with that status (the echo of a
/// WebSocket closing handshake is simulated); sends on either side then throw <see cref="OcppConnectionClosedException"/>.
/// Disposing without closing reports <see cref="WebSocketCloseStatus.EndpointUnavailable"/> (1001) to the peer.
/// </remarks>
public static class InMemoryOcppTransport
{
    /// <summary>Creates two transports connected to each other.</summary>
    /// <returns>The charge point end and the Central System end.</returns>
    public static (IOcppTransport ChargePoint, IOcppTransport CentralSystem) CreatePair()
    {
        var toCentralSystem = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
        var toChargePoint = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
        var shared = new SharedState();
        var chargePoint = new Endpoint(toChargePoint, toCentralSystem, shared, "in-memory:central-system");
        var centralSystem = new Endpoint(toCentralSystem, toChargePoint, shared, "in-memory:charge-point");
        return (chargePoint, centralSystem);
    }

    private sealed class SharedState
    {
        private readonly Lock _sync = new();
        private Item? _close;

        public Item? Close
        {
            get
            {
                lock (_sync)
                {
                    return _close;
                }
            }
        }

        public bool TrySetClose(Item item)
        {
            lock (_sync)
            {
                if (_close is not null)
                {
                    return false;
                }

                _close = item;
                return true;
            }
        }
    }

    private sealed class Item
    {
        public Item(byte[]? data, WebSocketCloseStatus? status, string? description)
        {
            Data = data;
            Status = status;
            Description = description;
        }

        public byte[]? Data { get; }

        public WebSocketCloseStatus? Status { get; }

        public string? Description { get; }
    }

    private sealed class Endpoint : IOcppTransport
    {
        private readonly Channel<Item> _inbound;
        private readonly Channel<Item> _outbound;
        private readonly SharedState _shared;

        public Endpoint(Channel<Item> inbound, Channel<Item> outbound, SharedState shared, string remoteAddress)
        {
            _inbound = inbound;
            _outbound = outbound;
            _shared = shared;
            RemoteAddress = remoteAddress;
        }

        public string? RemoteAddress { get; }

        public async ValueTask<OcppReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(destination);
            while (true)
            {
                if (_inbound.Reader.TryRead(out var item))
                {
                    if (item.Data is null)
                    {
                        return OcppReceiveResult.Closed(item.Status, item.Description);
                    }

                    destination.Write(item.Data);
                    return OcppReceiveResult.Message(item.Data.Length);
                }

                if (!await _inbound.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var close = _shared.Close;
                    return OcppReceiveResult.Closed(close?.Status, close?.Description);
                }
            }
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_shared.Close is not null || !_outbound.Writer.TryWrite(new Item(utf8Message.ToArray(), null, null)))
            {
                throw new OcppConnectionClosedException("Cannot send: the in-memory connection is closed.");
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default)
        {
            var item = new Item(null, status, description);
            if (_shared.TrySetClose(item))
            {
                // Both sides learn the close, after the messages already in flight.
                _outbound.Writer.TryWrite(item);
                _outbound.Writer.TryComplete();
                _inbound.Writer.TryWrite(item);
                _inbound.Writer.TryComplete();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Disposed", CancellationToken.None);
    }
}
