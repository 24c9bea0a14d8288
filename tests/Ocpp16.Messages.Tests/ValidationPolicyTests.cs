using System.Text;
using Ocpp16.Messages;

namespace Ocpp16.Messages.Tests;

public sealed class ValidationPolicyTests
{
    private static readonly OcppValidationOptions Lenient = new() { Mode = OcppValidationMode.Lenient };

    [Fact]
    public void For_WithoutOverride_ReturnsTheDefault_WhichIsStrict()
    {
        var policy = new OcppValidationPolicy();
        Assert.Same(OcppValidationOptions.Strict, policy.For("MeterValues", OcppPayloadDirection.Received));
        Assert.Equal(OcppValidationMode.Strict, policy.Default.Mode);
    }

    [Fact]
    public void For_OverrideAppliesToThatActionAndDirectionOnly()
    {
        var policy = new OcppValidationPolicy().Set("MeterValues", OcppPayloadDirection.Received, Lenient);
        Assert.Same(Lenient, policy.For("MeterValues", OcppPayloadDirection.Received));
        Assert.Same(OcppValidationOptions.Strict, policy.For("MeterValues", OcppPayloadDirection.Sent));
        Assert.Same(OcppValidationOptions.Strict, policy.For("StartTransaction", OcppPayloadDirection.Received));
    }

    [Fact]
    public void Set_UnknownAction_Throws()
        => Assert.Throws<ArgumentException>(() => new OcppValidationPolicy().Set("Foo", OcppPayloadDirection.Received, Lenient));

    [Fact]
    public void TryReadAll_Lenient_ReturnsEveryViolation_InDocumentOrder()
    {
        var json = Encoding.UTF8.GetBytes("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"012345678901234567890123456789012345678901234567890","vendorErrorCode":"012345678901234567890123456789012345678901234567890"}""");
        Assert.True(StatusNotificationRequest.TryReadAll(json, Lenient, out var value, out var violations));
        Assert.NotNull(value);
        Assert.Equal(["$.info", "$.vendorErrorCode"], violations.Select(v => v.Path));

        Assert.False(StatusNotificationRequest.TryReadAll(json, null, out _, out var strictViolations));
        Assert.Equal("$.info", Assert.Single(strictViolations).Path);
    }

    [Fact]
    public void TryReadAll_ValidPayload_ReturnsNoViolations()
    {
        var json = Encoding.UTF8.GetBytes("""{"idTag":"ABC"}""");
        Assert.True(AuthorizeRequest.TryReadAll(json, null, out var value, out var violations));
        Assert.Equal("ABC", value.IdTag);
        Assert.Empty(violations);
    }

    [Fact]
    public void TryValidateAll_Lenient_ReportsEveryViolationOfAnObjectBuiltInCode()
    {
        var request = new BootNotificationRequest { ChargePointVendor = new string('v', 21), ChargePointModel = new string('m', 21) };
        Assert.True(request.TryValidateAll(Lenient, out var violations));
        Assert.Equal(["$.chargePointVendor", "$.chargePointModel"], violations.Select(v => v.Path));
        Assert.False(request.TryValidateAll(null, out var strict));
        Assert.Single(strict);
    }
}
