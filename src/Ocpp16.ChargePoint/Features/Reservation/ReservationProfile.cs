using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Reservation;

/// <summary>A reservation as stored (collection <c>reservations</c>, key = the reservationId).</summary>
internal sealed record ReservationRecord(int ReservationId, int ConnectorId, string IdTag, string? ParentIdTag, DateTimeOffset ExpiryDate);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReservationRecord))]
internal sealed partial class ReservationJsonContext : JsonSerializerContext;

/// <summary>The names and declarations of the Reservation keys (OCPP 1.6 §9.3).</summary>
internal static class ReservationKeys
{
    public const string ReserveConnectorZeroSupported = nameof(ReserveConnectorZeroSupported);

    /// <summary>The keys, with the reference DC station's values as defaults (reservations per connector only).</summary>
    public static IEnumerable<ConfigurationKeyDefinition> Declare()
    {
        yield return new ConfigurationKeyDefinition
        {
            Name = ReserveConnectorZeroSupported, Type = ConfigurationKeyType.Boolean, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "false",
            Profile = OcppFeatureProfile.Reservation,
            Description = "ReserveNow may reserve connector 0 (any connector of the station); otherwise it is Rejected.",
        };
    }
}

/// <summary>
/// The Reservation profile (OCPP 1.6 §5.1, §5.13): ReserveNow and CancelReservation. A reserved connector is Reserved
/// and refuses every IdTag but the reserved one and those sharing its parentIdTag (a presented IdTag for which every
/// free connector is reserved is not even authorized); the transaction that uses it carries its reservationId, and
/// the reservation ends with that start (written atomically with it), at its expiryDate, when cancelled, or when its
/// connector becomes Faulted or Unavailable. With ReserveConnectorZeroSupported, a reservation of connector 0 keeps one
/// free connector for its holder: other IdTags may start only while more connectors are free than there are such
/// reservations, and the last free ones are shown Reserved. Reservations persist (collection <c>reservations</c>); an
/// expiryDate that passed while the charge point was down ends the reservation at the start.
/// </summary>
internal sealed class ReservationProfile : FeatureModule, ITransactionObserver, ITransactionAdmission, IConnectorStatusContributor
{
    /// <summary>The storage collection.</summary>
    public const string Collection = "reservations";

    private readonly Dictionary<int, ActiveReservation> _reservations = [];

    public ReservationProfile(ChargePointEngine engine)
        : base(engine)
    {
        engine.AddTransactionObserver(this);
        engine.AddAdmission(this);
        engine.Connectors.AddContributor(this);
        engine.Connectors.StatusResolved += OnStatusResolved;
    }

    public override OcppFeatureProfile Profile => OcppFeatureProfile.Reservation;

    public override IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys => ReservationKeys.Declare();

