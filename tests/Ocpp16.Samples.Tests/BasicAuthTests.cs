using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Ocpp16.Samples.Tests;

/// <summary>
/// Contract: ChargePoints:{id}:Password — that charge point must authenticate with HTTP Basic auth (user = its id);
/// a missing or wrong password is refused at the handshake with 401.
/// </summary>
public sealed class BasicAuthTests
{
    [Fact]
    public async Task Charge_point_with_a_configured_password_must_present_it()
    {
        await using var rig = await Rig.StartAsync("--ChargePoints:CP2:Password=secret");

        // Wrong and missing password: refused with 401, never listed.
        var wrong = rig.StartCharger("CP2", "--password", "wrong");
        var none = rig.StartCharger("CP2");
        await wrong.WaitForOutputAsync("401", TimeSpan.FromSeconds(20));
        await none.WaitForOutputAsync("401", TimeSpan.FromSeconds(20));
        Assert.Null(Api.ChargePoint(await rig.Api.ChargePointsAsync(), "CP2"));
        Assert.DoesNotContain("BootNotification from", rig.Csms.Output, StringComparison.Ordinal);
        await wrong.DisposeAsync();
        await none.DisposeAsync();

        // The right password: connected and listed.
        await rig.StartConnectedChargerAsync("CP2", "--password", "secret");
    }

    [Fact]
    public async Task Handshake_with_wrong_or_missing_credentials_is_answered_401()
    {
        await using var rig = await Rig.StartAsync("--ChargePoints:CP2:Password=secret");

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(rig.Api.Port, "CP2", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(rig.Api.Port, "CP2", "CP2:wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(rig.Api.Port, "CP2", "OTHER:secret"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeStatusAsync(rig.Api.Port, "CP2", "CP2:secret"));

        // A charge point without a configured password needs none.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeStatusAsync(rig.Api.Port, "CP9", null));
    }

    private static async Task<HttpStatusCode> HandshakeStatusAsync(int port, string id, string? userColonPassword)
    {
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("ocpp1.6");
        ws.Options.CollectHttpResponseDetails = true;
        if (userColonPassword is not null)
        {
            ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword)));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{id}"), cts.Token);
        }
        catch (WebSocketException)
        {
            return ws.HttpStatusCode;
        }

        using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, close.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closing is best effort.
        }

        return ws.HttpStatusCode;
    }
}
