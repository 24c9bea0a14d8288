using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Diagnostics;

/// <summary>
/// The metrics (<see cref="Meter"/> <c>Ocpp16</c>) and traces (<see cref="ActivitySource"/> <c>Ocpp16</c>) of the
/// library, shared by the transport and both facades: the names of every instrument, tag and tag value as constants
/// (to configure exporters and dashboards), and the few recording methods a facade built on
/// <see cref="OcppRpcConnection"/> needs (validation failures, connected charge points, reconnects). Ocpp16.Transport's
/// README lists them ("Metrics and traces").
/// </summary>
/// <remarks>
/// Every recording method returns at once when nobody listens (<see cref="Instrument.Enabled"/>,
/// <see cref="ActivitySource.HasListeners"/>): no tag list is built, no span is allocated. Action tags are
/// low-cardinality: an action that OCPP 1.6 (with the Security extension) does not define is tagged
/// <see cref="OtherAction"/>, so a peer cannot grow the number of time series.
/// </remarks>
public static class OcppMetrics
{
    /// <summary>The name of the <see cref="Meter"/>.</summary>
    public const string MeterName = "Ocpp16";

    /// <summary>The name of the <see cref="ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Ocpp16";

    /// <summary>Counter of CALLs: outbound ones when they complete, inbound ones when we answer them.</summary>
    public const string CallsName = "ocpp16.calls";

    /// <summary>Histogram (seconds) of outbound CALLs, from the frame being sent to its completion.</summary>
    public const string CallDurationName = "ocpp16.call.duration";

    /// <summary>Counter of outbound CALLs that received no answer within their timeout.</summary>
    public const string CallTimeoutsName = "ocpp16.call.timeouts";

    /// <summary>Counter of payloads that violated their schema (received or about to be sent).</summary>
    public const string ValidationFailuresName = "ocpp16.validation.failures";

    /// <summary>Counter of malformed or rejected frames and frames with an unknown MessageTypeId.</summary>
    public const string BadMessagesName = "ocpp16.bad_messages";

    /// <summary>Counter of CALLRESULT/CALLERROR frames dropped because their unique id was unknown or expired.</summary>
    public const string LateResponsesName = "ocpp16.late_responses";

    /// <summary>UpDownCounter of the charge points connected to the Central System.</summary>
    public const string ConnectedChargePointsName = "ocpp16.connected_charge_points";

    /// <summary>Counter of the charge point's connection attempts after the first.</summary>
    public const string ReconnectsName = "ocpp16.reconnects";

    /// <summary>Tag: the OCPP action (or <see cref="OtherAction"/>).</summary>
    public const string ActionTag = "ocpp.action";

    /// <summary>Tag: <see cref="Inbound"/> or <see cref="Outbound"/>.</summary>
    public const string DirectionTag = "ocpp.direction";

    /// <summary>Tag: <see cref="OutcomeResult"/>, <see cref="OutcomeCallError"/>, <see cref="OutcomeTimeout"/> or <see cref="OutcomeDisconnected"/>.</summary>
    public const string OutcomeTag = "ocpp.outcome";

    /// <summary>Span tag: the unique id of the CALL.</summary>
    public const string UniqueIdTag = "ocpp.unique_id";

    /// <summary>Span tag: the charge point identity, when known.</summary>
    public const string ChargePointIdTag = "ocpp.charge_point_id";

    /// <summary>Span tag: the CALLERROR code received or sent.</summary>
    public const string ErrorCodeTag = "ocpp.error_code";

    /// <summary>Direction of a CALL received from the peer, or of a payload received.</summary>
    public const string Inbound = "inbound";

    /// <summary>Direction of a CALL sent to the peer, or of a payload sent.</summary>
    public const string Outbound = "outbound";

    /// <summary>Outcome: answered with a CALLRESULT.</summary>
    public const string OutcomeResult = "result";

    /// <summary>Outcome: answered with a CALLERROR.</summary>
    public const string OutcomeCallError = "call_error";

    /// <summary>Outcome (outbound only): no answer within the timeout.</summary>
    public const string OutcomeTimeout = "timeout";

    /// <summary>Outcome (outbound only): the connection ended before an answer arrived.</summary>
    public const string OutcomeDisconnected = "disconnected";

    /// <summary>Outcome on a span only: the caller stopped waiting (cancellation) or the call failed with an exception.</summary>
    public const string OutcomeCancelled = "cancelled";

    /// <summary>The action tag of an action that OCPP 1.6 does not define.</summary>
    public const string OtherAction = "_OTHER";

    private static readonly string? s_version = typeof(OcppMetrics).Assembly.GetName().Version?.ToString();
    private static readonly Meter s_meter = new(MeterName, s_version);

