using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Ocpp16.Samples.Tests;

/// <summary>Where the built samples are, and free loopback ports to run them on.</summary>
internal static class Samples
{
    private static readonly Lazy<string> s_repositoryRoot = new(FindRepositoryRoot);

    /// <summary>The folder holding Ocpp16.sln.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The build configuration of this test assembly; the samples are built in the same one.</summary>
    public static string Configuration { get; } =
        typeof(Samples).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SamplesConfiguration")?.Value
        ?? "Debug";

    /// <summary>The output folder of a sample (samples/NAME/bin/CONFIGURATION/net10.0).</summary>
    public static string OutputDirectory(string name) => Path.Combine(RepositoryRoot, "samples", name, "bin", Configuration, "net10.0");

    /// <summary>The built entry assembly of a sample; fails clearly if it was not built.</summary>
    public static string EntryAssembly(string name)
    {
        var path = Path.Combine(OutputDirectory(name), name + ".dll");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Sample {name} is not built: {path} does not exist (build tests/Ocpp16.Samples.Tests, which references it).");
        }

        return path;
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ocpp16.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Ocpp16.sln above {AppContext.BaseDirectory}.");
    }
}
