using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem;
using Ocpp16.Messages;

namespace Ocpp16.LoadBenchmark;

/// <summary>The two .NET server roles: the library's Central System and the "ceiling" (canned answers, no validation).</summary>
internal static class Servers
{
    public static async Task<int> RunAsync(string kind, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Listen(IPAddress.Loopback, port);
        });

        WebApplication app;
        switch (kind)
        {
            case "ocpp16":
                // Default options: strict validation of every inbound and outbound payload. The constant handler needs no
                // DI scope per CALL, so it is registered as a singleton (the default, scoped, costs a scope per CALL).
                builder.Services.AddOcpp16CentralSystem().AddCoreHandler<BenchCoreHandler>(ServiceLifetime.Singleton);
                app = builder.Build();
                app.Map("/gc", ForceGc);
                app.Map("/stats", GcStats);
                app.Map("/gcinfo", GcInfo);
                app.MapOcpp16CentralSystem("/ocpp/{chargePointId}");
                break;
            case "ceiling":
                app = builder.Build();
                app.Map("/gc", ForceGc);
                app.Map("/stats", GcStats);
                app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
                app.Run(CeilingServer.HandleAsync);
                break;
            default:
                await Console.Error.WriteLineAsync($"unknown server kind '{kind}' (ocpp16|ceiling)").ConfigureAwait(false);
                return 2;
        }

        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"listening {port}");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// GET /stats: "gen0 gen1 gen2 totalPauseMs allocatedBytes jitMethods" of this process: GC figures to attribute latency
    /// outliers, and the number of methods the JIT has compiled so far (the load generator warms up until it stops
    /// growing, so that the window measures tiered-up code, not the JIT).
    /// </summary>
    private static void GcStats(IApplicationBuilder app) => app.Run(context => context.Response.WriteAsync(string.Join(' ',
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture),
        GC.GetTotalAllocatedBytes(precise: false),
        System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false))));

    /// <summary>GET /gcinfo: the last ephemeral collection's pause, promoted bytes, pinned objects and generation sizes (diagnostics).</summary>
    private static void GcInfo(IApplicationBuilder app) => app.Run(context =>
    {
        var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        return context.Response.WriteAsync(string.Join(' ',
            "index", info.Index, "gen", info.Generation, "pauseMs", info.PauseDurations[0].TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture),
            "promoted", info.PromotedBytes, "pinned", info.PinnedObjectsCount, "heap", info.HeapSizeBytes, "fragmented", info.FragmentedBytes,
            "gen0", info.GenerationInfo[0].SizeAfterBytes, "gen1", info.GenerationInfo[1].SizeAfterBytes, "gen2", info.GenerationInfo[2].SizeAfterBytes,
            "concurrent", info.Concurrent, "compacted", info.Compacted, "server", GCSettings.IsServerGC, "latency", GCSettings.LatencyMode));
    });

    /// <summary>GET /gc: a full blocking compacting collection that also returns free memory to the OS, so RSS is comparable.</summary>
    private static void ForceGc(IApplicationBuilder app) => app.Run(context =>
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return context.Response.WriteAsync("ok");
    });
}

/// <summary>The Core handler of the ocpp16 server: constant answers, as cheap as the ceiling's.</summary>
internal sealed class BenchCoreHandler : ICentralSystemCoreHandler
{
    private static readonly ValueTask<MeterValuesResponse> s_meterValues = ValueTask.FromResult(new MeterValuesResponse());
    private static readonly ValueTask<StatusNotificationResponse> s_status = ValueTask.FromResult(new StatusNotificationResponse());

    public ValueTask<AuthorizeResponse> OnAuthorizeAsync(ConnectedChargePoint chargePoint, AuthorizeRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });

    public ValueTask<BootNotificationResponse> OnBootNotificationAsync(ConnectedChargePoint chargePoint, BootNotificationRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = DateTimeOffset.UtcNow, Interval = 300 });

    public ValueTask<DataTransferResponse> OnDataTransferAsync(ConnectedChargePoint chargePoint, DataTransferRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId });

    public ValueTask<HeartbeatResponse> OnHeartbeatAsync(ConnectedChargePoint chargePoint, HeartbeatRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });

    public ValueTask<MeterValuesResponse> OnMeterValuesAsync(ConnectedChargePoint chargePoint, MeterValuesRequest request, CancellationToken cancellationToken)
        => s_meterValues;

    public ValueTask<StartTransactionResponse> OnStartTransactionAsync(ConnectedChargePoint chargePoint, StartTransactionRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new StartTransactionResponse { TransactionId = 1, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });

    public ValueTask<StatusNotificationResponse> OnStatusNotificationAsync(ConnectedChargePoint chargePoint, StatusNotificationRequest request, CancellationToken cancellationToken)
        => s_status;

    public ValueTask<StopTransactionResponse> OnStopTransactionAsync(ConnectedChargePoint chargePoint, StopTransactionRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult(new StopTransactionResponse());
}

