using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>
/// The one serialized loop that owns all charge point state: CS→CP handlers, hardware events, timers and the outcomes
/// of outgoing CALLs are all posted here and run one at a time, in order, so no state is ever touched by two threads.
/// Time comes only from the <see cref="TimeProvider"/> (timers are <see cref="TimeProvider.CreateTimer"/>), so tests drive
/// it with a fake clock.
/// </summary>
internal sealed class EngineLoop
{
    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly string _identity;
    private readonly HashSet<LoopTimer> _timers = [];
    private int _running;
    private long _posted;
    private long _processed;
    private volatile bool _stopped;

    public EngineLoop(TimeProvider time, ILogger logger, string identity)
    {
        Time = time;
        _logger = logger;
        _identity = identity;
    }

    public TimeProvider Time { get; }

    /// <summary>Whether the loop has been stopped (work posted now is dropped).</summary>
    public bool IsStopped => _stopped;

    /// <summary>True while the current code runs on the loop.</summary>
    public bool IsOnLoop => Volatile.Read(ref _running) == Environment.CurrentManagedThreadId;

    /// <summary>How many work items were processed (for tests waiting for quiescence).</summary>
    public long ProcessedCount => Interlocked.Read(ref _processed);

    /// <summary>Whether no posted work is waiting or running.</summary>
    public bool IsIdle => Interlocked.Read(ref _posted) == Interlocked.Read(ref _processed);

    /// <summary>Queues synchronous work.</summary>
    public void Post(Action work) => Write(new WorkItem(work, null, null));

    /// <summary>Queues asynchronous work; the loop awaits it before the next item.</summary>
    public void Post(Func<ValueTask> work) => Write(new WorkItem(null, work, null));

    private bool Write(WorkItem item)
    {
        Interlocked.Increment(ref _posted);
        if (_work.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Increment(ref _processed);
        return false;
    }

    /// <summary>Runs <paramref name="work"/> on the loop and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<ValueTask<T>> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var item = new WorkItem(
            null,
            async () =>
            {
                try
                {
                    completion.TrySetResult(await work().ConfigureAwait(false));
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                }
            },
            () => completion.TrySetException(new ObjectDisposedException(nameof(EngineLoop), "The charge point is stopped.")));
        if (!Write(item))
        {
            item.Abandon!();
        }

        return completion.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the loop and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work) => InvokeAsync(() => ValueTask.FromResult(work()));

    /// <summary>
    /// Runs <paramref name="callback"/> on the loop after <paramref name="delay"/> (on the loop's clock), unless the
    /// returned timer is disposed first (on the loop) or the loop stops.
    /// </summary>
    public LoopTimer Schedule(TimeSpan delay, Action callback)
    {
        var timer = new LoopTimer(this, callback);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        timer.Start(delay);
        return timer;
    }

    /// <summary>Processes work until <see cref="Stop"/> or cancellation.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _work.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_work.Reader.TryRead(out var item))
                {
                    if (_stopped)
                    {
                        item.Abandon?.Invoke();
                        Interlocked.Increment(ref _processed);
                        return;
                    }

                    Volatile.Write(ref _running, Environment.CurrentManagedThreadId);
                    try
                    {
                        if (item.Sync is { } sync)
                        {
                            sync();
                        }
                        else
                        {
                            var pending = item.Async!();
                            if (!pending.IsCompletedSuccessfully)
                            {
                                Volatile.Write(ref _running, 0);
                                await pending.ConfigureAwait(false);
                            }
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        ChargePointLog.LoopError(_logger, _identity, e);
                    }
                    finally
                    {
                        Volatile.Write(ref _running, 0);
                        Interlocked.Increment(ref _processed);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Whatever is still queued will never run: fail the callers waiting for it, and accept nothing more.
            _stopped = true;
            _work.Writer.TryComplete();
            while (_work.Reader.TryRead(out var left))
            {
                left.Abandon?.Invoke();
                Interlocked.Increment(ref _processed);
            }

            DisposeTimers();
        }
    }

    /// <summary>Stops the loop: queued and future work is dropped, timers no longer fire.</summary>
    public void Stop()
    {
        _stopped = true;
        _work.Writer.TryComplete();
    }

    private void DisposeTimers()
    {
        LoopTimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    internal void Forget(LoopTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>One piece of work; <see cref="Abandon"/> fails its caller when the loop stops before running it.</summary>
    private readonly record struct WorkItem(Action? Sync, Func<ValueTask>? Async, Action? Abandon);

    /// <summary>A one-shot timer whose callback runs on the loop.</summary>
    internal sealed class LoopTimer : IDisposable
    {
        private readonly EngineLoop _loop;
        private readonly Action _callback;
        private static readonly TimeSpan MaxStep = TimeSpan.FromDays(20);
        private ITimer? _timer;
        private volatile bool _cancelled;
        private long _started;
        private TimeSpan _delay;

        public LoopTimer(EngineLoop loop, Action callback)
        {
            _loop = loop;
            _callback = callback;
        }

        public bool IsActive => !_cancelled;

        public void Start(TimeSpan delay)
        {
            if (delay <= TimeSpan.Zero)
            {
                Fire();
                return;
            }

            _started = _loop.Time.GetTimestamp();
            _delay = delay;
            Arm(delay);
        }

        /// <summary>
        /// A timer takes at most ~49.7 days (2^32 − 2 ms); a longer wait (a reservation or a charging profile's validTo
        /// months away) is made of steps of <see cref="MaxStep"/>, re-armed until the delay has passed.
        /// </summary>
        private void Arm(TimeSpan wait)
        {
            _timer = _loop.Time.CreateTimer(static state => ((LoopTimer)state!).OnElapsed(), this, wait < MaxStep ? wait : MaxStep, Timeout.InfiniteTimeSpan);
            if (_cancelled)
            {
                _timer.Dispose();
            }
        }

        private void OnElapsed()
        {
            var remaining = _delay - _loop.Time.GetElapsedTime(_started);
            if (remaining > TimeSpan.Zero && !_cancelled)
            {
                var previous = _timer;
                Arm(remaining);
                previous?.Dispose();
                return;
            }

            Fire();
        }

        public void Dispose()
        {
            _cancelled = true;
            _timer?.Dispose();
            _loop.Forget(this);
        }

        private void Fire()
            => _loop.Post(() =>
            {
                if (_cancelled)
                {
                    return;
                }

                _cancelled = true;
                _timer?.Dispose();
                _loop.Forget(this);
                _callback();
            });
    }
}
