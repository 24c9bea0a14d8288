using Microsoft.Extensions.Options;

namespace Ocpp16.CentralSystem.RabbitMq;

/// <summary>
/// The RabbitMQ broker of a Central System cluster (<c>AddRabbitMqScaleOut</c>). The nodes that use the same broker,
/// virtual host and <see cref="Exchange"/> form one cluster. Each property's documentation states its default and its
/// limits; they are checked when the application starts, which then fails with <see cref="OptionsValidationException"/>
/// naming every option out of bounds (a message never holds the broker's password).
/// </summary>
public sealed class RabbitMqScaleOutOptions
{
    /// <summary>
    /// The broker: <c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://…</c> for TLS (port 5671). Required, an
    /// absolute <c>amqp</c> or <c>amqps</c> URI (a configured text that is not a URI is reported as such). The
    /// password is never logged (the logs name host, port and virtual host only). In configuration: the <c>RabbitMq</c>
    /// key of the section (e.g. <c>--ScaleOut:RabbitMq=amqp://guest:guest@localhost/</c>).
    /// </summary>
    public Uri? Broker { get; set; }

    /// <summary>
    /// The prefix of the broker objects of this cluster: a fanout exchange <c>{Exchange}.broadcast</c>, a direct exchange
    /// <c>{Exchange}.node</c> and one exclusive queue per node, <c>{Exchange}.node.{NodeId}</c> (deleted when the node's
    /// connection closes). At most 200 characters: letters, digits, '-', '_', '.', ':'. Default <c>ocpp16</c>.
    /// </summary>
    public string Exchange { get; set; } = "ocpp16";

    /// <summary>How long to wait between attempts to reconnect to the broker after the connection is lost. Must be positive. Default 2 s.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The AMQP heartbeat requested from the broker: a silent broker connection is taken for lost after about twice this
    /// long. At least 1 s (the AMQP heartbeat is in whole seconds). Default 10 s.
    /// </summary>
    public TimeSpan BrokerHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The configured broker is not a URI (the text is not kept: it may hold a password).</summary>
    internal bool BrokerUnreadable { get; set; }

    /// <summary>The problems of these options; empty when valid.</summary>
    internal List<string> FindProblems()
    {
        var problems = new List<string>();
        if (BrokerUnreadable)
        {
            problems.Add("RabbitMqScaleOutOptions.Broker (the RabbitMq key in configuration) is not a valid URI: expected amqp://user:password@host:5672/vhost.");
        }
        else if (Broker is null)
        {
            problems.Add("RabbitMqScaleOutOptions.Broker is required (amqp://user:password@host:5672/vhost, the ScaleOut:RabbitMq key in configuration).");
        }
        else if (!Broker.IsAbsoluteUri || Broker.Scheme is not ("amqp" or "amqps"))
        {
            problems.Add("RabbitMqScaleOutOptions.Broker must be an amqp:// or amqps:// URI.");
        }

        if (string.IsNullOrEmpty(Exchange) || Exchange.Length > 200 || !Exchange.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            problems.Add("RabbitMqScaleOutOptions.Exchange must have 1 to 200 characters: letters, digits, '-', '_', '.', ':'.");
        }

        if (RecoveryInterval <= TimeSpan.Zero)
        {
            problems.Add("RabbitMqScaleOutOptions.RecoveryInterval must be positive.");
        }

        if (BrokerHeartbeat < TimeSpan.FromSeconds(1))
        {
            problems.Add("RabbitMqScaleOutOptions.BrokerHeartbeat must be at least 1 s.");
        }

        return problems;
    }

    /// <summary>The broker without its credentials, for logs.</summary>
    internal string DescribeBroker() => Broker is null ? "(none)" : $"{Broker.Scheme}://{Broker.Host}:{(Broker.IsDefaultPort ? (Broker.Scheme == "amqps" ? 5671 : 5672) : Broker.Port)}{Broker.AbsolutePath}";
}

/// <summary>Checks <see cref="RabbitMqScaleOutOptions"/> when the application starts; each message names the option.</summary>
internal sealed class RabbitMqScaleOutOptionsValidator : IValidateOptions<RabbitMqScaleOutOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqScaleOutOptions options)
        => options.FindProblems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
