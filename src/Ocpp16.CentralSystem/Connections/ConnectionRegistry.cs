using System.Diagnostics.CodeAnalysis;

namespace Ocpp16.CentralSystem;

/// <summary>
/// The live connections by identity: the newest per identity, older live ones with the same identity (only with
/// <see cref="DuplicateConnectionPolicy.AllowBoth"/> or while a replaced one closes) chained through
/// <see cref="ConnectedChargePoint.OlderSameIdentity"/>; and, under <see cref="DuplicateConnectionPolicy.RejectNew"/>,
/// the identities being admitted (between the cheap checks and the registration), so two simultaneous handshakes with
/// one identity cannot both pass. Everything is read and changed under one lock.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConnectedChargePoint> _heads = new(StringComparer.Ordinal);
    private readonly HashSet<string> _admitting = new(StringComparer.Ordinal);
    private bool _stopping;

    public IReadOnlyCollection<ConnectedChargePoint> Snapshot()
    {
        lock (_gate)
        {
            return [.. _heads.Values];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _heads.Count;
            }
        }
    }

    public bool TryGet(string id, [NotNullWhen(true)] out ConnectedChargePoint? chargePoint)
    {
        lock (_gate)
        {
            return _heads.TryGetValue(id, out chargePoint);
        }
    }

    /// <summary>
    /// Under <see cref="DuplicateConnectionPolicy.RejectNew"/>: reserves <paramref name="id"/> for one handshake; false
    /// when it is connected or another handshake holds it. Always true under the other policies. A reservation ends with
    /// <see cref="Register"/> or <see cref="EndAdmission"/>.
    /// </summary>
    public bool TryBeginAdmission(string id, DuplicateConnectionPolicy policy)
    {
        if (policy != DuplicateConnectionPolicy.RejectNew)
        {
            return true;
        }

        lock (_gate)
        {
            return !_heads.ContainsKey(id) && _admitting.Add(id);
        }
    }

    /// <summary>Releases a reservation of a handshake that did not end in a connection.</summary>
    public void EndAdmission(string id, DuplicateConnectionPolicy policy)
    {
        if (policy != DuplicateConnectionPolicy.RejectNew)
        {
            return;
        }

        lock (_gate)
        {
            _admitting.Remove(id);
        }
    }

    /// <summary>Adds a new connection as the newest of its identity; returns the ones it replaces (ReplaceExisting) and whether the Central System is stopping.</summary>
    public List<ConnectedChargePoint>? Register(ConnectedChargePoint chargePoint, DuplicateConnectionPolicy policy, out bool stopping)
    {
        List<ConnectedChargePoint>? replaced = null;
        lock (_gate)
        {
            _admitting.Remove(chargePoint.Id);
            _heads.TryGetValue(chargePoint.Id, out var previous);
            if (policy == DuplicateConnectionPolicy.ReplaceExisting)
            {
                for (var node = previous; node is not null; node = node.OlderSameIdentity)
                {
                    (replaced ??= []).Add(node);
                }
            }

            chargePoint.OlderSameIdentity = previous;
            _heads[chargePoint.Id] = chargePoint;
            stopping = _stopping;
        }

        return replaced;
    }

    /// <summary>Removes <paramref name="chargePoint"/> from its identity's chain.</summary>
    public void Unregister(ConnectedChargePoint chargePoint)
    {
        lock (_gate)
        {
            if (!_heads.TryGetValue(chargePoint.Id, out var head))
            {
                return;
            }

            if (ReferenceEquals(head, chargePoint))
            {
                if (chargePoint.OlderSameIdentity is { } older)
                {
                    _heads[chargePoint.Id] = older;
                }
                else
                {
                    _heads.Remove(chargePoint.Id);
                }

                return;
            }

            for (var node = head; node.OlderSameIdentity is not null; node = node.OlderSameIdentity)
            {
                if (ReferenceEquals(node.OlderSameIdentity, chargePoint))
                {
                    node.OlderSameIdentity = chargePoint.OlderSameIdentity;
                    return;
                }
            }
        }
    }

    /// <summary>Marks the registry stopping and returns every live connection (all chains).</summary>
    public List<ConnectedChargePoint> BeginStop()
    {
        List<ConnectedChargePoint> all = [];
        lock (_gate)
        {
            _stopping = true;
            foreach (var head in _heads.Values)
            {
                for (var node = head; node is not null; node = node.OlderSameIdentity)
                {
                    all.Add(node);
                }
            }
        }

        return all;
    }
}
