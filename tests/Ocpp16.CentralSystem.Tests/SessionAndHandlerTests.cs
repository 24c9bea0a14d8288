using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>Session state, the §4.2 registration policy, handler registration (delegates, DI scope per CALL) and AfterResponse.</summary>
public sealed class SessionAndHandlerTests
{
    private static async Task<(WebSocketOcppTransport Transport, ConnectedChargePoint Server)> ConnectRawAsync(CentralSystemHost host, string id)
    {
        var transport = await OcppWebSocketClient.ConnectAsync(host.Uri("/ocpp/"), id).WaitAsync(Timeouts.Await);
        await CentralSystemHost.WaitUntilAsync(() => host.CentralSystem.TryGetChargePoint(id, out _), id + " is connected");
        host.CentralSystem.TryGetChargePoint(id, out var server);
        return (transport, server!);
    }

    private static async Task<string> ReceiveAsync(IOcppTransport transport)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var result = await transport.ReceiveAsync(buffer).AsTask().WaitAsync(Timeouts.Await);
        Assert.False(result.IsClose);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task Session_KeepsBootInfo_RegistrationStatus_ConnectorStatuses_Heartbeat_AndLastSeen_AcrossReconnects()
    {
        await using var host = await CentralSystemHost.StartAsync(options: o => o.HeartbeatInterval = TimeSpan.FromSeconds(90));
        var (transport, server) = await ConnectRawAsync(host, "CP-S1");
        await using (transport)
        {
            Assert.Null(server.Session.RegistrationStatus);
            await Frames.ExchangeAsync(transport, "[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"Acme\",\"chargePointModel\":\"DC-100\",\"firmwareVersion\":\"1.2\"}]");
            await Frames.ExchangeAsync(transport, "[2,\"2\",\"StatusNotification\",{\"connectorId\":2,\"errorCode\":\"NoError\",\"status\":\"Charging\",\"info\":\"x\"}]");
            await Frames.ExchangeAsync(transport, "[2,\"3\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"GroundFailure\",\"status\":\"Faulted\"}]");
            await Frames.ExchangeAsync(transport, "[2,\"4\",\"Heartbeat\",{}]");
        }

        var session = server.Session;
        Assert.Equal("Acme", session.BootNotification!.ChargePointVendor);
        Assert.Equal("1.2", session.BootNotification.FirmwareVersion);
        Assert.Equal(RegistrationStatus.Accepted, session.RegistrationStatus);
        Assert.Equal(TimeSpan.FromSeconds(90), session.Interval);
        Assert.NotNull(session.LastHeartbeat);
        Assert.True(session.LastSeen >= session.LastHeartbeat);
        Assert.Equal([1, 2], session.Connectors.Select(c => c.ConnectorId));
        Assert.Equal(ChargePointStatus.Faulted, session.GetConnector(1)!.Status);
        Assert.Equal(ChargePointErrorCode.GroundFailure, session.GetConnector(1)!.ErrorCode);
        Assert.Equal("x", session.GetConnector(2)!.Info);

        // The session outlives the connection and is the same object for the next one.
        await CentralSystemHost.WaitUntilAsync(() => !host.CentralSystem.TryGetChargePoint("CP-S1", out _), "CP-S1 is gone");
        Assert.True(host.CentralSystem.TryGetSession("CP-S1", out var kept));
        Assert.Same(session, kept);
        var (again, server2) = await ConnectRawAsync(host, "CP-S1");
        await using (again)
        {
            Assert.Same(session, server2.Session);
        }
    }

