using System.Text.Json;
using MinimalCsms.Live;
using MinimalCsms.Persistence;
using Ocpp16.CentralSystem;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace MinimalCsms;

/// <summary>
/// The HTTP API (its routes and status codes are the sample's public contract; see README.md). Errors are RFC 7807
/// problem details (<c>application/problem+json</c>) carrying the OCPP error code where there is one.
/// </summary>
internal static class CsmsApi
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/chargepoints", (OcppCentralSystem centralSystem) => Json.Write(w => WriteChargePoints(w, centralSystem)))
            .WithSummary("The connected charge points (of every node of a cluster) with boot information, registration status, connector statuses and the node that holds each.");
        api.MapGet("/cluster", (OcppCentralSystem centralSystem) => Json.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("node", centralSystem.Cluster?.NodeId);
                w.WriteStartArray("nodes");
                foreach (var node in centralSystem.Cluster?.Nodes ?? [])
                {
                    w.WriteStringValue(node);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }))
            .WithSummary("This node's id and the nodes alive (null and empty on a single node).");
        api.MapGet("/stations", (CsmsStore store) => Results.Json(store.ChargePoints(), ApiJsonContext.Default.ListChargePointRow))
            .WithSummary("Every charge point ever seen (from the database), connected or not.");
        api.MapGet("/transactions", (CsmsStore store) => Results.Json(store.Transactions(), ApiJsonContext.Default.ListTransactionRow))
            .WithSummary("Every transaction (from the database), running ones with the energy so far.");
        api.MapGet("/chargepoints/{id}/log", (string id, LiveFeed live) => Results.Json(live.LogOf(id), ApiJsonContext.Default.IReadOnlyListMessageLogEntry))
            .WithSummary("The last messages exchanged with a charge point.");
        api.MapGet("/actions", () => Results.Json(Actions, ApiJsonContext.Default.ListActionDescription))
            .WithSummary("The actions the CSMS can send (POST /api/chargepoints/{id}/commands/{action}), with example payloads.");
        api.MapGet("/stats", (CsmsStore store) => Json.Write(w =>
            {
                var (commits, writes) = store.Writer.Counters;
                w.WriteStartObject();
                w.WriteNumber("meterValueRows", store.CountMeterValues());
                w.WriteNumber("commits", commits);
                w.WriteNumber("writes", writes);
                w.WriteEndObject();
            }))
            .WithSummary("Persistence counters: meter values stored (one row per meter value), commits and writes of the group-committing writer.");
        api.MapGet("/runtime", () => Json.Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("gen0Collections", GC.CollectionCount(0));
                w.WriteNumber("gen1Collections", GC.CollectionCount(1));
                w.WriteNumber("gen2Collections", GC.CollectionCount(2));
                w.WriteNumber("gcPauseMs", GC.GetTotalPauseDuration().TotalMilliseconds);
                w.WriteNumber("allocatedBytes", GC.GetTotalAllocatedBytes());
                w.WriteNumber("jitCompiledMethods", System.Runtime.JitInfo.GetCompiledMethodCount());
                w.WriteEndObject();
            }))
            .WithSummary("Process figures for diagnosing latency: GC counts per generation, total GC pause (ms), bytes allocated and methods JIT-compiled since the start.");
        api.MapGet("/events", Events).WithSummary("Server-Sent Events: connected, disconnected, boot, status, transaction, meter, log.");
        api.MapPost("/chargepoints/{id}/commands/{action}", SendCommandAsync)
            .WithSummary("Sends an OCPP command (the body is its request payload) and returns the charge point's response payload.")
            .Accepts<JsonElement>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
    }

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["CancelReservation"] = """{"reservationId":1}""",
        ["CertificateSigned"] = """{"certificateChain":"-----BEGIN CERTIFICATE-----…"}""",
        ["ChangeAvailability"] = """{"connectorId":0,"type":"Operative"}""",
        ["ChangeConfiguration"] = """{"key":"HeartbeatInterval","value":"60"}""",
        ["ClearChargingProfile"] = """{"connectorId":1}""",
        ["DataTransfer"] = """{"vendorId":"com.example"}""",
        ["DeleteCertificate"] = """{"certificateHashData":{"hashAlgorithm":"SHA256","issuerNameHash":"00","issuerKeyHash":"00","serialNumber":"01"}}""",
        ["ExtendedTriggerMessage"] = """{"requestedMessage":"Heartbeat"}""",
        ["GetCompositeSchedule"] = """{"connectorId":1,"duration":3600}""",
        ["GetConfiguration"] = """{"key":["HeartbeatInterval"]}""",
        ["GetDiagnostics"] = """{"location":"ftp://example.com/diagnostics"}""",
        ["GetInstalledCertificateIds"] = """{"certificateType":"CentralSystemRootCertificate"}""",
        ["GetLog"] = """{"logType":"DiagnosticsLog","requestId":1,"log":{"remoteLocation":"https://example.com/logs"}}""",
        ["InstallCertificate"] = """{"certificateType":"CentralSystemRootCertificate","certificate":"-----BEGIN CERTIFICATE-----…"}""",
        ["RemoteStartTransaction"] = """{"idTag":"DEMO-TAG-1","connectorId":1}""",
        ["RemoteStopTransaction"] = """{"transactionId":1}""",
        ["ReserveNow"] = """{"connectorId":1,"expiryDate":"2030-01-01T00:00:00Z","idTag":"DEMO-TAG-1","reservationId":1}""",
        ["Reset"] = """{"type":"Soft"}""",
        ["SendLocalList"] = """{"listVersion":1,"updateType":"Full","localAuthorizationList":[{"idTag":"DEMO-TAG-1","idTagInfo":{"status":"Accepted"}}]}""",
        ["SetChargingProfile"] = """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}}}""",
        ["SignedUpdateFirmware"] = """{"requestId":1,"firmware":{"location":"https://example.com/fw.bin","retrieveDateTime":"2030-01-01T00:00:00Z","signingCertificate":"…","signature":"…"}}""",
        ["TriggerMessage"] = """{"requestedMessage":"StatusNotification","connectorId":1}""",
        ["UnlockConnector"] = """{"connectorId":1}""",
        ["UpdateFirmware"] = """{"location":"https://example.com/fw.bin","retrieveDate":"2030-01-01T00:00:00Z"}""",
    };

    /// <summary>Every CS→CP action with an example payload (all 26 of OCPP 1.6 and its Security extension).</summary>
    public static List<ActionDescription> Actions { get; } = OcppActions.All
        .Where(a => a.Direction != OcppMessageDirection.ChargePointToCentralSystem)
        .OrderBy(a => a.Name, StringComparer.Ordinal)
        .Select(a => new ActionDescription(a.Name, a.Profile.ToString(), Examples.GetValueOrDefault(a.Name, "{}")))
        .ToList();

    private static void WriteChargePoints(Utf8JsonWriter w, OcppCentralSystem centralSystem)
    {
        w.WriteStartArray();
        var chargePoints = centralSystem.Cluster is { } cluster
            ? cluster.ChargePoints.Select(c => (c.Id, c.ConnectedAt, c.RemoteAddress, Node: (string?)c.NodeId))
            : centralSystem.ChargePoints.Select(c => (c.Id, c.ConnectedAt, c.RemoteAddress, Node: (string?)null));
        foreach (var cp in chargePoints.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (!centralSystem.TryGetSession(cp.Id, out var session))
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("id", cp.Id);
            w.WriteString("connectedAt", OcppDateTime.ToWireString(cp.ConnectedAt));
            w.WriteString("remoteAddress", cp.RemoteAddress);
            w.WriteString("node", cp.Node);
            w.WritePropertyName("bootNotification");
            if (session.BootNotification is { } boot)
            {
                boot.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            if (session.BootedAt is { } bootTime)
            {
                w.WriteString("bootTime", OcppDateTime.ToWireString(bootTime));
            }

            w.WriteString("registrationStatus", session.RegistrationStatus?.ToWireString());
            WriteTime(w, "lastHeartbeat", session.LastHeartbeat);
            WriteTime(w, "lastSeen", session.LastSeen);
            w.WriteStartArray("connectors");
            foreach (var c in session.Connectors)
            {
                w.WriteStartObject();
                w.WriteNumber("connectorId", c.ConnectorId);
                w.WriteString("status", c.Status.ToWireString());
                w.WriteString("errorCode", c.ErrorCode.ToWireString());
                if (c.Info is not null)
                {
                    w.WriteString("info", c.Info);
                }

                WriteTime(w, "timestamp", c.Timestamp ?? c.ReceivedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, OcppDateTime.ToWireString(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static async Task Events(HttpContext context, LiveFeed live)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": connected\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var e in live.SubscribeAsync(context.RequestAborted).ConfigureAwait(false))
            {
                var data = JsonSerializer.Serialize(e, ApiJsonContext.Default.LiveEvent);
                await context.Response.WriteAsync($"event: {e.Type}\ndata: {data}\n\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private static IResult Problem(int status, string title, string detail, Dictionary<string, object?>? extensions = null)
        => Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>
    /// POST /api/chargepoints/{id}/commands/{action}: body = the OCPP request payload. 200 with the charge point's
    /// response payload; 400 if the action is unknown or not CS→CP, or the body violates the schema; 404 if not connected;
    /// 502 with the error code on CALLERROR (or an invalid response, or a disconnect); 504 on timeout; 409 when the
    /// registration policy forbids the action now (e.g. RemoteStartTransaction while Pending).
    /// </summary>
    public static async Task<IResult> SendCommandAsync(string id, string action, HttpRequest request, OcppCentralSystem centralSystem, LiveFeed live, CancellationToken cancellationToken)
    {
        if (!OcppActions.TryGet(action, out var info) || info.Direction == OcppMessageDirection.ChargePointToCentralSystem)
        {
            return Problem(400, "UnknownAction", $"'{action}' is not an OCPP 1.6 action the Central System sends.", new() { ["error"] = "UnknownAction" });
        }

        if (!centralSystem.TryGetChargePoint(id, out var chargePoint))
        {
            return Problem(404, "NotConnected", $"Charge point '{id}' is not connected.", new() { ["error"] = "NotConnected" });
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var json = body.Length == 0 ? "{}"u8.ToArray() : body.ToArray();
        if (!info.ReadRequest(json, null, out var message, out var violation))
        {
            return Problem(400, "SchemaViolation", violation!.Message, new()
            {
                ["error"] = "SchemaViolation",
                ["errorCode"] = violation.ErrorCode.ToWireString(),
                ["path"] = violation.Path,
            });
        }

        OcppCallResult result;
        try
        {
            result = await chargePoint.SendAsync((IOcppRequest)message, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return Problem(409, "RegistrationStatus", ex.Message, new() { ["error"] = "RegistrationStatus" });
        }

        var requestText = System.Text.Encoding.UTF8.GetString(json);
        switch (result.Status)
        {
            case OcppCallStatus.Result:
                if (!info.ReadResponse(result.Payload.Span, null, out _, out var responseViolation))
                {
                    live.Log(id, "out", action, requestText, "invalid response: " + responseViolation!.Message);
                    return Problem(502, "InvalidResponse", responseViolation.Message, new()
                    {
                        ["error"] = "InvalidResponse",
                        ["errorCode"] = responseViolation.ErrorCode.ToWireString(),
                        ["path"] = responseViolation.Path,
                    });
                }

                live.Log(id, "out", action, requestText, System.Text.Encoding.UTF8.GetString(result.Payload.Span));
                return Results.Bytes(result.Payload.ToArray(), "application/json");
            case OcppCallStatus.Error:
                var code = result.RawErrorCode ?? result.ErrorCode.ToWireString();
                live.Log(id, "out", action, requestText, "CALLERROR " + code + ": " + result.ErrorDescription);
                return Problem(502, "CallError", result.ErrorDescription ?? string.Empty, new()
                {
                    ["error"] = "CallError",
                    ["errorCode"] = code,
                    ["errorDescription"] = result.ErrorDescription ?? string.Empty,
                    ["errorDetails"] = result.ErrorDetails.IsEmpty ? new Dictionary<string, object?>() : JsonDocument.Parse(result.ErrorDetails).RootElement.Clone(),
                });
            case OcppCallStatus.Timeout:
                live.Log(id, "out", action, requestText, "timeout");
                return Problem(504, "Timeout", $"No answer within {result.Timeout.TotalSeconds} s.", new() { ["error"] = "Timeout" });
            default:
                live.Log(id, "out", action, requestText, "disconnected");
                return Problem(502, "Disconnected", chargePoint.IsRemote
                    ? $"The charge point, or node {chargePoint.NodeId} that holds it, went away before answering."
                    : "The charge point disconnected before answering.", new() { ["error"] = "Disconnected" });
        }
    }
}
