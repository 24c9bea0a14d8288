using Ocpp16.ChargePoint.Features.LocalAuthList;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// Local Auth List Management (OCPP 1.6 §3.5, §5.10, §5.15) after the OCA test tool's charge point cases TC_042 and
/// TC_043, and the authorization rules the list takes part in (TC_008, LocalAuthorizeOffline, precedence over the cache,
/// parentIdTag, StopTransactionOnInvalidId), on virtual time.
/// </summary>
public sealed class LocalAuthListScenarioTests
{
    internal static AuthorizationData Entry(string idTag, AuthorizationStatus status = AuthorizationStatus.Accepted, string? parentIdTag = null, DateTimeOffset? expiryDate = null)
        => new() { IdTag = idTag, IdTagInfo = new IdTagInfo { Status = status, ParentIdTag = parentIdTag, ExpiryDate = expiryDate } };

    internal static AuthorizationData Removal(string idTag) => new() { IdTag = idTag };

    internal static SendLocalListRequest Full(int version, params AuthorizationData[] entries)
        => new() { ListVersion = version, UpdateType = UpdateType.Full, LocalAuthorizationList = entries.Length == 0 ? null : entries };

    internal static SendLocalListRequest Differential(int version, params AuthorizationData[] entries)
        => new() { ListVersion = version, UpdateType = UpdateType.Differential, LocalAuthorizationList = entries.Length == 0 ? null : entries };

    private static async Task<UpdateStatus> SendAsync(Rig rig, SendLocalListRequest request) => (await rig.Cs.CallAsync(request)).Status;

    private static async Task<int> VersionAsync(Rig rig) => (await rig.Cs.CallAsync(new GetLocalListVersionRequest())).ListVersion;

    private static LocalAuthorizationList List(Rig rig) => rig.ChargePoint.Engine.Modules.OfType<LocalAuthListProfile>().Single().List;

    private static async Task GoOfflineAsync(Rig rig)
    {
        rig.Cs.Unreachable = true;
        await rig.Cs.DropAsync();
        await rig.SettleAsync();
    }

