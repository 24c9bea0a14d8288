using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>The defects listed in issue 11, each pinned by a test that failed before its fix.</summary>
public sealed class DefectRegressionTests
{
    [Fact]
    public async Task ConnectedSubscriberThrowing_DoesNotLeakTheRegistration_OrTheConnectedGauge()
    {
        await using var host = await CentralSystemHost.StartAsync();
        host.CentralSystem.ChargePointConnected += (_, _) => throw new InvalidOperationException("subscriber bug");
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.CentralSystem.ChargePointDisconnected += (_, e) => disconnected.TrySetResult();

        var transport = await OcppWebSocketClient.ConnectAsync(host.Uri("/ocpp/"), "CP-T").WaitAsync(Timeouts.Await);
        await CentralSystemHost.WaitUntilAsync(() => host.CentralSystem.TryGetChargePoint("CP-T", out _), "CP-T is registered");
        var served = await Frames.ExchangeAsync(transport, "[2,\"h\",\"Heartbeat\",{}]");
        Assert.Equal(3, served[0].GetInt32());

        await transport.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null).AsTask().WaitAsync(Timeouts.Await);
        await transport.DisposeAsync();
        await disconnected.Task.WaitAsync(Timeouts.Await);
        Assert.False(host.CentralSystem.TryGetChargePoint("CP-T", out _));
        Assert.Equal(0, host.CentralSystem.ConnectedCount);
    }

    [Fact]
    public async Task RejectNew_TwoSimultaneousHandshakesWithOneIdentity_OnlyOneIsAdmitted()
    {
        var gate = new GatedAuthenticator();
        await using var host = await CentralSystemHost.StartAsync(
            options: o => o.DuplicateConnections = DuplicateConnectionPolicy.RejectNew,
            services: s => s.AddSingleton<IChargePointAuthenticator>(gate));

        var first = CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-R"), keepOpen: true);
        await gate.Entered.Task.WaitAsync(Timeouts.Await);

        // The first handshake is inside the authenticator: the second one must be refused, not authenticated in parallel.
        var (second, _) = await CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-R"));
        Assert.Equal(HttpStatusCode.Conflict, second);

        gate.Release.TrySetResult();
        var (status, socket) = await first;
        using (socket)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            Assert.Equal(1, gate.Calls);
        }
    }

    [Fact]
    public async Task PlainGetOrWrongSubprotocol_IsRefusedBeforeTheAuthenticatorRuns()
    {
        var gate = new GatedAuthenticator();
        gate.Release.TrySetResult();
        await using var host = await CentralSystemHost.StartAsync(services: s => s.AddSingleton<IChargePointAuthenticator>(gate));
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(host.Root.Replace("ws://", "http://", StringComparison.Ordinal) + "/ocpp/CP-1")).WaitAsync(Timeouts.Await);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, gate.Calls);

        var (upgraded, _) = await CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-1"), CentralSystemHost.Basic("CP-1", "x"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, upgraded);
        Assert.Equal(1, gate.Calls);
    }

    [Fact]
    public async Task Identity_IsTheChargePointIdRouteValue_NotTheLastPathSegment()
    {
        await using var host = await CentralSystemHost.StartAsync(pattern: "/ocpp/{chargePointId}/ws");
        var (status, socket) = await CentralSystemHost.HandshakeAsync(host.Uri("/ocpp/CP-7/ws"), keepOpen: true);
        using (socket)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            await CentralSystemHost.WaitUntilAsync(() => host.CentralSystem.ChargePoints.Count == 1, "one charge point is connected");
            Assert.Equal("CP-7", Assert.Single(host.CentralSystem.ChargePoints).Id);
        }
    }

    [Theory]
    [InlineData("/ocpp/CP%3A1")]
    [InlineData("/ocpp/CP:1")]
    public async Task IdentityWithColon_IsRefused400_SinceBasicAuthCouldNeverMatchIt(string path)
    {
        await using var host = await CentralSystemHost.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await CentralSystemHost.HandshakeAsync(host.Uri(path))).Status);
    }

    [Fact]
    public async Task InvalidOptions_StopTheStart_WithAMessageNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOcpp16CentralSystem(o =>
        {
            o.MaxIdentityLength = 0;
            o.CallTimeout = TimeSpan.Zero;
        });
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync().WaitAsync(Timeouts.Await));
        Assert.Contains("CentralSystemOptions.MaxIdentityLength", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CentralSystemOptions.CallTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_BindFromConfiguration_AndAreValidated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ocpp:CallTimeout"] = "00:00:07",
            ["Ocpp:MaxIdentityLength"] = "20",
            ["Ocpp:HeartbeatInterval"] = "00:01:00",
            ["Ocpp:DuplicateConnections"] = "RejectNew",
            ["Ocpp:ActionTimeouts:GetDiagnostics"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddOcpp16CentralSystem(configuration.GetSection("Ocpp"));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<CentralSystemOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), options.CallTimeout);
        Assert.Equal(20, options.MaxIdentityLength);
        Assert.Equal(TimeSpan.FromMinutes(1), options.HeartbeatInterval);
        Assert.Equal(DuplicateConnectionPolicy.RejectNew, options.DuplicateConnections);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ActionTimeouts["GetDiagnostics"]);

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ocpp:ActionTimeouts:Frobnicate"] = "00:00:01" }).Build();
        var badServices = new ServiceCollection();
        badServices.AddOcpp16CentralSystem(bad.GetSection("Ocpp"));
        using var badProvider = badServices.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<CentralSystemOptions>>().Value);
        Assert.Contains("ActionTimeouts: 'Frobnicate'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentAuthentications_AreBoundedByMaxConcurrentAuthentications()
    {
        var gate = new GatedAuthenticator();
        await using var host = await CentralSystemHost.StartAsync(
            options: o => o.MaxConcurrentAuthentications = 2,
            services: s => s.AddSingleton<IChargePointAuthenticator>(gate));

        var handshakes = Enumerable.Range(1, 6).Select(i => CentralSystemHost.HandshakeAsync(host.Uri($"/ocpp/CP-{i}"))).ToList();
        await CentralSystemHost.WaitUntilAsync(() => gate.Calls >= 2, "two authentications run");
        gate.Release.TrySetResult();
        var results = await Task.WhenAll(handshakes).WaitAsync(Timeouts.Await);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.SwitchingProtocols, r.Status));
        Assert.Equal(6, gate.Calls);
        Assert.Equal(2, gate.MaxConcurrent);
    }

    [Fact]
    public async Task ActionTimeouts_ApplyToTypedCalls_AndAnExplicitTimeoutWins()
    {
        await using var host = await CentralSystemHost.StartAsync(options: o =>
        {
            o.CallTimeout = TimeSpan.FromSeconds(30);
            o.ActionTimeouts["Reset"] = TimeSpan.FromMilliseconds(200);
        });
        await using var transport = await OcppWebSocketClient.ConnectAsync(host.Uri("/ocpp/"), "CP-S").WaitAsync(Timeouts.Await);
        await CentralSystemHost.WaitUntilAsync(() => host.CentralSystem.TryGetChargePoint("CP-S", out _), "CP-S is connected");
        host.CentralSystem.TryGetChargePoint("CP-S", out var cp);

        // The charge point never answers: the per-action timeout (200 ms), not the 30 s default, ends the call.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<OcppTimeoutException>(() => cp!.ResetAsync(new ResetRequest { Type = ResetType.Soft }).WaitAsync(Timeouts.Await));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.Equal(TimeSpan.FromMilliseconds(200), ex.Timeout);

        var explicitTimeout = await Assert.ThrowsAsync<OcppTimeoutException>(() => cp!.ClearCacheAsync(new ClearCacheRequest(), TimeSpan.FromMilliseconds(150)).WaitAsync(Timeouts.Await));
        Assert.Equal(TimeSpan.FromMilliseconds(150), explicitTimeout.Timeout);
    }

    private sealed class GatedAuthenticator : IChargePointAuthenticator
    {
        private int _calls;
        private int _running;
        private int _maxConcurrent;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public async ValueTask<bool> AuthenticateAsync(ChargePointAuthenticationContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var running = Interlocked.Increment(ref _running);
            int seen;
            while (running > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, running, seen) != seen)
            {
            }

            Entered.TrySetResult();
            await Release.Task.WaitAsync(Timeouts.Await, cancellationToken);
            Interlocked.Decrement(ref _running);
            return true;
        }
    }
}
