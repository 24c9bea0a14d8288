using System.Text.Json.Nodes;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.EndToEnd;

namespace Ocpp16.IntegrationTests.Interop;

/// <summary>
/// One of our charge points (2 simulated DC connectors) connected to ocpp-rpc in strict mode as the Central System:
/// every message is validated against the official schemas on the other side, and disposing checks that ocpp-rpc
/// reported no validation failure and no bad message.
/// </summary>
internal sealed class InteropSession : IAsyncDisposable
{
    /// <summary>How long a step may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public required NodeProcess Csms { get; init; }

    public required OcppChargePoint ChargePoint { get; init; }

    public required SimulatedChargePointHardware Hardware { get; init; }

    public required string Identity { get; init; }

    public static async Task<InteropSession> StartAsync(string identity, Action<ChargePointOptions>? configure = null, bool fixedCable = true)
    {
        var (csms, port) = await NodeInterop.StartCsmsAsync();
        var options = new ChargePointOptions
        {
            Identity = identity,
            CentralSystemUri = new Uri($"ws://127.0.0.1:{port}/ocpp"),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            ReconnectRandomRange = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var hardware = new SimulatedChargePointHardware(2, fixedCable: fixedCable);
        var chargePoint = new OcppChargePoint(options, hardware);
        await chargePoint.StartAsync();
        var session = new InteropSession { Csms = csms, ChargePoint = chargePoint, Hardware = hardware, Identity = identity };
        await session.WaitForStatusAsync(2, "Available");
        return session;
    }

    public Task<JsonObject> WaitForCallAsync(string action, Func<JsonNode, bool>? match = null)
        => Csms.WaitForAsync(l => l.IsEvent("call", action) && (match is null || match(l["params"]!)), Timeout);

    public Task<JsonObject> WaitForStatusAsync(int connectorId, string status)
        => WaitForCallAsync("StatusNotification", p => p["connectorId"]!.GetValue<int>() == connectorId && p["status"]!.GetValue<string>() == status);

    public async Task<JsonNode> CallAsync(string action, object parameters)
    {
        var line = await Csms.CallAsync(action, parameters, Identity, Timeout);
        Assert.True(line.IsEvent("result"), Csms.Transcript());
        return line["result"]!;
    }

    public async ValueTask DisposeAsync()
    {
        Assert.DoesNotContain(Csms.Lines, l => l.IsEvent("strictValidationFailure") || l.IsEvent("badMessage"));
        await ChargePoint.DisposeAsync();
        await Csms.DisposeAsync();
    }
}
