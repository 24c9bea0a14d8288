using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MinimalCsms.Persistence;

/// <summary>
/// The one writer of the database, with group commit: a write joins the queue; if no commit is running and the last one
/// began at least <c>Csms:CommitIntervalMs</c> ago (default 2 ms), its caller becomes the committer and applies
/// everything queued (up to <see cref="MaxBatch"/> writes per transaction) in one SQLite transaction, commits once, and
/// completes each write's task; otherwise a timer commits the queue when the interval is over. Under load, commits
/// happen every interval with everything that arrived meanwhile; when idle, a write is committed at once. The waiting
/// handlers continue on the committer's thread (no thread switch per write). A handler awaits its write before
/// answering the charge point (a charge point forgets a message once answered), yet a fleet's message rate is bounded by
/// commits per second times the batch size, not by one commit per message. WAL with <c>synchronous=NORMAL</c>: a
/// commit survives a crash of the CSMS; after a power loss the commits since the last checkpoint may be lost (choose
/// <c>FULL</c> where that matters). Checkpoints run every second (<c>Csms:CheckpointIntervalMs</c>) on their own
/// connection and thread, off the commit path and off the thread pool.
/// </summary>
internal sealed class CsmsWriter : IAsyncDisposable
{
    public const int MaxBatch = 2000;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly WriteContext _context;
    private readonly ILogger _logger;
    private List<Write> _queue = [];
    private List<Write> _spare = [];
    private readonly long _interval;
    private readonly SqliteConnection _checkpointConnection;
    private readonly ITimer _checkpointer;
    private readonly SemaphoreSlim _checkpointDue = new(0, 1);
    private readonly CancellationTokenSource _checkpointStop = new();
    private readonly Thread _checkpointThread;
    private int _disposeStarted;
    private readonly ITimer _timer;
    private long _lastCommit;
    private bool _committing;
    private bool _scheduled;
    private bool _disposed;
    private long _commits;
    private long _writes;

