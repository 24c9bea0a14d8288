using System.Collections.Concurrent;
using System.Reflection;
using Ocpp16.Messages.Serialization;

namespace Ocpp16.Messages.Tests.Infrastructure;

/// <summary>
/// The two halves of every generated reader, called separately: the fast path (<c>TryReadFastPath</c>, which gives up on
/// anything it does not certainly accept) and the exact path (<c>ReadExactPath</c>, Utf8JsonReader with full reporting).
/// <c>TryRead</c> is the fast path, then the exact path when the fast one gave up.
/// </summary>
internal static class ReadPaths
{
    private static readonly ConcurrentDictionary<Type, Paths> Cache = new();

    private delegate bool FastPath<T>(ReadOnlySpan<byte> utf8Json, out T? value);

    private delegate bool ExactPath<T>(ReadOnlySpan<byte> utf8Json, ref OcppReadState state, out T? value);

    /// <summary>What the exact path made of a payload.</summary>
    public sealed record ExactResult(bool Ok, IOcppMessage? Value, IReadOnlyList<OcppViolation> Violations);

    /// <summary>The fast path alone: the value, or <see langword="null"/> when it gave up.</summary>
    public static IOcppMessage? Fast(string fileName, byte[] utf8Json) => For(SchemaRepository.TypeFor(fileName)).Fast(utf8Json);

    /// <summary>The exact path alone.</summary>
    public static ExactResult Exact(string fileName, byte[] utf8Json, OcppValidationOptions? options = null)
        => For(SchemaRepository.TypeFor(fileName)).Exact(utf8Json, options);

    /// <summary>
    /// Null when the two paths agree on <paramref name="utf8Json"/>: either the fast path gave up, or it read a value and
    /// the exact path accepts the payload without any violation and reads an equal value that is written to the same
    /// bytes. Otherwise, what differs.
    /// </summary>
    public static string? Disagreement(string fileName, byte[] utf8Json)
    {
        var fast = Fast(fileName, utf8Json);
        if (fast is null)
        {
            return null;
        }

        var exact = Exact(fileName, utf8Json);
        if (!exact.Ok || exact.Violations.Count > 0)
        {
            return "the fast path accepts what the exact path " + (exact.Ok ? "reports: " : "rejects: ") + string.Join("; ", exact.Violations);
        }

        if (!fast.Equals(exact.Value))
        {
            return "the fast path reads another value than the exact path";
        }

        var fastBytes = JsonTestHelpers.WriteString(fast);
        var exactBytes = JsonTestHelpers.WriteString(exact.Value!);
        return fastBytes == exactBytes ? null : $"the fast path's value is written {fastBytes}, the exact path's {exactBytes}";
    }

    private static Paths For(Type type) => Cache.GetOrAdd(type, static t =>
        (Paths)typeof(ReadPaths).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t).Invoke(null, null)!);

    private static Paths Create<T>()
        where T : class, IOcppMessage
    {
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Static;
        var fast = typeof(T).GetMethod("TryReadFastPath", flags)!.CreateDelegate<FastPath<T>>();
        var exact = typeof(T).GetMethod("ReadExactPath", flags)!.CreateDelegate<ExactPath<T>>();
        return new Paths(
            json => fast(json, out var value) ? value : null,
            (json, options) =>
            {
                var state = new OcppReadState(options ?? OcppValidationOptions.Strict);
                var ok = exact(json, ref state, out var value);
                OcppCodec.Finish(ref state);
                return new ExactResult(ok, value, state.Violations);
            });
    }

    private sealed record Paths(Func<byte[], IOcppMessage?> Fast, Func<byte[], OcppValidationOptions?, ExactResult> Exact);
}