/// <summary>
/// The ceiling: a minimal Kestrel WebSocket server. It waits for a frame with a zero-byte read (no buffer held while
/// idle), reads it into a pooled buffer, finds the unique id and action by scanning for quotes, and answers a canned
/// CALLRESULT on the same async flow (no Task.Run, no validation, no JSON parser).
/// </summary>
internal static class CeilingServer
{
    private static readonly byte[] s_bootPayload = Encoding.UTF8.GetBytes("{\"status\":\"Accepted\",\"currentTime\":\"2025-01-01T00:00:00.000Z\",\"interval\":300}");
    private static readonly byte[] s_heartbeatPayload = Encoding.UTF8.GetBytes("{\"currentTime\":\"2025-01-01T00:00:00.000Z\"}");
    private static readonly byte[] s_emptyPayload = "{}"u8.ToArray();

    public static async Task HandleAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/ocpp", StringComparison.Ordinal) || !context.WebSockets.IsWebSocketRequest
            || !context.WebSockets.WebSocketRequestedProtocols.Contains("ocpp1.6"))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var ws = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = "ocpp1.6", KeepAliveInterval = TimeSpan.Zero }).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var first = await ws.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                if (first.EndOfMessage)
                {
                    continue; // an empty message: nothing to answer
                }

                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    var length = 0;
                    var end = false;
                    while (!end)
                    {
                        if (length == buffer.Length)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan().CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }

                        var r = await ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                        if (r.MessageType == WebSocketMessageType.Close)
                        {
                            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                            return;
                        }

                        length += r.Count;
                        end = r.EndOfMessage;
                    }

                    var reply = BuildReply(buffer.AsSpan(0, length), out var replyBuffer);
                    try
                    {
                        await ws.SendAsync(replyBuffer.AsMemory(0, reply), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(replyBuffer);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection lost: nothing to do.
        }
    }

    /// <summary>[2,"id","Action",{...}] → [3,"id",{canned}] (or a NotImplemented CALLERROR for other actions).</summary>
    private static int BuildReply(ReadOnlySpan<byte> frame, out byte[] reply)
    {
        reply = ArrayPool<byte>.Shared.Rent(256);
        var idStart = frame.IndexOf((byte)'"') + 1;
        var idLength = frame[idStart..].IndexOf((byte)'"');
        if (idStart <= 0 || idLength < 0 || idLength > 64)
        {
            return Concat(reply, "[4,\"-1\",\"RpcFrameworkError\",\"\",{}]"u8, [], [], []);
        }

        var id = frame.Slice(idStart, idLength);
        var rest = frame[(idStart + idLength + 1)..];
        var actionStart = rest.IndexOf((byte)'"') + 1;
        var actionLength = rest[actionStart..].IndexOf((byte)'"');
        var action = actionStart > 0 && actionLength > 0 ? rest.Slice(actionStart, actionLength) : default;

        ReadOnlySpan<byte> payload;
        if (action.SequenceEqual("MeterValues"u8) || action.SequenceEqual("StatusNotification"u8))
        {
            payload = s_emptyPayload;
        }
        else if (action.SequenceEqual("Heartbeat"u8))
        {
            payload = s_heartbeatPayload;
        }
        else if (action.SequenceEqual("BootNotification"u8))
        {
            payload = s_bootPayload;
        }
        else
        {
            return Concat(reply, "[4,\""u8, id, "\",\"NotImplemented\",\"\",{}]"u8, []);
        }

        var n = Concat(reply, "[3,\""u8, id, "\","u8, payload);
        reply[n] = (byte)']';
        return n + 1;
    }

    private static int Concat(byte[] dest, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d)
    {
        var span = dest.AsSpan();
        a.CopyTo(span);
        b.CopyTo(span[a.Length..]);
        c.CopyTo(span[(a.Length + b.Length)..]);
        d.CopyTo(span[(a.Length + b.Length + c.Length)..]);
        return a.Length + b.Length + c.Length + d.Length;
    }
}
