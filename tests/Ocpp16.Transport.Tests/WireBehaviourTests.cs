using System.Net.WebSockets;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Tests;

/// <summary>
/// Every docs/wire-behaviour.md row the RPC connection implements: the raw frame goes over the in-memory pair, the exact
/// answer (or its absence) is checked, then a probe proves the connection still works and nothing else was sent.
/// </summary>
public sealed class WireBehaviourTests
{
    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"not\":\"an array\"}")]
    [InlineData("\"just a string\"")]
    [InlineData("[2,5,\"Heartbeat\",{}]")]
    [InlineData("[2,null,\"Heartbeat\",{}]")]
    [InlineData("[\"2\",\"abc\",\"Heartbeat\",{}]")]
    [InlineData("[2,\"abc")]
    [InlineData("")]
    public async Task BadFrame_WithoutRecoverableId_GetsNoReply_AndConnectionStays(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        await h.ProbeAsync();
        Assert.Equal(1, h.Connection.BadMessageCount);
        var bad = Assert.Single(h.BadMessages);
        Assert.Null(bad.UniqueId);
        Assert.Null(bad.ReplyCode);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(frame), bad.FrameLength);
        Assert.False(string.IsNullOrEmpty(bad.Reason));
    }

    [Theory]
    [InlineData("[2,\"abc\"")]
    [InlineData("[2,\"abc\",\"Heartbeat\",{")]
    [InlineData("[2,\"abc\",\"Heartbeat\",{\"a\":}]")]
    [InlineData("[2,\"abc\",\"Heartbeat\",{}] trailing")]
    public async Task BadFrame_StartingLikeCallWithId_GetsFormationViolationWithThatId(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        Assert.Equal("[4,\"abc\",\"FormationViolation\",\"Frame is not valid JSON\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
        Assert.Equal(1, h.Connection.BadMessageCount);
        var bad = Assert.Single(h.BadMessages);
        Assert.Equal("abc", bad.UniqueId);
        Assert.Equal(OcppErrorCode.FormationViolation, bad.ReplyCode);
    }

    [Theory]
    [InlineData("[5,\"abc\",{}]")]
    [InlineData("[0,\"abc\",\"Heartbeat\",{}]")]
    [InlineData("[42]")]
    public async Task UnknownMessageTypeId_IsIgnored_LoggedAndCounted(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        await h.ProbeAsync();
        Assert.Equal(1, h.Connection.BadMessageCount);
        Assert.Single(h.BadMessages);
    }

    [Fact]
    public async Task Call_WithEmptyUniqueId_GetsFormationViolation()
    {
        await using var h = new Harness();
        await h.SendAsync("[2,\"\",\"Heartbeat\",{}]");
        Assert.Equal("[4,\"\",\"FormationViolation\",\"Unique id is empty\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
        Assert.Equal(1, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task Call_WithUniqueIdLongerThan36_GetsPropertyConstraintViolationWithThatId()
    {
        const string id = "1234567890123456789012345678901234567";
        await using var h = new Harness();
        await h.SendAsync("[2,\"" + id + "\",\"Heartbeat\",{}]");
        Assert.Equal("[4,\"" + id + "\",\"PropertyConstraintViolation\",\"Unique id is longer than 36 characters\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
    }

    [Fact]
    public async Task Call_WithUniqueIdOf36_IsHandled()
    {
        const string id = "123456789012345678901234567890123456";
        await using var h = new Harness();
        await h.SendAsync("[2,\"" + id + "\",\"Heartbeat\",{}]");
        Assert.Equal("[3,\"" + id + "\",{}]", await h.ReceiveAsync());
        Assert.Equal(0, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task Call_ReusingIdOfCallStillBeingHandled_GetsProtocolError()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (call, _) =>
        {
            if (call.Action == "Slow")
            {
                await gate.Task;
            }

            return OcppResponse.Result(new RawJson("{\"action\":\"" + call.Action + "\"}"));
        });
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"d1\",\"Slow\",{}]");
        await h.SendAsync("[2,\"d1\",\"Heartbeat\",{}]");
        Assert.Equal("[4,\"d1\",\"ProtocolError\",\"Unique id of a CALL that is still being handled\",{}]", await h.ReceiveAsync());
        gate.SetResult();
        Assert.Equal("[3,\"d1\",{\"action\":\"Slow\"}]", await h.ReceiveAsync());

        // Once answered, the id may be used again.
        await h.SendAsync("[2,\"d1\",\"Heartbeat\",{}]");
        Assert.Equal("[3,\"d1\",{\"action\":\"Heartbeat\"}]", await h.ReceiveAsync());
        Assert.Equal(1, h.Connection.BadMessageCount);
    }

    [Theory]
    [InlineData("[2,\"p1\",\"Heartbeat\",[]]")]
    [InlineData("[2,\"p1\",\"Heartbeat\",\"{}\"]")]
    [InlineData("[2,\"p1\",\"Heartbeat\",null]")]
    [InlineData("[2,\"p1\",\"Heartbeat\",42]")]
    public async Task Call_WhosePayloadIsNotAnObject_GetsFormationViolation(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        Assert.Equal("[4,\"p1\",\"FormationViolation\",\"Payload is not a JSON object\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
    }

    [Theory]
    [InlineData("[2,\"a1\",5,{}]")]
    [InlineData("[2,\"a1\",null,{}]")]
    [InlineData("[2,\"a1\",{}]")]
    [InlineData("[2,\"a1\"]")]
    public async Task Call_WithMissingAction_GetsFormationViolation(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        Assert.Equal("[4,\"a1\",\"FormationViolation\",\"Action is missing or not a string\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
    }

    [Fact]
    public async Task Call_WithExtraElements_GetsFormationViolation()
    {
        await using var h = new Harness();
        await h.SendAsync("[2,\"x1\",\"Heartbeat\",{},{}]");
        Assert.Equal("[4,\"x1\",\"FormationViolation\",\"Frame has too many elements\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
    }

    [Theory]
    [InlineData("[3,\"never-sent\",{}]")]
    [InlineData("[4,\"never-sent\",\"GenericError\",\"x\",{}]")]
    [InlineData("[4,\"never-sent\",\"TotallyUnknownCode\",\"x\",{}]")]
    public async Task ResponseWithUnknownId_IsDroppedCountedAndNeverAnswered(string frame)
    {
        await using var h = new Harness();
        await h.SendAsync(frame);
        await h.ProbeAsync();
        Assert.Equal(1, h.Connection.LateResponseCount);
        Assert.Equal(0, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task ResponseWithUnknownId_IsNeverHandedToTheWaitingCaller()
    {
        await using var h = new Harness();
        var call = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[3,\"other-id\",{\"wrong\":true}]");
        await h.SendAsync("[4,\"other-id\",\"GenericError\",\"\",{}]");
        await h.ProbeAsync();
        Assert.False(call.IsCompleted);
        await h.SendAsync("[3,\"" + id + "\",{\"right\":true}]");
        Assert.Equal("{\"right\":true}", System.Text.Encoding.UTF8.GetString((await call.WaitAsync(Timeouts.Await)).Payload.Span));
        Assert.Equal(2, h.Connection.LateResponseCount);
    }

    [Fact]
    public async Task MalformedResponses_GetNoReply()
    {
        await using var h = new Harness();
        await h.SendAsync("[3,\"abc\"");
        await h.SendAsync("[4,\"abc\",5,\"x\",{}]");
        await h.ProbeAsync();
        Assert.Equal(2, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task ConsecutiveBadFrames_CloseWithProtocolError()
    {
        await using var h = new Harness(options: new OcppRpcOptions { MaxConsecutiveBadMessages = 3 });
        await h.SendAsync("garbage 1");
        await h.SendAsync("garbage 2");
        await h.SendAsync("[2,\"abc\"");
        Assert.Equal("[4,\"abc\",\"FormationViolation\",\"Frame is not valid JSON\",{}]", await h.ReceiveAsync());
        var close = await h.ReceiveRawAsync();
        Assert.True(close.IsClose);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, close.CloseStatus);
        var info = await h.Run.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, info.CloseStatus);
        Assert.Equal(3, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task ConsecutiveBadFrames_AreResetByAGoodFrame()
    {
        await using var h = new Harness(options: new OcppRpcOptions { MaxConsecutiveBadMessages = 3 });
        await h.SendAsync("garbage 1");
        await h.SendAsync("garbage 2");
        await h.ProbeAsync();
        await h.SendAsync("garbage 3");
        await h.SendAsync("garbage 4");
        await h.ProbeAsync();
        Assert.False(h.Run.IsCompleted);
        Assert.Equal(4, h.Connection.BadMessageCount);
    }

    [Fact]
    public async Task DefaultMaxConsecutiveBadMessages_IsTen()
    {
        Assert.Equal(10, new OcppRpcOptions().MaxConsecutiveBadMessages);
        await using var h = new Harness();
        for (var i = 0; i < 9; i++)
        {
            await h.SendAsync("garbage");
        }

        await h.ProbeAsync();
        for (var i = 0; i < 10; i++)
        {
            await h.SendAsync("garbage");
        }

        Assert.Null(await h.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.ProtocolError, (await h.Run.WaitAsync(Timeouts.Await)).CloseStatus);
    }

    [Fact]
    public async Task BadMessageEventHandlerThrowing_DoesNotBreakTheLoop()
    {
        await using var h = new Harness();
        h.Connection.BadMessage += (_, _) => throw new InvalidOperationException("subscriber bug");
        await h.SendAsync("garbage");
        await h.ProbeAsync();
        Assert.Single(h.BadMessages);
    }
}
