using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace MinimalCsms.Persistence;

/// <summary>
/// The one writer of the database, with group commit: every write is queued; a loop takes everything queued (up to
/// <see cref="MaxBatch"/> writes), applies it in one SQLite transaction and commits once, then completes each write's
/// task. A handler awaits its write before answering the charge point (a charge point forgets a message once answered),
/// yet a fleet's message rate is bounded by the commits per second times the batch size, not by one commit per message.
/// WAL with <c>synchronous=NORMAL</c>: a commit survives a crash of the CSMS; after a power loss the last commits since
/// the previous checkpoint may be lost (the charge points then resend nothing, so choose <c>FULL</c> where that matters).
/// </summary>
internal sealed class CsmsWriter : IAsyncDisposable
{
    public const int MaxBatch = 2000;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly WriteContext _context;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _commits;
    private long _writes;

    public CsmsWriter(CsmsDatabase database, ILogger<CsmsWriter> logger)
    {
        _logger = logger;
        _connection = database.Open();
        _context = new WriteContext(_connection);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many commits and writes so far (for the load benchmark's report).</summary>
    public (long Commits, long Writes) Counters => (Interlocked.Read(ref _commits), Interlocked.Read(ref _writes));

    /// <summary>Queues a write; the task completes with its result once committed, or fails when the batch failed.</summary>
    public Task<long> WriteAsync(Func<WriteContext, long> apply)
    {
        var write = new Write(apply);
        if (!_queue.Writer.TryWrite(write))
        {
            return Task.FromException<long>(new ObjectDisposedException(nameof(CsmsWriter)));
        }

        return write.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Write>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            var results = new long[batch.Count];
            Exception? failure = null;
            try
            {
                using var transaction = _connection.BeginTransaction();
                _context.Transaction = transaction;
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = batch[i].Apply(_context);
                }

                transaction.Commit();
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, batch.Count);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            if (failure is null)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            else
            {
                // One bad write must not fail the others: apply each in a transaction of its own.
                foreach (var write in batch)
                {
                    ApplyAlone(write);
                }
            }

            batch.Clear();
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
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
