using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// A test stand-in for the load balancer in front of a cluster (nginx in the README): a TCP forwarder on loopback that
/// sends each connection to a backend port — the one <see cref="Prefer"/> names for the charge point in its request
/// line (<c>GET /ocpp/{id}</c>) when that backend accepts, else the next backend that accepts, round robin.
/// <see cref="Abandon"/> drops a charge point's client side only, leaving a stale connection on its node, as a NAT
/// or a lost route does.
/// </summary>
internal sealed class TcpLoadBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int[] _backends;
    private readonly ConcurrentDictionary<string, int> _preferred = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next;

    public TcpLoadBalancer(params int[] backends)
    {
        _backends = backends;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Sends the next connections of <paramref name="chargePointId"/> to <paramref name="backendPort"/> while it accepts.</summary>
    public void Prefer(string chargePointId, int backendPort) => _preferred[chargePointId] = backendPort;

    /// <summary>The backend port that the current connection of a charge point goes to.</summary>
    public int? BackendOf(string chargePointId) => _links.TryGetValue(chargePointId, out var link) ? link.BackendPort : null;

    /// <summary>
    /// Closes the charge point's side of its current connection and keeps the node's side open (read and discarded):
    /// the returned task completes when the node closes it.
    /// </summary>
    public Task Abandon(string chargePointId)
    {
        var link = _links[chargePointId];
        link.Abandoned = true;
        link.Client.Client.Close(0);
        return link.BackendClosed.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var link in _links.Values)
        {
            link.Client.Dispose();
            link.Backend.Dispose();
        }

        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        TcpClient? backend = null;
        try
        {
            var stream = client.GetStream();
            var head = new byte[8192];
            var length = 0;
            int lineEnd;
            while ((lineEnd = IndexOfLineEnd(head.AsSpan(0, length))) < 0)
            {
                var read = await stream.ReadAsync(head.AsMemory(length), _stop.Token);
                if (read == 0 || (length += read) == head.Length)
                {
                    client.Dispose();
                    return;
                }
            }

            // "GET /ocpp/CP-1 HTTP/1.1"
            var target = Encoding.ASCII.GetString(head, 0, lineEnd).Split(' ') is { Length: 3 } parts ? parts[1] : "/";
            var id = Uri.UnescapeDataString(target.TrimEnd('/')[(target.TrimEnd('/').LastIndexOf('/') + 1)..]);
            (backend, var port) = await ConnectAsync(id);
            if (backend is null)
            {
                client.Dispose();
                return;
            }

            var link = new Link(client, backend, port);
            _links[id] = link;
            var backendStream = backend.GetStream();
            await backendStream.WriteAsync(head.AsMemory(0, length), _stop.Token);
            var up = PumpAsync(stream, backendStream);
            var down = PumpAsync(backendStream, stream);
            await Task.WhenAny(up, down);
            if (link.Abandoned)
            {
                // Keep reading what the node sends until it closes its side.
                await down;
                await DrainAsync(backendStream);
                link.BackendClosed.TrySetResult();
            }

            client.Dispose();
            backend.Dispose();
            link.BackendClosed.TrySetResult();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            client.Dispose();
            backend?.Dispose();
        }
    }

    private async Task<(TcpClient? Backend, int Port)> ConnectAsync(string id)
    {
        var order = new List<int>();
        if (_preferred.TryGetValue(id, out var preferred))
        {
            order.Add(preferred);
        }

        var start = Interlocked.Increment(ref _next);
        order.AddRange(Enumerable.Range(0, _backends.Length).Select(i => _backends[(start + i) % _backends.Length]));
        foreach (var port in order)
        {
            var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                return (backend, port);
            }
            catch (SocketException)
            {
                backend.Dispose();
            }
        }

        return (null, 0);
    }

    private static async Task PumpAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task DrainAsync(Stream from)
    {
        try
        {
            await from.CopyToAsync(Stream.Null);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static int IndexOfLineEnd(ReadOnlySpan<byte> bytes) => bytes.IndexOf("\r\n"u8);

    private sealed class Link(TcpClient client, TcpClient backend, int backendPort)
    {
        public TcpClient Client => client;

        public TcpClient Backend => backend;

        public int BackendPort => backendPort;

        public volatile bool Abandoned;

        public TaskCompletionSource BackendClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
