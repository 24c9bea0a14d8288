using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Ocpp16.Messages;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.Transport.Tests;

/// <summary>
/// The meter and the activity source are process-wide, so the tests that count their measurements run alone, after
/// the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiagnosticsCollection
{
    public const string Name = "Ocpp16 diagnostics";
}

/// <summary>Records every measurement of the Ocpp16 meter while alive.</summary>
internal sealed class MetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricsCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OcppMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of one instrument.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>The sum of the measurements of one instrument whose tags include all of <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags)
        => Of(instrument).Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, map));
    }

    internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}

/// <summary>Records every stopped Ocpp16 activity while alive.</summary>
internal sealed class ActivityCapture : IDisposable
{
    private readonly ActivityListener _listener;

    public ActivityCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OcppMetrics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public Activity Single(ActivityKind kind, string uniqueId)
        => Assert.Single(Stopped, a => a.Kind == kind && (string?)a.GetTagItem(OcppMetrics.UniqueIdTag) == uniqueId);

    public void Dispose() => _listener.Dispose();
}

internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
}

[Collection(DiagnosticsCollection.Name)]
public sealed class DiagnosticsTests
{
    private const string Calls = OcppMetrics.CallsName;
    private const string Duration = OcppMetrics.CallDurationName;

    [Fact]
    public async Task OutboundCalls_AreCountedAndTimedByActionAndOutcome()
    {
        using var metrics = new MetricsCapture();
        await using var h = new Harness();

        var ok = h.Connection.CallAsync("Reset", new RawJson("{\"type\":\"Soft\"}")).AsTask();
        var (okId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[3,\"" + okId + "\",{\"status\":\"Accepted\"}]");
        Assert.Equal(OcppCallStatus.Result, (await ok.WaitAsync(Timeouts.Await)).Status);

        var refused = h.Connection.CallAsync("Reset", new RawJson("{\"type\":\"Hard\"}")).AsTask();
        var (refusedId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[4,\"" + refusedId + "\",\"NotSupported\",\"\",{}]");
        Assert.Equal(OcppCallStatus.Error, (await refused.WaitAsync(Timeouts.Await)).Status);

        var calls = metrics.Of(Calls);
        Assert.Equal(2, calls.Count);
        Assert.Equal(1, metrics.Sum(Calls, ("ocpp.action", "Reset"), ("ocpp.direction", "outbound"), ("ocpp.outcome", "result")));
        Assert.Equal(1, metrics.Sum(Calls, ("ocpp.action", "Reset"), ("ocpp.direction", "outbound"), ("ocpp.outcome", "call_error")));

        var durations = metrics.Of(Duration);
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d =>
        {
            Assert.Equal("Reset", d.Tags["ocpp.action"]);
            Assert.False(d.Tags.ContainsKey("ocpp.direction"));
            Assert.InRange(d.Value, 0, Timeouts.Await.TotalSeconds);
        });
        Assert.Equal(["call_error", "result"], durations.Select(d => d.Tags["ocpp.outcome"]).Order());
        Assert.Empty(metrics.Of(OcppMetrics.CallTimeoutsName));
    }

    [Fact]
    public async Task OutboundCall_Timeout_IsCountedAndItsLateAnswerToo()
    {
        using var metrics = new MetricsCapture();
        var clock = new ManualTimeProvider();
        await using var h = new Harness(timeProvider: clock);

        var call = h.Connection.CallAsync("GetConfiguration", new RawJson("{}"), TimeSpan.FromSeconds(5)).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(OcppCallStatus.Timeout, (await call.WaitAsync(Timeouts.Await)).Status);

        await h.SendAsync("[3,\"" + id + "\",{}]");
        await h.ProbeAsync();

        Assert.Equal(1, metrics.Sum(OcppMetrics.CallTimeoutsName, ("ocpp.action", "GetConfiguration")));
        Assert.Equal(1, metrics.Sum(Calls, ("ocpp.action", "GetConfiguration"), ("ocpp.direction", "outbound"), ("ocpp.outcome", "timeout")));
        Assert.Single(metrics.Of(Duration), d => d.Tags["ocpp.outcome"] == "timeout");
        Assert.Equal(1, metrics.Sum(OcppMetrics.LateResponsesName));
    }

    [Fact]
    public async Task OutboundCall_WhenConnectionEnds_IsCountedDisconnected_AndOneNeverSentHasNoDuration()
    {
        using var metrics = new MetricsCapture();
        await using var h = new Harness();

        var call = h.Connection.CallAsync("ClearCache", new RawJson("{}")).AsTask();
        await h.ReceiveAsync();
        await h.Peer.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null);
        Assert.Equal(OcppCallStatus.Disconnected, (await call.WaitAsync(Timeouts.Await)).Status);
        await h.Run.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Disconnected, (await h.Connection.CallAsync("ClearCache", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await)).Status);

