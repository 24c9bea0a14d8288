using System.Collections.Concurrent;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Toolkit;

/// <summary>What the application knows of an idTag (OCPP 1.6 §7.23 IdTagInfo, §3.5.1 parentIdTag groups).</summary>
/// <param name="IdTag">The idTag (at most 20 characters, case-insensitive per OCPP 1.6 §7.22; stores compare ordinally as given).</param>
/// <param name="Status">Its status: Accepted, Blocked, Expired or Invalid (ConcurrentTx is computed, not stored).</param>
/// <param name="ExpiryDate">When its authorization ends (answered to the charge point for its cache); <see langword="null"/> for none.</param>
/// <param name="ParentIdTag">Its group: tags with the same parent may stop each other's transactions; a Blocked or Expired parent blocks the whole group.</param>
/// <param name="AllowConcurrentTransactions">Whether it may be in several transactions at once (else ConcurrentTx). Default <see langword="false"/>.</param>
public sealed record IdTagRecord(string IdTag, AuthorizationStatus Status, DateTimeOffset? ExpiryDate = null, string? ParentIdTag = null, bool AllowConcurrentTransactions = false);

/// <summary>Where idTags are kept (a building block: implement it over your database, or use <see cref="InMemoryIdTagStore"/>).</summary>
public interface IIdTagStore
{
    /// <summary>Finds an idTag.</summary>
    /// <param name="idTag">The idTag as the charge point sent it.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The record, or <see langword="null"/> when unknown (answered Invalid).</returns>
    ValueTask<IdTagRecord?> FindAsync(string idTag, CancellationToken cancellationToken);

    /// <summary>How many transactions the idTag is in now (for ConcurrentTx).</summary>
    /// <param name="idTag">The idTag.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The number of running transactions started with it.</returns>
    ValueTask<int> CountActiveTransactionsAsync(string idTag, CancellationToken cancellationToken);
}

/// <summary>What an idTag is being evaluated for.</summary>
public enum IdTagUse
{
    /// <summary>Authorize.req (OCPP 1.6 §4.1).</summary>
    Authorize,

    /// <summary>StartTransaction.req (§4.8): the transaction being started is not counted for ConcurrentTx.</summary>
    StartTransaction,

    /// <summary>StopTransaction.req (§4.10): never ConcurrentTx.</summary>
    StopTransaction,
}

/// <summary>Decides the IdTagInfo answered to Authorize, StartTransaction and StopTransaction (a building block; <see cref="IdTagEvaluator"/> is the default).</summary>
public interface IIdTagEvaluator
{
    /// <summary>Evaluates an idTag.</summary>
    /// <param name="idTag">The idTag as the charge point sent it.</param>
    /// <param name="use">What it is evaluated for.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The IdTagInfo to answer.</returns>
    ValueTask<IdTagInfo> EvaluateAsync(string idTag, IdTagUse use, CancellationToken cancellationToken);
}

