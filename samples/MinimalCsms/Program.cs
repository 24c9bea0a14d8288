using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MinimalCsms;
using Ocpp16.CentralSystem;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using Ocpp16.Transport;

// A minimal CSMS on the Ocpp16 library: charge points connect to ws://HOST:PORT/ocpp/{chargePointId}.
// Usage: dotnet run --project samples/MinimalCsms -- [--urls http://127.0.0.1:8180] [--simulate N]
//        [--ChargePoints:CP1:Password=secret] [--IdTags:TAG=Accepted]
// The content root is the build output, so appsettings.json is found whatever the working directory is.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CsmsState>();
builder.Services.AddOcpp16CentralSystem()
    .AddCoreHandler<CsmsHandler>()
    .AddAuthenticator<ConfiguredPasswordAuthenticator>();

var app = builder.Build();
app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
var api = app.MapGroup("/api");
api.MapGet("/chargepoints", (OcppCentralSystem centralSystem, CsmsState state) => Json.Write(w => Api.WriteChargePoints(w, centralSystem, state)));
api.MapGet("/transactions", (CsmsState state) => Json.Write(w => Api.WriteTransactions(w, state)));
api.MapPost("/chargepoints/{id}/commands/{action}", Api.SendCommandAsync);

var simulate = app.Configuration.GetValue("simulate", 0);
if (simulate > 0)
{
    app.Lifetime.ApplicationStarted.Register(() => Simulation.Start(app, simulate));
}

app.Run();

