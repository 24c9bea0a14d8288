using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;

namespace DcCharger;

/// <summary>
/// Reads commands from standard input, one per line, and drives the simulated hardware: plug N, unplug N, swipe TAG
/// (starts or stops a transaction), fault N, clearfault N, status, help, quit. When standard input ends, the charger
/// keeps running until Ctrl-C or SIGTERM.
/// </summary>
internal sealed partial class ConsoleCommands(
    SimulatedChargePointHardware hardware,
    OcppChargePoint chargePoint,
    IHostApplicationLifetime lifetime,
    ILogger<ConsoleCommands> logger) : BackgroundService
{
    private const string Help = "commands: plug N | unplug N | swipe TAG | fault N | clearfault N | status | help | quit";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Started(logger, chargePoint.Identity, Help);

        // A read from the console cannot be cancelled: the loop runs on its own, so stopping never waits for a line.
        var reading = Task.Run(() => ReadCommandsAsync(stoppingToken), CancellationToken.None);
        await Task.WhenAny(reading, Task.Delay(Timeout.Infinite, stoppingToken));
    }

    private async Task ReadCommandsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await Console.In.ReadLineAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (line is null)
            {
                return; // Standard input closed: keep running until the host stops.
            }

            try
            {
                await ExecuteAsync(line.Trim(), stoppingToken);
            }
            catch (ArgumentException e)
            {
                CommandRejected(logger, e.Message);
            }
        }
    }

    private async Task ExecuteAsync(string line, CancellationToken cancellationToken)
    {
        if (line.Length == 0)
        {
            return;
        }

        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        switch (parts[0].ToLowerInvariant())
        {
            case "plug":
                hardware.Connector(ConnectorNumber(argument)).Plug();
                break;
            case "unplug":
                hardware.Connector(ConnectorNumber(argument)).Unplug();
                break;
            case "swipe":
                hardware.RfidReader.Present(argument ?? throw new ArgumentException("swipe needs an IdTag: swipe TAG"));
                break;
            case "fault":
                hardware.Connector(ConnectorNumber(argument)).Fault();
                break;
            case "clearfault":
                hardware.Connector(ConnectorNumber(argument)).ClearFault();
                break;
            case "status":
                var snapshot = await chargePoint.GetSnapshotAsync(cancellationToken);
                Status(logger, snapshot.ConnectionState, snapshot.Registration?.ToString() ?? "none", snapshot.StationStatus, snapshot.QueuedTransactionMessages);
                foreach (var c in snapshot.Connectors)
                {
                    ConnectorStatus(
                        logger,
                        c.ConnectorId,
                        c.Status,
                        c.ErrorCode,
                        c.Plugged ? "plugged" : "unplugged",
                        c.Transaction is { } tx
                            ? string.Create(CultureInfo.InvariantCulture, $"transaction {tx.TransactionId?.ToString(CultureInfo.InvariantCulture) ?? "pending"} since {tx.StartTime:HH:mm:ss}, {tx.LastMeterWh - tx.MeterStartWh} Wh")
                            : "no transaction");
                }

                break;
            case "help":
                HelpText(logger, Help);
                break;
            case "quit":
            case "exit":
                lifetime.StopApplication();
                break;
            default:
                throw new ArgumentException($"Unknown command '{parts[0]}'; {Help}");
        }
    }

    private int ConnectorNumber(string? argument)
        => int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= hardware.SimulatedConnectors.Count
            ? n
            : throw new ArgumentException($"Connector must be 1 to {hardware.SimulatedConnectors.Count}.");

    [LoggerMessage(5100, LogLevel.Information, "DC charger {Id} started; {Help}")]
    private static partial void Started(ILogger logger, string id, string help);

    [LoggerMessage(5101, LogLevel.Warning, "{Message}")]
    private static partial void CommandRejected(ILogger logger, string message);

    [LoggerMessage(5102, LogLevel.Information, "status: connection {ConnectionState}, registration {Registration}, connector 0 {StationStatus}, {Queued} transaction messages queued")]
    private static partial void Status(ILogger logger, ChargePointConnectionState connectionState, string registration, Ocpp16.Messages.ChargePointStatus stationStatus, int queued);

    [LoggerMessage(5103, LogLevel.Information, "status: connector {ConnectorId} {Status} ({ErrorCode}), {Plugged}, {Transaction}")]
    private static partial void ConnectorStatus(ILogger logger, int connectorId, Ocpp16.Messages.ChargePointStatus status, Ocpp16.Messages.ChargePointErrorCode errorCode, string plugged, string transaction);

    [LoggerMessage(5104, LogLevel.Information, "{Help}")]
    private static partial void HelpText(ILogger logger, string help);
}
