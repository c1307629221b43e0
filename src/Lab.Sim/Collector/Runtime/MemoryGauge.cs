namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// The collector's heap in use as the memory_limiter reads it (upstream: runtime.ReadMemStats Alloc). The lab's
/// process memory says nothing about one emulated collector, so tests and load scenarios set it here.
/// </summary>
public sealed class MemoryGauge
{
    private long _usedBytes;

    public long UsedBytes
    {
        get => Interlocked.Read(ref _usedBytes);
        set => Interlocked.Exchange(ref _usedBytes, value);
    }

    public long UsedMiB
    {
        set => UsedBytes = value * 1024 * 1024;
    }
}
