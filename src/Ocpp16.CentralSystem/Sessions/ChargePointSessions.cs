using System.Collections.Concurrent;

namespace Ocpp16.CentralSystem;

/// <summary>The session state of every charge point seen since the Central System started, by identity.</summary>
internal sealed class ChargePointSessions
{
    private readonly ConcurrentDictionary<string, ChargePointSession> _sessions = new(StringComparer.Ordinal);

    public ChargePointSession GetOrAdd(string chargePointId) => _sessions.GetOrAdd(chargePointId, static id => new ChargePointSession(id));

    public bool TryGet(string chargePointId, out ChargePointSession session) => _sessions.TryGetValue(chargePointId, out session!);

    public IReadOnlyCollection<ChargePointSession> Snapshot() => [.. _sessions.Values];
}
