using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.LocalAuthList;

/// <summary>
/// An entry of the Local Authorization List as stored (collection <c>locallist</c>, key = the IdTag upper-cased). Settable
/// properties rather than a positional record: System.Text.Json reads objects it can construct without parameters
/// markedly faster, which counts when 100,000 entries load at start-up.
/// </summary>
internal sealed class LocalAuthorizationListRecord
{
    public required string IdTag { get; init; }

    public AuthorizationStatus Status { get; init; }

    public DateTimeOffset? ExpiryDate { get; init; }

    public string? ParentIdTag { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalAuthorizationListRecord))]
[JsonSerializable(typeof(int))]
internal sealed partial class LocalAuthListJsonContext : JsonSerializerContext;

/// <summary>
/// The Local Authorization List (OCPP 1.6 §3.5, §5.15): IdTags with their IdTagInfo, set only by SendLocalList, and its
/// version. Updates are checked in full before anything changes, written as one storage batch (a Full update clears and
/// rewrites the collection, a Differential one puts and deletes its entries, each with the new version), and applied in
/// memory only once written, so a crash or a failed write leaves the old list and version. Lookups are case-insensitive
/// (IdToken, §7.20) and allocate nothing. Owned by the loop.
/// </summary>
internal sealed class LocalAuthorizationList
{
    /// <summary>The collection of the entries.</summary>
    public const string Collection = "locallist";

    /// <summary>The collection of the version (one record, key <c>version</c>).</summary>
    public const string VersionCollection = "locallist.version";

    private const string VersionKey = "version";

    private readonly Dictionary<string, IdTagInfo> _entries = new(StringComparer.OrdinalIgnoreCase);
    private int _version;

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The version as GetLocalListVersion reports it: 0 while the list is empty (§5.10), else the last update's listVersion.</summary>
    public int Version => _entries.Count == 0 ? 0 : _version;

    /// <summary>The entries (the IdTag as last sent, and its IdTagInfo).</summary>
    public IEnumerable<KeyValuePair<string, IdTagInfo>> Entries => _entries;

    /// <summary>The IdTagInfo of <paramref name="idTag"/> (compared case-insensitively), or <see langword="null"/>; allocates nothing.</summary>
    public IdTagInfo? Find(string idTag) => _entries.GetValueOrDefault(idTag);

    /// <summary>Whether <paramref name="idTag"/> is in the list.</summary>
    public bool Contains(string idTag) => _entries.ContainsKey(idTag);

    /// <summary>Loads the list and its version from storage.</summary>
    public void Load(IChargePointStorage storage)
    {
        _entries.Clear();
        var records = storage.Load(Collection);
        _entries.EnsureCapacity(records.Count);
        foreach (var (_, value) in records)
        {
            var record = JsonSerializer.Deserialize(value, LocalAuthListJsonContext.Default.LocalAuthorizationListRecord)!;
            _entries[record.IdTag] = new IdTagInfo { Status = record.Status, ExpiryDate = record.ExpiryDate, ParentIdTag = record.ParentIdTag };
        }

        _version = 0;
        foreach (var (_, value) in storage.Load(VersionCollection))
        {
            _version = JsonSerializer.Deserialize(value, LocalAuthListJsonContext.Default.Int32);
        }
    }

    /// <summary>
    /// Checks an update (§5.15) without changing anything: Failed for more than <paramref name="sendLocalListMaxLength"/>
    /// entries, an IdTag given twice, a Full entry without idTagInfo, a non-empty Full list with a listVersion below 1
    /// (0 and -1 mean "empty" and "not supported" in GetLocalListVersion.conf), or a result of more than
    /// <paramref name="localAuthListMaxLength"/> entries; VersionMismatch for a Differential update whose listVersion is
    /// not above <see cref="Version"/>; else Accepted.
    /// </summary>
    public UpdateStatus Check(SendLocalListRequest request, int localAuthListMaxLength, int sendLocalListMaxLength)
    {
        var list = request.LocalAuthorizationList ?? [];
        if (list.Count > sendLocalListMaxLength)
        {
            return UpdateStatus.Failed;
        }

        var seen = new HashSet<string>(list.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in list)
        {
            if (!seen.Add(entry.IdTag) || (request.UpdateType == UpdateType.Full && entry.IdTagInfo is null))
            {
                return UpdateStatus.Failed;
            }
        }

        if (request.UpdateType == UpdateType.Full)
        {
            return (list.Count > 0 && request.ListVersion < 1) || list.Count > localAuthListMaxLength ? UpdateStatus.Failed : UpdateStatus.Accepted;
        }

        if (request.ListVersion <= Version)
        {
            return UpdateStatus.VersionMismatch;
        }

        var count = _entries.Count;
        foreach (var entry in list)
        {
            var present = _entries.ContainsKey(entry.IdTag);
            if (entry.IdTagInfo is null && present)
            {
                count--;
            }
            else if (entry.IdTagInfo is not null && !present)
            {
                count++;
            }
        }

        return count > localAuthListMaxLength ? UpdateStatus.Failed : UpdateStatus.Accepted;
    }

    /// <summary>The storage writes of an update that <see cref="Check"/> accepted (one batch: entries and version).</summary>
    public static ChargePointStorageBatch ToBatch(SendLocalListRequest request)
    {
        var batch = new ChargePointStorageBatch();
        if (request.UpdateType == UpdateType.Full)
        {
            batch.Clear(Collection);
        }

        foreach (var entry in request.LocalAuthorizationList ?? [])
        {
            if (entry.IdTagInfo is { } info)
            {
                var record = new LocalAuthorizationListRecord { IdTag = entry.IdTag, Status = info.Status, ExpiryDate = info.ExpiryDate, ParentIdTag = info.ParentIdTag };
                batch.Put(Collection, Key(entry.IdTag), JsonSerializer.SerializeToUtf8Bytes(record, LocalAuthListJsonContext.Default.LocalAuthorizationListRecord));
            }
            else
            {
                batch.Delete(Collection, Key(entry.IdTag));
            }
        }

        return batch.Put(VersionCollection, VersionKey, JsonSerializer.SerializeToUtf8Bytes(request.ListVersion, LocalAuthListJsonContext.Default.Int32));
    }

    /// <summary>Applies an update that <see cref="Check"/> accepted and that was written, in memory.</summary>
    public void Apply(SendLocalListRequest request)
    {
        if (request.UpdateType == UpdateType.Full)
        {
            _entries.Clear();
        }

        foreach (var entry in request.LocalAuthorizationList ?? [])
        {
            if (entry.IdTagInfo is { } info)
            {
                // Re-keyed with the IdTag as sent now (a change of case replaces the key's spelling).
                _entries.Remove(entry.IdTag);
                _entries[entry.IdTag] = new IdTagInfo { Status = info.Status, ExpiryDate = info.ExpiryDate, ParentIdTag = info.ParentIdTag };
            }
            else
            {
                _entries.Remove(entry.IdTag);
            }
        }

        _version = request.ListVersion;
    }

    /// <summary>The storage key of an IdTag (upper-cased: IdTags compare case-insensitively).</summary>
    public static string Key(string idTag) => idTag.ToUpperInvariant();

    /// <summary>For diagnostics: "version N, M entries".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"version {Version}, {Count} entries");
}
