using Microsoft.Extensions.Options;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>Checks <see cref="CentralSystemOptions"/> when the application starts; each message names the option.</summary>
internal sealed class CentralSystemOptionsValidator : IValidateOptions<CentralSystemOptions>
{
    public ValidateOptionsResult Validate(string? name, CentralSystemOptions options)
    {
        List<string> failures = [];
        if (options.CallTimeout <= TimeSpan.Zero && options.CallTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"CentralSystemOptions.CallTimeout must be positive (was {options.CallTimeout}).");
        }

        foreach (var (action, timeout) in options.ActionTimeouts)
        {
            if (!OcppActions.TryGet(action, out _))
            {
                failures.Add($"CentralSystemOptions.ActionTimeouts: '{action}' is not an OCPP 1.6 action.");
            }
            else if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                failures.Add($"CentralSystemOptions.ActionTimeouts[{action}] must be positive (was {timeout}).");
            }
        }

        if (options.Validation is null)
        {
            failures.Add("CentralSystemOptions.Validation must not be null.");
        }

        if (options.MaxMessageSize < 1)
        {
            failures.Add($"CentralSystemOptions.MaxMessageSize must be positive (was {options.MaxMessageSize}).");
        }

        if (!Enum.IsDefined(options.DuplicateConnections))
        {
            failures.Add($"CentralSystemOptions.DuplicateConnections has no meaning for {(int)options.DuplicateConnections}.");
        }

        if (!Enum.IsDefined(options.UnknownChargePoints))
        {
            failures.Add($"CentralSystemOptions.UnknownChargePoints has no meaning for {(int)options.UnknownChargePoints}.");
        }

        if (options.PingInterval is { } ping && ping <= TimeSpan.Zero)
        {
            failures.Add($"CentralSystemOptions.PingInterval must be positive when set (was {ping}).");
        }

        if (options.PingTimeout is { } pong && pong <= TimeSpan.Zero)
        {
            failures.Add($"CentralSystemOptions.PingTimeout must be positive when set (was {pong}).");
        }

        if (options.MaxIdentityLength is < 1 or > 1024)
        {
            failures.Add($"CentralSystemOptions.MaxIdentityLength must be between 1 and 1024 (was {options.MaxIdentityLength}).");
        }

        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromHours(24))
        {
            failures.Add($"CentralSystemOptions.HeartbeatInterval must be between 1 s and 24 h (was {options.HeartbeatInterval}).");
        }

        if (options.MaxConcurrentAuthentications is < 1 or > 1024)
        {
            failures.Add($"CentralSystemOptions.MaxConcurrentAuthentications must be between 1 and 1024 (was {options.MaxConcurrentAuthentications}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
