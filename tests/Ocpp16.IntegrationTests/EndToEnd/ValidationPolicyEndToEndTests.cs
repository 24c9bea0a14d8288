using System.Collections.Concurrent;
using System.Text.Json;
using Ocpp16.CentralSystem;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.EndToEnd;

/// <summary>The validation policy per action and direction, and the PayloadViolation reports, over real Kestrel.</summary>
public sealed class ValidationPolicyEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly string LongInfo = new('x', 51);

    private static async Task<(OcppRpcConnection Connection, Task<OcppCloseInfo> Run)> ConnectRawAsync(TestCentralSystem csms, string id)
    {
        var transport = await OcppWebSocketClient.ConnectAsync(csms.BaseUri, id).WaitAsync(Timeout);
        var connection = new OcppRpcConnection(transport, new NoRequests());
        return (connection, connection.RunAsync());
    }

    private static RawJson StatusWithLongInfo()
        => new($$"""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"{{LongInfo}}"}""");

    [Fact]
    public async Task Strict_ReceivedRequestViolation_IsAnsweredWithTheMappedCallErrorAndReported()
    {
        await using var csms = await TestCentralSystem.StartAsync();
        var reports = new ConcurrentQueue<ChargePointPayloadViolationEventArgs>();
        csms.CentralSystem.PayloadViolation += (_, e) => reports.Enqueue(e);
        var (connection, run) = await ConnectRawAsync(csms, "POLICY-1");
        await using (connection)
        {
            var result = await connection.CallAsync("StatusNotification", StatusWithLongInfo()).AsTask().WaitAsync(Timeout);
            Assert.Equal(OcppCallStatus.Error, result.Status);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, result.ErrorCode);
            Assert.Empty(csms.Handler.Received<StatusNotificationRequest>("POLICY-1"));

            var report = Assert.Single(reports);
            Assert.Equal("POLICY-1", report.ChargePoint.Id);
            Assert.Equal("StatusNotification", report.Violation.Action);
            Assert.Equal(OcppPayloadDirection.Received, report.Violation.Direction);
            Assert.True(report.Violation.IsRequest);
            Assert.False(report.Violation.Accepted);
            Assert.Equal("$.info", Assert.Single(report.Violation.Violations).Path);
            Assert.DoesNotContain(LongInfo, report.Violation.Violations[0].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lenient_ForOneActionReceived_AcceptsAndReportsWhileOtherActionsStayStrict()
    {
        await using var csms = await TestCentralSystem.StartAsync(configure: o => o.Validation =
            new OcppValidationPolicy().Set("StatusNotification", OcppPayloadDirection.Received, new OcppValidationOptions { Mode = OcppValidationMode.Lenient }));
        var reports = new ConcurrentQueue<ChargePointPayloadViolationEventArgs>();
        csms.CentralSystem.PayloadViolation += (_, e) => reports.Enqueue(e);
        var (connection, run) = await ConnectRawAsync(csms, "POLICY-2");
        await using (connection)
        {
            var accepted = await connection.CallAsync("StatusNotification", StatusWithLongInfo()).AsTask().WaitAsync(Timeout);
            Assert.Equal(OcppCallStatus.Result, accepted.Status);
            var received = Assert.Single(csms.Handler.Received<StatusNotificationRequest>("POLICY-2"));
            Assert.Equal(LongInfo, received.Info);
            var report = Assert.Single(reports);
            Assert.True(report.Violation.Accepted);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, report.Violation.Violations[0].ErrorCode);

            // Authorize is not covered by the override: still strict.
            var rejected = await connection.CallAsync("Authorize", new RawJson("""{"idTag":"123456789012345678901"}""")).AsTask().WaitAsync(Timeout);
            Assert.Equal(OcppCallStatus.Error, rejected.Status);
            Assert.Equal(OcppErrorCode.PropertyConstraintViolation, rejected.ErrorCode);
        }
    }

    [Fact]
    public async Task TolerantMultipleOf_ForSetChargingProfileSent_LetsALimitOf6Point25GoOut_StrictRefusesBeforeSending()
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
                    ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 6.25m }],
                },
            },
        };

        await using var strict = await TestCentralSystem.StartAsync();
        await using var tolerant = await TestCentralSystem.StartAsync(configure: o => o.Validation =
            new OcppValidationPolicy().Set("SetChargingProfile", OcppPayloadDirection.Sent, new OcppValidationOptions { TolerateMultipleOf = true }));

        foreach (var (csms, id) in new[] { (strict, "POLICY-S"), (tolerant, "POLICY-T") })
        {
            var options = new ChargePointOptions { Identity = id, CentralSystemUri = csms.BaseUri };
            await using var cp = new ChargePointClient(options, new SimulatedChargePointHardware(1));
            await cp.StartAsync();
            var remote = await csms.WaitForChargePointAsync(id, Timeout);
            await csms.Handler.WaitForAsync<StatusNotificationRequest>(id, s => s.ConnectorId == 1, Timeout);
            if (csms == strict)
            {
                var error = await Assert.ThrowsAsync<ArgumentException>(() => remote.CallAsync(request).WaitAsync(Timeout));
                Assert.Contains("multiple of 0.1", error.Message, StringComparison.Ordinal);
            }
            else
            {
                // Sent: the charge point, strict by default on what it receives, answers PropertyConstraintViolation — proof it went out.
                var error = await Assert.ThrowsAsync<OcppCallErrorException>(() => remote.CallAsync(request).WaitAsync(Timeout));
                Assert.Equal(OcppErrorCode.PropertyConstraintViolation, error.ErrorCode);
            }
        }
    }

    private sealed class NoRequests : IOcppRequestHandler
    {
        public ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
            => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotSupported, "test client"));
    }

    private sealed class RawJson(string json) : IOcppJsonWritable
    {
        public void WriteTo(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
    }
}
