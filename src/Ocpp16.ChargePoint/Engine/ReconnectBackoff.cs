namespace Ocpp16.ChargePoint;

/// <summary>
/// Reconnection delays with exponential backoff and jitter, after the Security Whitepaper's RetryBackOff* semantics:
/// the first wait is <c>minimum</c> (RetryBackOffWaitMinimum), each further failure doubles it, at most
/// <c>maxDoublings</c> times (RetryBackOffRepeatTimes) and never beyond <c>maximum</c>, and a random
/// <c>0..randomRange</c> (RetryBackOffRandomRange) is added so that many stations do not reconnect in step.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan minimum, int maxDoublings, TimeSpan maximum, TimeSpan randomRange, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private int _failures;

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var doublings = Math.Min(_failures, Math.Max(0, maxDoublings));
        _failures++;
        var baseTicks = Math.Min((double)minimum.Ticks * Math.Pow(2, doublings), maximum.Ticks);
        return TimeSpan.FromTicks((long)baseTicks + (long)(randomRange.Ticks * _random()));
    }

    /// <summary>Starts over after a successful connection.</summary>
    public void Reset() => _failures = 0;
}
