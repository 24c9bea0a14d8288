using System.Text.Json;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Xunit.Abstractions;

namespace Ocpp16.ChargePoint.Tests.Journal;

/// <summary>
/// Kill tests of the transaction journal (OCPP 1.6 §4.10): a charge point is stopped dead at every step of a charging
/// session — before and after each storage write, after each transaction CALL is sent (before its answer is
/// journaled) — and a new one is started on the same storage against the same recording Central System. Whatever the
/// step, every StartTransaction and StopTransaction arrives once, with the right TransactionId, meterStop ≥ meterStart,
/// in order; the only messages that arrive twice are the ones the crash caught on the wire (sent, their answer not yet
/// journaled), and those arrive byte for byte as the first time, so a Central System recognises them.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    public enum Session
    {
        /// <summary>Online: plug, swipe, two samples, swipe, unplug.</summary>
        Online,

        /// <summary>Started offline (unknown tag accepted offline), one sample offline, reconnected, a sample online, stopped.</summary>
        StartedOffline,
    }

    public static TheoryData<Session> Sessions => new() { Session.Online, Session.StartedOffline };

    [Theory]
    [MemberData(nameof(Sessions))]
    public async Task EveryKillPoint_OfASession_LosesAndDuplicatesNothing(Session session)
    {
        // A clean run counts the steps.
        var clean = new Crash();
        var (writes, sends) = await RunAsync(session, clean, dieBeforeWrite: null, dieAfterWrite: null, dieAfterSend: null);
        output.WriteLine($"{session}: {writes} storage writes, {sends} transaction CALLs");
        Assert.True(writes >= 6 && sends >= 4, $"{writes} writes, {sends} sends");

        var points = 0;
        for (var n = 1; n <= writes; n++)
        {
            await RunAsync(session, new Crash(), dieBeforeWrite: n, dieAfterWrite: null, dieAfterSend: null);
            await RunAsync(session, new Crash(), dieBeforeWrite: null, dieAfterWrite: n, dieAfterSend: null);
            points += 2;
        }

        for (var k = 1; k <= sends; k++)
        {
            await RunAsync(session, new Crash(), dieBeforeWrite: null, dieAfterWrite: null, dieAfterSend: k);
            points++;
        }

        output.WriteLine($"{session}: {points} kill points checked");
    }

    private async Task<(int Writes, int Sends)> RunAsync(Session session, Crash crash, int? dieBeforeWrite, int? dieAfterWrite, int? dieAfterSend)
    {
        var inner = new InMemoryChargePointStorage();
        var storage = new CrashableStorage(inner, crash) { DieBeforeWrite = dieBeforeWrite, DieAfterWrite = dieAfterWrite };
        var plan = dieBeforeWrite is { } b ? $"die before write {b}" : dieAfterWrite is { } a ? $"die after write {a}" : dieAfterSend is { } s ? $"die after transaction CALL {s}" : "no crash";
        await using var rig = await Rig.StartAsync(
            o => o.Configuration["MeterValueSampleInterval"] = "10",
            cs => cs.WrapTransport = t => crash.IsDead ? t : new CrashableTransport(t, crash, dieAfterSend),
            storage: storage);
        IReadOnlyList<string>? journalAtDeath = null;
        var connectionsAtDeath = 0;
        crash.Died += () =>
        {
            // The dead charge point reaches nothing any more (it would otherwise reconnect).
            rig.Cs.Unreachable = true;
            journalAtDeath = [.. inner.Load("txmsg").Select(r => MessageKey(JsonDocument.Parse(r.Value).RootElement))];
            connectionsAtDeath = rig.Cs.ConnectionCount;
        };

        try
        {
            await PlayAsync(rig, session, crash);
        }
        catch (Exception e) when (crash.IsDead)
        {
            output.WriteLine($"{plan}: the session ended with the crash ({e.GetType().Name})");
        }

        if (!crash.IsDead)
        {
            Assert.True(dieBeforeWrite is null && dieAfterWrite is null && dieAfterSend is null, $"{plan}: the kill point was never reached");
            Check(rig, plan, allowedDuplicates: new HashSet<string>());
            return (crash.Writes, crash.TransactionCallsSent);
        }

        // Restart on the same (inner) storage, connected, and let everything be delivered.
        await rig.RestartAsync(inner, beforeStart: () => rig.Cs.Unreachable = false);
        await rig.AdvanceAsync(60, stepSeconds: 5);

        // The messages that may arrive twice: those still in the journal at the crash that the Central System had already
        // received, over the connections of the charge point that died (a frame sent at the crash arrives just after it).
        var before = rig.Cs.Calls.Where(c => c.Connection <= connectionsAtDeath && Crash.IsTransactionAction(c.Action)).Select(c => MessageKey(c)).ToHashSet();
        var allowed = journalAtDeath!.Where(before.Contains).ToHashSet();
        Check(rig, $"{plan} ({crash.Point})", allowed);
        Assert.True(allowed.Count <= 1, $"{plan}: more than one message was on the wire: {string.Join(", ", allowed)}");
        return (crash.Writes, crash.TransactionCallsSent);
    }

    private static async Task PlayAsync(Rig rig, Session session, Crash crash)
    {
        var connector = rig.Hardware.Connector(1);
        var steps = new List<Func<Task>>();
        if (session == Session.StartedOffline)
        {
            steps.Add(async () =>
            {
                rig.Cs.Unreachable = true;
                await rig.Cs.DropAsync();
                await rig.SettleAsync();
            });
        }

        steps.Add(async () =>
        {
            connector.Plug();
            await rig.SettleAsync();
        });
        steps.Add(async () =>
        {
            rig.Hardware.RfidReader.Present("TAG-K");
            await rig.AdvanceAsync(12);
        });
        if (session == Session.StartedOffline)
        {
            steps.Add(async () =>
            {
                rig.Cs.Unreachable = false;
                await rig.AdvanceAsync(5);
            });
        }

        steps.Add(() => rig.AdvanceAsync(10));
        steps.Add(async () =>
        {
            rig.Hardware.RfidReader.Present("TAG-K");
            await rig.SettleAsync();
        });
        steps.Add(async () =>
        {
            connector.Unplug();
            await rig.AdvanceAsync(3);
        });

        // The session stops where the charge point died: what a dead station does not do, nobody does for it.
        foreach (var step in steps)
        {
            if (crash.IsDead)
            {
                return;
            }

            await step();
        }
    }

    /// <summary>The invariants of the journal, over everything the Central System received.</summary>
    private static void Check(Rig rig, string plan, IReadOnlySet<string> allowedDuplicates)
    {
        var calls = rig.Cs.Calls.Where(c => Crash.IsTransactionAction(c.Action)).ToList();
        var text = plan + ":\n" + string.Join("\n", calls);

        // Nothing arrives twice but what was on the wire at the crash, and that byte for byte the same.
        foreach (var group in calls.GroupBy(MessageKey))
        {
            var copies = group.ToList();
            Assert.True(copies.Count == 1 || (copies.Count == 2 && allowedDuplicates.Contains(group.Key)), $"{group.Key} arrived {copies.Count} times. {text}");
            if (copies.Count == 2 && copies[0].Action != "StopTransaction")
            {
                Assert.Equal(copies[0].Raw, copies[1].Raw);
            }
        }

        var starts = calls.Where(c => c.Action == "StartTransaction").GroupBy(c => c.Raw).Select(g => g.First()).ToList();
        var stops = calls.Where(c => c.Action == "StopTransaction").GroupBy(MessageKey).Select(g => g.First()).ToList();
        Assert.True(starts.Count <= 1, text);
        Assert.Equal(starts.Count, stops.Count); // every transaction that started was stopped, once
        foreach (var start in starts)
        {
            var id = rig.Cs.TransactionIdFor(start);
            var stop = Assert.Single(stops, s => s.Int("transactionId") == id);
            Assert.True(stop.Int("meterStop") >= start.Int("meterStart"), text);
            var firstStart = calls.IndexOf(start);
            Assert.All(calls.Where(c => c.Action == "MeterValues"), m => Assert.True(m.Int("transactionId") == id && calls.IndexOf(m) > firstStart && calls.IndexOf(m) < calls.IndexOf(stop), text));
        }

        Assert.DoesNotContain(calls, c => c.Action != "StartTransaction" && c.Has("transactionId") && starts.All(s => rig.Cs.TransactionIdFor(s) != c.Int("transactionId")));
        Assert.NotEqual(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Empty(rig.ChargePoint.Engine.Journal.Transactions);
    }

    /// <summary>What identifies a transaction message across resends: action, connector and the timestamp it carries.</summary>
    private static string MessageKey(RecordedCall call) => MessageKey(call.Action, call.Payload);

    private static string MessageKey(JsonElement record)
    {
        using var payload = JsonDocument.Parse(record.GetProperty("payload").GetString()!);
        return MessageKey(record.GetProperty("action").GetString()!, payload.RootElement);
    }

    private static string MessageKey(string action, JsonElement payload)
    {
        var timestamp = action == "MeterValues"
            ? payload.GetProperty("meterValue")[0].GetProperty("timestamp").GetString()
            : payload.GetProperty("timestamp").GetString();
        return $"{action}@{timestamp}";
    }
}
