using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.EndToEnd;

/// <summary>A charge point with a data directory loses no transaction message across a crash or power loss.</summary>
public sealed class PersistenceEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private ChargePointClient Create(Uri csms, SimulatedChargePointHardware hardware)
    {
        var options = new ChargePointOptions
        {
            Identity = "PERSIST-1",
            CentralSystemUri = csms,
            DataDirectory = _dataDirectory,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        options.Configuration["MeterValueSampleInterval"] = "1";
        return new ChargePointClient(options, hardware);
    }

    [Fact]
    public async Task PowerLossDuringTransaction_AfterRestart_StopTransactionWithPowerLossIsDelivered()
    {
        await using var csms = await TestCentralSystem.StartAsync();
        int transactionId;
        var hw = new SimulatedChargePointHardware(2);
        var first = Create(csms.BaseUri, hw);
        await first.StartAsync();
        await csms.Handler.WaitForAsync<StatusNotificationRequest>("PERSIST-1", s => s.ConnectorId == 2, Timeout);
        hw.Connector(1).Plug();
        hw.RfidReader.Present("TAG-P");
        await Wait.UntilAsync(() => first.GetTransactionId(1) is not null, Timeout, "transaction id");
        transactionId = first.GetTransactionId(1)!.Value;
        var meter = await csms.Handler.WaitForAsync<MeterValuesRequest>("PERSIST-1", m => m.TransactionId == transactionId, Timeout);

        // "Power loss": the process goes away without stopping the transaction.
        await first.DisposeAsync();
        Assert.Empty(csms.Handler.Received<StopTransactionRequest>("PERSIST-1"));

        var second = Create(csms.BaseUri, new SimulatedChargePointHardware(2));
        await using (second)
        {
            await second.StartAsync();
            var stop = await csms.Handler.WaitForAsync<StopTransactionRequest>("PERSIST-1", _ => true, Timeout);
            Assert.Equal(transactionId, stop.TransactionId);
            Assert.Equal(Reason.PowerLoss, stop.Reason);
            Assert.Null(stop.IdTag); // stopped by the charge point itself, not by an IdTag (OCPP 1.6 §6.48)
            var lastEnergy = decimal.Parse(meter.MeterValue[0].SampledValue.First(s => s.Measurand == Measurand.EnergyActiveImportRegister).Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(stop.MeterStop >= lastEnergy, $"meterStop {stop.MeterStop} is the last known reading, at least {lastEnergy}");

            // Delivered once: a third start finds nothing left to send.
            await Task.Delay(500);
            Assert.Single(csms.Handler.Received<StopTransactionRequest>("PERSIST-1"));
        }

        var third = Create(csms.BaseUri, new SimulatedChargePointHardware(2));
        await using (third)
        {
            await third.StartAsync();
            await Wait.UntilAsync(() => csms.Handler.Received<BootNotificationRequest>("PERSIST-1").Count >= 3, Timeout, "third boot");
            await Task.Delay(1000);
            Assert.Single(csms.Handler.Received<StopTransactionRequest>("PERSIST-1"));
        }
    }

    [Fact]
    public async Task TransactionMessagesQueuedWhileTheCentralSystemIsDown_AreDeliveredInOrderAfterRestart()
    {
        var hw = new SimulatedChargePointHardware(2);
        int transactionId;
        await using (var csms = await TestCentralSystem.StartAsync())
        {
            var cp = Create(csms.BaseUri, hw);
            await cp.StartAsync();
            await csms.Handler.WaitForAsync<StatusNotificationRequest>("PERSIST-1", s => s.ConnectorId == 2, Timeout);
            hw.Connector(1).Plug();
            hw.RfidReader.Present("TAG-Q");
            await Wait.UntilAsync(() => cp.GetTransactionId(1) is not null, Timeout, "transaction id");
            transactionId = cp.GetTransactionId(1)!.Value;

            // The Central System goes away; the driver stops; then the charge point itself dies.
            await csms.DisposeAsync();
            hw.RfidReader.Present("TAG-Q");
            await Wait.UntilAsync(() => cp.GetConnectorStatus(1) == ChargePointStatus.Finishing, Timeout, "local stop while offline");
            await cp.DisposeAsync();
        }

        // A new Central System process (the TransactionId is the charge point's to remember, not the server's).
        await using var csms2 = await TestCentralSystem.StartAsync();
        var options = new ChargePointOptions
        {
            Identity = "PERSIST-1",
            CentralSystemUri = csms2.BaseUri,
            DataDirectory = _dataDirectory,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var restarted = new ChargePointClient(options, new SimulatedChargePointHardware(2));
        await restarted.StartAsync();
        var stop = await csms2.Handler.WaitForAsync<StopTransactionRequest>("PERSIST-1", _ => true, Timeout);
        Assert.Equal(transactionId, stop.TransactionId);
        Assert.Equal(Reason.Local, stop.Reason);
    }
}