    [Fact]
    public async Task Pending_AllowsOnlyBootAndHeartbeat_AndBlocksRemoteStartStop_RejectedBlocksEverything_AcceptedLiftsIt()
    {
        var status = RegistrationStatus.Pending;
        await using var host = await CentralSystemHost.StartAsync(b => b.Handle((OcppCallContext c, BootNotificationRequest r, CancellationToken ct) =>
            ValueTask.FromResult(new BootNotificationResponse { Status = status, CurrentTime = c.ReceivedAt, Interval = 10 })));
        var (transport, server) = await ConnectRawAsync(host, "CP-P");
        await using var _ = transport;

        // §4.2: until it has booted, a reconnecting charge point is served (it does not boot again after a reconnect).
        Assert.Equal(3, (await Frames.ExchangeAsync(transport, "[2,\"0\",\"Heartbeat\",{}]"))[0].GetInt32());
        Assert.Equal(3, (await Frames.ExchangeAsync(transport, "[2,\"0b\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]"))[0].GetInt32());

        var boot = await Frames.ExchangeAsync(transport, "[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        Assert.Equal("Pending", boot[2].GetProperty("status").GetString());
        var heartbeat = await Frames.ExchangeAsync(transport, "[2,\"2\",\"Heartbeat\",{}]");
        Assert.Equal(3, heartbeat[0].GetInt32());
        var status1 = await Frames.ExchangeAsync(transport, "[2,\"3\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]");
        Assert.Equal(4, status1[0].GetInt32());
        Assert.Equal("SecurityError", status1.Str(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.RemoteStartTransactionAsync(new RemoteStartTransactionRequest { IdTag = "T" }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.RemoteStopTransactionAsync(1));

        status = RegistrationStatus.Rejected;
        await Frames.ExchangeAsync(transport, "[2,\"4\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        Assert.Equal("SecurityError", (await Frames.ExchangeAsync(transport, "[2,\"5\",\"Heartbeat\",{}]")).Str(2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.GetConfigurationAsync());

        status = RegistrationStatus.Accepted;
        await Frames.ExchangeAsync(transport, "[2,\"6\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        Assert.Equal(3, (await Frames.ExchangeAsync(transport, "[2,\"7\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}]"))[0].GetInt32());
    }

    [Fact]
    public async Task RequireBootNotification_RefusesCallsBeforeTheFirstBoot()
    {
        await using var host = await CentralSystemHost.StartAsync(options: o => o.RequireBootNotification = true);
        var (transport, _) = await ConnectRawAsync(host, "CP-B");
        await using var _ = transport;
        Assert.Equal("SecurityError", (await Frames.ExchangeAsync(transport, "[2,\"1\",\"Heartbeat\",{}]")).Str(2));
        await Frames.ExchangeAsync(transport, "[2,\"2\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        Assert.Equal(3, (await Frames.ExchangeAsync(transport, "[2,\"3\",\"Heartbeat\",{}]"))[0].GetInt32());
    }

    [Fact]
    public async Task AfterResponse_CallGoesOnTheWireAfterTheAnswer()
    {
        var configuration = new TaskCompletionSource<GetConfigurationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await CentralSystemHost.StartAsync(b => b.Handle((OcppCallContext c, BootNotificationRequest r, CancellationToken ct) =>
        {
            c.AfterResponse(async (cp, token) => configuration.TrySetResult(await cp.GetConfigurationAsync(["HeartbeatInterval"], token)));
            return ValueTask.FromResult(new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = c.ReceivedAt, Interval = 60 });
        }));
        var (transport, _) = await ConnectRawAsync(host, "CP-A");
        await using var _ = transport;
        await transport.SendAsync("[2,\"b1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]"u8.ToArray()).AsTask().WaitAsync(Timeouts.Await);

        var first = await ReceiveAsync(transport);
        var second = await ReceiveAsync(transport);
        Assert.StartsWith("[3,\"b1\",", first, StringComparison.Ordinal);
        using var call = JsonDocument.Parse(second);
        Assert.Equal(2, call.RootElement[0].GetInt32());
        Assert.Equal("GetConfiguration", call.RootElement[2].GetString());

        await transport.SendAsync(Encoding.UTF8.GetBytes($"[3,\"{call.RootElement[1].GetString()}\",{{\"configurationKey\":[{{\"key\":\"HeartbeatInterval\",\"readonly\":false,\"value\":\"60\"}}]}}]")).AsTask().WaitAsync(Timeouts.Await);
        var answered = await configuration.Task.WaitAsync(Timeouts.Await);
        Assert.Equal("60", Assert.Single(answered.ConfigurationKey!).Value);
    }

    [Fact]
    public async Task EachCall_GetsItsOwnDiScope_DisposedAfterTheAnswer_AndScopedInterfaceHandlersAreNewPerCall()
    {
        var probes = new ProbeLog();
        await using var host = await CentralSystemHost.StartAsync(
            b => b.AddCoreHandler<ScopedCoreHandler>(),
            services: s => s.AddSingleton(probes).AddScoped<ScopedProbe>());
        var (transport, _) = await ConnectRawAsync(host, "CP-D");
        await using var _ = transport;
        await Frames.ExchangeAsync(transport, "[2,\"1\",\"Heartbeat\",{}]");
        await Frames.ExchangeAsync(transport, "[2,\"2\",\"Heartbeat\",{}]");

        Assert.Equal(2, probes.Handlers.Count);
        Assert.NotSame(probes.Handlers[0], probes.Handlers[1]);
        Assert.Equal(2, probes.Probes.Count);
        Assert.NotSame(probes.Probes[0], probes.Probes[1]);
        await CentralSystemHost.WaitUntilAsync(() => probes.Probes.All(p => p.Disposed), "both scopes are disposed");
    }