        Assert.Equal(2, metrics.Sum(Calls, ("ocpp.action", "ClearCache"), ("ocpp.direction", "outbound"), ("ocpp.outcome", "disconnected")));
        Assert.Single(metrics.Of(Duration));
    }

    [Fact]
    public async Task InboundCalls_AreCountedByTheAnswerWeSend_UnknownActionsShareOneTag()
    {
        using var metrics = new MetricsCapture();
        var handler = new DelegateHandler((call, _) => call.Action switch
        {
            "Heartbeat" => ValueTask.FromResult(OcppResponse.Result(new RawJson("{}"))),
            "Authorize" => throw new InvalidOperationException("boom"),
            _ => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotImplemented, "unknown")),
        });
        await using var h = new Harness(handler);

        foreach (var (id, action) in new[] { ("a", "Heartbeat"), ("b", "Heartbeat"), ("c", "Authorize"), ("d", "MadeUp1"), ("e", "MadeUp2") })
        {
            await h.SendAsync("[2,\"" + id + "\",\"" + action + "\",{}]");
            Assert.StartsWith("[" + (action == "Heartbeat" ? 3 : 4) + ",\"" + id + "\"", await h.ReceiveAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(5, metrics.Of(Calls).Count);
        Assert.Equal(2, metrics.Sum(Calls, ("ocpp.action", "Heartbeat"), ("ocpp.direction", "inbound"), ("ocpp.outcome", "result")));
        Assert.Equal(1, metrics.Sum(Calls, ("ocpp.action", "Authorize"), ("ocpp.direction", "inbound"), ("ocpp.outcome", "call_error")));
        Assert.Equal(2, metrics.Sum(Calls, ("ocpp.action", OcppMetrics.OtherAction), ("ocpp.direction", "inbound"), ("ocpp.outcome", "call_error")));
        Assert.Empty(metrics.Of(Duration));
    }

    [Fact]
    public async Task BadFrames_AreCounted()
    {
        using var metrics = new MetricsCapture();
        await using var h = new Harness();

        await h.SendAsync("not json");
        await h.SendAsync("[99,\"x\"]");
        await h.SendAsync("[2,\"\",\"Heartbeat\",{}]");
        Assert.StartsWith("[4,\"\",\"FormationViolation\"", await h.ReceiveAsync(), StringComparison.Ordinal);
        await h.ProbeAsync();

        Assert.Equal(3, metrics.Sum(OcppMetrics.BadMessagesName));
        Assert.Equal(h.Connection.BadMessageCount, metrics.Sum(OcppMetrics.BadMessagesName));
        Assert.Equal(0, metrics.Sum(OcppMetrics.LateResponsesName));
    }

    [Fact]
    public async Task OutboundCall_HasAClientSpan_WithActionIdIdentityAndErrorCode()
    {
        using var activities = new ActivityCapture();
        await using var h = new Harness();

        var call = h.Connection.CallAsync("UnlockConnector", new RawJson("{\"connectorId\":1}")).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[4,\"" + id + "\",\"GenericError\",\"jammed\",{}]");
        await call.WaitAsync(Timeouts.Await);

        var span = activities.Single(ActivityKind.Client, id);
        Assert.Equal("OCPP UnlockConnector", span.DisplayName);
        Assert.Equal("UnlockConnector", span.GetTagItem("ocpp.action"));
        Assert.Equal("CP-TEST", span.GetTagItem("ocpp.charge_point_id"));
        Assert.Equal("call_error", span.GetTagItem("ocpp.outcome"));
        Assert.Equal("GenericError", span.GetTagItem("ocpp.error_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task InboundCall_HasAServerSpan_ParentOfTheCallsItsHandlerMakes()
    {
        using var activities = new ActivityCapture();
        OcppRpcConnection? connection = null;
        var handler = new DelegateHandler(async (call, ct) =>
        {
            await Task.Yield();
            var inner = await connection!.CallAsync("GetConfiguration", new RawJson("{}"), cancellationToken: ct);
            return OcppResponse.Result(new RawJson(inner.IsSuccess ? "{\"ok\":true}" : "{\"ok\":false}"));
        });
        await using var h = new Harness(handler);
        connection = h.Connection;

        await h.SendAsync("[2,\"in-1\",\"DataTransfer\",{\"vendorId\":\"V\"}]");
        var (innerId, action, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        Assert.Equal("GetConfiguration", action);
        await h.SendAsync("[3,\"" + innerId + "\",{}]");
        Assert.Equal("[3,\"in-1\",{\"ok\":true}]", await h.ReceiveAsync());

        var server = await WaitForAsync(() => activities.Stopped.FirstOrDefault(a => a.Kind == ActivityKind.Server && (string?)a.GetTagItem("ocpp.unique_id") == "in-1"));
        Assert.Equal("OCPP DataTransfer", server.DisplayName);
        Assert.Equal("result", server.GetTagItem("ocpp.outcome"));
        Assert.Equal("CP-TEST", server.GetTagItem("ocpp.charge_point_id"));
        Assert.NotEqual(ActivityStatusCode.Error, server.Status);

        var client = activities.Single(ActivityKind.Client, innerId);
        Assert.Equal(server.SpanId, client.ParentSpanId);
        Assert.Equal(server.TraceId, client.TraceId);
        Assert.Equal("result", client.GetTagItem("ocpp.outcome"));
    }

    [Fact]
    public async Task InboundCall_AnsweredWithCallError_SpanCarriesTheCode()
    {
        using var activities = new ActivityCapture();
        await using var h = new Harness(new DelegateHandler((_, _) => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotSupported, "no"))));

        await h.SendAsync("[2,\"in-2\",\"Reset\",{\"type\":\"Soft\"}]");
        Assert.StartsWith("[4,\"in-2\",\"NotSupported\"", await h.ReceiveAsync(), StringComparison.Ordinal);

        var span = await WaitForAsync(() => activities.Stopped.FirstOrDefault(a => (string?)a.GetTagItem("ocpp.unique_id") == "in-2"));
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("call_error", span.GetTagItem("ocpp.outcome"));
        Assert.Equal("NotSupported", span.GetTagItem("ocpp.error_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task WithoutListeners_NoSpanIsCreated_AndCallsStillWork()
    {
        Assert.False(OcppMetrics.Source.HasListeners());
        Activity? seen = null;
        await using var h = new Harness(new DelegateHandler((_, _) =>
        {
            seen = Activity.Current;
            return ValueTask.FromResult(OcppResponse.Result(new RawJson("{}")));
        }));

        await h.SendAsync("[2,\"x\",\"Heartbeat\",{}]");
        Assert.Equal("[3,\"x\",{}]", await h.ReceiveAsync());
        Assert.Null(seen);
    }

    [Fact]
    public async Task TraceFrames_MaskTheAuthorizationKeyValue_InBothDirections()
    {
        const string secret = "s3cr3t-password-0123456789";
        var logger = new CapturingLogger();
        var (peer, ours) = InMemoryOcppTransport.CreatePair();
        var handler = new DelegateHandler((_, _) => ValueTask.FromResult(OcppResponse.Result(new RawJson("{\"status\":\"Accepted\"}"))));
        await using var connection = new OcppRpcConnection(ours, handler, logger: logger) { Identity = "CP-LOG" };
        _ = connection.RunAsync();
        await using var peerOwner = peer;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        // Received: the CSMS sets the password on the charge point; sent: a GetConfiguration answer that leaks it.
        await peer.SendAsync(Encoding.UTF8.GetBytes("[2,\"1\",\"ChangeConfiguration\",{\"key\":\"authorizationKey\",\"value\":\"" + secret + "\"}]"));
        await peer.ReceiveAsync(buffer).AsTask().WaitAsync(Timeouts.Await);
        var call = connection.CallAsync("ChangeConfiguration", new RawJson("{\"value\":\"" + secret + "\",\"key\":\"AuthorizationKey\"}")).AsTask();
        buffer.Clear();
        await peer.ReceiveAsync(buffer).AsTask().WaitAsync(Timeouts.Await);
        Assert.Contains(secret, Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
        var (id, _, _) = Harness.ParseCall(Encoding.UTF8.GetString(buffer.WrittenSpan));
        await peer.SendAsync(Encoding.UTF8.GetBytes("[3,\"" + id + "\",{\"status\":\"Accepted\"}]"));
        await call.WaitAsync(Timeouts.Await);

        var frames = logger.Entries.Where(e => e.Id.Id is 1002 or 1003).ToList();
        Assert.Equal(4, frames.Count);
        Assert.All(frames, e => Assert.Equal(LogLevel.Trace, e.Level));
        Assert.Equal(2, frames.Count(e => e.Message.Contains("\"value\":\"***\"", StringComparison.Ordinal)));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
    }

    private static async Task<Activity> WaitForAsync(Func<Activity?> find)
    {
        var deadline = DateTime.UtcNow + Timeouts.Await;
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The activity was not stopped in time.");
    }
}
