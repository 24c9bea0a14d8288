using System.Text.Json.Nodes;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>The known quirks of the official schemas listed in /work/shared/ocpp16/README.md.</summary>
public sealed class SchemaQuirkTests
{
    private const string Ts = "2026-11-21T10:15:30.123Z";

    private static string MeterValues(string unit)
        => $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"{Ts}\",\"sampledValue\":[{{\"value\":\"50\",\"unit\":\"{unit}\"}}]}}]}}";

    private static string StopTransaction(string unit)
        => $"{{\"meterStop\":10,\"timestamp\":\"{Ts}\",\"transactionId\":7,\"transactionData\":[{{\"timestamp\":\"{Ts}\",\"sampledValue\":[{{\"value\":\"50\",\"unit\":\"{unit}\"}}]}}]}}";

    [Theory]
    [InlineData("Celcius", UnitOfMeasure.Celcius)]
    [InlineData("Celsius", UnitOfMeasure.Celsius)]
    public void MeterValues_accepts_both_Celcius_and_Celsius_and_writes_back_the_spelling_received(string wire, UnitOfMeasure expected)
    {
        Assert.True(MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(MeterValues(wire)), null, out var request, out var violation), violation?.ToString());
        Assert.Equal(expected, request!.MeterValue[0].SampledValue[0].Unit);
        Assert.Equal(MeterValues(wire), JsonTestHelpers.WriteString(request));
        Assert.True(request.TryValidate(null, out _));
    }

    [Theory]
    [InlineData("Celcius")]
    [InlineData("Celsius")]
    public void StopTransaction_accepts_both_Celcius_and_Celsius(string wire)
    {
        Assert.True(StopTransactionRequest.TryRead(JsonTestHelpers.Utf8(StopTransaction(wire)), null, out var request, out var violation), violation?.ToString());
        Assert.Equal(StopTransaction(wire), JsonTestHelpers.WriteString(request!));
    }

    [Fact]
    public void Celcius_and_Celsius_are_distinct_values()
    {
        Assert.NotEqual(UnitOfMeasure.Celcius, UnitOfMeasure.Celsius);
        Assert.True(MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(MeterValues("Celcius")), null, out var a, out _));
        Assert.True(MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(MeterValues("Celsius")), null, out var b, out _));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Hertz_is_accepted_in_MeterValues()
    {
        Assert.True(MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(MeterValues("Hertz")), null, out var request, out var violation), violation?.ToString());
        Assert.Equal(UnitOfMeasure.Hertz, request!.MeterValue[0].SampledValue[0].Unit);
        Assert.Equal(MeterValues("Hertz"), JsonTestHelpers.WriteString(request));
        Assert.True(request.TryValidate(null, out var validateViolation), validateViolation?.ToString());
    }

    [Fact]
    public void Hertz_is_rejected_when_reading_StopTransaction_transactionData()
    {
        var ok = StopTransactionRequest.TryRead(JsonTestHelpers.Utf8(StopTransaction("Hertz")), null, out var request, out var violation);

        Assert.False(ok);
        Assert.Null(request);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.transactionData[0].sampledValue[0].unit", violation.Path);
    }

    [Fact]
    public void Hertz_is_rejected_by_TryValidate_on_a_StopTransaction_built_in_code()
    {
        var sample = new SampledValue { Value = "50", Unit = UnitOfMeasure.Hertz };
        var meterValue = new MeterValue { Timestamp = DateTimeOffset.UtcNow, SampledValue = [new SampledValue { Value = "1", Unit = UnitOfMeasure.Wh }, sample] };
        var stop = new StopTransactionRequest { MeterStop = 10, Timestamp = DateTimeOffset.UtcNow, TransactionId = 7, TransactionData = [meterValue] };

        Assert.False(stop.TryValidate(null, out var violation));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.transactionData[0].sampledValue[1].unit", violation.Path);

        // The very same MeterValue object is fine inside a MeterValues request.
        var meterValues = new MeterValuesRequest { ConnectorId = 1, MeterValue = [meterValue] };
        Assert.True(meterValues.TryValidate(null, out var none), none?.ToString());

        // And with another unit the StopTransaction is fine.
        sample.Unit = UnitOfMeasure.Celsius;
        Assert.True(stop.TryValidate(null, out var afterFix), afterFix?.ToString());
    }

    [Fact]
    public void Hertz_in_StopTransaction_is_tolerated_and_reported_in_Lenient_mode()
    {
        var lenient = new OcppValidationOptions { Mode = OcppValidationMode.Lenient };

        Assert.True(StopTransactionRequest.TryRead(JsonTestHelpers.Utf8(StopTransaction("Hertz")), lenient, out var request, out var violation));
        Assert.Equal(UnitOfMeasure.Hertz, request!.TransactionData![0].SampledValue[0].Unit);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.transactionData[0].sampledValue[0].unit", violation.Path);
    }

    [Fact]
    public void StopTransaction_transactionData_allows_an_empty_sampledValue_but_MeterValues_does_not()
    {
        // minItems 1 is on MeterValues' sampledValue only; StopTransaction's copy of the type has no minItems.
        var stop = $"{{\"meterStop\":10,\"timestamp\":\"{Ts}\",\"transactionId\":7,\"transactionData\":[{{\"timestamp\":\"{Ts}\",\"sampledValue\":[]}}]}}";
        Assert.True(StopTransactionRequest.TryRead(JsonTestHelpers.Utf8(stop), null, out _, out var v1), v1?.ToString());

        var meter = $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"{Ts}\",\"sampledValue\":[]}}]}}";
        Assert.False(MeterValuesRequest.TryRead(JsonTestHelpers.Utf8(meter), null, out _, out var v2));
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, v2!.ErrorCode);
        Assert.Equal("$.meterValue[0].sampledValue", v2.Path);
    }

    [Fact]
    public void AdditionalProperties_false_inside_an_enum_string_schema_has_no_effect()
    {
        // "reason" carries "additionalProperties": false next to its enum; a plain enum string is valid.
        var schema = SchemaRepository.Load("StopTransaction.json");
        Assert.False(schema["properties"]!["reason"]!["additionalProperties"]!.GetValue<bool>());
        var json = $"{{\"meterStop\":10,\"timestamp\":\"{Ts}\",\"transactionId\":7,\"reason\":\"EVDisconnected\"}}";

        Assert.True(StopTransactionRequest.TryRead(JsonTestHelpers.Utf8(json), null, out var request, out var violation), violation?.ToString());
        Assert.Equal(Reason.EVDisconnected, request!.Reason);
    }

    [Theory]
    [InlineData("GetDiagnostics.json")]
    [InlineData("UpdateFirmware.json")]
    public void Uri_locations_round_trip_unchanged(string schemaFile)
    {
        var payload = SampleGenerator.Minimal(schemaFile);
        payload["location"] = "ftp://user@diag.example.com:2121/upload/dir?x=1&y=a+b#frag";

        RoundTripTests.AssertRoundTrip(schemaFile, payload);
        Assert.Equal("uri", SchemaRepository.Load(schemaFile)["properties"]!["location"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public void Strings_with_characters_that_need_escaping_round_trip()
    {
        var data = "quote\" backslash\\ newline\n tab\t unicode é ∑ 🔌 control\u0001 html<>&'+";
        var request = new DataTransferRequest { VendorId = "v", Data = data };

        var written = JsonTestHelpers.Write(request);
        JsonTestHelpers.AssertNoWhitespace(written);
        Assert.True(DataTransferRequest.TryRead(written, null, out var back, out var violation), violation?.ToString());
        Assert.Equal(data, back!.Data);
        Assert.Equal(data, JsonNode.Parse(written)!["data"]!.GetValue<string>());
    }
}
