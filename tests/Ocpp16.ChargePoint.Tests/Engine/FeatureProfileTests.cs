using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Engine;

/// <summary>The modules and the action catalog: every CS→CP action of a registered profile has a handler, the rest answer NotSupported.</summary>
public sealed class FeatureProfileTests
{
    /// <summary>Every profile this version implements, in the order of SupportedFeatureProfiles (the Security extension last).</summary>
    private static readonly OcppFeatureProfile[] Registered =
    [
        OcppFeatureProfile.Core,
        OcppFeatureProfile.FirmwareManagement,
        OcppFeatureProfile.LocalAuthListManagement,
        OcppFeatureProfile.Reservation,
        OcppFeatureProfile.RemoteTrigger,
        OcppFeatureProfile.SmartCharging,
        OcppFeatureProfile.Security,
    ];

    /// <summary>The default: every OCPP 1.6 feature profile; the Security extension is opt-in.</summary>
    private static readonly OcppFeatureProfile[] Default = [.. Registered.Where(p => p != OcppFeatureProfile.Security)];

    private static void All(ChargePointOptions options) => options.FeatureProfiles.Add(OcppFeatureProfile.Security);

    [Fact]
    public async Task EveryCentralSystemToChargePointActionOfARegisteredProfile_HasAHandler_AndNoOtherActionHasOne()
    {
        await using var rig = await Rig.StartAsync(All, start: false);
        var routed = rig.ChargePoint.Engine.Router.Actions.ToHashSet(StringComparer.Ordinal);
        var expected = OcppActions.All
            .Where(a => a.Direction is OcppMessageDirection.CentralSystemToChargePoint or OcppMessageDirection.Both && Registered.Contains(a.Profile))
            .Select(a => a.Name)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(), routed.Order());
        Assert.Equal(26, expected.Count); // Core 9, Firmware Management 2, Local Auth List 2, Reservation 2, Remote Trigger 1, Smart Charging 3, Security 7
    }

    public static TheoryData<OcppFeatureProfile> OptionalProfiles => new()
    {
        OcppFeatureProfile.FirmwareManagement,
        OcppFeatureProfile.LocalAuthListManagement,
        OcppFeatureProfile.Reservation,
        OcppFeatureProfile.RemoteTrigger,
        OcppFeatureProfile.SmartCharging,
        OcppFeatureProfile.Security,
    };

    [Theory]
    [MemberData(nameof(OptionalProfiles))]
    public async Task AProfileLeftOut_AnswersItsActionsNotSupported_HasNoKeys_AndIsNotInSupportedFeatureProfiles(OcppFeatureProfile left)
    {
        await using var rig = await Rig.StartAsync(o =>
        {
            All(o);
            o.FeatureProfiles.Remove(left);
        });
        foreach (var action in OcppActions.All.Where(a => a.Direction == OcppMessageDirection.CentralSystemToChargePoint && a.Profile == left))
        {
            var result = await rig.Cs.CallRawAsync(action.Name, new RawJson("{}"));
            Assert.Equal(OcppErrorCode.NotSupported, result.ErrorCode);
        }

        Assert.DoesNotContain(rig.ChargePoint.Configuration.Definitions, d => d.Profile == left);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("SupportedFeatureProfiles", out var value));
        Assert.Equal(string.Join(',', Default.Where(p => p != left)), value);

        // The others still answer.
        var other = OcppActions.All.First(a => a.Direction == OcppMessageDirection.CentralSystemToChargePoint && a.Profile != left && a.Profile != OcppFeatureProfile.Core && Registered.Contains(a.Profile));
        Assert.NotEqual(OcppErrorCode.NotSupported, (await rig.Cs.CallRawAsync(other.Name, new RawJson("{}"))).ErrorCode);
    }

    [Fact]
    public async Task ActionsOfProfilesNotRegistered_AreAnsweredNotSupported_AndUnknownActionsNotImplemented()
    {
        await using var rig = await Rig.StartAsync(); // the default leaves the Security extension out
        var notRegistered = OcppActions.All.Where(a => a.Direction == OcppMessageDirection.CentralSystemToChargePoint && !Default.Contains(a.Profile)).ToList();
        Assert.Equal(7, notRegistered.Count);
        Assert.NotEmpty(notRegistered);
        foreach (var action in notRegistered)
        {
            var result = await rig.Cs.CallRawAsync(action.Name, new RawJson("{}"));
            Assert.Equal(OcppCallStatus.Error, result.Status);
            Assert.Equal(OcppErrorCode.NotSupported, result.ErrorCode);
        }

        var unknown = await rig.Cs.CallRawAsync("MakeCoffee", new RawJson("{}"));
        Assert.Equal(OcppErrorCode.NotImplemented, unknown.ErrorCode);
    }

    [Fact]
    public async Task SupportedFeatureProfiles_NamesTheRegisteredProfiles()
    {
        await using var rig = await Rig.StartAsync(All, start: false);
        Assert.True(rig.ChargePoint.Configuration.TryGetValue("SupportedFeatureProfiles", out var value));

        // The Security extension is not a feature profile of OCPP 1.6: it has no name in SupportedFeatureProfiles.
        Assert.Equal(string.Join(',', Default.Select(p => p.ToString())), value);
    }

    [Fact]
    public async Task EveryKeyOfARegisteredProfile_IsDeclaredOnce_WithAValidDefault()
    {
        await using var rig = await Rig.StartAsync(All, start: false);
        var definitions = rig.ChargePoint.Configuration.Definitions;
        Assert.Equal(definitions.Count, definitions.Select(d => d.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var definition in definitions)
        {
            Assert.True(definition.Profile is null || Registered.Contains(definition.Profile.Value), definition.Name);
            Assert.True(definition.IsValid(definition.DefaultValue, null), $"{definition.Name} default '{definition.DefaultValue}'");
        }
    }

    [Fact]
    public async Task ACallWithAnInvalidPayload_GetsTheMappedCallError_AndTheConnectionLivesOn()
    {
        await using var rig = await Rig.StartAsync();
        var result = await rig.Cs.CallRawAsync("ChangeAvailability", new RawJson("{\"connectorId\":1}"));
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, result.ErrorCode);
        result = await rig.Cs.CallRawAsync("ChangeAvailability", new RawJson("{\"connectorId\":\"one\",\"type\":\"Operative\"}"));
        Assert.Equal(OcppErrorCode.TypeConstraintViolation, result.ErrorCode);
        result = await rig.Cs.CallRawAsync("ChangeAvailability", new RawJson("{\"connectorId\":1,\"type\":\"Sometimes\"}"));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, result.ErrorCode);
        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Operative })).Status);
        Assert.Equal(1, rig.Cs.ConnectionCount);
    }
}