/// <summary>
/// The default <see cref="IIdTagEvaluator"/> over an <see cref="IIdTagStore"/>: unknown → Invalid; a stored Blocked,
/// Expired or Invalid status as stored; an <see cref="IdTagRecord.ExpiryDate"/> in the past → Expired; a parent that is
/// Blocked or Expired (or past its expiry) → that status for the child too; Accepted but already in a transaction without
/// <see cref="IdTagRecord.AllowConcurrentTransactions"/> → ConcurrentTx (Authorize and StartTransaction only). The answer
/// carries the record's expiry date and parentIdTag so the charge point can cache it (OCPP 1.6 §3.5.1).
/// </summary>
/// <param name="store">The idTags.</param>
/// <param name="timeProvider">The clock for expiry; <see langword="null"/> for the system clock.</param>
public sealed class IdTagEvaluator(IIdTagStore store, TimeProvider? timeProvider = null) : IIdTagEvaluator
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public async ValueTask<IdTagInfo> EvaluateAsync(string idTag, IdTagUse use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idTag);
        var record = await store.FindAsync(idTag, cancellationToken).ConfigureAwait(false);
        var parent = record?.ParentIdTag is { } parentTag && !string.Equals(parentTag, idTag, StringComparison.Ordinal)
            ? await store.FindAsync(parentTag, cancellationToken).ConfigureAwait(false)
            : null;
        var active = record is { Status: AuthorizationStatus.Accepted, AllowConcurrentTransactions: false } && use != IdTagUse.StopTransaction
            ? await store.CountActiveTransactionsAsync(idTag, cancellationToken).ConfigureAwait(false)
            : 0;
        return Evaluate(record, parent, use, active, _time.GetUtcNow());
    }

    /// <summary>The evaluation rules, as a pure function (see the class summary).</summary>
    /// <param name="record">The idTag's record, or <see langword="null"/> when unknown.</param>
    /// <param name="parent">Its parent's record, when it has a known parent.</param>
    /// <param name="use">What it is evaluated for.</param>
    /// <param name="activeTransactions">How many transactions it is in now (not counting one being started).</param>
    /// <param name="now">The current time.</param>
    /// <returns>The IdTagInfo to answer.</returns>
    public static IdTagInfo Evaluate(IdTagRecord? record, IdTagRecord? parent, IdTagUse use, int activeTransactions, DateTimeOffset now)
    {
        if (record is null)
        {
            return new IdTagInfo { Status = AuthorizationStatus.Invalid };
        }

        var status = StatusAt(record, now);
        if (status == AuthorizationStatus.Accepted && parent is not null && StatusAt(parent, now) is AuthorizationStatus.Blocked or AuthorizationStatus.Expired)
        {
            status = StatusAt(parent, now);
        }

        if (status == AuthorizationStatus.Accepted && use != IdTagUse.StopTransaction && !record.AllowConcurrentTransactions && activeTransactions > 0)
        {
            status = AuthorizationStatus.ConcurrentTx;
        }

        return new IdTagInfo { Status = status, ExpiryDate = record.ExpiryDate, ParentIdTag = record.ParentIdTag };
    }

    private static AuthorizationStatus StatusAt(IdTagRecord record, DateTimeOffset now)
        => record.Status == AuthorizationStatus.Accepted && record.ExpiryDate is { } expiry && expiry <= now ? AuthorizationStatus.Expired : record.Status;
}

/// <summary>An <see cref="IIdTagStore"/> in memory, with the running transactions counted by <see cref="TransactionStarted"/> and <see cref="TransactionStopped"/>. Thread-safe.</summary>
public sealed class InMemoryIdTagStore : IIdTagStore
{
    private readonly ConcurrentDictionary<string, IdTagRecord> _tags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _active = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces an idTag.</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is <see langword="null"/>.</exception>
    public void Set(IdTagRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _tags[record.IdTag] = record;
    }

    /// <summary>Forgets an idTag (it is then Invalid).</summary>
    /// <param name="idTag">The idTag.</param>
    /// <returns><see langword="true"/> when it was known.</returns>
    public bool Remove(string idTag) => _tags.TryRemove(idTag, out _);

    /// <summary>Counts a transaction started with <paramref name="idTag"/>.</summary>
    /// <param name="idTag">The idTag.</param>
    public void TransactionStarted(string idTag) => _active.AddOrUpdate(idTag, 1, static (_, n) => n + 1);

    /// <summary>Counts a transaction of <paramref name="idTag"/> as stopped.</summary>
    /// <param name="idTag">The idTag.</param>
    public void TransactionStopped(string idTag) => _active.AddOrUpdate(idTag, 0, static (_, n) => Math.Max(0, n - 1));

    /// <inheritdoc />
    public ValueTask<IdTagRecord?> FindAsync(string idTag, CancellationToken cancellationToken) => ValueTask.FromResult(_tags.GetValueOrDefault(idTag));

    /// <inheritdoc />
    public ValueTask<int> CountActiveTransactionsAsync(string idTag, CancellationToken cancellationToken) => ValueTask.FromResult(_active.GetValueOrDefault(idTag));
}
