using System.Reflection;

namespace Ocpp16.Messages.Tests;

/// <summary>The action catalog <see cref="OcppActions.All"/> against the table of /work/shared/ocpp16/README.md, encoded here independently.</summary>
public sealed class CatalogTests
{
    private const OcppMessageDirection Cp = OcppMessageDirection.ChargePointToCentralSystem;
    private const OcppMessageDirection Cs = OcppMessageDirection.CentralSystemToChargePoint;

    /// <summary>The README table: name, who sends the request, profile.</summary>
    public static TheoryData<string, OcppMessageDirection, OcppFeatureProfile> Table => new()
    {
        { "Authorize", Cp, OcppFeatureProfile.Core },
        { "BootNotification", Cp, OcppFeatureProfile.Core },
        { "DataTransfer", OcppMessageDirection.Both, OcppFeatureProfile.Core },
        { "Heartbeat", Cp, OcppFeatureProfile.Core },
        { "MeterValues", Cp, OcppFeatureProfile.Core },
        { "StartTransaction", Cp, OcppFeatureProfile.Core },
        { "StatusNotification", Cp, OcppFeatureProfile.Core },
        { "StopTransaction", Cp, OcppFeatureProfile.Core },
        { "ChangeAvailability", Cs, OcppFeatureProfile.Core },
        { "ChangeConfiguration", Cs, OcppFeatureProfile.Core },
        { "ClearCache", Cs, OcppFeatureProfile.Core },
        { "GetConfiguration", Cs, OcppFeatureProfile.Core },
        { "RemoteStartTransaction", Cs, OcppFeatureProfile.Core },
        { "RemoteStopTransaction", Cs, OcppFeatureProfile.Core },
        { "Reset", Cs, OcppFeatureProfile.Core },
        { "UnlockConnector", Cs, OcppFeatureProfile.Core },
        { "DiagnosticsStatusNotification", Cp, OcppFeatureProfile.FirmwareManagement },
        { "FirmwareStatusNotification", Cp, OcppFeatureProfile.FirmwareManagement },
        { "GetDiagnostics", Cs, OcppFeatureProfile.FirmwareManagement },
        { "UpdateFirmware", Cs, OcppFeatureProfile.FirmwareManagement },
        { "GetLocalListVersion", Cs, OcppFeatureProfile.LocalAuthListManagement },
        { "SendLocalList", Cs, OcppFeatureProfile.LocalAuthListManagement },
        { "CancelReservation", Cs, OcppFeatureProfile.Reservation },
        { "ReserveNow", Cs, OcppFeatureProfile.Reservation },
        { "ClearChargingProfile", Cs, OcppFeatureProfile.SmartCharging },
        { "GetCompositeSchedule", Cs, OcppFeatureProfile.SmartCharging },
        { "SetChargingProfile", Cs, OcppFeatureProfile.SmartCharging },
        { "TriggerMessage", Cs, OcppFeatureProfile.RemoteTrigger },
        { "LogStatusNotification", Cp, OcppFeatureProfile.Security },
        { "SecurityEventNotification", Cp, OcppFeatureProfile.Security },
        { "SignCertificate", Cp, OcppFeatureProfile.Security },
        { "SignedFirmwareStatusNotification", Cp, OcppFeatureProfile.Security },
        { "CertificateSigned", Cs, OcppFeatureProfile.Security },
        { "DeleteCertificate", Cs, OcppFeatureProfile.Security },
        { "ExtendedTriggerMessage", Cs, OcppFeatureProfile.Security },
        { "GetInstalledCertificateIds", Cs, OcppFeatureProfile.Security },
        { "GetLog", Cs, OcppFeatureProfile.Security },
        { "InstallCertificate", Cs, OcppFeatureProfile.Security },
        { "SignedUpdateFirmware", Cs, OcppFeatureProfile.Security },
    };

    [Fact]
    public void The_catalog_has_39_uniquely_named_actions_28_core_edition_and_11_security()
    {
        Assert.Equal(39, OcppActions.All.Count);
        Assert.Equal(39, OcppActions.All.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(11, OcppActions.All.Count(a => a.Profile == OcppFeatureProfile.Security));
        Assert.Equal(28, OcppActions.All.Count(a => a.Profile != OcppFeatureProfile.Security));
        Assert.Equal(39, Table.Count());
        Assert.Equal(Table.Select(r => (string)r[0]).Order(StringComparer.Ordinal), OcppActions.All.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Direction_and_profile_match_the_README_table(string name, OcppMessageDirection direction, OcppFeatureProfile profile)
    {
        var info = Assert.Single(OcppActions.All, a => a.Name == name);

        Assert.Equal(direction, info.Direction);
        Assert.Equal(profile, info.Profile);
        Assert.Equal(name, info.ToString());
    }

    [Fact]
    public void DataTransfer_is_the_only_action_that_goes_both_ways()
    {
        var both = Assert.Single(OcppActions.All, a => a.Direction == OcppMessageDirection.Both);
        Assert.Equal("DataTransfer", both.Name);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Request_and_response_types_are_the_generated_pair_and_readers_build_them(string name, OcppMessageDirection direction, OcppFeatureProfile profile)
    {
        _ = direction;
        _ = profile;
        var info = OcppActions.All.Single(a => a.Name == name);

        Assert.Equal(name + "Request", info.RequestType.Name);
        Assert.Equal(name + "Response", info.ResponseType.Name);
        Assert.True(typeof(IOcppRequest).IsAssignableFrom(info.RequestType));
        Assert.True(typeof(IOcppResponse).IsAssignableFrom(info.ResponseType));
        Assert.True(typeof(IOcppRequest<>).MakeGenericType(info.ResponseType).IsAssignableFrom(info.RequestType));
        Assert.Equal(name, info.RequestType.GetField("ActionName", BindingFlags.Public | BindingFlags.Static)!.GetValue(null));

        // Each reader builds its own type: the request reader never hands back the response type and vice versa.
        var requestJson = Infrastructure.JsonTestHelpers.Utf8(Infrastructure.SampleGenerator.Full(name + ".json"));
        var responseJson = Infrastructure.JsonTestHelpers.Utf8(Infrastructure.SampleGenerator.Full(name + "Response.json"));
        Assert.True(info.ReadRequest(requestJson, null, out var request, out var v1), v1?.ToString());
        Assert.IsType(info.RequestType, request);
        Assert.Equal(name, ((IOcppRequest)request).Action);
        Assert.True(info.ReadResponse(responseJson, null, out var response, out var v2), v2?.ToString());
        Assert.IsType(info.ResponseType, response);
    }

    [Fact]
    public void Catalog_entries_are_also_exposed_as_named_properties()
    {
        var properties = typeof(OcppActions).GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(OcppActionInfo)).ToList();

        Assert.Equal(39, properties.Count);
        foreach (var property in properties)
        {
            var info = (OcppActionInfo)property.GetValue(null)!;
            Assert.Equal(property.Name, info.Name);
            Assert.Contains(info, OcppActions.All);
        }
    }

    [Fact]
    public void All_is_ordered_by_name()
    {
        Assert.Equal(OcppActions.All.Select(a => a.Name).Order(StringComparer.Ordinal), OcppActions.All.Select(a => a.Name));
    }
}
