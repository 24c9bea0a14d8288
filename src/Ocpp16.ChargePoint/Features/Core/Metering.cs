using System.Globalization;
using Ocpp16.ChargePoint.Connectors;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// Meter values (OCPP 1.6 §4.7, §9.1): MeterValuesSampledData every MeterValueSampleInterval seconds of a transaction
/// (counted from its start), MeterValuesAlignedData every ClockAlignedDataInterval seconds aligned to midnight UTC (with
/// or without a transaction), StopTxnSampledData and StopTxnAlignedData kept for StopTransaction.transactionData.
/// Transaction meter values go through the journal (never lost); the others only while online.
/// </summary>
internal sealed class Metering
{
    private readonly ChargePointEngine _engine;
    private EngineLoop.LoopTimer? _aligned;

    public Metering(ChargePointEngine engine) => _engine = engine;

    /// <summary>Follows changes of the sampling intervals (call once the configuration exists).</summary>
    public void FollowConfiguration()
    {
        _engine.Configuration.Changed += (_, change) =>
        {
            if (string.Equals(change.Key, CoreKeys.ClockAlignedDataInterval, StringComparison.Ordinal))
            {
                StartClockAligned();
            }
            else if (string.Equals(change.Key, CoreKeys.MeterValueSampleInterval, StringComparison.Ordinal))
            {
                foreach (var tx in _engine.Connectors.All.Select(c => c.Transaction).OfType<JournalTransaction>())
                {
                    StartSampling(tx);
                }
            }
        };
    }

    // ------------------------------------------------------------------ sampled

    /// <summary>(Re)starts the periodic samples of a transaction, at the next multiple of the interval since its start.</summary>
    public void StartSampling(JournalTransaction tx)
    {
        tx.SampleTimer?.Dispose();
        tx.SampleTimer = null;
        var interval = _engine.Configuration.GetInt32(CoreKeys.MeterValueSampleInterval);
        if (interval <= 0)
        {
            return;
        }

        var period = TimeSpan.FromSeconds(interval);
        var elapsed = _engine.Now - tx.Record.StartTime;
        var due = elapsed <= TimeSpan.Zero ? period : period - TimeSpan.FromTicks(elapsed.Ticks % period.Ticks);
        tx.SampleTimer = _engine.Loop.Schedule(due, () =>
        {
            tx.SampleTimer = null;
            _engine.Loop.Post(async () =>
            {
                await SampleAsync(tx).ConfigureAwait(false);
                if (!tx.Stopped)
                {
                    StartSampling(tx);
                }
            });
        });
    }

    public static void StopSampling(JournalTransaction tx)
    {
        tx.SampleTimer?.Dispose();
        tx.SampleTimer = null;
    }

    private async ValueTask SampleAsync(JournalTransaction tx)
    {
        var c = _engine.Connectors.Find(tx.ConnectorId);
        if (c is null || !ReferenceEquals(c.Transaction, tx))
        {
            return;
        }

        var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
        var now = _engine.Now;
        var message = Build(reading, _engine.Configuration.GetMeasurands(CoreKeys.MeterValuesSampledData), ReadingContext.SamplePeriodic, now);
        var data = Build(reading, _engine.Configuration.GetMeasurands(CoreKeys.StopTxnSampledData), ReadingContext.SamplePeriodic, now);
        Journal(tx, reading, now, message, data);
    }

    // ------------------------------------------------------------------ clock-aligned

    /// <summary>(Re)starts the clock-aligned samples at the next multiple of ClockAlignedDataInterval since midnight UTC.</summary>
    public void StartClockAligned()
    {
        _aligned?.Dispose();
        _aligned = null;
        var interval = _engine.Configuration.GetInt32(CoreKeys.ClockAlignedDataInterval);
        if (interval <= 0)
        {
            return;
        }

        var now = _engine.Now;
        var period = TimeSpan.FromSeconds(interval);
        var sinceMidnight = now - new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var due = period - TimeSpan.FromTicks(sinceMidnight.Ticks % period.Ticks);
        _aligned = _engine.Loop.Schedule(due, () =>
        {
            _aligned = null;
            _engine.Loop.Post(async () =>
            {
                await SampleAlignedAsync().ConfigureAwait(false);
                StartClockAligned();
            });
        });
    }

