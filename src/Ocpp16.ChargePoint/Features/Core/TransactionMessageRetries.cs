using Ocpp16.ChargePoint.Engine;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// The retry rule of the durable lane's messages (OCPP 1.6 §4.10): a CALLERROR or timeout is retried after
/// TransactionMessageRetryInterval × attempts seconds, up to TransactionMessageAttempts attempts in all.
/// </summary>
internal static class TransactionMessageRetries
{
    /// <summary>Logs the failed attempt and gives the time of the next one, or <see langword="null"/> (logged) when the message is given up.</summary>
    /// <param name="engine">The engine (configuration, clock, logger).</param>
    /// <param name="action">The message's action.</param>
    /// <param name="attempts">The attempts made so far, the failed one included.</param>
    /// <param name="error">Why the attempt failed.</param>
    /// <param name="localTransactionId">The transaction's local id, 0 for a message of no transaction.</param>
    public static DateTimeOffset? NextAttempt(ChargePointEngine engine, string action, int attempts, Exception error, int localTransactionId)
    {
        var maxAttempts = Math.Max(1, engine.Configuration.GetInt32(CoreKeys.TransactionMessageAttempts));
        ChargePointLog.TransactionMessageRetry(engine.Logger, engine.Identity, action, attempts, maxAttempts, error.Message);
        if (attempts >= maxAttempts)
        {
            ChargePointLog.TransactionMessageDiscarded(engine.Logger, engine.Identity, action, localTransactionId, $"{attempts} attempts failed");
            return null;
        }

        var interval = engine.Configuration.GetInt32(CoreKeys.TransactionMessageRetryInterval);
        return engine.Loop.Time.GetUtcNow() + TimeSpan.FromSeconds((double)interval * attempts);
    }
}
