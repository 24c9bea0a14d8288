using DcCharger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Simulation;

// A DC charger modeled on the certified 2-connector DC station (EVSIS JC-9932-100-CU07): connectors 1 and 2 (CCS,
// fixed cable), one RFID reader, a meter per connector. A generic-host application: configuration from appsettings.json,
// environment variables (ChargePoint__Identity=...) and the command line; runs under systemd (Type=notify) too.
//   dotnet run --project samples/DcCharger -- --csms ws://127.0.0.1:8180/ocpp --id CP1 [--password P] [--data-dir DIR]
// Commands on stdin, one per line: plug N | unplug N | swipe TAG | fault N | clearfault N | status | help | quit
// The host's defaults are spelled out (no file watchers, no user secrets, no Windows event log): a charger starts in
// well under 100 ms, and the Native AOT binary carries only what is used.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration
    .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args, new Dictionary<string, string>
    {
        ["--csms"] = "ChargePoint:CentralSystemUri",
        ["--id"] = "ChargePoint:Identity",
        ["--password"] = "ChargePoint:Password",
        ["--data-dir"] = "ChargePoint:DataDirectory",
    });
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
    o.UseUtcTimestamp = true;
    o.ColorBehavior = LoggerColorBehavior.Disabled;
});
builder.Services.AddSystemd();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<SimulatedChargePointHardware>(sp => new SimulatedChargePointHardware(2, maxPowerW: 100_000m, sp.GetRequiredService<TimeProvider>(), fixedCable: true));
builder.Services.AddSingleton<IChargePointHardware>(sp => sp.GetRequiredService<SimulatedChargePointHardware>());
builder.Services.AddOcpp16ChargePoint(builder.Configuration.GetSection("ChargePoint"))
    .PostConfigure(options =>
    {
        // The serial number defaults to the identity, as on the reference station's label.
        options.ChargePointSerialNumber ??= options.Identity is { Length: > 0 and <= 25 } id ? id : null;
        if (options.DataDirectory is { Length: > 0 } directory)
        {
            options.DataDirectory = Path.GetFullPath(directory);
        }
    });
builder.Services.AddHostedService<ConsoleCommands>();

using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, e.Failures));
    Console.Error.WriteLine("Usage: DcCharger --csms ws://HOST:PORT/ocpp --id ID [--password P] [--data-dir DIR]");
    return 2;
}

await host.WaitForShutdownAsync();
return 0;
