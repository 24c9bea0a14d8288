using System.Globalization;
using System.Text.Json;
using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// Availability (ChangeAvailability, OCPP 1.6 §5.2): Operative/Inoperative per connector and for the station
/// (connector 0), persisted (collection <c>availability</c>, key = connector id, value = operative), so a restart keeps
/// it. Inoperative for a connector with a running transaction is Scheduled and applied when the transaction ends.
/// </summary>
internal sealed class Availability
{
    public const string Collection = "availability";

    private readonly ChargePointEngine _engine;
    private bool _stationTarget = true;

    public Availability(ChargePointEngine engine) => _engine = engine;

    public void Load()
    {
        foreach (var (key, value) in _engine.Storage.Load(Collection))
        {
            var operative = JsonSerializer.Deserialize(value, CoreJsonContext.Default.Boolean);
            var id = int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);
            if (id == 0)
            {
                _stationTarget = operative;
                _engine.Connectors.StationOperative = operative;
            }
            else if (_engine.Connectors.Find(id) is { } c)
            {
                c.Operative = operative;
            }
        }
    }

    public ValueTask<ChangeAvailabilityResponse> OnChangeAvailabilityAsync(ChangeAvailabilityRequest request, IncomingCall call)
    {
        var connectors = _engine.Connectors;
        if (request.ConnectorId < 0 || request.ConnectorId > connectors.All.Count)
        {
            return Answer(AvailabilityStatus.Rejected);
        }

        var operative = request.Type == AvailabilityType.Operative;
        var targets = request.ConnectorId == 0 ? connectors.All : [connectors.Find(request.ConnectorId)!];
        var batch = new ChargePointStorageBatch();
        var value = JsonSerializer.SerializeToUtf8Bytes(operative, CoreJsonContext.Default.Boolean);
        if (request.ConnectorId == 0)
        {
            batch.Put(Collection, "0", value);
        }

        foreach (var c in targets)
        {
            batch.Put(Collection, c.Id.ToString(CultureInfo.InvariantCulture), value);
        }

        // Persisted first: the answer promises the change, also across a restart.
        _engine.Storage.Write(batch);
        var scheduled = false;
        if (request.ConnectorId == 0)
        {
            _stationTarget = operative;
            connectors.StationOperative = operative || targets.Any(c => c.Transaction is not null);
        }

        foreach (var c in targets)
        {
            if (!operative && c.Transaction is not null)
            {
                c.InoperativeScheduled = true;
                scheduled = true;
                continue;
            }

            c.InoperativeScheduled = false;
            c.Operative = operative;
        }

        connectors.UpdateAll();
        return Answer(scheduled ? AvailabilityStatus.Scheduled : AvailabilityStatus.Accepted);
    }

    /// <summary>Applies a scheduled Inoperative once the connector's transaction has ended.</summary>
    public void OnTransactionEnded(ConnectorState c)
    {
        if (!c.InoperativeScheduled)
        {
            return;
        }

        c.InoperativeScheduled = false;
        c.Operative = false;
        if (!_stationTarget && _engine.Connectors.All.All(x => x.Transaction is null))
        {
            _engine.Connectors.StationOperative = false;
        }

        _engine.Connectors.UpdateAll();
    }

    private static ValueTask<ChangeAvailabilityResponse> Answer(AvailabilityStatus status)
        => ValueTask.FromResult(new ChangeAvailabilityResponse { Status = status });
}
