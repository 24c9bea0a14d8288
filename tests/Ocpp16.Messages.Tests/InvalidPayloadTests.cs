using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>
/// Every invalid variant derived from each schema (see <see cref="MutationCatalog"/>) is rejected in Strict mode with the
/// error code of docs/wire-behaviour.md and the JSON path of the offending value.
/// </summary>
public sealed class InvalidPayloadTests
{
    public static IEnumerable<object[]> AllMutations() => MutationCatalog.Rows();

    public static IEnumerable<object[]> Schemas() => SchemaRepository.AllFileNames();

    [Theory]
    [MemberData(nameof(AllMutations))]
    public void Strict_read_rejects_the_mutation_with_the_expected_code_and_path(string schemaFile, string mutationId)
    {
        var mutation = MutationCatalog.Find(schemaFile, mutationId);
        var payload = JsonTestHelpers.Utf8(mutation.Apply());

        var ok = SchemaRepository.ReaderFor(schemaFile)(payload, null, out var message, out var violation);

        Assert.False(ok, $"{mutation} was accepted");
        Assert.Null(message);
        Assert.NotNull(violation);
        Assert.Equal(mutation.ExpectedCode, violation.ErrorCode);
        Assert.Equal(mutation.ExpectedPath, violation.Path);
        Assert.False(string.IsNullOrWhiteSpace(violation.Message));
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void The_catalog_of_mutations_covers_every_schema(string schemaFile)
    {
        var mutations = MutationCatalog.For(schemaFile);
        var schema = SchemaRepository.Load(schemaFile);
        var properties = SchemaNode.Properties(schema, schema);

        // Always: an extra property at the root; each property gets a wrong type; each required one is removed once.
        Assert.Contains(mutations, m => m.Kind == MutationKind.ExtraProperty && m.ExpectedPath == "$.bogus");
        foreach (var (name, _) in properties)
        {
            Assert.Contains(mutations, m => m.Kind == MutationKind.WrongType && m.ExpectedPath == "$." + name);
        }

        foreach (var name in SchemaNode.Required(schema))
        {
            Assert.Contains(mutations, m => m.Kind == MutationKind.RequiredRemoved && m.ExpectedPath == "$." + name);
        }

        var text = File.ReadAllText(Path.Combine(SchemaRepository.SchemaDirectory, schemaFile));
        Assert.Equal(text.Contains("\"maxLength\"", StringComparison.Ordinal), mutations.Any(m => m.Kind == MutationKind.TooLong));
        Assert.Equal(text.Contains("\"enum\"", StringComparison.Ordinal), mutations.Any(m => m.Kind == MutationKind.EnumNotInList));
        Assert.Equal(text.Contains("\"date-time\"", StringComparison.Ordinal), mutations.Any(m => m.Kind == MutationKind.MalformedDateTime));
        Assert.Equal(text.Contains("\"minItems\"", StringComparison.Ordinal), mutations.Any(m => m.Kind == MutationKind.EmptyArray));
        Assert.Equal(text.Contains("\"multipleOf\"", StringComparison.Ordinal), mutations.Any(m => m.Kind == MutationKind.NotMultipleOfTenth));
    }

    [Fact]
    public void Nested_mutations_carry_the_nested_path()
    {
        // The sample the brief names explicitly, in the second meter value and second sampled value too.
        foreach (var path in new[] { "$.meterValue[0].sampledValue[0].measurand", "$.meterValue[1].sampledValue[1].unit" })
        {
            var mutation = MutationCatalog.Find("MeterValues.json", "EnumNotInList:" + path);
            var ok = MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(mutation.Apply()), null, out _, out var violation);
            Assert.False(ok);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
            Assert.Equal(path, violation.Path);
        }

        Assert.Contains(MutationCatalog.All, m => m.ExpectedPath == "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].limit" && m.Kind == MutationKind.NotMultipleOfTenth);
        Assert.Contains(MutationCatalog.All, m => m.ExpectedPath == "$.localAuthorizationList[1].idTagInfo.bogus");
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void A_payload_that_is_not_an_object_is_a_FormationViolation(string schemaFile)
    {
        var reader = SchemaRepository.ReaderFor(schemaFile);
        foreach (var json in new[] { "[]", "\"x\"", "1", "null", "true", "[{}]" })
        {
            var ok = reader(JsonTestHelpers.Utf8(json), null, out var message, out var violation);

            Assert.False(ok, json);
            Assert.Null(message);
            Assert.Equal(OcppErrorCode.FormationViolation, violation!.ErrorCode);
            Assert.Equal("$", violation.Path);
        }
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Malformed_json_is_a_FormationViolation(string schemaFile)
    {
        var reader = SchemaRepository.ReaderFor(schemaFile);
        var full = SampleGenerator.Full(schemaFile).ToJsonString();
        var malformed = new[]
        {
            string.Empty,
            "{",
            "{\"bogus\":}",
            full[..^1],                              // truncated: last brace missing
            full[..(full.Length / 2)],               // cut in the middle
            full[..^1] + ",}",                       // trailing comma
            full + "{}",                             // two values
            full + " x",                             // garbage after the payload
            "{'a':1}",                               // single quotes
            "{\"a\":1 /* comment */}",
        };
        foreach (var json in malformed)
        {
            var ok = reader(JsonTestHelpers.Utf8(json), null, out var message, out var violation);

            Assert.False(ok, json);
            Assert.Null(message);
            Assert.NotNull(violation);
            Assert.Equal(OcppErrorCode.FormationViolation, violation.ErrorCode);
            Assert.StartsWith("$", violation.Path, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Invalid_utf8_is_a_FormationViolation_not_an_exception()
    {
        byte[] payload = [(byte)'{', (byte)'"', (byte)'i', (byte)'d', (byte)'T', (byte)'a', (byte)'g', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];

        var ok = AuthorizeRequest.TryRead(payload, null, out var message, out var violation);

        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal(OcppErrorCode.FormationViolation, violation!.ErrorCode);
    }

    [Fact]
    public void Whitespace_and_escapes_in_the_input_are_accepted()
    {
        var json = "{ \"id\\u0054ag\" :\t\"ABC\\u0031\" }\r\n";

        var ok = AuthorizeRequest.TryRead(JsonTestHelpers.Utf8(json), null, out var message, out var violation);

        Assert.True(ok, violation?.ToString());
        Assert.Equal("ABC1", message!.IdTag);
    }

    [Fact]
    public void Escaped_enum_values_and_date_times_are_read()
    {
        var json = "{\"status\":\"Acc\\u0065pted\",\"currentTime\":\"2026-11-21T10:15:30.123\\u005A\",\"interval\":300}";

        var ok = BootNotificationResponse.TryRead(JsonTestHelpers.Utf8(json), null, out var message, out var violation);

        Assert.True(ok, violation?.ToString());
        Assert.Equal(RegistrationStatus.Accepted, message!.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 15, 30, 123, TimeSpan.Zero), message.CurrentTime);
    }

    [Fact]
    public void MaxLength_counts_unicode_code_points_not_utf16_units()
    {
        // idTag: maxLength 20. Twenty astral characters are 40 UTF-16 units but 20 code points.
        var twenty = string.Concat(Enumerable.Repeat("\U0001F50C", 20));
        Assert.True(AuthorizeRequest.TryRead(JsonTestHelpers.Utf8($"{{\"idTag\":\"{twenty}\"}}"), null, out var ok20, out var v20), v20?.ToString());
        Assert.Equal(twenty, ok20!.IdTag);
        Assert.Equal(twenty, System.Text.Json.Nodes.JsonNode.Parse(JsonTestHelpers.Write(ok20))!["idTag"]!.GetValue<string>());

        var twentyOne = twenty + "\U0001F50C";
        Assert.False(AuthorizeRequest.TryRead(JsonTestHelpers.Utf8($"{{\"idTag\":\"{twentyOne}\"}}"), null, out _, out var v21));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, v21!.ErrorCode);
        Assert.Equal("$.idTag", v21.Path);
    }

    [Fact]
    public void A_required_property_missing_from_an_empty_object_is_reported_with_its_path()
    {
        Assert.False(AuthorizeRequest.TryRead("{}"u8, null, out _, out var violation));
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.idTag", violation.Path);
    }

    [Fact]
    public void Violation_messages_never_contain_the_offending_value()
    {
        var secret = "SECRET-TOKEN-VALUE-123456789";
        Assert.False(AuthorizeRequest.TryRead(JsonTestHelpers.Utf8($"{{\"idTag\":\"{secret}\"}}"), null, out _, out var v1));
        Assert.DoesNotContain(secret, v1!.ToString(), StringComparison.Ordinal);

        Assert.False(ResetRequest.TryRead(JsonTestHelpers.Utf8($"{{\"type\":\"{secret}\"}}"), null, out _, out var v2));
        Assert.DoesNotContain(secret, v2!.ToString(), StringComparison.Ordinal);
    }
}