    private static readonly Counter<long> s_calls = s_meter.CreateCounter<long>(CallsName, "{call}", "OCPP CALLs by action, direction and outcome.");

    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram(
        CallDurationName,
        "s",
        "Duration of outbound OCPP CALLs, from sending the frame to the answer, timeout or disconnect.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    private static readonly Counter<long> s_timeouts = s_meter.CreateCounter<long>(CallTimeoutsName, "{call}", "Outbound OCPP CALLs that timed out.");
    private static readonly Counter<long> s_validationFailures = s_meter.CreateCounter<long>(ValidationFailuresName, "{payload}", "OCPP payloads that violated their schema.");
    private static readonly Counter<long> s_badMessages = s_meter.CreateCounter<long>(BadMessagesName, "{message}", "Malformed or rejected OCPP-J frames received.");
    private static readonly Counter<long> s_lateResponses = s_meter.CreateCounter<long>(LateResponsesName, "{message}", "Answers dropped because their unique id was unknown or expired.");
    private static readonly UpDownCounter<long> s_connected = s_meter.CreateUpDownCounter<long>(ConnectedChargePointsName, "{charge_point}", "Charge points connected to the Central System.");
    private static readonly Counter<long> s_reconnects = s_meter.CreateCounter<long>(ReconnectsName, "{attempt}", "Charge point connection attempts after the first.");

    /// <summary>The source of the per-CALL spans.</summary>
    internal static ActivitySource Source { get; } = new(ActivitySourceName, s_version);

    /// <summary>The action as tagged: itself when OCPP 1.6 defines it, <see cref="OtherAction"/> otherwise.</summary>
    /// <param name="action">The action name from the frame.</param>
    /// <returns>A low-cardinality action name.</returns>
    internal static string NormalizeAction(string? action) => OcppActions.TryGet(action, out var info) ? info.Name : OtherAction;

    /// <summary>The outcome tag of a call status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The outcome tag value.</returns>
    internal static string Outcome(OcppCallStatus status) => status switch
    {
        OcppCallStatus.Result => OutcomeResult,
        OcppCallStatus.Error => OutcomeCallError,
        OcppCallStatus.Timeout => OutcomeTimeout,
        _ => OutcomeDisconnected,
    };

    /// <summary>Records a completed outbound CALL: <c>ocpp16.calls</c>, and <c>ocpp16.call.duration</c> when it was sent.</summary>
    /// <param name="action">The action.</param>
    /// <param name="status">How it ended.</param>
    /// <param name="elapsed">Time since the frame was sent; <see langword="null"/> when it never was.</param>
    internal static void RecordOutboundCall(string action, OcppCallStatus status, TimeSpan? elapsed)
    {
        if (!s_calls.Enabled && !s_duration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { ActionTag, NormalizeAction(action) },
            { OutcomeTag, Outcome(status) },
        };
        if (elapsed is { } duration)
        {
            s_duration.Record(duration.TotalSeconds, tags);
        }

        tags.Add(DirectionTag, Outbound);
        s_calls.Add(1, tags);
    }

    /// <summary>Records the answer we sent to an inbound CALL on <c>ocpp16.calls</c>.</summary>
    /// <param name="action">The action.</param>
    /// <param name="isError"><see langword="true"/> when the answer was a CALLERROR.</param>
    internal static void RecordInboundCall(string action, bool isError)
    {
        if (!s_calls.Enabled)
        {
            return;
        }

        s_calls.Add(1, new TagList
        {
            { ActionTag, NormalizeAction(action) },
            { DirectionTag, Inbound },
            { OutcomeTag, isError ? OutcomeCallError : OutcomeResult },
        });
    }

    /// <summary>Counts an outbound CALL that timed out on <c>ocpp16.call.timeouts</c>.</summary>
    /// <param name="action">The action.</param>
    internal static void RecordTimeout(string action)
    {
        if (s_timeouts.Enabled)
        {
            s_timeouts.Add(1, new KeyValuePair<string, object?>(ActionTag, NormalizeAction(action)));
        }
    }

    /// <summary>Counts a payload that violated its schema on <c>ocpp16.validation.failures</c>.</summary>
    /// <remarks>For facades built on the RPC layer (the library's Charge Point and Central System call it); an
    /// application that calls it as well counts the violation twice.</remarks>
    /// <param name="violation">The violation reported by the validation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="violation"/> is <see langword="null"/>.</exception>
    public static void RecordValidationFailure(OcppPayloadViolation violation)
    {
        ArgumentNullException.ThrowIfNull(violation);
        if (s_validationFailures.Enabled)
        {
            s_validationFailures.Add(
                1,
                new KeyValuePair<string, object?>(ActionTag, NormalizeAction(violation.Action)),
                new KeyValuePair<string, object?>(DirectionTag, violation.Direction == OcppPayloadDirection.Received ? Inbound : Outbound));
        }
    }

    /// <summary>Counts a bad frame on <c>ocpp16.bad_messages</c>.</summary>
    internal static void RecordBadMessage() => s_badMessages.Add(1);

    /// <summary>Counts a dropped late or unknown answer on <c>ocpp16.late_responses</c>.</summary>
    internal static void RecordLateResponse() => s_lateResponses.Add(1);

    /// <summary>Adds one to <c>ocpp16.connected_charge_points</c>.</summary>
    /// <remarks>For facades (the library's Central System calls it once per accepted connection and
    /// <see cref="ChargePointDisconnected"/> once when it ends); an application that calls it too makes the gauge drift.</remarks>
    public static void ChargePointConnected() => s_connected.Add(1);

    /// <summary>Subtracts one from <c>ocpp16.connected_charge_points</c>; pairs with <see cref="ChargePointConnected"/>.</summary>
    public static void ChargePointDisconnected() => s_connected.Add(-1);

    /// <summary>Counts a connection attempt on <c>ocpp16.reconnects</c> unless it is the first (for facades: the
    /// library's Charge Point calls it at each attempt).</summary>
    /// <param name="isFirstAttempt"><see langword="true"/> for the first attempt after start, which is not counted.</param>
    public static void RecordReconnect(bool isFirstAttempt)
    {
        if (!isFirstAttempt)
        {
            s_reconnects.Add(1);
        }
    }

    /// <summary>Starts the span of an outbound CALL ("OCPP {Action}", <see cref="ActivityKind.Client"/>).</summary>
    /// <param name="action">The action.</param>
    /// <param name="chargePointId">The charge point identity, when known.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens or it is not sampled.</returns>
    internal static Activity? StartOutboundCall(string action, string? chargePointId) => StartCall(action, null, chargePointId, ActivityKind.Client);

    /// <summary>Starts the span of the handling of an inbound CALL ("OCPP {Action}", <see cref="ActivityKind.Server"/>).</summary>
    /// <param name="action">The action.</param>
    /// <param name="uniqueId">The CALL's unique id.</param>
    /// <param name="chargePointId">The charge point identity, when known.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens or it is not sampled.</returns>
    internal static Activity? StartInboundCall(string action, string uniqueId, string? chargePointId) => StartCall(action, uniqueId, chargePointId, ActivityKind.Server);

    /// <summary>Sets the outcome of an outbound CALL on its span.</summary>
    /// <param name="activity">The span.</param>
    /// <param name="result">The result.</param>
    internal static void SetOutcome(Activity activity, OcppCallResult result)
    {
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag(OutcomeTag, Outcome(result.Status));
        switch (result.Status)
        {
            case OcppCallStatus.Result:
                break;
            case OcppCallStatus.Error:
                var code = result.RawErrorCode ?? result.ErrorCode.ToWireString();
                activity.SetTag(ErrorCodeTag, code);
                activity.SetStatus(ActivityStatusCode.Error, code);
                break;
            default:
                activity.SetStatus(ActivityStatusCode.Error, Outcome(result.Status));
                break;
        }
    }

    /// <summary>Sets the outcome of an inbound CALL on its span.</summary>
    /// <param name="activity">The span.</param>
    /// <param name="errorCode">The CALLERROR code we answered with; <see langword="null"/> for a CALLRESULT.</param>
    internal static void SetOutcome(Activity activity, string? errorCode)
    {
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        if (errorCode is null)
        {
            activity.SetTag(OutcomeTag, OutcomeResult);
            return;
        }

        activity.SetTag(OutcomeTag, OutcomeCallError);
        activity.SetTag(ErrorCodeTag, errorCode);
        activity.SetStatus(ActivityStatusCode.Error, errorCode);
    }

    /// <summary>Marks a span as ended by an exception or a cancellation, without an OCPP outcome.</summary>
    /// <param name="activity">The span.</param>
    /// <param name="exception">The exception.</param>
    internal static void SetFailure(Activity activity, Exception exception)
    {
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        if (exception is OperationCanceledException)
        {
            activity.SetTag(OutcomeTag, OutcomeCancelled);
            activity.SetStatus(ActivityStatusCode.Error, OutcomeCancelled);
        }
        else
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        }
    }

    private static Activity? StartCall(string action, string? uniqueId, string? chargePointId, ActivityKind kind)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var normalized = NormalizeAction(action);
        var activity = Source.StartActivity("OCPP " + normalized, kind);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ActionTag, normalized);
            if (uniqueId is not null)
            {
                activity.SetTag(UniqueIdTag, uniqueId);
            }

            if (chargePointId is not null)
            {
                activity.SetTag(ChargePointIdTag, chargePointId);
            }
        }

        return activity;
    }
}
