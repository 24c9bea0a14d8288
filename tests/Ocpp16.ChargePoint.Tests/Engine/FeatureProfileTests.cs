using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Engine;

/// <summary>The modules and the action catalog: every CS→CP action of a registered profile has a handler, the rest answer NotSupported.</summary>
public sealed class FeatureProfileTests
{
    private static readonly OcppFeatureProfile[] Registered = [OcppFeatureProfile.Core, OcppFeatureProfile.FirmwareManagement, OcppFeatureProfile.Security];

    private static void All(ChargePointOptions options)
    {
        foreach (var profile in Registered)
        {
            options.FeatureProfiles.Add(profile);
        }
    }

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
        Assert.Equal(9 + 2 + 7, expected.Count);
    }

    [Fact]
    public async Task ActionsOfProfilesNotRegistered_AreAnsweredNotSupported_AndUnknownActionsNotImplemented()
    {
        await using var rig = await Rig.StartAsync(All);
        var notRegistered = OcppActions.All.Where(a => a.Direction == OcppMessageDirection.CentralSystemToChargePoint && !Registered.Contains(a.Profile)).ToList();
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
        Assert.Equal(string.Join(',', Registered.Where(p => p != OcppFeatureProfile.Security).Select(p => p.ToString())), value);
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
