using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Ocpp16.Benchmarks;

/// <summary>Smoke check without BenchmarkDotNet: setup (which proves the payloads valid) and every benchmark once.</summary>
public static class PayloadCheck
{
    public static void Run()
    {
        var b = new MessageBenchmarks();
        b.Setup();
        Console.WriteLine("payload sizes (bytes): " + string.Join(", ",
            ("BootNotification", Payloads.BootNotification().Length),
            ("MeterValues", Payloads.MeterValues().Length),
            ("StopTransaction", Payloads.StopTransaction().Length),
            ("SetChargingProfile", Payloads.SetChargingProfile().Length),
            ("SendLocalList", Payloads.SendLocalList().Length),
            ("GetConfigurationConf", Payloads.GetConfigurationConf().Length)));
        foreach (var m in typeof(MessageBenchmarks).GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
        {
            var result = m.Invoke(b, null);
            if (result is null)
            {
                throw new InvalidOperationException(m.Name + " returned null");
            }

            Console.WriteLine($"{m.Name,-40} -> {(result is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : result.GetType().Name)}");
        }

        // The schemas really constrain: one wrong enum value must be rejected by both validators.
        var bad = System.Text.Encoding.UTF8.GetString(Payloads.MeterValues()).Replace("\"Outlet\"", "\"Outlat\"", StringComparison.Ordinal);
        var njs = MessageBenchmarks.LoadSchema("MeterValues.json").Validate(bad).Count;
        var ours = Ocpp16.Messages.MeterValuesRequest.TryRead(System.Text.Encoding.UTF8.GetBytes(bad), out _, out var violation);
        Console.WriteLine($"mutated MeterValues: NJsonSchema errors = {njs}, Ocpp16 = {violation}");
        if (njs == 0 || ours)
        {
            throw new InvalidOperationException("a mutated payload was accepted");
        }

        Console.WriteLine();
        Console.WriteLine("allocation per read vs. bytes retained by the result (\"no allocation beyond the resulting objects\"):");
        foreach (var m in typeof(MessageBenchmarks).GetMethods().Where(m => m.Name.EndsWith("_Ocpp16Read", StringComparison.Ordinal) || m.Name.EndsWith("_StjDeserialize", StringComparison.Ordinal)))
        {
            var (allocated, retained) = Measure(m.CreateDelegate<Func<object>>(b));
            Console.WriteLine($"{m.Name,-40} allocated {allocated,7:F0} B/op, result retains {retained,7:F0} B, excess {allocated - retained,6:F0} B");
        }

        b.Cleanup();
    }

    /// <summary>Bytes allocated per call, and bytes still reachable from the result after a full GC.</summary>
    private static (double Allocated, double Retained) Measure(Func<object> read)
    {
        const int n = 2000;
        for (var i = 0; i < 100; i++)
        {
            read();
        }

        var keep = new object[n];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++)
        {
            keep[i] = read();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var after = GC.GetTotalMemory(true);
        GC.KeepAlive(keep);
        return ((double)allocated / n, (double)(after - before) / n);
    }
}