    [Fact]
    public async Task DelegateHandler_SeesTheChargePointAndAScopedProvider()
    {
        await using var host = await CentralSystemHost.StartAsync(
            b => b.Handle((OcppCallContext c, AuthorizeRequest r, CancellationToken ct) =>
            {
                var probe = c.Services.GetRequiredService<ScopedProbe>();
                Assert.Same(probe, c.Services.GetRequiredService<ScopedProbe>());
                return ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = r.IdTag == c.ChargePoint.Id ? AuthorizationStatus.Accepted : AuthorizationStatus.Invalid } });
            }),
            services: s => s.AddSingleton(new ProbeLog()).AddScoped<ScopedProbe>());
        var (transport, _) = await ConnectRawAsync(host, "CP-X");
        await using var _ = transport;
        Assert.Equal("Accepted", (await Frames.ExchangeAsync(transport, "[2,\"1\",\"Authorize\",{\"idTag\":\"CP-X\"}]"))[2].GetProperty("idTagInfo").GetProperty("status").GetString());
        Assert.Equal("Invalid", (await Frames.ExchangeAsync(transport, "[2,\"2\",\"Authorize\",{\"idTag\":\"OTHER\"}]"))[2].GetProperty("idTagInfo").GetProperty("status").GetString());
    }

    [Fact]
    public void TwoAnswerersForOneAction_FailWhenRegistered()
    {
        var services = new ServiceCollection();
        var builder = services.AddOcpp16CentralSystem().AddCoreHandler<ScopedCoreHandler>();
        Assert.Throws<InvalidOperationException>(() => builder.Handle((OcppCallContext c, AuthorizeRequest r, CancellationToken ct) => ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } })));
        Assert.Throws<InvalidOperationException>(() => builder.AddCoreHandler<ScopedCoreHandler>());

        var other = new ServiceCollection().AddOcpp16CentralSystem()
            .Handle((OcppCallContext c, FirmwareStatusNotificationRequest r, CancellationToken ct) => ValueTask.FromResult(new FirmwareStatusNotificationResponse()));
        Assert.Throws<InvalidOperationException>(() => other.Handle((OcppCallContext c, FirmwareStatusNotificationRequest r, CancellationToken ct) => ValueTask.FromResult(new FirmwareStatusNotificationResponse())));
        Assert.Throws<InvalidOperationException>(() => other.AddFirmwareManagementHandler<NoFirmwareHandler>());
        Assert.Throws<ArgumentException>(() => other.Handle((OcppCallContext c, ResetRequest r, CancellationToken ct) => ValueTask.FromResult(new ResetResponse { Status = ResetStatus.Accepted })));
    }

    [Fact]
    public async Task Registry_RefusesUnknownIdentitiesWith404_BeforeAuthentication()
    {
        var registry = new InMemoryChargePointRegistry();
        registry.Add(new ChargePointRegistration("CP-KNOWN"));
        await using var host = await CentralSystemHost.StartAsync(b => b.AddChargePointRegistry(registry));
        Assert.Equal(HttpStatusCode.NotFound, (await CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-UNKNOWN"))).Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-KNOWN"))).Status);
    }

    private sealed class ProbeLog
    {
        public List<ScopedCoreHandler> Handlers { get; } = [];

        public List<ScopedProbe> Probes { get; } = [];
    }

    private sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class NoFirmwareHandler : ICentralSystemFirmwareManagementHandler
    {
        public ValueTask<DiagnosticsStatusNotificationResponse> OnDiagnosticsStatusNotificationAsync(ConnectedChargePoint chargePoint, DiagnosticsStatusNotificationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<FirmwareStatusNotificationResponse> OnFirmwareStatusNotificationAsync(ConnectedChargePoint chargePoint, FirmwareStatusNotificationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class ScopedCoreHandler(ProbeLog log, ScopedProbe probe) : ICentralSystemCoreHandler
    {
        public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
        {
            lock (log)
            {
                log.Handlers.Add(this);
                log.Probes.Add(probe);
            }

            return ValueTask.FromResult(new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        }

        public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
