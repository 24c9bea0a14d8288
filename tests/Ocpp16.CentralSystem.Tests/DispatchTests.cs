using System.Text.Json;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>How the Central System answers the CALLs of a charge point (docs/wire-behaviour.md), over real Kestrel with exact frames.</summary>
public sealed class DispatchTests
{
    private const string ValidStatus = "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}";

    public static TheoryData<string, string, string> ErrorCases => new()
    {
        // action, payload, expected wire code
        { "Foo", "{}", "NotImplemented" },
        { "Reset", "{\"type\":\"Soft\"}", "NotSupported" },
        { "SignCertificate", "{\"csr\":\"x\"}", "NotSupported" },
        { "BootNotification", "{\"chargePointVendor\":\"V\"}", "OccurenceConstraintViolation" },
        { "StatusNotification", "{\"connectorId\":\"1\",\"errorCode\":\"NoError\",\"status\":\"Available\"}", "TypeConstraintViolation" },
        { "StatusNotification", "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Sleeping\"}", "PropertyConstraintViolation" },
        { "Authorize", "{\"idTag\":\"123456789012345678901\"}", "PropertyConstraintViolation" },
        { "StatusNotification", "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\",\"extra\":true}", "FormationViolation" },
        { "Heartbeat", "[]", "FormationViolation" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task InvalidOrUnhandledCall_IsAnsweredWithMappedCode_AndConnectionKeepsWorking(string action, string payload, string expectedCode)
    {
        await using var server = await TestServer.StartAsync();
        await using var transport = await OcppWebSocketClient.ConnectAsync(server.BaseUri, "CP-1").WaitAsync(Timeouts.Await);

        var answer = await Frames.ExchangeAsync(transport, $"[2,\"e1\",\"{action}\",{payload}]");
        Assert.Equal(4, answer[0].GetInt32());
        Assert.Equal("e1", answer.Str(1));
        Assert.Equal(expectedCode, answer.Str(2));
        Assert.Equal(JsonValueKind.Object, answer[4].ValueKind);
        Assert.DoesNotContain(server.Behaviour.Received, r => r.Action == action);

        var next = await Frames.ExchangeAsync(transport, $"[2,\"ok\",\"StatusNotification\",{ValidStatus}]");
        Assert.Equal("[3,\"ok\",{}]", next.GetRawText());
        await transport.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null).AsTask().WaitAsync(Timeouts.Await);
    }

    [Fact]
    public async Task WithoutHandlers_DefaultsAnswer_BootAcceptedWithInterval_HeartbeatTime_NotificationsAcknowledged()
    {
        await using var server = await TestServer.StartAsync(coreHandler: false, configure: o => o.HeartbeatInterval = TimeSpan.FromSeconds(42));
        await using var client = await server.ConnectAsync("CP-1");

        var boot = await client.CallAsync("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
        Assert.Equal(OcppCallStatus.Result, boot.Status);
        using (var doc = JsonDocument.Parse(boot.Payload))
        {
            Assert.Equal("Accepted", doc.RootElement.GetProperty("status").GetString());
            Assert.Equal(42, doc.RootElement.GetProperty("interval").GetInt32());
        }

        var heartbeat = await client.CallAsync("Heartbeat", "{}");
        using (var doc = JsonDocument.Parse(heartbeat.Payload))
        {
            var time = doc.RootElement.GetProperty("currentTime").GetDateTimeOffset();
            Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        }

        foreach (var (action, payload) in new[]
        {
            ("StatusNotification", "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}"),
            ("MeterValues", "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}"),
            ("StopTransaction", "{\"meterStop\":1,\"timestamp\":\"2026-01-01T00:00:00Z\",\"transactionId\":1}"),
            ("FirmwareStatusNotification", "{\"status\":\"Idle\"}"),
            ("DiagnosticsStatusNotification", "{\"status\":\"Idle\"}"),
            ("SecurityEventNotification", "{\"type\":\"x\",\"timestamp\":\"2026-01-01T00:00:00Z\"}"),
            ("LogStatusNotification", "{\"status\":\"Idle\"}"),
            ("SignedFirmwareStatusNotification", "{\"status\":\"Idle\"}"),
        })
        {
            var ack = await client.CallAsync(action, payload);
            Assert.True(ack.Status == OcppCallStatus.Result, $"{action}: {ack.Status} {ack.ErrorCode}");
            Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(ack.Payload.Span));
        }

        var dataTransfer = await client.CallAsync("DataTransfer", "{\"vendorId\":\"v\"}");
        Assert.Equal("{\"status\":\"UnknownVendorId\"}", System.Text.Encoding.UTF8.GetString(dataTransfer.Payload.Span));

        // These need the application's decision.
        foreach (var (action, payload) in new[]
        {
            ("Authorize", "{\"idTag\":\"T\"}"),
            ("StartTransaction", "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2026-01-01T00:00:00Z\"}"),
            ("SignCertificate", "{\"csr\":\"x\"}"),
        })
        {
            var refused = await client.CallAsync(action, payload);
            Assert.Equal(OcppCallStatus.Error, refused.Status);
            Assert.Equal(OcppErrorCode.NotSupported, refused.ErrorCode);
        }
    }

    [Theory]
    [InlineData("throw")]
    [InlineData("throw-async")]
    public async Task HandlerThrowing_IsInternalErrorWithGenericDescription(string messageId)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync("CP-1");
        var result = await client.CallAsync("DataTransfer", $"{{\"vendorId\":\"v\",\"messageId\":\"{messageId}\"}}");
        Assert.Equal(OcppCallStatus.Error, result.Status);
        Assert.Equal(OcppErrorCode.InternalError, result.ErrorCode);
        Assert.DoesNotContain("secret", result.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(result.ErrorDetails.Span));
        await client.AssertHeartbeatAnsweredAsync();
    }

