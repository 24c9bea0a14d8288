using System.Globalization;
using Ocpp16.LoadBenchmark;

// OCPP 1.6-J load benchmark (issues 4 and 11). One executable, three roles:
//   server --kind ocpp16|ceiling --port P
//   load   --url ws://127.0.0.1:P/ocpp --stations N --mode closed|paced|idle|commands --duration S [--warmup S] [--server-pid PID] [--gc-url URL] [--stats-url URL (MinimalCsms: /api/runtime)]
//   run    [--duration S] [--warmup S] [--kinds ocpp16,ceiling,ocpp-rpc,minimalcsms] [--scenarios idle5000,closed1000,closed5000,paced5000,commands1000] [--quick]
//   (minimalcsms: the sample CSMS itself, samples/MinimalCsms built in the same configuration, with SQLite in a temporary --data-dir)
//   routed --broker amqp://guest:guest@127.0.0.1:5672/ [--stations 1000] [--duration S] [--warmup S] [--repeat N]
//          (two MinimalCsms nodes over RabbitMQ: commands through the stations' own node against through the other node)
//   (run also takes --repeat N: ocpp16 and ceiling N times per scenario, alternating, median run reported; --gen0-mib M)
// `run` starts each server and the load generator as separate processes pinned with taskset (-c 0 / -c 1).
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: server --kind ocpp16|ceiling --port P | load --url URL --stations N --mode closed|paced|idle --duration S | run [options]");
    return 2;
}

var options = Args.Parse(args.AsSpan(1));
switch (args[0])
{
    case "server":
        return await Servers.RunAsync(options.Get("kind", "ocpp16"), options.GetInt("port", 8180));
    case "load":
        var load = new LoadOptions(
            new Uri(options.Get("url", "ws://127.0.0.1:8180/ocpp")),
            options.GetInt("stations", 1000),
            options.Get("mode", "closed"),
            options.GetDouble("duration", 15),
            options.GetDouble("warmup", 3),
            options.GetInt("server-pid", 0),
            options.TryGet("gc-url") is { } gc ? new Uri(gc) : null,
            options.GetInt("connect-concurrency", 64),
            options.GetDouble("max-warmup", 120),
            options.TryGet("api") is { } api ? new Uri(api) : null,
            options.TryGet("stats-url") is { } stats ? new Uri(stats) : null);
        if (load.Mode is not ("closed" or "paced" or "idle" or "commands"))
        {
            Console.Error.WriteLine($"unknown mode '{load.Mode}' (closed|paced|idle|commands)");
            return 2;
        }

        return await new LoadGenerator(load).RunAsync();
    case "run":
        return await Orchestrator.RunAsync(options);
    case "routed":
        return await RoutedBenchmark.RunAsync(options);
    default:
        Console.Error.WriteLine($"unknown role '{args[0]}' (server|load|run)");
        return 2;
}

/// <summary>`--name value` pairs (a bare `--flag` is "true").</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Args Parse(ReadOnlySpan<string> argv)
    {
        var result = new Args();
        for (var i = 0; i < argv.Length; i++)
        {
            if (!argv[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{argv[i]}'");
            }

            var name = argv[i][2..];
            result._values[name] = i + 1 < argv.Length && !argv[i + 1].StartsWith("--", StringComparison.Ordinal) ? argv[++i] : "true";
        }

        return result;
    }

    public string? TryGet(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string Get(string name, string fallback) => TryGet(name) ?? fallback;

    public int GetInt(string name, int fallback) => TryGet(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double GetDouble(string name, double fallback) => TryGet(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public bool Has(string name) => _values.ContainsKey(name);
}
