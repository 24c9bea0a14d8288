using System.Collections.Concurrent;

namespace Ocpp16.CentralSystem;

/// <summary>
/// Which charge point identities the application knows (a building block: implement it over your database, or use
/// <see cref="InMemoryChargePointRegistry"/>). With <see cref="CentralSystemOptions.UnknownChargePoints"/> =
/// <see cref="UnknownChargePointPolicy.Refuse"/> the Central System asks it at every handshake, after the cheap checks
/// and before authentication, and refuses an unknown identity with HTTP 404.
/// </summary>
public interface IChargePointRegistry
{
    /// <summary>Finds a charge point by identity.</summary>
    /// <param name="chargePointId">The identity (the <c>{chargePointId}</c> route value, URL-decoded; case-sensitive).</param>
    /// <param name="cancellationToken">Cancelled when the handshake is aborted.</param>
    /// <returns>Its registration, or <see langword="null"/> when the identity is unknown.</returns>
    ValueTask<ChargePointRegistration?> FindAsync(string chargePointId, CancellationToken cancellationToken);
}

/// <summary>A charge point the application knows.</summary>
/// <param name="ChargePointId">The identity (case-sensitive).</param>
/// <param name="DisplayName">A name for people (site, bay), if any.</param>
public sealed record ChargePointRegistration(string ChargePointId, string? DisplayName = null);

/// <summary>An <see cref="IChargePointRegistry"/> in memory: add the known identities at start or while running. Thread-safe.</summary>
public sealed class InMemoryChargePointRegistry : IChargePointRegistry
{
    private readonly ConcurrentDictionary<string, ChargePointRegistration> _known = new(StringComparer.Ordinal);

    /// <summary>The known charge points.</summary>
    public IReadOnlyCollection<ChargePointRegistration> ChargePoints => [.. _known.Values];

    /// <summary>Adds or replaces a known charge point.</summary>
    /// <param name="registration">The charge point.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registration"/> is <see langword="null"/>.</exception>
    public void Add(ChargePointRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        _known[registration.ChargePointId] = registration;
    }

    /// <summary>Forgets a charge point (it is refused at its next handshake; an open connection stays).</summary>
    /// <param name="chargePointId">The identity.</param>
    /// <returns><see langword="true"/> when it was known.</returns>
    public bool Remove(string chargePointId) => _known.TryRemove(chargePointId, out _);

    /// <inheritdoc />
    public ValueTask<ChargePointRegistration?> FindAsync(string chargePointId, CancellationToken cancellationToken)
        => ValueTask.FromResult(_known.GetValueOrDefault(chargePointId));
}