    [Fact]
    public async Task HandlerThrowing_WithDetailedErrors_SendsTheExceptionText()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.DetailedErrors = true);
        await using var client = await server.ConnectAsync("CP-1");
        var result = await client.CallAsync("DataTransfer", "{\"vendorId\":\"v\",\"messageId\":\"throw\"}");
        Assert.Equal(OcppErrorCode.InternalError, result.ErrorCode);
        Assert.Contains("secret internal detail", result.ErrorDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerThrowingOcppCallErrorException_SendsThatCode()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync("CP-1");
        var result = await client.CallAsync("DataTransfer", "{\"vendorId\":\"v\",\"messageId\":\"security\"}");
        Assert.Equal(OcppCallStatus.Error, result.Status);
        Assert.Equal(OcppErrorCode.SecurityError, result.ErrorCode);
        Assert.Equal("not allowed", result.ErrorDescription);
        await client.AssertHeartbeatAnsweredAsync();
    }

    [Fact]
    public async Task HandlerReturningInvalidResponse_IsInternalError_NeverAConstraintCode()
    {
        await using var server = await TestServer.StartAsync();
        server.Behaviour.Authorize = _ => new AuthorizeResponse
        {
            IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted, ParentIdTag = new string('p', 21) },
        };
        await using var client = await server.ConnectAsync("CP-1");
        var result = await client.CallAsync("Authorize", "{\"idTag\":\"TAG1\"}");
        Assert.Equal(OcppCallStatus.Error, result.Status);
        Assert.Equal(OcppErrorCode.InternalError, result.ErrorCode);
        Assert.Single(server.Behaviour.Received, r => r.Action == "Authorize");
        await client.AssertHeartbeatAnsweredAsync();
    }

    [Fact]
    public async Task HandlerMakingACallToTheChargePoint_DoesNotDeadlock()
    {
        await using var server = await TestServer.StartAsync();
        server.Behaviour.Boot = async (cp, _) =>
        {
            var config = await cp.GetConfigurationAsync(["HeartbeatInterval"]);
            var interval = int.Parse(config.ConfigurationKey![0].Value!, System.Globalization.CultureInfo.InvariantCulture);
            return new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = DateTimeOffset.UtcNow, Interval = interval };
        };
        await using var client = await server.ConnectAsync("CP-1");
        var result = await client.CallAsync("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
        Assert.Equal(OcppCallStatus.Result, result.Status);
        using var doc = JsonDocument.Parse(result.Payload);
        Assert.Equal(60, doc.RootElement.GetProperty("interval").GetInt32());
    }
}
