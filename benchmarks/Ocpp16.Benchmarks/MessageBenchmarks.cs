using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ocpp16.Messages;

namespace Ocpp16.Benchmarks;

/// <summary>Read+validate and write of hot-path OCPP payloads (issue 3 extends this with baselines).</summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    private static readonly byte[] MeterValuesJson = Encoding.UTF8.GetBytes(
        """{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":"2026-11-21T10:15:30.123Z","sampledValue":[{"value":"12345","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","location":"Outlet","unit":"Wh"},{"value":"50000","context":"Sample.Periodic","measurand":"Power.Active.Import","location":"Outlet","unit":"W"},{"value":"125.0","context":"Sample.Periodic","measurand":"Current.Offered","location":"Outlet","unit":"A"},{"value":"57","context":"Sample.Periodic","measurand":"SoC","location":"EV","unit":"Percent"}]}]}""");

    private static readonly byte[] BootNotificationJson = Encoding.UTF8.GetBytes(
        """{"chargePointVendor":"Ocpp16","chargePointModel":"DC-2xCCS-100","chargePointSerialNumber":"SN-0001","firmwareVersion":"0.1.0","meterType":"DC meter"}""");

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _writer = null!;
    private MeterValuesRequest _meterValues = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        if (!MeterValuesRequest.TryRead(MeterValuesJson, out var mv, out var violation))
        {
            throw new InvalidOperationException(violation!.ToString());
        }

        _meterValues = mv;
    }

    [Benchmark]
    public MeterValuesRequest? MeterValues_ReadValidate()
        => MeterValuesRequest.TryRead(MeterValuesJson, out var value, out _) ? value : null;

    [Benchmark]
    public int MeterValues_Write()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _meterValues.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public BootNotificationRequest? BootNotification_ReadValidate()
        => BootNotificationRequest.TryRead(BootNotificationJson, out var value, out _) ? value : null;
}
