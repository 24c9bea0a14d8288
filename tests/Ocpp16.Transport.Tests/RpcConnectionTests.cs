using System.Text.Json;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Tests;

public sealed class RpcConnectionTests
{
    [Fact]
    public async Task CallAsync_WhenPeerAnswersCallResult_ReturnsCopiedPayload()
    {
        await using var h = new Harness();
        var call = h.Connection.CallAsync("Reset", new RawJson("{\"type\":\"Soft\"}")).AsTask();
        var (id, action, payload) = Harness.ParseCall((await h.ReceiveAsync())!);
        Assert.Equal("Reset", action);
        Assert.Equal("{\"type\":\"Soft\"}", payload);
        Assert.InRange(id.Length, 1, 36);

        await h.SendAsync("[3,\"" + id + "\",{\"status\":\"Accepted\"}]");
        var result = await call.WaitAsync(Timeouts.Await);

        Assert.Equal(OcppCallStatus.Result, result.Status);
        Assert.Equal(id, result.UniqueId);
        Assert.Equal("{\"status\":\"Accepted\"}", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal("{\"status\":\"Accepted\"}", Encoding.UTF8.GetString(result.EnsureSuccess().Span));
    }

    [Fact]
    public async Task CallAsync_ConcurrentCallers_EachGetsItsOwnAnswer()
    {
        await using var h = new Harness();
        var calls = new List<Task<OcppCallResult>>();
        for (var i = 0; i < 5; i++)
        {
            calls.Add(h.Connection.CallAsync("Action" + i, new RawJson("{\"i\":" + i + "}")).AsTask());
        }

        for (var i = 0; i < 5; i++)
        {
            var (id, action, _) = Harness.ParseCall((await h.ReceiveAsync())!);
            await h.SendAsync("[3,\"" + id + "\",{\"action\":\"" + action + "\"}]");
        }

        var results = await Task.WhenAll(calls).WaitAsync(Timeouts.Await);
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(OcppCallStatus.Result, results[i].Status);
            Assert.Equal("{\"action\":\"Action" + i + "\"}", Encoding.UTF8.GetString(results[i].Payload.Span));
            Assert.True(ids.Add(results[i].UniqueId));
        }
    }

    [Fact]
    public async Task CallAsync_SecondCall_IsNotSentUntilFirstIsAnswered()
    {
        await using var h = new Harness();
        var first = h.Connection.CallAsync("First", new RawJson("{}")).AsTask();
        var (firstId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);

        var second = h.Connection.CallAsync("Second", new RawJson("{}")).AsTask();
        var nextFrame = h.ReceiveAsync();
        Assert.False(nextFrame.IsCompleted, "the second CALL went on the wire while the first was in flight");
        Assert.False(second.IsCompleted);

        await h.SendAsync("[3,\"" + firstId + "\",{}]");
        Assert.Equal(OcppCallStatus.Result, (await first.WaitAsync(Timeouts.Await)).Status);
        var (secondId, action, _) = Harness.ParseCall((await nextFrame)!);
        Assert.Equal("Second", action);
        await h.SendAsync("[3,\"" + secondId + "\",{}]");
        Assert.Equal(OcppCallStatus.Result, (await second.WaitAsync(Timeouts.Await)).Status);
    }

    [Fact]
    public async Task CallAsync_CancellingInFlightCaller_DoesNotReleaseTheNextCall()
    {
        await using var h = new Harness();
        using var cts = new CancellationTokenSource();
        var first = h.Connection.CallAsync("First", new RawJson("{}"), cancellationToken: cts.Token).AsTask();
        var (firstId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        var second = h.Connection.CallAsync("Second", new RawJson("{}")).AsTask();
        var nextFrame = h.ReceiveAsync();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeouts.Await));
        Assert.False(nextFrame.IsCompleted, "cancelling the in-flight caller released the next CALL");

