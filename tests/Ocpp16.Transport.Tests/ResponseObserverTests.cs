namespace Ocpp16.Transport.Tests;

/// <summary><see cref="IOcppResponseObserver"/>: told after the answer to each CALL is on the transport.</summary>
public sealed class ResponseObserverTests
{
    [Fact]
    public async Task OnResponseSent_IsCalledAfterTheAnswerFrameWasSent_ForResultAndError()
    {
        var observer = new ObservingHandler();
        await using var harness = new Harness(observer);

        await harness.SendAsync("[2,\"a1\",\"Heartbeat\",{}]");
        Assert.Equal("[3,\"a1\",{}]", await harness.ReceiveAsync());
        Assert.Equal(("a1", "Heartbeat", true), await observer.Seen.Reader.ReadAsync().AsTask().WaitAsync(Timeouts.Await));

        await harness.SendAsync("[2,\"a2\",\"Fail\",{}]");
        Assert.StartsWith("[4,\"a2\",\"SecurityError\"", await harness.ReceiveAsync(), StringComparison.Ordinal);
        Assert.Equal(("a2", "Fail", true), await observer.Seen.Reader.ReadAsync().AsTask().WaitAsync(Timeouts.Await));
    }

    private sealed class ObservingHandler : IOcppRequestHandler, IOcppResponseObserver
    {
        public System.Threading.Channels.Channel<(string, string, bool)> Seen { get; } = System.Threading.Channels.Channel.CreateUnbounded<(string, string, bool)>();

        public async ValueTask<OcppResponse> HandleAsync(OcppIncomingCall call, CancellationToken cancellationToken)
        {
            var action = call.Action;
            await Task.Yield();
            return action == "Fail"
                ? OcppResponse.Error(Messages.OcppErrorCode.SecurityError, "no", null)
                : OcppResponse.Result(new RawJson("{}"));
        }

        public void OnResponseSent(string uniqueId, string action, bool sent)
        {
            Seen.Writer.TryWrite((uniqueId, action, sent));
        }
    }
}
