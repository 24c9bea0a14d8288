using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// A local source of IdTagInfo consulted before (LocalPreAuthorize) or instead of (offline, LocalAuthorizeOffline)
/// Authorize.req: the Local Authorization List and the authorization cache (OCPP 1.6 §3.4), in <see cref="Priority"/>
/// order — the list first, so its entries take precedence over the cache.
/// </summary>
internal interface IAuthorizationSource
{
    /// <summary>Lower first.</summary>
    int Priority { get; }

    /// <summary>Whether the source is switched on (LocalAuthListEnabled, AuthorizationCacheEnabled).</summary>
    bool IsEnabled { get; }

    /// <summary>What the source knows of <paramref name="idTag"/> (compared case-insensitively), or <see langword="null"/>.</summary>
    IdTagInfo? Find(string idTag);

    /// <summary>An answer of the Central System about <paramref name="idTag"/> (Authorize, StartTransaction, StopTransaction .conf).</summary>
    void OnIdTagInfo(string idTag, IdTagInfo info);

    /// <summary>
    /// Whether the sources after this one must not learn <paramref name="idTag"/> (while this source is enabled): the
    /// Local Authorization List keeps its identifiers out of the authorization cache (OCPP 1.6 §3.5.3).
    /// </summary>
    bool Excludes(string idTag) => false;
}

/// <summary>How an IdTag was authorized.</summary>
internal enum AuthorizationOrigin
{
    CentralSystem,
    LocalSource,
    OfflineUnknown,
}

/// <summary>The outcome of an authorization.</summary>
internal sealed record AuthorizationResult(IdTagInfo Info, AuthorizationOrigin Origin)
{
    public bool IsAccepted => Info.Status == AuthorizationStatus.Accepted;
}

/// <summary>
/// Authorizes IdTags in the order of OCPP 1.6 §3.4 and §9.1: online, a local source's Accepted entry starts at once
/// when LocalPreAuthorize is true, otherwise Authorize.req decides (and updates the sources); offline, the local sources
/// decide when LocalAuthorizeOffline is true, and an unknown IdTag is accepted when AllowOfflineTxForUnknownId is true.
/// A local source's expired entry counts as Expired. IdTags compare case-insensitively (IdToken, §7.20).
/// </summary>
internal sealed class Authorizer
{
    private readonly ChargePointEngine _engine;
    private readonly List<IAuthorizationSource> _sources = [];

    public Authorizer(ChargePointEngine engine) => _engine = engine;

    public void AddSource(IAuthorizationSource source)
    {
        _sources.Add(source);
        _sources.Sort((a, b) => a.Priority.CompareTo(b.Priority));
    }

    /// <summary>What the enabled local sources know of <paramref name="idTag"/> (expiry applied), or <see langword="null"/>.</summary>
    public IdTagInfo? FindLocally(string idTag)
    {
        foreach (var source in _sources)
        {
            if (source.IsEnabled && source.Find(idTag) is { } info)
            {
                return info.ExpiryDate is { } expiry && expiry <= _engine.Now && info.Status == AuthorizationStatus.Accepted
                    ? new IdTagInfo { Status = AuthorizationStatus.Expired, ExpiryDate = expiry, ParentIdTag = info.ParentIdTag }
                    : info;
            }
        }

        return null;
    }

    /// <summary>Tells the sources what the Central System answered (none after a source that excludes the IdTag).</summary>
    public void Learn(string idTag, IdTagInfo info)
    {
        foreach (var source in _sources)
        {
            source.OnIdTagInfo(idTag, info);
            if (source.IsEnabled && source.Excludes(idTag))
            {
                return;
            }
        }
    }

    /// <summary>Authorizes <paramref name="idTag"/>; <paramref name="then"/> runs on the loop with the result.</summary>
    public void Authorize(string idTag, Action<AuthorizationResult> then)
    {
        var online = _engine.Outbox.IsConnected && _engine.Outbox.Gate == SendGate.Accepted;
        var local = FindLocally(idTag);
        if (online)
        {
            if (local is { Status: AuthorizationStatus.Accepted } && _engine.Configuration.GetBoolean(CoreKeys.LocalPreAuthorize))
            {
                then(new AuthorizationResult(local, AuthorizationOrigin.LocalSource));
                return;
            }

            var sent = _engine.Outbox.Enqueue(new OutboxCall<AuthorizeResponse>(
                new AuthorizeRequest { IdTag = idTag },
                response =>
                {
                    Learn(idTag, response.IdTagInfo);
                    then(new AuthorizationResult(response.IdTagInfo, AuthorizationOrigin.CentralSystem));
                },
                _ => then(Offline(idTag))));
            if (sent)
            {
                return;
            }
        }

        then(Offline(idTag));
    }