        await h.SendAsync("[3,\"" + firstId + "\",{}]");
        var (secondId, action, _) = Harness.ParseCall((await nextFrame)!);
        Assert.Equal("Second", action);
        await h.SendAsync("[3,\"" + secondId + "\",{\"ok\":1}]");
        Assert.Equal("{\"ok\":1}", Encoding.UTF8.GetString((await second.WaitAsync(Timeouts.Await)).Payload.Span));
        Assert.Equal(0, h.Connection.LateResponseCount);
    }

    [Fact]
    public async Task CallAsync_CancelledWhileQueued_LeavesTheQueue()
    {
        await using var h = new Harness();
        var first = h.Connection.CallAsync("First", new RawJson("{}")).AsTask();
        var (firstId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        using var cts = new CancellationTokenSource();
        var queued = h.Connection.CallAsync("Queued", new RawJson("{}"), cancellationToken: cts.Token).AsTask();
        var third = h.Connection.CallAsync("Third", new RawJson("{}")).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Timeouts.Await));

        await h.SendAsync("[3,\"" + firstId + "\",{}]");
        await first.WaitAsync(Timeouts.Await);
        var (thirdId, action, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        Assert.Equal("Third", action);
        await h.SendAsync("[3,\"" + thirdId + "\",{}]");
        Assert.Equal(OcppCallStatus.Result, (await third.WaitAsync(Timeouts.Await)).Status);
    }

    [Fact]
    public async Task CallAsync_WhenNoAnswer_TimesOutAndLateAnswerIsDroppedAndCounted()
    {
        var time = new ManualTimeProvider();
        await using var h = new Harness(timeProvider: time);
        var first = h.Connection.CallAsync("Slow", new RawJson("{}"), TimeSpan.FromSeconds(5)).AsTask();
        var (firstId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var timedOut = await first.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Timeout, timedOut.Status);
        var ex = Assert.Throws<OcppTimeoutException>(() => timedOut.EnsureSuccess());
        Assert.Equal("Slow", ex.Action);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.Timeout);

        // The next CALL goes out; the late answer to the first arrives before the second's answer.
        var second = h.Connection.CallAsync("Next", new RawJson("{}")).AsTask();
        var (secondId, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[3,\"" + firstId + "\",{\"late\":true}]");
        Assert.False(second.IsCompleted);
        await h.SendAsync("[3,\"" + secondId + "\",{\"late\":false}]");
        var secondResult = await second.WaitAsync(Timeouts.Await);
        Assert.Equal("{\"late\":false}", Encoding.UTF8.GetString(secondResult.Payload.Span));
        Assert.Equal(1, h.Connection.LateResponseCount);
        await h.ProbeAsync();
    }

    [Fact]
    public async Task CallAsync_ActionTimeout_OverridesTheDefaultForThatActionOnly()
    {
        var time = new ManualTimeProvider();
        var options = new OcppRpcOptions { DefaultCallTimeout = TimeSpan.FromSeconds(5) };
        options.ActionTimeouts["Slow"] = TimeSpan.FromSeconds(60);
        await using var h = new Harness(options: options, timeProvider: time);

        var slow = h.Connection.CallAsync("Slow", new RawJson("{}")).AsTask();
        var slowFrame = await h.ReceiveAsync();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(slow.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var slowResult = await slow.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Timeout, slowResult.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), slowResult.Timeout);

        var fast = h.Connection.CallAsync("Fast", new RawJson("{}")).AsTask();
        await h.ReceiveAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var fastResult = await fast.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Timeout, fastResult.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), fastResult.Timeout);
        Assert.NotNull(slowFrame);
    }

    [Fact]
    public async Task CallAsync_BeyondMaxQueuedCalls_IsRefusedAtOnce_WhileQueuedOnesStillGoOutInOrder()
    {
        await using var h = new Harness(options: new OcppRpcOptions { MaxQueuedCalls = 2 });
        var first = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        var firstFrame = await h.ReceiveAsync();
        var second = h.Connection.CallAsync("B", new RawJson("{}")).AsTask();
        var third = h.Connection.CallAsync("C", new RawJson("{}")).AsTask();
        var refused = await Assert.ThrowsAsync<OcppException>(() => h.Connection.CallAsync("D", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await));
        Assert.Contains("queued", refused.Message, StringComparison.Ordinal);

        await h.SendAsync("[3," + JsonDocument.Parse(firstFrame!).RootElement[1].GetRawText() + ",{}]");
        Assert.Equal(OcppCallStatus.Result, (await first.WaitAsync(Timeouts.Await)).Status);
        var secondFrame = await h.ReceiveAsync();
        Assert.Contains("\"B\"", secondFrame, StringComparison.Ordinal);
        await h.SendAsync("[3," + JsonDocument.Parse(secondFrame!).RootElement[1].GetRawText() + ",{}]");
        var thirdFrame = await h.ReceiveAsync();
        Assert.Contains("\"C\"", thirdFrame, StringComparison.Ordinal);
        await h.SendAsync("[3," + JsonDocument.Parse(thirdFrame!).RootElement[1].GetRawText() + ",{}]");
        Assert.Equal(OcppCallStatus.Result, (await third.WaitAsync(Timeouts.Await)).Status);
        Assert.Equal(OcppCallStatus.Result, (await second.WaitAsync(Timeouts.Await)).Status);
    }

    [Fact]
    public async Task CloseAsync_LetsTheCallInFlightBeAnswered_AndSendsNoNewCall()
    {
        await using var h = new Harness(options: new OcppRpcOptions { GracefulCloseTimeout = TimeSpan.FromSeconds(10) });
        var inFlight = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        var frame = await h.ReceiveAsync();
        var closing = h.Connection.CloseAsync();
        await Task.Delay(100);
        Assert.False(closing.IsCompleted);

        var refused = await h.Connection.CallAsync("B", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Disconnected, refused.Status);

        await h.SendAsync("[3," + JsonDocument.Parse(frame!).RootElement[1].GetRawText() + ",{\"late\":false}]");
        var answered = await inFlight.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Result, answered.Status);
        await closing.WaitAsync(Timeouts.Await);
    }

    [Fact]
    public async Task CloseAsync_GivesUpWaitingAfterTheGracefulCloseTimeout()
    {
        await using var h = new Harness(options: new OcppRpcOptions { GracefulCloseTimeout = TimeSpan.FromMilliseconds(200) });
        var inFlight = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        await h.ReceiveAsync();
        await h.Connection.CloseAsync().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Disconnected, (await inFlight.WaitAsync(Timeouts.Await)).Status);
    }

    [Fact]
    public async Task CallAsync_DefaultTimeout_ComesFromOptions()
    {
        var time = new ManualTimeProvider();
        await using var h = new Harness(options: new OcppRpcOptions { DefaultCallTimeout = TimeSpan.FromSeconds(7) }, timeProvider: time);
        var call = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        await h.ReceiveAsync();
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(OcppCallStatus.Timeout, (await call.WaitAsync(Timeouts.Await)).Status);
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public async Task CallAsync_WhenPeerAnswersCallError_ReturnsErrorAndEnsureSuccessThrows()
    {
        await using var h = new Harness();
        var call = h.Connection.CallAsync("Reset", new RawJson("{}")).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[4,\"" + id + "\",\"NotSupported\",\"not here\",{\"reason\":\"x\"}]");

        var result = await call.WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Error, result.Status);
        Assert.Equal(OcppErrorCode.NotSupported, result.ErrorCode);
        Assert.Equal("NotSupported", result.RawErrorCode);
        Assert.Equal("not here", result.ErrorDescription);
        Assert.Equal("{\"reason\":\"x\"}", Encoding.UTF8.GetString(result.ErrorDetails.Span));
        var ex = Assert.Throws<OcppCallErrorException>(() => result.EnsureSuccess());
        Assert.Equal(OcppErrorCode.NotSupported, ex.ErrorCode);
        Assert.Equal("not here", ex.ErrorDescription);
        Assert.Equal("{\"reason\":\"x\"}", ex.ErrorDetailsJson);
    }

    [Theory]
    [InlineData("SomethingNew", OcppErrorCode.GenericError)]
    [InlineData("OccurenceConstraintViolation", OcppErrorCode.OccurenceConstraintViolation)]
    [InlineData("OccurrenceConstraintViolation", OcppErrorCode.OccurenceConstraintViolation)]
    [InlineData("FormatViolation", OcppErrorCode.FormationViolation)]
    [InlineData("FormationViolation", OcppErrorCode.FormationViolation)]
    public async Task CallAsync_CallErrorCodes_AreMappedAndRawStringKept(string rawCode, OcppErrorCode expected)
    {
        await using var h = new Harness();
        var call = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[4,\"" + id + "\",\"" + rawCode + "\",\"d\",{}]");
        var result = await call.WaitAsync(Timeouts.Await);
        Assert.Equal(expected, result.ErrorCode);
        Assert.Equal(rawCode, result.RawErrorCode);
        Assert.Null(Assert.Throws<OcppCallErrorException>(() => result.EnsureSuccess()).ErrorDetailsJson);
        await h.ProbeAsync();
    }

    [Fact]
    public async Task CallOrThrowAsync_WhenCallError_Throws()
    {
        await using var h = new Harness();
        var call = h.Connection.CallOrThrowAsync("A", new RawJson("{}")).AsTask();
        var (id, _, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        await h.SendAsync("[4,\"" + id + "\",\"SecurityError\",\"no\",{}]");
        var ex = await Assert.ThrowsAsync<OcppCallErrorException>(() => call.WaitAsync(Timeouts.Await));
        Assert.Equal(OcppErrorCode.SecurityError, ex.ErrorCode);
    }

    [Fact]
    public async Task Handler_ReturningError_SendsExactCallError()
    {
        var handler = new DelegateHandler((_, _) => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotSupported, "no")));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"NotSupported\",\"no\",{}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_ReturningErrorWithDetails_SendsDetails()
    {
        var handler = new DelegateHandler((_, _) => ValueTask.FromResult(OcppResponse.Error(OcppErrorCode.NotImplemented, "unknown action", new RawJson("{\"action\":\"Foo\"}"))));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Foo\",{}]");
        Assert.Equal("[4,\"h1\",\"NotImplemented\",\"unknown action\",{\"action\":\"Foo\"}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_Throwing_SendsGenericInternalError()
    {
        var handler = new DelegateHandler((_, _) => throw new InvalidOperationException("secret detail"));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"InternalError\",\"An internal error occurred while processing the request.\",{}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_ThrowingAfterAwait_SendsGenericInternalError()
    {
        var handler = new DelegateHandler(async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("secret detail");
        });
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"InternalError\",\"An internal error occurred while processing the request.\",{}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_Throwing_WithDetailedErrors_SendsExceptionMessage()
    {
        var handler = new DelegateHandler((_, _) => throw new InvalidOperationException("secret detail"));
        await using var h = new Harness(handler, new OcppRpcOptions { DetailedErrors = true });
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"InternalError\",\"secret detail\",{}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_ThrowingOcppCallErrorException_SendsItsCode()
    {
        var handler = new DelegateHandler((_, _) => throw new OcppCallErrorException(OcppErrorCode.OccurenceConstraintViolation, "idTag missing", "{\"path\":\"$.idTag\"}"));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Authorize\",{}]");
        Assert.Equal("[4,\"h1\",\"OccurenceConstraintViolation\",\"idTag missing\",{\"path\":\"$.idTag\"}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_ResponsePayloadFailsToWrite_SendsInternalError()
    {
        var handler = new DelegateHandler((call, _) => call.Action == "Reset"
            ? ValueTask.FromResult(OcppResponse.Result(new ThrowingJson()))
            : DelegateHandler.Echo.HandleAsync(call, CancellationToken.None));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"InternalError\",\"An internal error occurred while processing the request.\",{}]", await h.ReceiveAsync());
        await h.ProbeAsync();
    }

    [Fact]
    public async Task Handler_ReturningDefaultResponse_SendsInternalError()
    {
        var handler = new DelegateHandler((_, _) => ValueTask.FromResult(default(OcppResponse)));
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"h1\",\"Reset\",{}]");
        Assert.Equal("[4,\"h1\",\"InternalError\",\"An internal error occurred while processing the request.\",{}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_MakingItsOwnCall_DoesNotDeadlockTheReceiveLoop()
    {
        OcppRpcConnection? connection = null;
        var handler = new DelegateHandler(async (call, ct) =>
        {
            if (call.Action != "BootNotification")
            {
                return OcppResponse.Result(new RawJson("{}"));
            }

            // Payload must be read before the first await (contract); then call the peer from inside the handler.
            var config = await connection!.CallOrThrowAsync("GetConfiguration", new RawJson("{}"), cancellationToken: ct);
            return OcppResponse.Result(new RawJson(Encoding.UTF8.GetString(config.Span)));
        });
        await using var h = new Harness(handler);
        connection = h.Connection;

        await h.SendAsync("[2,\"boot-1\",\"BootNotification\",{}]");
        var (id, action, _) = Harness.ParseCall((await h.ReceiveAsync())!);
        Assert.Equal("GetConfiguration", action);
        await h.SendAsync("[3,\"" + id + "\",{\"configurationKey\":[]}]");
        Assert.Equal("[3,\"boot-1\",{\"configurationKey\":[]}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_PendingAsync_LoopKeepsServingOtherCalls()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (call, _) =>
        {
            var payload = Encoding.UTF8.GetString(call.Payload.Span);
            if (call.Action == "Slow")
            {
                await gate.Task;
            }

            return OcppResponse.Result(new RawJson(payload));
        });
        await using var h = new Harness(handler);
        await h.SendAsync("[2,\"slow-1\",\"Slow\",{\"s\":1}]");
        await h.ProbeAsync();
        gate.SetResult();
        Assert.Equal("[3,\"slow-1\",{\"s\":1}]", await h.ReceiveAsync());
    }

    [Fact]
    public async Task TwoConnections_CallBothWays_OverInMemoryPair()
    {
        var (cpTransport, csTransport) = InMemoryOcppTransport.CreatePair();
        await using var cp = new OcppRpcConnection(cpTransport, new DelegateHandler((c, _) =>
            ValueTask.FromResult(OcppResponse.Result(new RawJson("{\"status\":\"Accepted\",\"to\":\"" + c.Action + "\"}")))));
        await using var cs = new OcppRpcConnection(csTransport, new DelegateHandler((c, _) =>
            ValueTask.FromResult(OcppResponse.Result(new RawJson("{\"interval\":300,\"to\":\"" + c.Action + "\"}")))));
        var cpRun = cp.RunAsync();
        var csRun = cs.RunAsync();

        var boot = await cp.CallAsync("BootNotification", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal("{\"interval\":300,\"to\":\"BootNotification\"}", Encoding.UTF8.GetString(boot.Payload.Span));
        var reset = await cs.CallAsync("Reset", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal("{\"status\":\"Accepted\",\"to\":\"Reset\"}", Encoding.UTF8.GetString(reset.Payload.Span));

        await cs.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        var cpClose = await cpRun.WaitAsync(Timeouts.Await);
        var csClose = await csRun.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, cpClose.CloseStatus);
        Assert.Equal("bye", cpClose.CloseDescription);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, csClose.CloseStatus);
    }

    [Fact]
    public async Task Disconnect_FailsInFlightAndQueuedCallsAtOnce()
    {
        await using var h = new Harness(options: new OcppRpcOptions { DefaultCallTimeout = Timeout.InfiniteTimeSpan });
        var first = h.Connection.CallAsync("A", new RawJson("{}")).AsTask();
        await h.ReceiveAsync();
        var queued = h.Connection.CallAsync("B", new RawJson("{}")).AsTask();

        await h.Peer.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "going away");
        var info = await h.Run.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, info.CloseStatus);
        Assert.Equal("going away", info.CloseDescription);
        Assert.False(info.IsCancelled);

        var results = await Task.WhenAll(first, queued).WaitAsync(Timeouts.Await);
        Assert.All(results, r => Assert.Equal(OcppCallStatus.Disconnected, r.Status));
        Assert.Throws<OcppConnectionClosedException>(() => results[0].EnsureSuccess());

        var after = await h.Connection.CallAsync("C", new RawJson("{}")).AsTask().WaitAsync(Timeouts.Await);
        Assert.Equal(OcppCallStatus.Disconnected, after.Status);
        Assert.True(h.Connection.IsDisconnected);
    }

    [Fact]
    public async Task RunAsync_WhenCancelled_ReturnsAndFailsPendingCalls()
    {
        var (peer, transport) = InMemoryOcppTransport.CreatePair();
        await using var connection = new OcppRpcConnection(transport, DelegateHandler.Echo);
        using var cts = new CancellationTokenSource();
        var run = connection.RunAsync(cts.Token);
        var call = connection.CallAsync("A", new RawJson("{}")).AsTask();

        await cts.CancelAsync();
        var info = await run.WaitAsync(Timeouts.Await);
        Assert.True(info.IsCancelled);
        Assert.Equal(OcppCallStatus.Disconnected, (await call.WaitAsync(Timeouts.Await)).Status);

        // The peer learns about the end of the connection.
        var buffer = new ArrayBufferWriter<byte>();
        OcppReceiveResult received;
        do
        {
            received = await peer.ReceiveAsync(buffer).AsTask().WaitAsync(Timeouts.Await);
        }
        while (!received.IsClose);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, received.CloseStatus);
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.RunAsync());
    }

    [Fact]
    public async Task DisposeAsync_ClosesPeerAndEndsLoop()
    {
        var h = new Harness();
        await h.Connection.DisposeAsync();
        Assert.Null(await h.ReceiveAsync());
        var info = await h.Run.WaitAsync(Timeouts.Await);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, info.CloseStatus);
        await h.DisposeAsync();
    }
}