    private async ValueTask SampleAlignedAsync()
    {
        var measurands = _engine.Configuration.GetMeasurands(CoreKeys.MeterValuesAlignedData);
        var stopTxn = _engine.Configuration.GetMeasurands(CoreKeys.StopTxnAlignedData);
        foreach (var c in _engine.Connectors.All)
        {
            var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
            var now = _engine.Now;
            var message = Build(reading, measurands, ReadingContext.SampleClock, now);
            if (c.Transaction is { } tx)
            {
                Journal(tx, reading, now, message, Build(reading, stopTxn, ReadingContext.SampleClock, now));
            }
            else if (message is not null && _engine.IsOnline)
            {
                _engine.Outbox.Enqueue(new OutboxCall<MeterValuesResponse>(new MeterValuesRequest { ConnectorId = c.Id, MeterValue = [message] }));
            }
        }
    }

    // ------------------------------------------------------------------ triggered (TriggerMessage MeterValues)

    /// <summary>
    /// Sends the current MeterValuesSampledData of one connector, of every connector (<paramref name="connectorId"/>
    /// <see langword="null"/>), or of connector 0, the main meter (see <see cref="SendStationTriggeredAsync"/>), with
    /// context Trigger (OCPP 1.6 §5.17).
    /// </summary>
    public async ValueTask SendTriggeredAsync(int? connectorId)
    {
        var measurands = _engine.Configuration.GetMeasurands(CoreKeys.MeterValuesSampledData);
        if (connectorId == 0)
        {
            await SendStationTriggeredAsync(measurands).ConfigureAwait(false);
            return;
        }

        foreach (var c in _engine.Connectors.All.Where(c => connectorId is null || c.Id == connectorId))
        {
            var reading = await c.Hardware.Meter.ReadAsync().ConfigureAwait(false);
            var value = Build(reading, measurands.Count > 0 ? measurands : [Measurand.EnergyActiveImportRegister], ReadingContext.Trigger, _engine.Now);
            if (value is not null)
            {
                _engine.Outbox.Enqueue(new OutboxCall<MeterValuesResponse>(new MeterValuesRequest { ConnectorId = c.Id, TransactionId = c.Transaction?.TransactionId, MeterValue = [value] }) { AllowedBeforeAccepted = true });
            }
        }
    }

    /// <summary>
    /// MeterValues of connector 0, the main meter of the station (OCPP 1.6 §3.5, §5.17). The hardware has no meter of
    /// the station, so its values are sums over the connectors' meters, read now, of the measurands that add up: the
    /// energy registers and intervals and active and reactive power (<see cref="IsAdditive"/>), each for a phase,
    /// location and unit that every connector's meter gives. Energy.Active.Import.Register (in Wh, the sum of the
    /// registers) is always there; measurands that do not add up (SoC, Voltage, Current.*, *.Offered, Power.Factor,
    /// Frequency, Temperature, RPM) are left out.
    /// </summary>
    private async ValueTask SendStationTriggeredAsync(IReadOnlyList<Measurand> measurands)
    {
        var readings = new List<MeterReading>(_engine.Connectors.All.Count);
        foreach (var c in _engine.Connectors.All)
        {
            readings.Add(await c.Hardware.Meter.ReadAsync().ConfigureAwait(false));
        }

        List<Measurand> summed = [.. measurands.Where(IsAdditive)];
        if (!summed.Contains(Measurand.EnergyActiveImportRegister))
        {
            summed.Insert(0, Measurand.EnergyActiveImportRegister);
        }

        var value = Build(Sum(readings), summed, ReadingContext.Trigger, _engine.Now);
        _engine.Outbox.Enqueue(new OutboxCall<MeterValuesResponse>(new MeterValuesRequest { ConnectorId = 0, MeterValue = [value!] }) { AllowedBeforeAccepted = true });
    }