    /// <summary>The reservations in force (for tests and diagnostics).</summary>
    public IReadOnlyCollection<ReservationRecord> Reservations => [.. _reservations.Values.Select(r => r.Record)];

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<ReserveNowRequest, ReserveNowResponse>(OnReserveNowAsync);
        router.Register<CancelReservationRequest, CancelReservationResponse>(OnCancelReservationAsync);
    }

    /// <summary>Loads the reservations; those whose expiryDate has passed end now (one write), the others get their expiry timer.</summary>
    public override ValueTask StartAsync()
    {
        var now = Engine.Now;
        var expired = new ChargePointStorageBatch();
        foreach (var (key, value) in Engine.Storage.Load(Collection))
        {
            var record = JsonSerializer.Deserialize(value, ReservationJsonContext.Default.ReservationRecord)!;
            if (record.ExpiryDate <= now || (record.ConnectorId != 0 && Engine.Connectors.Find(record.ConnectorId) is null))
            {
                expired.Delete(Collection, key);
                ChargePointLog.ReservationEnded(Engine.Logger, Engine.Identity, record.ReservationId, record.ConnectorId, "expired while the charge point was down");
                continue;
            }

            _reservations[record.ReservationId] = new ActiveReservation(record, ScheduleExpiry(record));
        }

        if (!expired.IsEmpty)
        {
            // They are gone from memory all the same; the next start tries again.
            Engine.TryWrite(expired, "expired reservations");
        }

        return ValueTask.CompletedTask;
    }

    // ------------------------------------------------------------------ ReserveNow / CancelReservation

    /// <summary>
    /// ReserveNow (§5.13): Rejected for a connector that does not exist, for connector 0 unless
    /// ReserveConnectorZeroSupported, for an expiryDate already passed, or when the storage refuses the write; Faulted,
    /// Unavailable or Occupied (a transaction, an EV plugged in, or another reservation) from the connector's state;
    /// otherwise Accepted, written before the answer. A reservation with the same reservationId is replaced (the
    /// replaced one does not count against the new one; when the new one is not accepted, the old one stays).
    /// </summary>
    private ValueTask<ReserveNowResponse> OnReserveNowAsync(ReserveNowRequest request, IncomingCall call)
    {
        var status = Check(request);
        if (status == ReservationStatus.Accepted)
        {
            var record = new ReservationRecord(request.ReservationId, request.ConnectorId, request.IdTag, request.ParentIdTag, request.ExpiryDate);
            if (!Engine.TryWrite(new ChargePointStorageBatch().Put(Collection, Key(record.ReservationId), JsonSerializer.SerializeToUtf8Bytes(record, ReservationJsonContext.Default.ReservationRecord)), "reservation"))
            {
                return Answer(ReservationStatus.Rejected);
            }

            if (_reservations.Remove(record.ReservationId, out var replaced))
            {
                replaced.Expiry.Dispose();
            }

            _reservations[record.ReservationId] = new ActiveReservation(record, ScheduleExpiry(record));
            Engine.Connectors.UpdateAll();
        }

        ChargePointLog.ReservationAnswered(Engine.Logger, Engine.Identity, request.ReservationId, request.ConnectorId, status);
        return Answer(status);
    }

    private ReservationStatus Check(ReserveNowRequest request)
    {
        var connectors = Engine.Connectors;
        if (request.ConnectorId < 0 || request.ConnectorId > connectors.All.Count || request.ExpiryDate <= Engine.Now)
        {
            return ReservationStatus.Rejected;
        }

        var others = _reservations.Values.Select(r => r.Record).Where(r => r.ReservationId != request.ReservationId).ToList();
        var stationReservations = others.Count(r => r.ConnectorId == 0);
        if (request.ConnectorId == 0)
        {
            if (!Engine.Configuration.GetBoolean(ReservationKeys.ReserveConnectorZeroSupported))
            {
                return ReservationStatus.Rejected;
            }

            if (!connectors.StationOperative)
            {
                return ReservationStatus.Unavailable;
            }

            if (connectors.All.All(c => c.Fault is not null))
            {
                return ReservationStatus.Faulted;
            }

            if (connectors.All.All(c => c.Fault is not null || !c.Operative))
            {
                return ReservationStatus.Unavailable;
            }

            var free = connectors.All.Count(c => IsIdle(c) && others.All(r => r.ConnectorId != c.Id));
            return free > stationReservations ? ReservationStatus.Accepted : ReservationStatus.Occupied;
        }

        var connector = connectors.Find(request.ConnectorId)!;
        if (connector.Fault is not null)
        {
            return ReservationStatus.Faulted;
        }

        if (!connector.Operative || !connectors.StationOperative)
        {
            return ReservationStatus.Unavailable;
        }

        if (!IsIdle(connector) || others.Any(r => r.ConnectorId == connector.Id))
        {
            return ReservationStatus.Occupied;
        }

        // The connector-0 reservations must still find a free connector when this one is taken.
        var freeOthers = connectors.All.Count(c => c.Id != connector.Id && IsIdle(c) && others.All(r => r.ConnectorId != c.Id));
        return freeOthers >= stationReservations ? ReservationStatus.Accepted : ReservationStatus.Occupied;
    }

    /// <summary>CancelReservation (§5.1): Accepted and ended (written before the answer) for a known reservationId, else Rejected.</summary>
    private ValueTask<CancelReservationResponse> OnCancelReservationAsync(CancelReservationRequest request, IncomingCall call)
    {
        if (!_reservations.ContainsKey(request.ReservationId))
        {
            return ValueTask.FromResult(new CancelReservationResponse { Status = CancelReservationStatus.Rejected });
        }

        return ValueTask.FromResult(new CancelReservationResponse { Status = End(request.ReservationId, "cancelled") ? CancelReservationStatus.Accepted : CancelReservationStatus.Rejected });
    }

    private static ValueTask<ReserveNowResponse> Answer(ReservationStatus status) => ValueTask.FromResult(new ReserveNowResponse { Status = status });

    // ------------------------------------------------------------------ admission, statuses, transactions

    /// <inheritdoc/>
    public bool MayStart(int connectorId, string idTag, string? parentIdTag, bool authorized)
    {
        var foreignStation = 0;
        foreach (var (_, reservation) in _reservations)
        {
            var r = reservation.Record;
            if (r.ConnectorId == connectorId && !Matches(r, idTag, parentIdTag, authorized))
            {
                return false;
            }

            if (r.ConnectorId == 0 && !Matches(r, idTag, parentIdTag, authorized))
            {
                foreignStation++;
            }
        }

        if (foreignStation == 0)
        {
            return true;
        }

        // Starting here must leave a free connector for each connector-0 reservation of another IdTag.
        var freeOthers = Engine.Connectors.All.Count(c => c.Id != connectorId && c.IsFree && Engine.Connectors.StationOperative && !IsConnectorReserved(c.Id));
        return freeOthers >= foreignStation;
    }

    /// <inheritdoc/>
    public ConnectorStatusHint GetHint(int connectorId)
    {
        if (IsConnectorReserved(connectorId))
        {
            return ConnectorStatusHint.Reserved;
        }

        var station = _reservations.Values.Count(r => r.Record.ConnectorId == 0);
        if (station == 0)
        {
            return ConnectorStatusHint.None;
        }

        // Connector-0 reservations: the last free connectors are held for their holders.
        var c = Engine.Connectors.Find(connectorId);
        var free = Engine.Connectors.All.Count(x => x.IsFree && !IsConnectorReserved(x.Id));
        return c is not null && c.IsFree && free <= station ? ConnectorStatusHint.Reserved : ConnectorStatusHint.None;
    }

    /// <summary>The reservation the starting transaction uses: of its connector, else of connector 0 (ended in the same write as the start).</summary>
    public void OnStarting(TransactionStarting start)
    {
        var used = _reservations.Values.Select(r => r.Record).Where(r => Matches(r, start.IdTag, start.ParentIdTag, authorized: true))
            .OrderBy(r => r.ConnectorId == start.ConnectorId ? 0 : 1)
            .FirstOrDefault(r => r.ConnectorId == start.ConnectorId || r.ConnectorId == 0);
        if (used is not null)
        {
            start.ReservationId = used.ReservationId;
            start.Batch.Delete(Collection, Key(used.ReservationId));
        }
    }

    public void OnStarted(JournalTransaction transaction, TransactionStarting start)
    {
        if (start.ReservationId is { } id && _reservations.Remove(id, out var used))
        {
            used.Expiry.Dispose();
            ChargePointLog.ReservationEnded(Engine.Logger, Engine.Identity, id, used.Record.ConnectorId, "used by a transaction");
            Engine.Loop.Post(Engine.Connectors.UpdateAll);
        }
        else if (HasStationReservation)
        {
            // One connector fewer is free: the last free ones may now be held for connector-0 reservations.
            Engine.Loop.Post(Engine.Connectors.UpdateAll);
        }
    }

    public void OnStopped(JournalTransaction transaction)
    {
        if (HasStationReservation)
        {
            Engine.Loop.Post(Engine.Connectors.UpdateAll);
        }
    }

    private bool HasStationReservation => _reservations.Values.Any(r => r.Record.ConnectorId == 0);

    /// <summary>
    /// A connector (or the station) that becomes Faulted or Unavailable ends its reservations; with connector-0
    /// reservations, any change of a connector may change which connectors are held for them.
    /// </summary>
    private void OnStatusResolved(int connectorId, ChargePointStatus status)
    {
        if (status is ChargePointStatus.Faulted or ChargePointStatus.Unavailable)
        {
            Engine.Loop.Post(() =>
            {
                foreach (var id in _reservations.Values.Where(r => r.Record.ConnectorId == connectorId).Select(r => r.Record.ReservationId).ToList())
                {
                    End(id, status == ChargePointStatus.Faulted ? "connector faulted" : "connector unavailable");
                }
            });
        }

        if (connectorId != 0 && HasStationReservation)
        {
            Engine.Loop.Post(Engine.Connectors.UpdateAll);
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// Whether an IdTag may use a reservation: it or its parentIdTag is the reservation's IdTag or parentIdTag. Before
    /// authorization an unknown parentIdTag could still match a reservation that has one.
    /// </summary>
    private static bool Matches(ReservationRecord r, string idTag, string? parentIdTag, bool authorized)
    {
        if (Transactions.SameIdTag(idTag, r.IdTag) || (r.ParentIdTag is { } p && Transactions.SameIdTag(idTag, p)))
        {
            return true;
        }

        if (parentIdTag is { } parent && (Transactions.SameIdTag(parent, r.IdTag) || (r.ParentIdTag is { } rp && Transactions.SameIdTag(parent, rp))))
        {
            return true;
        }

        return !authorized && parentIdTag is null && r.ParentIdTag is not null;
    }

    private bool IsConnectorReserved(int connectorId)
    {
        foreach (var (_, reservation) in _reservations)
        {
            if (reservation.Record.ConnectorId == connectorId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Free and nobody at it: no transaction, no EV plugged in, no authorization waiting, not finishing.</summary>
    private static bool IsIdle(ConnectorState c) => c.IsFree && !c.Plugged && !c.AwaitingPlug && !c.Finishing;

    private EngineLoop.LoopTimer ScheduleExpiry(ReservationRecord record)
        => Engine.Loop.Schedule(record.ExpiryDate - Engine.Now, () =>
        {
            if (_reservations.TryGetValue(record.ReservationId, out var current) && ReferenceEquals(current.Record, record))
            {
                End(record.ReservationId, "expired");
            }
        });

    /// <summary>Ends a reservation (written first); returns <see langword="false"/> when the storage refused.</summary>
    private bool End(int reservationId, string why)
    {
        if (!_reservations.TryGetValue(reservationId, out var reservation))
        {
            return false;
        }

        if (!Engine.TryWrite(new ChargePointStorageBatch().Delete(Collection, Key(reservationId)), "reservation"))
        {
            return false;
        }

        _reservations.Remove(reservationId);
        reservation.Expiry.Dispose();
        ChargePointLog.ReservationEnded(Engine.Logger, Engine.Identity, reservationId, reservation.Record.ConnectorId, why);
        Engine.Connectors.UpdateAll();
        return true;
    }

    private static string Key(int reservationId) => reservationId.ToString(CultureInfo.InvariantCulture);

    private sealed record ActiveReservation(ReservationRecord Record, EngineLoop.LoopTimer Expiry);
}
