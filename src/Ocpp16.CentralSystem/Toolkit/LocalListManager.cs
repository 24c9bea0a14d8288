using System.Collections.Concurrent;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Toolkit;

/// <summary>What a charge point's Local Authorization List holds, as last confirmed by it (OCPP 1.6 §3.5.3).</summary>
/// <param name="Version">The list version (§5.15 listVersion).</param>
/// <param name="Entries">The entries by idTag, with their IdTagInfo.</param>
public sealed record LocalListState(int Version, IReadOnlyDictionary<string, IdTagInfo> Entries);

/// <summary>Where the confirmed list of each charge point is kept (a building block; <see cref="InMemoryLocalListStore"/> is the default).</summary>
public interface ILocalListStore
{
    /// <summary>The list last confirmed by a charge point.</summary>
    /// <param name="chargePointId">The charge point.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The state, or <see langword="null"/> when none is known (a full update is then sent).</returns>
    ValueTask<LocalListState?> GetAsync(string chargePointId, CancellationToken cancellationToken);

    /// <summary>Saves the list a charge point confirmed.</summary>
    /// <param name="chargePointId">The charge point.</param>
    /// <param name="state">The confirmed state.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when saved.</returns>
    ValueTask SaveAsync(string chargePointId, LocalListState state, CancellationToken cancellationToken);
}

/// <summary>An <see cref="ILocalListStore"/> in memory. Thread-safe.</summary>
public sealed class InMemoryLocalListStore : ILocalListStore
{
    private readonly ConcurrentDictionary<string, LocalListState> _states = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<LocalListState?> GetAsync(string chargePointId, CancellationToken cancellationToken) => ValueTask.FromResult(_states.GetValueOrDefault(chargePointId));

    /// <inheritdoc />
    public ValueTask SaveAsync(string chargePointId, LocalListState state, CancellationToken cancellationToken)
    {
        _states[chargePointId] = state;
        return ValueTask.CompletedTask;
    }
}

/// <summary>The outcome of <see cref="LocalListManager.SynchronizeAsync"/>.</summary>
/// <param name="Status">Accepted when the charge point now holds the desired list; otherwise the first refusal (Failed, NotSupported, VersionMismatch).</param>
/// <param name="Version">The version the charge point holds now (as far as confirmed).</param>
/// <param name="Requests">The SendLocalList requests sent, in order.</param>
public sealed record LocalListSyncResult(UpdateStatus Status, int Version, IReadOnlyList<SendLocalListRequest> Requests);

/// <summary>
/// Keeps the Local Authorization List of charge points in line with a desired list (Local Auth List Management
/// profile, OCPP 1.6 §3.5.3, §5.10, §5.15): plans full or differential SendLocalList updates from the list the charge
/// point last confirmed (<see cref="ILocalListStore"/>), split to the station's <c>SendLocalListMaxLength</c>, with a
/// new version per message, and sends them. A differential update is used when it is smaller than the full list; a
/// VersionMismatch answer is recovered by one full update.
/// </summary>
/// <param name="store">The confirmed lists; <see langword="null"/> for an in-memory store.</param>
public sealed class LocalListManager(ILocalListStore? store = null)
{
    private readonly ILocalListStore _store = store ?? new InMemoryLocalListStore();

