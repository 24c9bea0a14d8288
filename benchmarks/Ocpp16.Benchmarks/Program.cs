using BenchmarkDotNet.Running;
using Ocpp16.Benchmarks;

// Run:   dotnet run -c Release --project benchmarks/Ocpp16.Benchmarks -- --filter '*' --job short
// Check: dotnet run -c Release --project benchmarks/Ocpp16.Benchmarks -- --check
//        (proves every payload valid under the generated reader and NJsonSchema, runs each benchmark once, prints sizes)
if (args is ["--check"])
{
    PayloadCheck.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point.</summary>
public partial class Program;
