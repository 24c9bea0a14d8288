using Microsoft.Extensions.Options;

namespace Ocpp16.CentralSystem.Cluster;

/// <summary>Options of a Central System node in a cluster (scale-out). Each property's documentation states its default.</summary>
public sealed class OcppClusterOptions
{
    /// <summary>
    /// This node's id, unique in the cluster (1 to 100 characters: letters, digits, '-', '_', '.', checked when the
    /// application starts: <see cref="OptionsValidationException"/>). Default: the host name and a random suffix, new at
    /// every start.
    /// </summary>
    public string NodeId { get; set; } = DefaultNodeId();

    /// <summary>
    /// How often a node tells the others it is alive (a broadcast, and a message straight to each other node, which also
    /// finds a node whose address is gone). Must be positive; checked when the application starts
    /// (<see cref="OptionsValidationException"/>). Default 1 s.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After how long without a sign of life a node is taken for dead: its charge points are gone for the others and the
    /// calls routed to it end with <see cref="Transport.OcppConnectionClosedException"/>. A node whose process died is
    /// known sooner, at the next heartbeat, when the bus refuses messages to it (RabbitMQ deletes a node's queue when its
    /// connection drops); this bound is for a node that goes silent (its machine froze, its network is gone). At least
    /// twice <see cref="HeartbeatInterval"/>, checked when the application starts (<see cref="OptionsValidationException"/>);
    /// it is measured at each heartbeat, so a silent node is taken for dead between NodeTimeout and NodeTimeout plus one
    /// <see cref="HeartbeatInterval"/>. Default 3 s.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a routed call waits beyond its own timeout for the owning node's answer (which reports the charge point's
    /// timeout itself), counted from when the CALL is handed to the bus; then it ends with
    /// <see cref="Transport.OcppTimeoutException"/>, even if the bus is still sending it. Not applied to a call with
    /// <see cref="Timeout.InfiniteTimeSpan"/> (which ends with the answer, or with the charge point's or its node's
    /// departure); the call's timeout plus this grace is capped at about 49.7 days. Zero or more, checked when the
    /// application starts (<see cref="OptionsValidationException"/>). Default 2 s.
    /// </summary>
    public TimeSpan RoutingGrace { get; set; } = TimeSpan.FromSeconds(2);

    private static string DefaultNodeId()
    {
        var host = new string([.. Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(60)]);
        return $"{(host.Length == 0 ? "node" : host)}-{Guid.NewGuid():N}"[..Math.Min(100, (host.Length == 0 ? 4 : host.Length) + 33)];
    }

    /// <summary>The problems of these options; empty when valid.</summary>
    internal List<string> FindProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(NodeId) || NodeId.Length > 100 || !NodeId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add("OcppClusterOptions.NodeId must have 1 to 100 characters: letters, digits, '-', '_', '.'.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            problems.Add("OcppClusterOptions.HeartbeatInterval must be positive.");
        }

        if (NodeTimeout < 2 * HeartbeatInterval)
        {
            problems.Add("OcppClusterOptions.NodeTimeout must be at least twice HeartbeatInterval.");
        }

        if (RoutingGrace < TimeSpan.Zero)
        {
            problems.Add("OcppClusterOptions.RoutingGrace must not be negative.");
        }

        return problems;
    }
}

/// <summary>Checks <see cref="OcppClusterOptions"/> when the application starts; each message names the option.</summary>
internal sealed class OcppClusterOptionsValidator : IValidateOptions<OcppClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, OcppClusterOptions options)
        => options.FindProblems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
