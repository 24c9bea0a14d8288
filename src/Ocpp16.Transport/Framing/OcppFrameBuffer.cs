using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ocpp16.Transport.Internal;

namespace Ocpp16.Transport.Framing;

/// <summary>
/// A pooled pair of output buffer and <see cref="Utf8JsonWriter"/> used to build one outgoing frame. Rent, write, send,
/// return; the written memory stays valid until <see cref="Return"/>.
/// </summary>
internal sealed class OcppFrameBuffer : IDisposable
{
    private const int InitialCapacity = 1024;
    private const int MaxRetainedCapacity = 64 * 1024;
    private const int MaxPooled = 256;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private static readonly ConcurrentQueue<OcppFrameBuffer> s_pool = new();
    private static int s_pooled;

    private readonly PooledBufferWriter _buffer;

    private OcppFrameBuffer()
    {
        _buffer = new PooledBufferWriter(InitialCapacity);
        Writer = new Utf8JsonWriter(_buffer, s_writerOptions);
    }

    public Utf8JsonWriter Writer { get; }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public static OcppFrameBuffer Rent()
    {
        if (s_pool.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref s_pooled);
            return buffer;
        }

        return new OcppFrameBuffer();
    }

    public static void Return(OcppFrameBuffer buffer)
    {
        buffer.Reset();
        if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
        {
            s_pool.Enqueue(buffer);
        }
        else
        {
            Interlocked.Decrement(ref s_pooled);
            buffer.Dispose();
        }
    }

    /// <summary>Discards anything written (also after a failed write) so the buffer can be written again.</summary>
    public void Reset()
    {
        Writer.Reset();
        _buffer.ClearAndShrink(MaxRetainedCapacity, InitialCapacity);
    }

    public void Dispose()
    {
        Writer.Dispose();
        _buffer.Dispose();
    }
}
