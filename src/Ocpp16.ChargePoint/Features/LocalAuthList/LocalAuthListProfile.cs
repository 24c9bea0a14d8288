using System.Globalization;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Features.Core;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.LocalAuthList;

/// <summary>The names and declarations of the Local Auth List Management keys (OCPP 1.6 §9.2).</summary>
internal static class LocalAuthListKeys
{
    public const string LocalAuthListEnabled = nameof(LocalAuthListEnabled);
    public const string LocalAuthListMaxLength = nameof(LocalAuthListMaxLength);
    public const string SendLocalListMaxLength = nameof(SendLocalListMaxLength);

    /// <summary>The keys, with the reference DC station's values as defaults.</summary>
    public static IEnumerable<ConfigurationKeyDefinition> Declare()
    {
        const OcppFeatureProfile profile = OcppFeatureProfile.LocalAuthListManagement;
        yield return new ConfigurationKeyDefinition
        {
            Name = LocalAuthListEnabled, Type = ConfigurationKeyType.Boolean, DefaultValue = "true", Profile = profile,
            Description = "The Local Authorization List is used; when false, GetLocalListVersion answers -1 and SendLocalList NotSupported.",
        };
        yield return new ConfigurationKeyDefinition
        {
            Name = LocalAuthListMaxLength, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "100000", Profile = profile,
            Minimum = 0, Description = "Most IdTags the Local Authorization List holds.",
        };
        yield return new ConfigurationKeyDefinition
        {
            Name = SendLocalListMaxLength, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "100", Profile = profile,
            Minimum = 0, Description = "Most IdTags one SendLocalList may carry.",
        };
    }
}

/// <summary>
/// The Local Auth List Management profile (OCPP 1.6 §3.5, §5.10, §5.15): the Local Authorization List as an
/// authorization source consulted before the cache (its entries take precedence, and the IdTags it holds are not
/// cached), GetLocalListVersion and SendLocalList. The list and its version persist (collections <c>locallist</c> and
/// <c>locallist.version</c>); each SendLocalList is one atomic write.
/// </summary>
internal sealed class LocalAuthListProfile : FeatureModule, IAuthorizationSource
{
    public LocalAuthListProfile(ChargePointEngine engine)
        : base(engine)
        => engine.Authorizer.AddSource(this);

    public override OcppFeatureProfile Profile => OcppFeatureProfile.LocalAuthListManagement;

    public override IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys => LocalAuthListKeys.Declare();

    /// <summary>The list.</summary>
    public LocalAuthorizationList List { get; } = new();

    /// <summary>Before the authorization cache (priority 200).</summary>
    public int Priority => 100;

    /// <summary>LocalAuthListEnabled.</summary>
    public bool IsEnabled => Engine.Configuration.GetBoolean(LocalAuthListKeys.LocalAuthListEnabled);

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<GetLocalListVersionRequest, GetLocalListVersionResponse>(OnGetLocalListVersionAsync);
        router.Register<SendLocalListRequest, SendLocalListResponse>(OnSendLocalListAsync);
    }

    public override ValueTask StartAsync()
    {
        List.Load(Engine.Storage);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public IdTagInfo? Find(string idTag) => List.Find(idTag);

    /// <summary>The list changes only through SendLocalList (§3.5.1): answers of the Central System are not kept here.</summary>
    public void OnIdTagInfo(string idTag, IdTagInfo info)
    {
    }

    /// <summary>IdTags in the list are not added to the authorization cache (§3.5.3).</summary>
    public bool Excludes(string idTag) => List.Contains(idTag);

    /// <summary>GetLocalListVersion (§5.10): the version, 0 for an empty list, -1 when LocalAuthListEnabled is false.</summary>
    private ValueTask<GetLocalListVersionResponse> OnGetLocalListVersionAsync(GetLocalListVersionRequest request, IncomingCall call)
        => ValueTask.FromResult(new GetLocalListVersionResponse { ListVersion = IsEnabled ? List.Version : -1 });

    /// <summary>
    /// SendLocalList (§5.15): NotSupported when LocalAuthListEnabled is false; Failed or VersionMismatch as
    /// <see cref="LocalAuthorizationList.Check"/> says, or Failed when the storage refuses the write (nothing changes);
    /// else Accepted, written and applied before the answer.
    /// </summary>
    private ValueTask<SendLocalListResponse> OnSendLocalListAsync(SendLocalListRequest request, IncomingCall call)
    {
        if (!IsEnabled)
        {
            return Answer(UpdateStatus.NotSupported);
        }

        var configuration = Engine.Configuration;
        var status = List.Check(request, configuration.GetInt32(LocalAuthListKeys.LocalAuthListMaxLength), configuration.GetInt32(LocalAuthListKeys.SendLocalListMaxLength));
        if (status == UpdateStatus.Accepted)
        {
            if (!Engine.TryWrite(LocalAuthorizationList.ToBatch(request), "local authorization list"))
            {
                return Answer(UpdateStatus.Failed);
            }

            List.Apply(request);
        }

        ChargePointLog.LocalListUpdated(Engine.Logger, Engine.Identity, request.UpdateType, request.ListVersion, request.LocalAuthorizationList?.Count ?? 0, status, List.Version, List.Count);
        return Answer(status);
    }

    private static ValueTask<SendLocalListResponse> Answer(UpdateStatus status) => ValueTask.FromResult(new SendLocalListResponse { Status = status });

    /// <summary>For diagnostics.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LocalAuthorizationList {List}");
}
