using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>
/// A simulated crash (power loss, SIGKILL) of a charge point: from the moment <see cref="Die"/> is called nothing it
/// does reaches the storage or the wire any more. The storage and transport decorators below are the fault seams.
/// </summary>
internal sealed class Crash
{
    private readonly Lock _gate = new();

    public bool IsDead { get; private set; }

    /// <summary>Where it died, for the test's messages.</summary>
    public string? Point { get; private set; }

    /// <summary>Transaction CALLs sent so far.</summary>
    public int TransactionCallsSent { get; private set; }

    /// <summary>Storage writes so far.</summary>
    public int Writes { get; set; }

    public event Action? Died;

    public void Die(string point)
    {
        lock (_gate)
        {
            if (IsDead)
            {
                return;
            }

            IsDead = true;
            Point = point;
        }

        Died?.Invoke();
    }

    public static bool IsTransactionAction(string action) => action is "StartTransaction" or "MeterValues" or "StopTransaction";

    internal int OnSent(ReadOnlySpan<byte> frame)
    {
        using var doc = JsonDocument.Parse(frame.ToArray());
        var root = doc.RootElement;
        if (root[0].GetInt32() != 2 || !IsTransactionAction(root[2].GetString()!))
        {
            return 0;
        }

        lock (_gate)
        {
            return ++TransactionCallsSent;
        }
    }
}

/// <summary>Storage that dies before or after its n-th write (counted from 1), and refuses everything once dead.</summary>
internal sealed class CrashableStorage(IChargePointStorage inner, Crash crash) : IChargePointStorage
{
    public int? DieBeforeWrite { get; init; }

    public int? DieAfterWrite { get; init; }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Load(string collection)
        => crash.IsDead ? throw new ChargePointStorageException("crashed") : inner.Load(collection);

    public void Write(ChargePointStorageBatch batch)
    {
        if (crash.IsDead)
        {
            throw new ChargePointStorageException("crashed");
        }

        var n = ++crash.Writes;
        if (n == DieBeforeWrite)
        {
            crash.Die($"before write {n}");
            throw new ChargePointStorageException("crashed");
        }

        inner.Write(batch);
        if (n == DieAfterWrite)
        {
            crash.Die($"after write {n}");
            throw new ChargePointStorageException("crashed");
        }
    }

    public void Dispose()
    {
        // The inner storage outlives the crash: the next charge point opens it.
    }
}

/// <summary>
/// The charge point's end of a connection: tracks the transaction CALLs on the wire, dies after sending the n-th one
/// (the Central System has it, the charge point never sees the answer), and carries nothing once dead.
/// </summary>
internal sealed class CrashableTransport : IOcppTransport
{
    private readonly IOcppTransport _inner;
    private readonly Crash _crash;
    private readonly int? _dieAfterTransactionCall;

    public CrashableTransport(IOcppTransport inner, Crash crash, int? dieAfterTransactionCall)
    {
        _inner = inner;
        _crash = crash;
        _dieAfterTransactionCall = dieAfterTransactionCall;
        crash.Died += () => _ = _inner.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "crash").AsTask();
    }

    public string? RemoteAddress => _inner.RemoteAddress;

    public async ValueTask<OcppReceiveResult> ReceiveAsync(IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_crash.IsDead)
        {
            return OcppReceiveResult.Closed(WebSocketCloseStatus.EndpointUnavailable, "crash");
        }

        var buffer = new ArrayBufferWriter<byte>();
        var result = await _inner.ReceiveAsync(buffer, cancellationToken);
        if (_crash.IsDead)
        {
            return OcppReceiveResult.Closed(WebSocketCloseStatus.EndpointUnavailable, "crash");
        }

        if (!result.IsClose)
        {
            destination.Write(buffer.WrittenSpan);
        }

        return result;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Message, CancellationToken cancellationToken = default)
    {
        if (_crash.IsDead)
        {
            throw new WebSocketException("crashed");
        }

        await _inner.SendAsync(utf8Message, cancellationToken);
        var n = _crash.OnSent(utf8Message.Span);
        if (n > 0 && n == _dieAfterTransactionCall)
        {
            _crash.Die($"after sending transaction CALL {n}");
        }
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken = default)
        => _inner.CloseAsync(status, description, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
