using System.Text.Json.Nodes;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary><c>"multipleOf": 0.1</c> on charging schedule <c>limit</c> and <c>minChargingRate</c>: exact by default, tolerant on request.</summary>
public sealed class MultipleOfTests
{
    private static readonly OcppValidationOptions Tolerant = new() { TolerateMultipleOf = true };

    /// <summary>Every place in every schema that carries multipleOf 0.1.</summary>
    public static IEnumerable<object[]> Places() => MutationCatalog.Rows(MutationKind.NotMultipleOfTenth);

    [Fact]
    public void The_six_schema_places_with_multipleOf_are_all_found()
    {
        // limit and minChargingRate in SetChargingProfile, RemoteStartTransaction and GetCompositeScheduleResponse
        // (the generator's full samples have 2 periods, hence 3 places per schema).
        var files = MutationCatalog.All.Where(m => m.Kind == MutationKind.NotMultipleOfTenth).Select(m => m.FileName).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["GetCompositeScheduleResponse.json", "RemoteStartTransaction.json", "SetChargingProfile.json"], files);
    }

    [Theory]
    [MemberData(nameof(Places))]
    public void A_multiple_of_a_tenth_passes_and_7_35_fails_unless_tolerated(string schemaFile, string mutationId)
    {
        var place = MutationCatalog.Find(schemaFile, mutationId);
        var reader = SchemaRepository.ReaderFor(schemaFile);

        foreach (var good in new[] { "7.3", "0", "16", "0.1", "100000.5", "7.30000", "73e-1", "-2.2" })
        {
            var payload = (place with { NewValue = JsonNode.Parse(good) }).Apply();
            Assert.True(reader(JsonTestHelpers.Utf8(payload), null, out _, out var v), $"{good} at {place.ExpectedPath}: {v}");
        }

        foreach (var bad in new[] { "7.35", "6.25", "16.67", "0.01", "7.300001" })
        {
            var payload = JsonTestHelpers.Utf8((place with { NewValue = JsonNode.Parse(bad) }).Apply());

            Assert.False(reader(payload, null, out var value, out var violation), $"{bad} accepted at {place.ExpectedPath}");
            Assert.Null(value);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
            Assert.Equal(place.ExpectedPath, violation.Path);

            Assert.True(reader(payload, Tolerant, out var tolerated, out var toleratedViolation), $"{bad} tolerated: {toleratedViolation}");
            Assert.Null(toleratedViolation);
            Assert.NotNull(tolerated);

            // The tolerated value is kept exactly and written back unchanged.
            var written = JsonNode.Parse(JsonTestHelpers.Write(tolerated))!;
            JsonTestHelpers.AssertSemanticallyEqual(JsonNode.Parse(payload)!, written);
        }
    }

    [Fact]
    public void TryValidate_on_a_charging_period_built_in_code_checks_multipleOf_with_the_same_policy()
    {
        var request = new SetChargingProfileRequest
        {
            ConnectorId = 1,
            CsChargingProfiles = new ChargingProfile
            {
                ChargingProfileId = 1,
                StackLevel = 0,
                ChargingProfilePurpose = ChargingProfilePurposeType.TxDefaultProfile,
                ChargingProfileKind = ChargingProfileKindType.Absolute,
                ChargingSchedule = new ChargingSchedule
                {
                    ChargingRateUnit = ChargingRateUnitType.A,
                    ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 7.3m }, new ChargingSchedulePeriod { StartPeriod = 60, Limit = 7.35m }],
                },
            },
        };

        Assert.False(request.TryValidate(null, out var violation));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].limit", violation.Path);

        Assert.True(request.TryValidate(Tolerant, out var tolerated));
        Assert.Null(tolerated);

        request.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod[1].Limit = 7.4m;
        request.CsChargingProfiles.ChargingSchedule.MinChargingRate = 6.25m;
        Assert.False(request.TryValidate(null, out var rate));
        Assert.Equal("$.csChargingProfiles.chargingSchedule.minChargingRate", rate!.Path);

        request.CsChargingProfiles.ChargingSchedule.MinChargingRate = 6.2m;
        Assert.True(request.TryValidate(null, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Lenient_accepts_7_35_and_reports_it()
    {
        var place = MutationCatalog.Find("SetChargingProfile.json", "NotMultipleOfTenth:$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit");
        var payload = JsonTestHelpers.Utf8(place.Apply());

        Assert.True(SetChargingProfileRequest.TryRead(payload, new OcppValidationOptions { Mode = OcppValidationMode.Lenient }, out var value, out var violation));
        Assert.Equal(7.35m, value!.CsChargingProfiles.ChargingSchedule.ChargingSchedulePeriod[0].Limit);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal(place.ExpectedPath, violation.Path);
    }
}