    public CsmsWriter(CsmsDatabase database, IConfiguration configuration, TimeProvider time, ILogger<CsmsWriter> logger)
    {
        _logger = logger;
        _connection = database.Open();

        // Checkpoints (copying the WAL into the database file, with an fsync) never run on the commit path, where they
        // would hold every waiting answer: the writer connection does not checkpoint; a timer does, on a connection of
        // its own, every second (PASSIVE: it waits for no reader or writer).
        CsmsDatabase.Execute(_connection, "PRAGMA wal_autocheckpoint=0;");
        _checkpointConnection = database.Open();
        var checkpointEvery = TimeSpan.FromMilliseconds(Math.Max(0, configuration.GetValue("Csms:CheckpointIntervalMs", 1000)));
        checkpointEvery = checkpointEvery == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : checkpointEvery;
        _checkpointThread = new Thread(CheckpointLoop) { IsBackground = true, Name = "CSMS checkpoint" };
        _checkpointThread.Start();
        _checkpointer = time.CreateTimer(static state => ((CsmsWriter)state!).SignalCheckpoint(), this, checkpointEvery, checkpointEvery);
        _context = new WriteContext(_connection);
        _interval = (long)(Math.Clamp(configuration.GetValue("Csms:CommitIntervalMs", 2.0), 0, 1000) * Stopwatch.Frequency / 1000);
        _timer = time.CreateTimer(static state => ((CsmsWriter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many commits and writes so far (for the load benchmark's report).</summary>
    public (long Commits, long Writes) Counters => (Interlocked.Read(ref _commits), Interlocked.Read(ref _writes));

    /// <summary>Queues a write; the task completes with its result once committed, or fails when its write failed.</summary>
    public Task<long> WriteAsync(Func<WriteContext, long> apply)
    {
        var write = new Write(apply);
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.FromException<long>(new ObjectDisposedException(nameof(CsmsWriter)));
            }

            _queue.Add(write);
            if (_committing || _scheduled || !DueLocked())
            {
                return write.Completion.Task;
            }

            _committing = true;
        }

        CommitRounds();
        return write.Completion.Task;
    }

    /// <summary>Whether a commit may start now; if not, makes sure the timer will start one. Call under the lock.</summary>
    private bool DueLocked()
    {
        var wait = _lastCommit + _interval - Stopwatch.GetTimestamp();
        if (wait <= 0)
        {
            return true;
        }

        _scheduled = true;
        _timer.Change(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), Timeout.InfiniteTimeSpan);
        return false;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _scheduled = false;
            if (_committing || _queue.Count == 0)
            {
                return;
            }

            _committing = true;
        }

        CommitRounds();
    }

    private void SignalCheckpoint()
    {
        try
        {
            _checkpointDue.Release();
        }
        catch (SemaphoreFullException)
        {
            // A checkpoint is already due.
        }
    }

    /// <summary>
    /// Checkpoints on a thread of its own: a checkpoint ends with an fsync that can block for tens of milliseconds, and on
    /// a thread-pool thread that block took a worker from every connection's answers (p99 of 5000 stations paced at one
    /// call per second: 18.3 ms with the checkpoint on the pool, 11.4 ms with no checkpoint at all).
    /// </summary>
    private void CheckpointLoop()
    {
        try
        {
            while (true)
            {
                _checkpointDue.Wait(_checkpointStop.Token);
                try
                {
                    CsmsDatabase.Execute(_checkpointConnection, "PRAGMA wal_checkpoint(PASSIVE);");
                }
                catch (SqliteException ex)
                {
                    CsmsLog.WriteFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public ValueTask DisposeAsync()
    {
        // Disposed at ApplicationStopped (Program.cs) and again by the container.
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _timer.Dispose();
        _checkpointer.Dispose();
        _checkpointStop.Cancel();
        _checkpointThread.Join();
        _checkpointStop.Dispose();
        _checkpointDue.Dispose();
        _checkpointConnection.Dispose();
        lock (_gate)
        {
            _disposed = true;
            if (_committing)
            {
                // The committer finishes what is queued; the connection is closed with the process.
                return ValueTask.CompletedTask;
            }
        }

        return _connection.DisposeAsync();
    }

    /// <summary>Commits what is queued; writes that arrive meanwhile wait for the next interval (the timer).</summary>
    private void CommitRounds()
    {
        for (var round = 0; ; round++)
        {
            List<Write> batch;
            lock (_gate)
            {
                if (_queue.Count == 0 || (round > 0 && !DueLocked()))
                {
                    _committing = false;
                    return;
                }

                batch = _queue;
                _queue = _spare;
                _spare = batch;
                _lastCommit = Stopwatch.GetTimestamp();
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<Write> batch)
    {
        var count = Math.Min(batch.Count, MaxBatch);
        for (var start = 0; start < batch.Count; start += count)
        {
            var part = batch.GetRange(start, Math.Min(count, batch.Count - start));
            var results = new long[part.Count];
            Exception? failure = null;
            try
            {
                using var transaction = _connection.BeginTransaction();
                _context.Transaction = transaction;
                for (var i = 0; i < part.Count; i++)
                {
                    results[i] = part[i].Apply(_context);
                }

                transaction.Commit();
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, part.Count);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (failure is null)
            {
                for (var i = 0; i < part.Count; i++)
                {
                    part[i].Completion.TrySetResult(results[i]);
                }
            }
            else
            {
                // One bad write must not fail the others: apply each in a transaction of its own.
                foreach (var write in part)
                {
                    ApplyAlone(write);
                }
            }
        }
    }

    private void ApplyAlone(Write write)
    {
        try
        {
            using var transaction = _connection.BeginTransaction();
            _context.Transaction = transaction;
            var result = write.Apply(_context);
            transaction.Commit();
            Interlocked.Increment(ref _commits);
            Interlocked.Increment(ref _writes);
            write.Completion.TrySetResult(result);
        }
        catch (Exception ex)
        {
            CsmsLog.WriteFailed(_logger, ex);
            write.Completion.TrySetException(ex);
        }
    }

    private sealed class Write(Func<WriteContext, long> apply)
    {
        // Continuations run on the committer's thread (no thread switch per write).
        public TaskCompletionSource<long> Completion { get; } = new();

        public long Apply(WriteContext context) => apply(context);
    }
}

/// <summary>
/// What a write sees: the writer's connection and transaction, and its commands, one per SQL text, kept and reused so
/// each statement is compiled once (used on the writer's loop only).
/// </summary>
internal sealed class WriteContext(SqliteConnection connection)
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteTransaction? Transaction { get; set; }

    /// <summary>The command for <paramref name="sql"/> with these parameter values (named in the order given; the same every time for one SQL text).</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands[sql] = command;
        }

        command.Transaction = Transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }
}
