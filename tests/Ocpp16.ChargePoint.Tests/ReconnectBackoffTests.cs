using Ocpp16.ChargePoint;

namespace Ocpp16.ChargePoint.Tests;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_DoublesFromTheMinimum_UpToMaxDoublings_ThenStays()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(2), maxDoublings: 3, maximum: TimeSpan.FromHours(1), randomRange: TimeSpan.Zero);
        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([2, 4, 8, 16, 16, 16], delays);
    }

    [Fact]
    public void Next_NeverExceedsTheMaximum_PlusTheRandomRange()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(10), maxDoublings: 10, maximum: TimeSpan.FromSeconds(60), randomRange: TimeSpan.FromSeconds(5), random: () => 0.999);
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next()).ToArray();
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(65), d.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(60), delays[^1] - TimeSpan.FromSeconds(5 * 0.999));
    }

    [Fact]
    public void Next_AddsJitterWithinTheRandomRange()
    {
        var draws = new Queue<double>([0.0, 0.5, 1.0]);
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), maxDoublings: 0, maximum: TimeSpan.FromSeconds(10), randomRange: TimeSpan.FromSeconds(4), random: draws.Dequeue);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(3), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Next());
    }

    [Fact]
    public void Reset_StartsOverFromTheMinimum()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), maxDoublings: 5, maximum: TimeSpan.FromMinutes(5), randomRange: TimeSpan.Zero);
        backoff.Next();
        backoff.Next();
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Next());
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }
}