    [Fact]
    public async Task TC_042_1_CS_GetLocalListVersion_IsMinusOne_And_TC_043_1_CS_SendLocalList_IsNotSupported_WhenLocalAuthListEnabledIsFalse()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["LocalAuthListEnabled"] = "false");
        Assert.Equal(-1, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.NotSupported, await SendAsync(rig, Full(3, Entry("LIST-1"))));
        Assert.Equal(0, List(rig).Count);

        // Switched on by ChangeConfiguration, the list works from then on.
        Assert.Equal(ConfigurationStatus.Accepted, (await rig.Cs.CallAsync(new ChangeConfigurationRequest { Key = "LocalAuthListEnabled", Value = "true" })).Status);
        Assert.Equal(0, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(3, Entry("LIST-1"))));
        Assert.Equal(3, await VersionAsync(rig));
    }

    [Fact]
    public async Task TC_042_2_CS_GetLocalListVersion_OfAnEmptyList_IsZero_AlsoAfterAFullUpdateWithoutEntries()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(0, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(1)));
        Assert.Equal(0, await VersionAsync(rig));

        // A Differential update that empties the list: version 0 again.
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(4, Entry("A"))));
        Assert.Equal(4, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Differential(5, Removal("A"))));
        Assert.Equal(0, await VersionAsync(rig));
    }

    [Fact]
    public async Task TC_043_4_CS_Full_And_TC_043_5_CS_Differential_AreAccepted_TheVersionFollows_AndEntriesAreAddedUpdatedAndRemoved()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(2, Entry("A"), Entry("B", AuthorizationStatus.Blocked), Entry("C"))));
        Assert.Equal(2, await VersionAsync(rig));
        Assert.Equal(3, List(rig).Count);

        // Differential: add D, update B, remove C (no idTagInfo); tags compare case-insensitively.
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Differential(3, Entry("D"), Entry("b", AuthorizationStatus.Accepted, "P"), Removal("c"))));
        Assert.Equal(3, await VersionAsync(rig));
        var list = List(rig);
        Assert.Equal(["A", "b", "D"], list.Entries.Select(e => e.Key).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal("P", list.Find("B")!.ParentIdTag);
        Assert.Null(list.Find("C"));

        // A Differential update without entries changes nothing but the version; a Full one replaces everything.
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Differential(4)));
        Assert.Equal(4, await VersionAsync(rig));
        Assert.Equal(3, list.Count);
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(9, Entry("Z"))));
        Assert.Equal(["Z"], list.Entries.Select(e => e.Key));
    }

    [Fact]
    public async Task TC_043_2_CS_VersionMismatch_ADifferentialUpdateThatDoesNotRaiseTheVersion_ChangesNothing()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(2, Entry("A"))));
        Assert.Equal(2, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Differential(5, Entry("B"))));
        Assert.Equal(5, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.VersionMismatch, await SendAsync(rig, Differential(4, Entry("C"))));
        Assert.Equal(UpdateStatus.VersionMismatch, await SendAsync(rig, Differential(5, Removal("A"))));
        Assert.Equal(5, await VersionAsync(rig));
        Assert.Equal(["A", "B"], List(rig).Entries.Select(e => e.Key).Order());

        // A Full update may set any version, lower ones too.
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(1, Entry("A"))));
        Assert.Equal(1, await VersionAsync(rig));
    }

    [Fact]
    public async Task TC_043_3_CS_Failed_TooManyEntries_Duplicates_FullWithoutIdTagInfo_NoVersion_BeyondTheMaximum_OrAStorageFailure_ChangesNothing()
    {
        var storage = new FaultyStorage(new InMemoryChargePointStorage());
        await using var rig = await Rig.StartAsync(
            o =>
            {
                o.Configuration["SendLocalListMaxLength"] = "3";
                o.Configuration["LocalAuthListMaxLength"] = "4";
            },
            storage: storage);
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(2, Entry("A"), Entry("B"))));

        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Full(3, Entry("C"), Entry("D"), Entry("E"), Entry("F")))); // > SendLocalListMaxLength
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Differential(3, Entry("C"), Entry("c")))); // the same IdTag twice
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Full(3, Entry("C"), Removal("D")))); // Full entries need idTagInfo
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Full(0, Entry("C")))); // 0 and -1 mean "empty" and "not supported"
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Full(-1, Entry("C"))));
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Differential(3, Entry("C"), Entry("D"), Entry("E")))); // 5 > LocalAuthListMaxLength
        storage.FailWrites = true;
        Assert.Equal(UpdateStatus.Failed, await SendAsync(rig, Differential(3, Entry("C"))));
        storage.FailWrites = false;

        Assert.Equal(2, await VersionAsync(rig));
        Assert.Equal(["A", "B"], List(rig).Entries.Select(e => e.Key).Order());

        // Replacing entries and removing ones stays within the maximum.
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Differential(3, Entry("C"), Entry("D"), Removal("A"))));
        Assert.Equal(3, List(rig).Count);
    }

    [Fact]
    public async Task TC_008_CS_IdInLocalAuthorizationList_WithLocalPreAuthorize_StartsWithoutAuthorize()
    {
        await using var rig = await Rig.StartAsync(o =>
        {
            o.Configuration["LocalPreAuthorize"] = "true";
            o.Configuration["AuthorizationCacheEnabled"] = "false";
        });
        Assert.Equal(0, await VersionAsync(rig));
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(1, Entry("LIST-TAG"))));
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("list-tag");
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Preparing", "StatusNotification:2:Preparing"], rig.Trace(from));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Equal(["StartTransaction", "StatusNotification:1:Charging", "StatusNotification:2:Available"], rig.Trace(from + 2));
        Assert.Empty(rig.Cs.CallsOf("Authorize"));

        // A tag the list does not accept is asked for (online, the Central System decides).
        rig.Hardware.Connector(2).Plug();
        await rig.Cs.CallAsync(Differential(2, Entry("BLOCKED-IN-LIST", AuthorizationStatus.Blocked)));
        rig.Hardware.RfidReader.Present("BLOCKED-IN-LIST");
        await rig.SettleAsync();
        Assert.Single(rig.Cs.CallsOf("Authorize"));
    }

    [Fact]
    public async Task LocalAuthorizeOffline_ListEntriesDecideOffline_ABlockedOrExpiredEntryIsNotTreatedAsUnknown()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["AllowOfflineTxForUnknownId"] = "true");
        Assert.Equal(UpdateStatus.Accepted, await SendAsync(rig, Full(1,
            Entry("OK"),
            Entry("BLOCKED", AuthorizationStatus.Blocked),
            Entry("EXPIRED", AuthorizationStatus.Accepted, expiryDate: rig.Time.GetUtcNow().AddMinutes(1)))));
        await rig.AdvanceAsync(61);
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("BLOCKED");
        rig.Hardware.RfidReader.Present("EXPIRED");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.RfidReader.Present("OK");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));

        // With LocalAuthorizeOffline false the list is not consulted offline: an unknown-for-offline rule applies.
        await using var strict = await Rig.StartAsync(o =>
        {
            o.Configuration["LocalAuthorizeOffline"] = "false";
            o.Configuration["AllowOfflineTxForUnknownId"] = "false";
        });
        await strict.Cs.CallAsync(Full(1, Entry("OK")));
        await GoOfflineAsync(strict);
        strict.Hardware.Connector(1).Plug();
        strict.Hardware.RfidReader.Present("OK");
        await strict.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, strict.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task ListEntries_TakePrecedenceOverTheCache_AndTheCentralSystemsAnswersAboutThemAreNotCached()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["AllowOfflineTxForUnknownId"] = "false");

        // The cache learns TAG as Accepted (Authorize), then the list says Blocked.
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG");
        await rig.SettleAsync();
        rig.Hardware.RfidReader.Present("TAG");
        rig.Hardware.Connector(1).Unplug();
        await rig.SettleAsync();
        Assert.Equal(AuthorizationStatus.Accepted, rig.ChargePoint.Engine.Core.Cache.Find("TAG")!.Status);
        await rig.Cs.CallAsync(Full(1, Entry("TAG", AuthorizationStatus.Blocked), Entry("LISTED")));

        // Online, an Authorize.conf about a listed tag does not reach the cache.
        var cached = rig.ChargePoint.Engine.Core.Cache.Count;
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("LISTED");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Null(rig.ChargePoint.Engine.Core.Cache.Find("LISTED"));
        Assert.Equal(cached, rig.ChargePoint.Engine.Core.Cache.Count);

        // Offline, the list's Blocked wins over the cache's Accepted.
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("TAG");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task ParentIdTag_ATagOfTheSameGroupInTheList_StopsTheTransaction_WithoutAuthorize()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["LocalPreAuthorize"] = "true");
        await rig.Cs.CallAsync(Full(1, Entry("CARD-A", parentIdTag: "FLEET"), Entry("CARD-B", parentIdTag: "FLEET"), Entry("CARD-C", parentIdTag: "OTHER")));
        await rig.StartTransactionAsync("CARD-A");

        // A tag of another group does not stop it (connector 2 gets Preparing for it instead).
        rig.Hardware.RfidReader.Present("CARD-C");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.RfidReader.Present("CARD-C");
        await rig.SettleAsync();

        rig.Hardware.RfidReader.Present("CARD-B");
        await rig.SettleAsync();
        var stop = Assert.Single(rig.Cs.CallsOf("StopTransaction"));
        Assert.Equal("Local", stop.Str("reason"));
        Assert.Equal("CARD-B", stop.Str("idTag"));
        Assert.Empty(rig.Cs.CallsOf("Authorize"));
    }

    [Fact]
    public async Task StopTransactionOnInvalidId_AnOfflineStartByTheList_StoppedWhenTheCentralSystemSaysInvalid()
    {
        await using var rig = await Rig.StartAsync(
            o => o.Configuration["AllowOfflineTxForUnknownId"] = "false",
            cs => cs.Answers["StartTransaction"] = call => FakeCentralSystem.Result($"{{\"transactionId\":{cs.TransactionIdFor(call)},\"idTagInfo\":{{\"status\":\"Invalid\"}}}}"));
        await rig.Cs.CallAsync(Full(1, Entry("REVOKED")));
        await GoOfflineAsync(rig);
        rig.Hardware.Connector(1).Plug();
        rig.Hardware.RfidReader.Present("REVOKED");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
        rig.Cs.Unreachable = false;
        await rig.AdvanceAsync(5);
        Assert.Equal("DeAuthorized", Assert.Single(rig.Cs.CallsOf("StopTransaction")).Str("reason"));

        // The answer did not change the list (only SendLocalList does).
        Assert.Equal(AuthorizationStatus.Accepted, List(rig).Find("REVOKED")!.Status);
    }

    [Fact]
    public async Task TheListAndItsVersion_SurviveARestart()
    {
        await using var rig = await Rig.StartAsync();
        await rig.Cs.CallAsync(Full(7, Entry("A", parentIdTag: "P", expiryDate: new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)), Entry("B", AuthorizationStatus.Blocked)));
        await rig.Cs.CallAsync(Differential(8, Removal("B"), Entry("C", AuthorizationStatus.ConcurrentTx)));
        await rig.RestartAsync();
        Assert.Equal(8, await VersionAsync(rig));
        var list = List(rig);
        Assert.Equal(["A", "C"], list.Entries.Select(e => e.Key).Order());
        Assert.Equal(new IdTagInfo { Status = AuthorizationStatus.Accepted, ParentIdTag = "P", ExpiryDate = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) }, list.Find("a"));
        Assert.Equal(AuthorizationStatus.ConcurrentTx, list.Find("C")!.Status);
    }
}
