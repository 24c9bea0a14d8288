using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ocpp16.Messages.Serialization;

/// <summary>
/// Collects the items of a JSON array in a pooled buffer and returns them as an exactly sized array, so reading an array
/// allocates nothing beyond the resulting array (no list growth garbage).
/// </summary>
internal struct OcppArrayBuilder<T>
{
    private T[]? _buffer;
    private int _count;

    public readonly int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        if (_buffer is null || _count == _buffer.Length)
        {
            Grow();
        }

        _buffer![_count++] = item;
    }

    /// <summary>Returns the items as a new array of exactly <see cref="Count"/> elements and gives the buffer back.</summary>
    public T[] ToArrayAndReturn()
    {
        if (_buffer is null)
        {
            return [];
        }

        var result = _buffer.AsSpan(0, _count).ToArray();
        Return();
        return result;
    }

    /// <summary>Gives the buffer back without making an array (the read gave up).</summary>
    public void Discard() => Return();

    private void Grow()
    {
        var next = ArrayPool<T>.Shared.Rent(_buffer is null ? 8 : _buffer.Length * 2);
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _count).CopyTo(next);
            Return();
        }

        _buffer = next;
    }

    private void Return()
    {
        if (_buffer is not null)
        {
            ArrayPool<T>.Shared.Return(_buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _buffer = null;
        }
    }
}
