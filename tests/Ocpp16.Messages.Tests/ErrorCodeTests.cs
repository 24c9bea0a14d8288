namespace Ocpp16.Messages.Tests;

/// <summary>CALLERROR codes of OCPP-J 1.6 §4.2.3 and their wire spellings.</summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void OccurenceConstraintViolation_goes_on_the_wire_with_the_1_6_spelling()
    {
        Assert.Equal("OccurenceConstraintViolation", OcppErrorCode.OccurenceConstraintViolation.ToWireString());
        Assert.Equal("OccurenceConstraintViolation", OcppErrorCodes.ToWireString(OcppErrorCode.OccurenceConstraintViolation));
    }

    [Theory]
    [InlineData("OccurenceConstraintViolation")]
    [InlineData("OccurrenceConstraintViolation")]
    public void Both_spellings_of_OccurenceConstraintViolation_are_parsed(string wire)
    {
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, OcppErrorCodes.Parse(wire));
        Assert.True(OcppErrorCodes.TryParse(wire, out var code));
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, code);
    }

    [Theory]
    [InlineData("FormationViolation")]
    [InlineData("FormatViolation")]
    public void Both_spellings_of_FormationViolation_are_parsed(string wire)
    {
        Assert.Equal(OcppErrorCode.FormationViolation, OcppErrorCodes.Parse(wire));
    }

    [Theory]
    [InlineData("NotImplemented", OcppErrorCode.NotImplemented)]
    [InlineData("NotSupported", OcppErrorCode.NotSupported)]
    [InlineData("InternalError", OcppErrorCode.InternalError)]
    [InlineData("ProtocolError", OcppErrorCode.ProtocolError)]
    [InlineData("SecurityError", OcppErrorCode.SecurityError)]
    [InlineData("FormationViolation", OcppErrorCode.FormationViolation)]
    [InlineData("PropertyConstraintViolation", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("OccurenceConstraintViolation", OcppErrorCode.OccurenceConstraintViolation)]
    [InlineData("TypeConstraintViolation", OcppErrorCode.TypeConstraintViolation)]
    [InlineData("GenericError", OcppErrorCode.GenericError)]
    public void The_ten_codes_of_Table_7_round_trip_through_their_wire_strings(string wire, OcppErrorCode code)
    {
        Assert.Equal(wire, code.ToWireString());
        Assert.Equal(code, OcppErrorCodes.Parse(wire));
        Assert.True(OcppErrorCodes.TryParse(wire, out var parsed));
        Assert.Equal(code, parsed);
    }

    [Fact]
    public void Exactly_the_ten_codes_exist()
    {
        Assert.Equal(10, Enum.GetValues<OcppErrorCode>().Length);
        Assert.Equal(10, Enum.GetValues<OcppErrorCode>().Select(c => c.ToWireString()).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("SomethingElse")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("notimplemented")]           // codes are case-sensitive
    [InlineData(" NotImplemented")]
    [InlineData("MessageTypeNotSupported")]  // an OCPP 2.x code
    [InlineData("RpcFrameworkError")]        // an OCPP 2.x code
    [InlineData("OccurrenceConstraintViolations")]
    public void Unknown_codes_map_to_GenericError_without_throwing(string? wire)
    {
        Assert.Equal(OcppErrorCode.GenericError, OcppErrorCodes.Parse(wire));
        Assert.False(OcppErrorCodes.TryParse(wire, out var code));
        Assert.Equal(OcppErrorCode.GenericError, code);
    }

    [Fact]
    public void An_undefined_code_value_cannot_be_written()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OcppErrorCode)42).ToWireString());
    }

    [Fact]
    public void Violation_ToString_uses_the_wire_spelling()
    {
        var violation = new OcppViolation(OcppErrorCode.OccurenceConstraintViolation, "$.idTag", "required property missing");

        Assert.Equal("OccurenceConstraintViolation at $.idTag: required property missing", violation.ToString());
    }
}