/// <summary>The sample's HTTP API.</summary>
internal static class Api
{
    public static void WriteChargePoints(Utf8JsonWriter w, OcppCentralSystem centralSystem, CsmsState state)
    {
        w.WriteStartArray();
        foreach (var cp in centralSystem.ChargePoints.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var info = state.Get(cp.Id);
            w.WriteStartObject();
            w.WriteString("id", cp.Id);
            w.WriteString("connectedAt", OcppDateTime.ToWireString(cp.ConnectedAt));
            w.WriteString("remoteAddress", cp.RemoteAddress);
            w.WritePropertyName("bootNotification");
            if (info.Boot is { } boot)
            {
                boot.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            if (info.BootTime is { } bootTime)
            {
                w.WriteString("bootTime", OcppDateTime.ToWireString(bootTime));
            }

            w.WritePropertyName("lastHeartbeat");
            if (info.LastHeartbeat is { } hb)
            {
                w.WriteStringValue(OcppDateTime.ToWireString(hb));
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteStartArray("connectors");
            foreach (var (_, status) in info.Connectors.OrderBy(kv => kv.Key))
            {
                status.WriteTo(w);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static void WriteTransactions(Utf8JsonWriter w, CsmsState state)
    {
        w.WriteStartArray();
        foreach (var tx in state.Transactions.Values.OrderBy(t => t.TransactionId))
        {
            w.WriteStartObject();
            w.WriteNumber("transactionId", tx.TransactionId);
            w.WriteString("chargePointId", tx.ChargePointId);
            w.WriteNumber("connectorId", tx.ConnectorId);
            w.WriteString("idTag", tx.IdTag);
            w.WriteString("idTagStatus", tx.Status.ToWireString());
            w.WriteString("startTime", OcppDateTime.ToWireString(tx.StartTime));
            w.WriteNumber("meterStart", tx.MeterStartWh);
            if (tx.LastEnergyWh is { } last)
            {
                w.WriteNumber("lastMeterValueWh", last);
            }

            w.WriteNumber("meterValuesCount", tx.MeterValuesCount);
            if (tx.StopTime is { } stop)
            {
                w.WriteString("stopTime", OcppDateTime.ToWireString(stop));
                w.WriteNumber("meterStop", tx.MeterStopWh ?? 0);
                w.WriteString("stopReason", (tx.StopReason ?? Reason.Local).ToWireString());
            }

            w.WriteBoolean("active", tx.StopTime is null);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// POST /api/chargepoints/{id}/commands/{action}: body = the OCPP request payload. 200 with the charge point's
    /// response payload; 404 if not connected; 400 if the action is unknown or not CS→CP, or the body violates the
    /// schema; 502 with the error code on CALLERROR (or an invalid response); 504 on timeout.
    /// </summary>
    public static async Task<IResult> SendCommandAsync(string id, string action, HttpRequest request, OcppCentralSystem centralSystem, CancellationToken cancellationToken)
    {
        if (!OcppActions.TryGet(action, out var info) || info.Direction == OcppMessageDirection.ChargePointToCentralSystem)
        {
            return Json.Status(400, w =>
            {
                w.WriteString("error", "UnknownAction");
                w.WriteString("message", $"'{action}' is not an OCPP 1.6 action the Central System sends.");
            });
        }

        if (!centralSystem.TryGetChargePoint(id, out var chargePoint))
        {
            return Json.Status(404, w =>
            {
                w.WriteString("error", "NotConnected");
                w.WriteString("message", $"Charge point '{id}' is not connected.");
            });
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var json = body.Length == 0 ? "{}"u8.ToArray() : body.ToArray();
        if (!info.ReadRequest(json, null, out var message, out var violation))
        {
            return Json.Status(400, w =>
            {
                w.WriteString("error", "SchemaViolation");
                w.WriteString("errorCode", violation!.ErrorCode.ToWireString());
                w.WriteString("path", violation.Path);
                w.WriteString("message", violation.Message);
            });
        }

        var result = await chargePoint.SendAsync((IOcppRequest)message, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case OcppCallStatus.Result:
                if (!info.ReadResponse(result.Payload.Span, null, out _, out var responseViolation))
                {
                    return Json.Status(502, w =>
                    {
                        w.WriteString("error", "InvalidResponse");
                        w.WriteString("errorCode", responseViolation!.ErrorCode.ToWireString());
                        w.WriteString("path", responseViolation.Path);
                        w.WriteString("message", responseViolation.Message);
                    });
                }

                return Results.Bytes(result.Payload.ToArray(), "application/json");
            case OcppCallStatus.Error:
                return Json.Status(502, w =>
                {
                    w.WriteString("error", "CallError");
                    w.WriteString("errorCode", result.RawErrorCode ?? result.ErrorCode.ToWireString());
                    w.WriteString("errorDescription", result.ErrorDescription ?? string.Empty);
                    w.WritePropertyName("errorDetails");
                    if (result.ErrorDetails.IsEmpty)
                    {
                        w.WriteStartObject();
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteRawValue(result.ErrorDetails.Span, skipInputValidation: false);
                    }
                });
            case OcppCallStatus.Timeout:
                return Json.Status(504, w =>
                {
                    w.WriteString("error", "Timeout");
                    w.WriteString("message", $"No answer within {result.Timeout.TotalSeconds} s.");
                });
            default:
                return Json.Status(502, w =>
                {
                    w.WriteString("error", "Disconnected");
                    w.WriteString("message", "The charge point disconnected before answering.");
                });
        }
    }
}

/// <summary>Writes JSON responses with Utf8JsonWriter (the OCPP types write themselves).</summary>
internal static class Json
{
    public static IResult Write(Action<Utf8JsonWriter> write) => Results.Bytes(SerializeBytes(write), "application/json");

    public static IResult Status(int statusCode, Action<Utf8JsonWriter> writeProperties)
        => Results.Text(Serialize(w =>
        {
            w.WriteStartObject();
            writeProperties(w);
            w.WriteEndObject();
        }), "application/json", statusCode: statusCode);

    private static string Serialize(Action<Utf8JsonWriter> write) => System.Text.Encoding.UTF8.GetString(SerializeBytes(write));

    private static byte[] SerializeBytes(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return stream.ToArray();
    }
}

/// <summary>In-process simulated DC chargers SIM-1…SIM-N charging in a loop (for <c>--simulate N</c>).</summary>
internal static class Simulation
{
    public static void Start(WebApplication app, int count)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address) { Scheme = address.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws", Path = "/ocpp" }.Uri;
        if (uri.Host is "0.0.0.0" or "[::]" or "+" or "*")
        {
            uri = new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
        }

        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var configuration = app.Configuration;
        var tags = configuration.GetSection("IdTags").GetChildren().Where(c => c.Value == "Accepted").Select(c => c.Key).ToArray();
        if (tags.Length == 0)
        {
            tags = ["SIM-TAG"];
        }

        var stopping = app.Lifetime.ApplicationStopping;
        for (var i = 1; i <= count; i++)
        {
            var id = $"SIM-{i}";
            var options = DcStation.CreateOptions(id, uri, configuration[$"ChargePoints:{id}:Password"]);
            options.Configuration["MeterValueSampleInterval"] = configuration.GetValue("Csms:MeterValueSampleInterval", 5).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var hardware = new SimulatedChargePointHardware(2, 50_000m);
            var chargePoint = new OcppChargePoint(options, hardware, loggerFactory);
            var simulator = new ChargingSessionSimulator(chargePoint, hardware, new ChargingSessionSimulatorOptions { IdTags = tags });
            _ = Task.Run(async () =>
            {
                await chargePoint.StartAsync(stopping).ConfigureAwait(false);
                try
                {
                    await simulator.RunAsync(stopping).ConfigureAwait(false);
                }
                finally
                {
                    await chargePoint.DisposeAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }
    }
}

/// <summary>The BootNotification identity of the simulated DC stations (modeled on the certified 2-connector DC station).</summary>
internal static class DcStation
{
    public static ChargePointOptions CreateOptions(string id, Uri csms, string? password) => new()
    {
        Identity = id,
        CentralSystemUri = csms,
        Password = password,
        ChargePointVendor = "Ocpp16",
        ChargePointModel = "DC-2xCCS-100",
        ChargePointSerialNumber = id,
        FirmwareVersion = "0.1.0",
        MeterType = "DC meter",
    };
}

/// <summary>Entry point type, visible to the integration tests (WebApplicationFactory-style hosting).</summary>
public partial class Program;
