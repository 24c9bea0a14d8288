using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>MinimalCsms alone, shared by the raw WebSocket tests.</summary>
public sealed class CsmsFixture : IAsyncLifetime
{
    private Rig? _rig;

    internal Rig Rig => _rig ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _rig = await Rig.StartAsync();

    public async Task DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }
}

/// <summary>
/// Contract: charge points connect to ws://HOST:PORT/ocpp/{chargePointId} with subprotocol ocpp1.6 and speak OCPP-J.
/// Raw frames, no library on the client side.
/// </summary>
public sealed class OcppEndpointTests(CsmsFixture fixture) : IClassFixture<CsmsFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(null)]
    [InlineData("ocpp2.0.1")]
    public async Task Handshake_without_ocpp16_subprotocol_is_refused(string? subprotocol)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        if (subprotocol is not null)
        {
            ws.Options.AddSubProtocol(subprotocol);
        }

        using var cts = new CancellationTokenSource(s_timeout);
        var refused = false;
        try
        {
            await ws.ConnectAsync(Uri("RAW0"), cts.Token);
        }
        catch (WebSocketException)
        {
            refused = true;
        }

        Assert.True(refused, $"Handshake accepted (status {(int)ws.HttpStatusCode}, subprotocol '{ws.SubProtocol}').");
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, ws.HttpStatusCode);
    }

    [Fact]
    public async Task Heartbeat_is_answered_with_the_current_UTC_time_in_milliseconds()
    {
        using var ws = await ConnectAsync("RAW1");
        Assert.Equal("ocpp1.6", ws.SubProtocol);

        await SendAsync(ws, """[2,"1","Heartbeat",{}]""");
        using var reply = await ReceiveJsonAsync(ws);

        var frame = reply.RootElement;
        Assert.Equal(3, frame.GetArrayLength());
        Assert.Equal(3, frame[0].GetInt32());
        Assert.Equal("1", frame[1].GetString());
        var payload = frame[2];
        Assert.Equal(["currentTime"], payload.EnumerateObject().Select(p => p.Name));
        var currentTime = payload.GetProperty("currentTime").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", currentTime);
        var time = DateTimeOffset.ParseExact(currentTime, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Unknown_action_is_answered_NotImplemented()
    {
        using var ws = await ConnectAsync("RAW2");

        await SendAsync(ws, """[2,"2","Foo",{}]""");
        using var reply = await ReceiveJsonAsync(ws);

        AssertCallError(reply.RootElement, "2", "NotImplemented");
    }

    [Fact]
    public async Task Payload_missing_a_required_field_is_answered_OccurenceConstraintViolation()
    {
        using var ws = await ConnectAsync("RAW3");

        await SendAsync(ws, """[2,"3","BootNotification",{"chargePointVendor":"X"}]""");
        using var reply = await ReceiveJsonAsync(ws);

        AssertCallError(reply.RootElement, "3", "OccurenceConstraintViolation");
    }

    [Fact]
    public async Task Text_that_is_not_json_gets_no_reply_and_the_connection_keeps_working()
    {
        using var ws = await ConnectAsync("RAW4");

        await SendAsync(ws, "not json");
        await Task.Delay(500); // a reply to it, if any, would arrive before the Heartbeat's
        await SendAsync(ws, """[2,"4","Heartbeat",{}]""");
        using var reply = await ReceiveJsonAsync(ws);

        var frame = reply.RootElement;
        Assert.True(frame.ValueKind == JsonValueKind.Array && frame[0].GetInt32() == 3 && frame[1].GetString() == "4", $"Expected the Heartbeat's CALLRESULT first, got {frame.GetRawText()}");
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task Call_without_a_payload_is_answered_with_a_formation_or_protocol_error()
    {
        using var ws = await ConnectAsync("RAW5");

        await SendAsync(ws, """[2,"5","Heartbeat"]""");
        using var reply = await ReceiveJsonAsync(ws);

        var frame = reply.RootElement;
        Assert.Equal(4, frame[0].GetInt32());
        Assert.Equal("5", frame[1].GetString());
        Assert.Contains(frame[2].GetString(), new[] { "FormationViolation", "ProtocolError" });

        await SendAsync(ws, """[2,"6","Heartbeat",{}]""");
        using var next = await ReceiveJsonAsync(ws);
        Assert.Equal(3, next.RootElement[0].GetInt32());
        Assert.Equal("6", next.RootElement[1].GetString());
    }

    private static void AssertCallError(JsonElement frame, string uniqueId, string errorCode)
    {
        Assert.True(frame.ValueKind == JsonValueKind.Array && frame.GetArrayLength() == 5, frame.GetRawText());
        Assert.Equal(4, frame[0].GetInt32());
        Assert.Equal(uniqueId, frame[1].GetString());
        Assert.Equal(errorCode, frame[2].GetString());
        Assert.Equal(JsonValueKind.String, frame[3].ValueKind);
        Assert.Equal(JsonValueKind.Object, frame[4].ValueKind);
    }

    private Uri Uri(string id) => new($"ws://127.0.0.1:{fixture.Rig.Api.Port}/ocpp/{id}");

    private async Task<ClientWebSocket> ConnectAsync(string id)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("ocpp1.6");
        using var cts = new CancellationTokenSource(s_timeout);
        try
        {
            await ws.ConnectAsync(Uri(id), cts.Token);
        }
        catch
        {
            ws.Dispose();
            throw;
        }

        return ws;
    }

    private static async Task SendAsync(ClientWebSocket ws, string text)
    {
        using var cts = new CancellationTokenSource(s_timeout);
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
    }

    private static async Task<JsonDocument> ReceiveJsonAsync(ClientWebSocket ws)
    {
        using var cts = new CancellationTokenSource(s_timeout);
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await ws.ReceiveAsync(chunk, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No frame within {s_timeout.TotalSeconds} s.");
                throw;
            }

            Assert.True(result.MessageType == WebSocketMessageType.Text, $"Expected a text frame, got {result.MessageType} ({ws.CloseStatus} {ws.CloseStatusDescription}).");
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray());
            }
        }
    }
}
