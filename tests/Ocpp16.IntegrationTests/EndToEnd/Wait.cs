namespace Ocpp16.IntegrationTests;

/// <summary>Polling with a deadline, so a broken behaviour fails fast instead of hanging the run.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value (not <see langword="null"/>) and returns it.</summary>
    public static async Task<T> ForAsync<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        T? value = null;
        await UntilAsync(() => (value = probe()) is not null, timeout, what);
        return value!;
    }
}
