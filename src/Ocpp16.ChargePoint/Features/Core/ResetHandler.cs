using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Hardware;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// Reset (OCPP 1.6 §5.14): answered Accepted; after the answer is on the wire every transaction is stopped (reason
/// SoftReset or HardReset) and journaled, a Soft reset waits up to <see cref="DrainTimeout"/> for the StopTransaction
/// messages to be delivered (undelivered ones go out after the reboot), then the hardware's reset hook runs; a failed
/// reset is tried again ResetRetries times.
/// </summary>
internal sealed class ResetHandler
{
    /// <summary>How long a Soft reset waits for the transaction messages to be delivered.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly ChargePointEngine _engine;
    private bool _resetting;

    public ResetHandler(ChargePointEngine engine) => _engine = engine;

    /// <summary>Raised (on the loop) just before the hardware's reset hook runs (the Security module records ResetOrReboot).</summary>
    public event Action<ResetType>? Resetting;

    /// <summary>
    /// Reboots without a Reset.req (a firmware installation): no transaction is stopped (the caller waited for them to
    /// end); the hardware's reset hook runs with <paramref name="type"/>, retried ResetRetries times.
    /// </summary>
    /// <returns><see langword="false"/> when a reset is already under way.</returns>
    public bool Reboot(ResetType type)
    {
        if (_resetting)
        {
            return false;
        }

        _resetting = true;
        _engine.Loop.Post(() => ResetAsync(type, 0));
        return true;
    }

    public ValueTask<ResetResponse> OnResetAsync(ResetRequest request, IncomingCall call)
    {
        ChargePointLog.Resetting(_engine.Logger, _engine.Identity, request.Type);
        if (!_resetting)
        {
            _resetting = true;
            call.AfterResponse(() => _engine.Loop.Post(() => PerformAsync(request.Type)));
        }

        return ValueTask.FromResult(new ResetResponse { Status = ResetStatus.Accepted });
    }

    private async ValueTask PerformAsync(ResetType type)
    {
        await _engine.Core.Transactions.StopAllAsync(type == ResetType.Hard ? Reason.HardReset : Reason.SoftReset).ConfigureAwait(false);
        if (type == ResetType.Hard)
        {
            await ResetAsync(type, 0).ConfigureAwait(false);
            return;
        }

        var deadline = _engine.Loop.Time.GetUtcNow() + DrainTimeout;
        WaitForDrain(type, deadline);
    }

    private void WaitForDrain(ResetType type, DateTimeOffset deadline)
    {
        var drained = !_engine.Outbox.Items.Any(i => i.Lane == OutboxLane.Durable) || !_engine.Outbox.IsConnected;
        if (drained || _engine.Loop.Time.GetUtcNow() >= deadline)
        {
            _engine.Loop.Post(() => ResetAsync(type, 0));
            return;
        }

        _engine.Loop.Schedule(TimeSpan.FromMilliseconds(100), () => WaitForDrain(type, deadline));
    }

    private async ValueTask ResetAsync(ResetType type, int attempt)
    {
        ResetOutcome outcome;
        Resetting?.Invoke(type);
        try
        {
            outcome = await _engine.Hardware.ResetAsync(type).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(_engine.Logger, _engine.Identity, 0, "reset", e);
            outcome = ResetOutcome.Failed;
        }

        switch (outcome)
        {
            case ResetOutcome.RestartInProcess:
                _engine.Host.OnRestartRequested(inProcess: true);
                break;
            case ResetOutcome.Rebooting:
                _engine.Host.OnRestartRequested(inProcess: false);
                break;
            default:
                var retries = _engine.Configuration.GetInt32(CoreKeys.ResetRetries);
                if (attempt >= retries)
                {
                    ChargePointLog.ResetFailed(_engine.Logger, _engine.Identity, attempt + 1);
                    _resetting = false;
                    return;
                }

                _engine.Loop.Schedule(RetryDelay, () => _engine.Loop.Post(() => ResetAsync(type, attempt + 1)));
                break;
        }
    }
}
