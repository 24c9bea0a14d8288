using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>
/// The charge point's end of a connection that records every frame the charge point sends, in the order they go on the
/// wire (to check that an answer precedes the message it causes, e.g. TriggerMessage.conf before the triggered CALL).
/// </summary>
internal sealed class RecordingTransport(IOcppTransport inner, FrameLog log) : IOcppTransport
{
    public string? RemoteAddress => inner.RemoteAddress;

    public ValueTask<OcppReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
        => inner.ReceiveAsync(destination, cancellationToken);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
    {
        log.Add(Encoding.UTF8.GetString(utf8Message.Span));
        await inner.SendAsync(utf8Message, cancellationToken);
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default)
        => inner.CloseAsync(status, description, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>The frames a charge point sent, in order.</summary>
internal sealed class FrameLog
{
    private readonly Lock _gate = new();
    private readonly List<string> _frames = [];

    public IReadOnlyList<string> Frames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    public void Add(string frame)
    {
        lock (_gate)
        {
            _frames.Add(frame);
        }
    }

    /// <summary>The index of the first frame containing <paramref name="text"/> at or after <paramref name="from"/>, or -1.</summary>
    public int IndexOf(string text, int from = 0)
    {
        var frames = Frames;
        for (var i = from; i < frames.Count; i++)
        {
            if (frames[i].Contains(text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
