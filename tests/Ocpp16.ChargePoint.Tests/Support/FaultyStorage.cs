using Ocpp16.ChargePoint.Persistence;

namespace Ocpp16.ChargePoint.Tests.Support;

/// <summary>Wraps a storage and fails its writes on demand (a disk full, an I/O error).</summary>
internal sealed class FaultyStorage(IChargePointStorage inner) : IChargePointStorage
{
    public bool FailWrites { get; set; }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Load(string collection) => inner.Load(collection);

    public void Write(ChargePointStorageBatch batch)
    {
        if (FailWrites)
        {
            throw new ChargePointStorageException("test: the disk is full");
        }

        inner.Write(batch);
    }

    public void Dispose() => inner.Dispose();
}
