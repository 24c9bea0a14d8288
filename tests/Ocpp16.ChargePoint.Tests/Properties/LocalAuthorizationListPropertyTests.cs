using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Ocpp16.ChargePoint.Features.LocalAuthList;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Xunit.Abstractions;

namespace Ocpp16.ChargePoint.Tests.Properties;

/// <summary>
/// Property test of the Local Authorization List (OCPP 1.6 §5.10, §5.15): any FsCheck-generated sequence of Full and
/// Differential SendLocalList updates (versions around the current one, IdTags from a small pool in varying case, some
/// without idTagInfo, some too long, some with a tag twice), sent to a charge point over the wire, is answered as a
/// simple model answers it, leaves the same entries and GetLocalListVersion as the model after every step, and the
/// same after a restart. Limits: SendLocalListMaxLength 4, LocalAuthListMaxLength 6.
/// </summary>
public sealed class LocalAuthorizationListPropertyTests(ITestOutputHelper output)
{
    private const int SendMax = 4;
    private const int ListMax = 6;

    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("OCPP16_PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 20261207;

    private static readonly string[] Pool = ["A", "b", "C", "dd", "E-1", "f2", "G", "h", "I9"];

    /// <summary>The model: a dictionary and a version, the rules of §5.10 and §5.15 as plainly as they can be written.</summary>
    private sealed class Model
    {
        public Dictionary<string, (string IdTag, IdTagInfo Info)> Entries { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

        private int _version;

        public int Version => Entries.Count == 0 ? 0 : _version;

        public UpdateStatus Apply(SendLocalListRequest request)
        {
            var list = request.LocalAuthorizationList ?? [];
            if (list.Count > SendMax || list.Select(e => e.IdTag.ToUpperInvariant()).Distinct().Count() != list.Count)
            {
                return UpdateStatus.Failed;
            }

            var next = request.UpdateType == UpdateType.Full
                ? new Dictionary<string, (string, IdTagInfo)>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, (string, IdTagInfo)>(Entries, StringComparer.OrdinalIgnoreCase);
            if (request.UpdateType == UpdateType.Full)
            {
                if (list.Any(e => e.IdTagInfo is null) || (list.Count > 0 && request.ListVersion < 1))
                {
                    return UpdateStatus.Failed;
                }
            }
            else if (request.ListVersion <= Version)
            {
                return UpdateStatus.VersionMismatch;
            }

            foreach (var entry in list)
            {
                next.Remove(entry.IdTag);
                if (entry.IdTagInfo is { } info)
                {
                    next[entry.IdTag] = (entry.IdTag, info);
                }
            }

            if (next.Count > ListMax)
            {
                return UpdateStatus.Failed;
            }

            Entries = next;
            _version = request.ListVersion;
            return UpdateStatus.Accepted;
        }
    }

    [Fact]
    public async Task AnySequenceOfFullAndDifferentialUpdates_EqualsTheModel_StepByStep_AndAfterARestart()
    {
        var sequences = Gen.Sample(Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(UpdateGen(), n)), 30, new Rnd(Seed), 10);
        var steps = 0;
        var statuses = new Dictionary<UpdateStatus, int>();
        foreach (var sequence in sequences)
        {
            await using var rig = await Rig.StartAsync(o =>
            {
                o.Configuration["SendLocalListMaxLength"] = SendMax.ToString(CultureInfo.InvariantCulture);
                o.Configuration["LocalAuthListMaxLength"] = ListMax.ToString(CultureInfo.InvariantCulture);
            });
            var model = new Model();
            var history = new List<string>();
            foreach (var request in sequence)
            {
                var expected = model.Apply(request);
                var actual = (await rig.Cs.CallAsync(request)).Status;
                history.Add($"{request.UpdateType} v{request.ListVersion} [{string.Join(", ", (request.LocalAuthorizationList ?? []).Select(e => e.IdTagInfo is null ? $"-{e.IdTag}" : $"{e.IdTag}:{e.IdTagInfo.Status}"))}] → {actual}");
                Assert.True(expected == actual, $"model {expected}, charge point {actual}:\n{string.Join("\n", history)}");
                await AssertSameAsync(rig, model, history);
                statuses[actual] = statuses.GetValueOrDefault(actual) + 1;
                steps++;
            }

            await rig.RestartAsync();
            await AssertSameAsync(rig, model, [.. history, "restart"]);
        }

        output.WriteLine($"{sequences.Length} sequences, {steps} updates: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        Assert.True(statuses.GetValueOrDefault(UpdateStatus.Accepted) > 0 && statuses.GetValueOrDefault(UpdateStatus.Failed) > 0 && statuses.GetValueOrDefault(UpdateStatus.VersionMismatch) > 0, "the generator must reach every status");
    }

    private static async Task AssertSameAsync(Rig rig, Model model, List<string> history)
    {
        var version = (await rig.Cs.CallAsync(new GetLocalListVersionRequest())).ListVersion;
        Assert.True(model.Version == version, $"GetLocalListVersion: model {model.Version}, charge point {version}:\n{string.Join("\n", history)}");
        var list = rig.ChargePoint.Engine.Modules.OfType<LocalAuthListProfile>().Single().List;
        var actual = list.Entries.Select(e => $"{e.Key}:{e.Value.Status}:{e.Value.ParentIdTag}:{e.Value.ExpiryDate:O}").Order(StringComparer.Ordinal).ToList();
        var expected = model.Entries.Values.Select(e => $"{e.IdTag}:{e.Info.Status}:{e.Info.ParentIdTag}:{e.Info.ExpiryDate:O}").Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual), $"entries: model [{string.Join(", ", expected)}], charge point [{string.Join(", ", actual)}]:\n{string.Join("\n", history)}");
        foreach (var (_, (idTag, info)) in model.Entries)
        {
            Assert.Equal(info, list.Find(idTag.ToLowerInvariant()));
        }
    }

    private static Gen<SendLocalListRequest> UpdateGen()
        =>
            from type in Gen.Elements(UpdateType.Full, UpdateType.Differential, UpdateType.Differential)
            from version in Gen.Frequency((1, Gen.Choose(-1, 1)), (4, Gen.Choose(2, 12)))
            from count in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 4)), (1, Gen.Constant(5)))
            from entries in Gen.ArrayOf(EntryGen(), count)
            select new SendLocalListRequest
            {
                UpdateType = type,
                ListVersion = version,
                LocalAuthorizationList = count == 0 ? null : entries,
            };

    private static Gen<AuthorizationData> EntryGen()
        =>
            from tag in Gen.Elements(Pool)
            from upper in Gen.Elements(false, false, true)
            from hasInfo in Gen.Frequency((1, Gen.Constant(false)), (5, Gen.Constant(true)))
            from status in Gen.Elements(AuthorizationStatus.Accepted, AuthorizationStatus.Accepted, AuthorizationStatus.Blocked, AuthorizationStatus.Expired, AuthorizationStatus.Invalid, AuthorizationStatus.ConcurrentTx)
            from parent in Gen.Elements<string?>(null, null, "FLEET", "HOME")
            from expiry in Gen.Elements<int?>(null, null, 3600, -3600)
            select new AuthorizationData
            {
                IdTag = upper ? tag.ToUpperInvariant() : tag,
                IdTagInfo = hasInfo
                    ? new IdTagInfo { Status = status, ParentIdTag = parent, ExpiryDate = expiry is { } e ? Rig.Epoch.AddSeconds(e) : null }
                    : null,
            };
}
