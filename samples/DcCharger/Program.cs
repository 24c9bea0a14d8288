using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;

// A DC charger modeled on the certified 2-connector DC station (EVSIS JC-9932-100-CU07): connectors 1 and 2
// (CCS, fixed cable), one RFID reader, a meter per connector.
// Usage: dotnet run --project samples/DcCharger -- --csms ws://127.0.0.1:8180/ocpp --id CP1 [--password P] [--data-dir DIR]
// Commands on stdin, one per line: plug N | unplug N | swipe TAG | fault N | clearfault N | quit
var arguments = ParseArguments(args);
if (!arguments.TryGetValue("csms", out var csms) || !arguments.TryGetValue("id", out var id) || !Uri.TryCreate(csms, UriKind.Absolute, out var csmsUri))
{
    Console.Error.WriteLine("Usage: DcCharger --csms ws://HOST:PORT/ocpp --id ID [--password P] [--data-dir DIR]");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Ocpp16.Transport", LogLevel.Warning)
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
        o.ColorBehavior = LoggerColorBehavior.Disabled;
    }));
var log = loggerFactory.CreateLogger("DcCharger");

var options = new ChargePointOptions
{
    Identity = id,
    CentralSystemUri = csmsUri,
    Password = arguments.GetValueOrDefault("password"),
    ChargePointVendor = "Ocpp16",
    ChargePointModel = "DC-2xCCS-100",
    ChargePointSerialNumber = id.Length <= 25 ? id : null,
    FirmwareVersion = "0.1.0",
    MeterType = "DC meter",
};

// The reference station's declared configuration (shared/reference/certified-products.md).
options.Configuration["MeterValuesSampledData"] = "Energy.Active.Import.Register,SoC,Power.Offered,Current.Offered,Power.Active.Import";
options.Configuration["MeterValuesAlignedData"] = "Energy.Active.Import.Register";
options.Configuration["MeterValueSampleInterval"] = "30";
options.Configuration["StopTransactionOnEVSideDisconnect"] = "true";
options.Configuration["AllowOfflineTxForUnknownId"] = "true";
options.Configuration["LocalAuthorizeOffline"] = "true";
options.Configuration["AuthorizationCacheEnabled"] = "true";

var stop = new CancellationTokenSource(); // not disposed: ProcessExit may still cancel it
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

if (arguments.TryGetValue("data-dir", out var dataDir))
{
    // Transaction messages and running transactions are kept here (SQLite), so a crash or power loss loses nothing:
    // after a restart the queued messages go out and an interrupted transaction is stopped with reason PowerLoss.
    options.DataDirectory = Path.GetFullPath(dataDir);
    log.LogInformation("Data directory {DataDirectory}", options.DataDirectory);
}

var hardware = new SimulatedChargePointHardware(2, maxPowerW: 100_000m);
await using var chargePoint = new ChargePoint(options, hardware, loggerFactory);
await chargePoint.StartAsync(stop.Token);
log.LogInformation("DC charger {Id} started; commands: plug N | unplug N | swipe TAG | fault N | clearfault N | quit", id);

var input = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var line = await Console.In.ReadLineAsync(stop.Token);
        if (line is null)
        {
            // No more input (e.g. stdin closed): keep running until Ctrl-C or SIGTERM.
            return;
        }

        try
        {
            if (!Execute(line.Trim()))
            {
                stop.Cancel();
                return;
            }
        }
        catch (ArgumentException e)
        {
            log.LogWarning("{Message}", e.Message);
        }
    }
});

try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl-C, SIGTERM or quit.
}

log.LogInformation("DC charger {Id} stopping", id);
await chargePoint.StopAsync();
return 0;

bool Execute(string line)
{
    if (line.Length == 0)
    {
        return true;
    }

    var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var command = parts[0].ToLowerInvariant();
    var argument = parts.Length > 1 ? parts[1] : null;
    switch (command)
    {
        case "plug":
            hardware.Connector(ConnectorNumber(argument)).Plug();
            return true;
        case "unplug":
            hardware.Connector(ConnectorNumber(argument)).Unplug();
            return true;
        case "swipe":
            hardware.RfidReader.Present(argument ?? throw new ArgumentException("swipe needs an IdTag: swipe TAG"));
            return true;
        case "fault":
            hardware.Connector(ConnectorNumber(argument)).Fault();
            return true;
        case "clearfault":
            hardware.Connector(ConnectorNumber(argument)).ClearFault();
            return true;
        case "quit":
        case "exit":
            return false;
        default:
            throw new ArgumentException($"Unknown command '{command}'; use plug N | unplug N | swipe TAG | fault N | clearfault N | quit");
    }
}

static int ConnectorNumber(string? argument)
    => int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is 1 or 2
        ? n
        : throw new ArgumentException("Connector must be 1 or 2.");

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            continue;
        }

        var key = args[i][2..];
        var eq = key.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            result[key[..eq]] = key[(eq + 1)..];
        }
        else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            result[key] = args[++i];
        }
    }

    return result;
}
