using System.Buffers;

namespace Ocpp16.Transport.Internal;

/// <summary>A growable <see cref="IBufferWriter{T}"/> over <see cref="ArrayPool{T}.Shared"/> arrays, reused across messages.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 256;
    private byte[] _buffer;
    private int _written;

    private readonly int _initialCapacity;

    public PooledBufferWriter(int initialCapacity, bool rentLazily = false)
    {
        _initialCapacity = initialCapacity;
        _buffer = rentLazily ? [] : ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Clears and gives the buffer back to the pool; the next write rents one again (an idle connection holds none).</summary>
    public void ClearAndRelease()
    {
        _written = 0;
        var old = _buffer;
        _buffer = [];
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    public int WrittenCount => _written;

    public int Capacity => _buffer.Length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Clear() => _written = 0;

    /// <summary>Clears and, when the buffer grew beyond <paramref name="maxRetained"/> bytes, swaps it for a small one.</summary>
    public void ClearAndShrink(int maxRetained, int initialCapacity)
    {
        _written = 0;
        if (_buffer.Length > maxRetained)
        {
            var old = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var old = _buffer;
        _buffer = [];
        _written = 0;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var newSize = Math.Max(Math.Max(_buffer.Length * 2, _written + sizeHint), Math.Max(MinimumGrowth, _initialCapacity));
        var bigger = ArrayPool<byte>.Shared.Rent(newSize);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        var old = _buffer;
        _buffer = bigger;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