    private AuthorizationResult Offline(string idTag)
    {
        if (_engine.Configuration.GetBoolean(CoreKeys.LocalAuthorizeOffline) && FindLocally(idTag) is { } local)
        {
            return new AuthorizationResult(local, AuthorizationOrigin.LocalSource);
        }

        return new AuthorizationResult(
            new IdTagInfo { Status = _engine.Configuration.GetBoolean(CoreKeys.AllowOfflineTxForUnknownId) ? AuthorizationStatus.Accepted : AuthorizationStatus.Invalid },
            AuthorizationOrigin.OfflineUnknown);
    }
}

/// <summary>An entry of the authorization cache as stored (collection <c>authcache</c>, key = the IdTag upper-cased).</summary>
internal sealed record AuthorizationCacheRecord(string IdTag, AuthorizationStatus Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, DateTimeOffset LastUsed);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthorizationCacheRecord))]
[JsonSerializable(typeof(bool))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;

/// <summary>
/// The authorization cache (OCPP 1.6 §3.4.1): the latest IdTagInfo of every IdTag the Central System answered about,
/// persisted, with its expiry honoured, bounded to <see cref="ChargePointOptions.AuthorizationCacheCapacity"/> entries
/// (the least recently used goes first), switched by AuthorizationCacheEnabled and emptied by ClearCache.
/// </summary>
internal sealed class AuthorizationCache : IAuthorizationSource
{
    public const string Collection = "authcache";

    private readonly ChargePointEngine _engine;
    private readonly Dictionary<string, AuthorizationCacheRecord> _entries = new(StringComparer.OrdinalIgnoreCase);

    public AuthorizationCache(ChargePointEngine engine) => _engine = engine;

    public int Priority => 200;

    public bool IsEnabled => _engine.Configuration.GetBoolean(CoreKeys.AuthorizationCacheEnabled);

    public int Count => _entries.Count;

    public void Load()
    {
        foreach (var (_, value) in _engine.Storage.Load(Collection))
        {
            var record = JsonSerializer.Deserialize(value, CoreJsonContext.Default.AuthorizationCacheRecord)!;
            _entries[record.IdTag] = record;
        }
    }

    public IdTagInfo? Find(string idTag)
    {
        if (!_entries.TryGetValue(idTag, out var record))
        {
            return null;
        }

        return new IdTagInfo { Status = record.Status, ExpiryDate = record.ExpiryDate, ParentIdTag = record.ParentIdTag };
    }

    public void OnIdTagInfo(string idTag, IdTagInfo info)
    {
        if (!IsEnabled)
        {
            return;
        }

        var record = new AuthorizationCacheRecord(idTag, info.Status, info.ExpiryDate, info.ParentIdTag, _engine.Now);
        var batch = new ChargePointStorageBatch().Put(Collection, Key(idTag), JsonSerializer.SerializeToUtf8Bytes(record, CoreJsonContext.Default.AuthorizationCacheRecord));
        AuthorizationCacheRecord? evicted = null;
        if (!_entries.ContainsKey(idTag) && _entries.Count >= _engine.Options.AuthorizationCacheCapacity)
        {
            evicted = _entries.Values.MinBy(e => e.LastUsed);
            if (evicted is not null)
            {
                batch.Delete(Collection, Key(evicted.IdTag));
            }
        }

        _engine.TryWrite(batch, "authorization cache");

        if (evicted is not null)
        {
            _entries.Remove(evicted.IdTag);
        }

        _entries[idTag] = record;
    }

    /// <summary>ClearCache (OCPP 1.6 §5.4).</summary>
    public ClearCacheStatus Clear()
    {
        if (!_engine.TryWrite(new ChargePointStorageBatch().Clear(Collection), "authorization cache"))
        {
            return ClearCacheStatus.Rejected;
        }

        _entries.Clear();
        return ClearCacheStatus.Accepted;
    }

    private static string Key(string idTag) => idTag.ToUpperInvariant();
}
