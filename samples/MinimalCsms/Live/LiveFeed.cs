using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MinimalCsms.Live;

/// <summary>One thing the dashboard shows as it happens.</summary>
/// <param name="Type">connected, disconnected, status, transaction, meter, log.</param>
/// <param name="ChargePointId">The charge point concerned.</param>
/// <param name="Detail">A short description (action, status, energy…).</param>
/// <param name="Time">When it happened (UTC, ISO 8601).</param>
internal sealed record LiveEvent(string Type, string ChargePointId, string Detail, string Time);

/// <summary>One message in a charge point's log: a CALL received or sent, and its answer.</summary>
/// <param name="Time">When (UTC, ISO 8601).</param>
/// <param name="Direction">"in" (charge point → CSMS) or "out" (CSMS → charge point).</param>
/// <param name="Action">The OCPP action.</param>
/// <param name="Request">The request payload (JSON; idTags included, as the operator's dashboard shows them).</param>
/// <param name="Response">The answer payload or error (JSON or text).</param>
internal sealed record MessageLogEntry(string Time, string Direction, string Action, string Request, string Response);

/// <summary>
/// Live updates for the dashboard (Server-Sent Events at <c>/api/events</c>) and the last <c>Csms:MessageLogLength</c>
/// messages of each charge point. Subscribers that fall behind lose their oldest events (the page re-reads the state on
/// every event, so a lost event costs nothing but a missed refresh).
/// </summary>
internal sealed class LiveFeed(TimeProvider time, IConfiguration configuration)
{
    /// <summary>Messages kept per charge point (<c>Csms:MessageLogLength</c>, default 200; 0 keeps none and costs nothing per message).</summary>
    private readonly int _logLength = Math.Max(0, configuration.GetValue("Csms:MessageLogLength", 200));

    private readonly ConcurrentDictionary<Channel<LiveEvent>, byte> _subscribers = new();
    private readonly ConcurrentDictionary<string, Queue<MessageLogEntry>> _logs = new(StringComparer.Ordinal);

    /// <summary>Whether a dashboard is listening (events are built only then).</summary>
    public bool HasSubscribers => !_subscribers.IsEmpty;

    public string Now() => Ocpp16.Messages.OcppDateTime.ToWireString(time.GetUtcNow());

    public void Publish(string type, string chargePointId, string detail)
    {
        if (_subscribers.IsEmpty)
        {
            return;
        }

        var e = new LiveEvent(type, chargePointId, detail, Now());
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(e);
        }
    }

    /// <summary>Logs a message received by a handler; the payloads are serialized only when the log is kept.</summary>
    public void Log(string chargePointId, string direction, string action, Ocpp16.Messages.IOcppJsonWritable request, Ocpp16.Messages.IOcppJsonWritable? response)
    {
        if (_logLength > 0)
        {
            Log(chargePointId, direction, action, Json.Of(request), response is null ? "{}" : Json.Of(response));
        }
    }

    public void Log(string chargePointId, string direction, string action, string request, string response)
    {
        if (_logLength == 0)
        {
            return;
        }

        var entry = new MessageLogEntry(Now(), direction, action, request, response);
        var log = _logs.GetOrAdd(chargePointId, static _ => new Queue<MessageLogEntry>());
        lock (log)
        {
            log.Enqueue(entry);
            while (log.Count > _logLength)
            {
                log.Dequeue();
            }
        }

        Publish("log", chargePointId, action);
    }

    public IReadOnlyList<MessageLogEntry> LogOf(string chargePointId)
    {
        if (!_logs.TryGetValue(chargePointId, out var log))
        {
            return [];
        }

        lock (log)
        {
            return [.. log];
        }
    }

    /// <summary>Streams events to one subscriber until <paramref name="cancellationToken"/> (the request) ends.</summary>
    public async IAsyncEnumerable<LiveEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers.TryAdd(channel, 0);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }
}