    /// <summary>
    /// The requests that take a charge point from <paramref name="current"/> to <paramref name="desired"/>: none when
    /// they are equal; otherwise a differential update (changed and added entries with their IdTagInfo, removed ones
    /// without) or, when that would not be smaller or nothing is known, a full update; each split into messages of at most
    /// <paramref name="maxEntriesPerMessage"/> entries (a full list's first part as Full, the rest as Differential).
    /// Versions count up from the current one (from 1 without one).
    /// </summary>
    /// <param name="current">What the charge point holds, or <see langword="null"/> when unknown.</param>
    /// <param name="desired">The list it should hold, by idTag.</param>
    /// <param name="maxEntriesPerMessage">The station's <c>SendLocalListMaxLength</c>; at least 1.</param>
    /// <returns>The requests, in sending order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEntriesPerMessage"/> is less than 1.</exception>
    public static IReadOnlyList<SendLocalListRequest> Plan(LocalListState? current, IReadOnlyDictionary<string, IdTagInfo> desired, int maxEntriesPerMessage)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesPerMessage, 1);
        var version = current?.Version ?? 0;
        List<AuthorizationData>? changes = null;
        if (current is not null)
        {
            changes = [];
            foreach (var (tag, info) in desired.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!current.Entries.TryGetValue(tag, out var old) || !Equals(old, info))
                {
                    changes.Add(new AuthorizationData { IdTag = tag, IdTagInfo = info });
                }
            }

            foreach (var tag in current.Entries.Keys.Where(t => !desired.ContainsKey(t)).Order(StringComparer.Ordinal))
            {
                changes.Add(new AuthorizationData { IdTag = tag });
            }

            if (changes.Count == 0)
            {
                return [];
            }
        }

        List<SendLocalListRequest> requests = [];
        if (changes is not null && changes.Count < Math.Max(1, desired.Count))
        {
            foreach (var chunk in changes.Chunk(maxEntriesPerMessage))
            {
                requests.Add(new SendLocalListRequest { ListVersion = ++version, UpdateType = UpdateType.Differential, LocalAuthorizationList = chunk });
            }

            return requests;
        }

        var full = desired.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new AuthorizationData { IdTag = e.Key, IdTagInfo = e.Value }).ToArray();
        var first = true;
        foreach (var chunk in full.Length == 0 ? [[]] : full.Chunk(maxEntriesPerMessage))
        {
            requests.Add(new SendLocalListRequest { ListVersion = ++version, UpdateType = first ? UpdateType.Full : UpdateType.Differential, LocalAuthorizationList = chunk });
            first = false;
        }

        return requests;
    }

    /// <summary>The list version a charge point reports (GetLocalListVersion, §5.10): 0 for an empty list, -1 when not supported.</summary>
    /// <param name="chargePoint">The charge point.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The version.</returns>
    /// <exception cref="Transport.OcppException">The call failed.</exception>
    public static async Task<int> GetVersionAsync(ConnectedChargePoint chargePoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chargePoint);
        return (await chargePoint.GetLocalListVersionAsync(new GetLocalListVersionRequest(), cancellationToken).ConfigureAwait(false)).ListVersion;
    }

    /// <summary>
    /// Brings a charge point's list to <paramref name="desired"/>: plans from the stored state (<see cref="Plan"/>), sends
    /// each request and saves the state after each Accepted answer. On VersionMismatch it sends one full update; on
    /// Failed or NotSupported it stops.
    /// </summary>
    /// <param name="chargePoint">The charge point.</param>
    /// <param name="desired">The list it should hold, by idTag.</param>
    /// <param name="maxEntriesPerMessage">The station's <c>SendLocalListMaxLength</c>.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="Transport.OcppException">A call failed (CALLERROR, timeout, disconnect).</exception>
    public async Task<LocalListSyncResult> SynchronizeAsync(ConnectedChargePoint chargePoint, IReadOnlyDictionary<string, IdTagInfo> desired, int maxEntriesPerMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chargePoint);
        var current = await _store.GetAsync(chargePoint.Id, cancellationToken).ConfigureAwait(false);
        List<SendLocalListRequest> sent = [];
        var (status, state) = await SendAsync(chargePoint, current, Plan(current, desired, maxEntriesPerMessage), sent, cancellationToken).ConfigureAwait(false);
        if (status == UpdateStatus.VersionMismatch)
        {
            // The charge point's list is not what we believed: replace it as a whole, after the version it reports.
            var reported = await GetVersionAsync(chargePoint, cancellationToken).ConfigureAwait(false);
            var restart = new LocalListState(Math.Max(reported, state?.Version ?? 0), new Dictionary<string, IdTagInfo>());
            (status, state) = await SendAsync(chargePoint, restart, Plan(null, desired, maxEntriesPerMessage).Select((r, i) => new SendLocalListRequest { ListVersion = restart.Version + i + 1, UpdateType = r.UpdateType, LocalAuthorizationList = r.LocalAuthorizationList }).ToList(), sent, cancellationToken).ConfigureAwait(false);
        }

        return new LocalListSyncResult(status, state?.Version ?? 0, sent);
    }

    private async Task<(UpdateStatus Status, LocalListState? State)> SendAsync(ConnectedChargePoint chargePoint, LocalListState? state, IReadOnlyList<SendLocalListRequest> requests, List<SendLocalListRequest> sent, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            sent.Add(request);
            var response = await chargePoint.SendLocalListAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Status != UpdateStatus.Accepted)
            {
                return (response.Status, state);
            }

            var entries = request.UpdateType == UpdateType.Full || state is null
                ? new Dictionary<string, IdTagInfo>(StringComparer.Ordinal)
                : new Dictionary<string, IdTagInfo>(state.Entries, StringComparer.Ordinal);
            foreach (var entry in request.LocalAuthorizationList ?? [])
            {
                if (entry.IdTagInfo is { } info)
                {
                    entries[entry.IdTag] = info;
                }
                else
                {
                    entries.Remove(entry.IdTag);
                }
            }

            state = new LocalListState(request.ListVersion, entries);
            await _store.SaveAsync(chargePoint.Id, state, cancellationToken).ConfigureAwait(false);
        }

        return (UpdateStatus.Accepted, state);
    }
}
