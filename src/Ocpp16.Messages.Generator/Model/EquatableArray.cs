using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Ocpp16.Messages.Generator.Model
{
    /// <summary>An immutable array with structural equality, so pipeline models cache correctly.</summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
        where T : IEquatable<T>
    {
        private readonly ImmutableArray<T> _items;

        public EquatableArray(ImmutableArray<T> items) => _items = items;

        public EquatableArray(IEnumerable<T> items) => _items = items.ToImmutableArrayOrEmpty();

        public int Count => _items.IsDefault ? 0 : _items.Length;

        public T this[int index] => _items[index];

        public bool Equals(EquatableArray<T> other)
        {
            if (Count != other.Count)
            {
                return false;
            }

            for (var i = 0; i < Count; i++)
            {
                if (!_items[i].Equals(other._items[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> o && Equals(o);

        public override int GetHashCode()
        {
            var h = 17;
            for (var i = 0; i < Count; i++)
            {
                h = (h * 31) + _items[i].GetHashCode();
            }

            return h;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items.IsDefault ? ImmutableArray<T>.Empty : _items)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    internal static class EquatableArrayExtensions
    {
        public static ImmutableArray<T> ToImmutableArrayOrEmpty<T>(this IEnumerable<T> items) => ImmutableArray.CreateRange(items);

        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
            where T : IEquatable<T> => new EquatableArray<T>(items);
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Polyfill so netstandard2.0 can use records and init accessors.</summary>
    internal static class IsExternalInit
    {
    }
}
