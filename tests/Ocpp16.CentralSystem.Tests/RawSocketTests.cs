using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>
/// Raw WebSocket input through the Central System's whole receive loop (the zero-byte wait, then the rest of the
/// message) on real Kestrel: empty and fragmented text messages, binary and oversize messages.
/// </summary>
public sealed class RawSocketTests
{
    private static async Task<ClientWebSocket> ConnectAsync(TestServer server, string identity)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(server.BaseUri, identity), CancellationToken.None).WaitAsync(Timeouts.Await);
        return socket;
    }

    private static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().WaitAsync(Timeouts.Await);
            length += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
    }

    /// <summary>A DataTransfer CALL padded (in its data) to exactly <paramref name="length"/> UTF-8 bytes.</summary>
    private static byte[] DataTransferFrame(string uniqueId, int length)
    {
        var frame = $"[2,\"{uniqueId}\",\"DataTransfer\",{{\"vendorId\":\"V\",\"data\":\"\"}}]";
        frame = frame.Replace("\"data\":\"\"", "\"data\":\"" + new string('x', length - frame.Length) + "\"", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(frame);
        Assert.Equal(length, bytes.Length);
        return bytes;
    }

    [Fact]
    public async Task EmptyTextMessage_GetsNoAnswer_AndAFragmentedCallAfterItIsAnswered()
    {
        await using var server = await TestServer.StartAsync();
        using var socket = await ConnectAsync(server, "CP-RAW-1");

        // An empty text message is not JSON: no answer (docs/wire-behaviour.md), the connection lives on.
        await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        // A CALL split over three WebSocket frames is one message.
        var call = Encoding.UTF8.GetBytes("[2,\"frag-1\",\"Heartbeat\",{}]");
        await socket.SendAsync(call.AsMemory(0, 5), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await socket.SendAsync(call.AsMemory(5, 10), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await socket.SendAsync(call.AsMemory(15), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var (type, text) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Text, type);
        using var answer = JsonDocument.Parse(text);
        Assert.Equal(3, answer.RootElement[0].GetInt32());
        Assert.Equal("frag-1", answer.RootElement[1].GetString());
        Assert.Equal("2026-01-02T03:04:05.000Z", answer.RootElement[2].GetProperty("currentTime").GetString());

        Assert.True(server.CentralSystem.TryGetChargePoint("CP-RAW-1", out var chargePoint));
        Assert.False(chargePoint.IsDisconnected);
        Assert.Equal(1, chargePoint.Connection.BadMessageCount);
    }

    [Fact]
    public async Task BinaryMessage_IsAnsweredWithClose1003_AndTheChargePointIsDisconnected()
    {
        await using var server = await TestServer.StartAsync();
        var disconnected = new TaskCompletionSource<ChargePointDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.CentralSystem.ChargePointDisconnected += (_, e) => disconnected.TrySetResult(e);
        using var socket = await ConnectAsync(server, "CP-RAW-2");

        await socket.SendAsync(new byte[] { 0x5b, 0x32, 0x5d }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var (type, _) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, socket.CloseStatus);
        var e = await disconnected.Task.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, e.CloseInfo.CloseStatus);
        Assert.False(server.CentralSystem.TryGetChargePoint("CP-RAW-2", out _));
    }

    [Fact]
    public async Task MessageOverMaxMessageSize_IsAnsweredWithClose1009_WhileOneAtTheLimitIsServed()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxMessageSize = 64);
        using var socket = await ConnectAsync(server, "CP-RAW-3");

        // Exactly 64 bytes: served.
        var atLimit = DataTransferFrame("at-limit", 64);
        await socket.SendAsync(atLimit, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var (type, text) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.StartsWith("[3,\"at-limit\",{\"status\":\"Accepted\"", text, StringComparison.Ordinal);

        // One byte more: closed with 1009.
        await socket.SendAsync(DataTransferFrame("over-limit", 65), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        (type, _) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }
}
