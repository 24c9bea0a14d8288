using Ocpp16.CentralSystem;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;

// One charging session between a Charge Point and a Central System built from the packages: boot, plug, swipe,
// StartTransaction, MeterValues, swipe, StopTransaction. Exit code 0 when the Central System saw it all.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var stopped = new TaskCompletionSource<StopTransactionRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
var meterValues = 0;
var centralSystem = builder.Services.AddOcpp16CentralSystem(o => o.HeartbeatInterval = TimeSpan.FromSeconds(60))
    .Handle((OcppCallContext _, AuthorizeRequest r, CancellationToken _) =>
        ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } }))
    .Handle((OcppCallContext _, StartTransactionRequest r, CancellationToken _) =>
        ValueTask.FromResult(new StartTransactionResponse { TransactionId = 42, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } }))
    .Handle((OcppCallContext _, MeterValuesRequest r, CancellationToken _) =>
    {
        Interlocked.Increment(ref meterValues);
        return ValueTask.FromResult(new MeterValuesResponse());
    })
    .Handle((OcppCallContext _, StopTransactionRequest r, CancellationToken _) =>
    {
        stopped.TrySetResult(r);
        return ValueTask.FromResult(new StopTransactionResponse());
    });

// Ocpp16.CentralSystem.RabbitMq: with --ScaleOut:RabbitMq=amqp://… this Central System is one node of a cluster.
if (builder.Configuration["ScaleOut:RabbitMq"] is { Length: > 0 })
{
    centralSystem.AddRabbitMqScaleOut(builder.Configuration.GetSection("ScaleOut"));
}

var app = builder.Build();
app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
await app.StartAsync();
var address = app.Urls.Single().Replace("http://", "ws://", StringComparison.Ordinal);

var hardware = new SimulatedChargePointHardware(2);
var options = new ChargePointOptions { Identity = "CONSUMER-1", CentralSystemUri = new Uri(address + "/ocpp") };
options.Configuration["MeterValueSampleInterval"] = "1";
await using var chargePoint = new OcppChargePoint(options, hardware);
await chargePoint.StartAsync();
await WaitAsync(() => chargePoint.RegistrationStatus == RegistrationStatus.Accepted, "BootNotification accepted");
hardware.Connector(1).Plug();
hardware.RfidReader.Present("CONSUMER-TAG");
await WaitAsync(() => chargePoint.GetTransactionId(1) == 42, "transaction 42 running");
await WaitAsync(() => Volatile.Read(ref meterValues) >= 2, "two MeterValues");
hardware.RfidReader.Present("CONSUMER-TAG");
var stop = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
await chargePoint.StopAsync();
await app.StopAsync();
if (stop.TransactionId != 42 || stop.Reason != Reason.Local)
{
    Console.Error.WriteLine($"unexpected StopTransaction: {stop.TransactionId} {stop.Reason}");
    return 1;
}

Console.WriteLine($"Consumer: one charging session through the packages (transaction 42, {meterValues} MeterValues, meterStop {stop.MeterStop} Wh).");
return 0;

static async Task WaitAsync(Func<bool> condition, string what)
{
    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
    while (!condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("Timed out waiting for " + what);
        }

        await Task.Delay(50);
    }
}