    /// <summary>
    /// The reading of the station as the sum of the connectors' readings: the registers, and each additive measurand for
    /// a (phase, location, unit) that every reading gives (a sum over some connectors only would not be the station's).
    /// </summary>
    internal static MeterReading Sum(IReadOnlyList<MeterReading> readings)
    {
        var register = 0m;
        var keys = new List<(Measurand Measurand, UnitOfMeasure Unit, Phase? Phase, Location Location)>();
        var sums = new Dictionary<(Measurand Measurand, UnitOfMeasure Unit, Phase? Phase, Location Location), (decimal Value, int Readings)>();
        foreach (var reading in readings)
        {
            register += reading.EnergyActiveImportRegisterWh;
            foreach (var group in reading.Samples.Where(s => IsAdditive(s.Measurand)).GroupBy(s => (s.Measurand, s.Unit, s.Phase, Location: s.Location ?? Location.Outlet)))
            {
                if (!sums.TryGetValue(group.Key, out var sum))
                {
                    keys.Add(group.Key);
                }

                sums[group.Key] = (sum.Value + group.Sum(s => s.Value), sum.Readings + 1);
            }
        }

        var samples = keys.Where(k => sums[k].Readings == readings.Count)
            .Select(k => new MeterSample(k.Measurand, sums[k].Value, k.Unit, k.Phase, k.Location))
            .ToList();
        return new MeterReading(register, samples);
    }

    /// <summary>Whether the station's value of a measurand is the sum of the connectors' values: energy and active or reactive power.</summary>
    internal static bool IsAdditive(Measurand measurand) => measurand is Measurand.EnergyActiveExportRegister or Measurand.EnergyActiveImportRegister
        or Measurand.EnergyReactiveExportRegister or Measurand.EnergyReactiveImportRegister or Measurand.EnergyActiveExportInterval
        or Measurand.EnergyActiveImportInterval or Measurand.EnergyReactiveExportInterval or Measurand.EnergyReactiveImportInterval
        or Measurand.PowerActiveExport or Measurand.PowerActiveImport or Measurand.PowerReactiveExport or Measurand.PowerReactiveImport;

    private void Journal(JournalTransaction tx, MeterReading reading, DateTimeOffset now, MeterValue? message, MeterValue? data)
    {
        try
        {
            _engine.Journal.Sample(tx, MeterRegister.Wh(reading.EnergyActiveImportRegisterWh), now, message, data);
            ChargePointLog.MeterSampled(_engine.Logger, _engine.Identity, tx.ConnectorId, reading.EnergyActiveImportRegisterWh);
        }
        catch (ChargePointStorageException e)
        {
            ChargePointLog.StateWriteFailed(_engine.Logger, _engine.Identity, "meter sample", e);
        }
    }

    /// <summary>
    /// One MeterValue with a SampledValue for every configured measurand the reading has (every phase and location of
    /// it), or <see langword="null"/> when there is none (OCPP 1.6 §7.17). Energy.Active.Import.Register always comes from
    /// the register when the meter gives no sample of it.
    /// </summary>
    public static MeterValue? Build(MeterReading reading, IReadOnlyList<Measurand> measurands, ReadingContext context, DateTimeOffset timestamp)
    {
        if (measurands.Count == 0)
        {
            return null;
        }

        var values = new List<SampledValue>(measurands.Count);
        foreach (var measurand in measurands)
        {
            var found = false;
            foreach (var sample in reading.Samples)
            {
                if (sample.Measurand == measurand)
                {
                    values.Add(Sampled(measurand, sample.Value, sample.Unit, sample.Phase, sample.Location ?? Location.Outlet, context));
                    found = true;
                }
            }

            if (!found && measurand == Measurand.EnergyActiveImportRegister)
            {
                values.Add(Sampled(measurand, reading.EnergyActiveImportRegisterWh, UnitOfMeasure.Wh, null, Location.Outlet, context));
            }
        }

        return values.Count == 0 ? null : new MeterValue { Timestamp = timestamp, SampledValue = values };
    }

    private static SampledValue Sampled(Measurand measurand, decimal value, UnitOfMeasure unit, Phase? phase, Location location, ReadingContext context) => new()
    {
        Value = value.ToString(CultureInfo.InvariantCulture),
        Context = context,
        Measurand = measurand,
        Phase = phase,
        Location = location,
        Unit = unit,
    };
}
