using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal;

/// <summary>
/// upstream: internal/idbatcher/id_batcher.go — a pipe of <c>numBatches</c> batches, pre-filled with empty ones,
/// plus the batch being built. Each tick takes the oldest batch out and pushes the current one in, so an id added
/// between ticks k−1 and k is handed out at tick k+N: N to N+1 ticks after it arrived.
/// Not thread-safe: the processor holds its lock.
/// </summary>
internal sealed class IdBatcher
{
    private readonly Queue<List<TraceId>> _pipe = new();
    private readonly int _initialCapacity;
    private List<TraceId> _current;

    public IdBatcher(ulong numBatches, ulong newBatchesInitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numBatches, 1UL);
        _initialCapacity = (int)Math.Min(newBatchesInitialCapacity, 1 << 20);
        for (ulong i = 0; i < numBatches; i++)
        {
            _pipe.Enqueue([]);
        }

        _current = new List<TraceId>(_initialCapacity);
    }

    public void AddToCurrentBatch(TraceId id) => _current.Add(id);

    public List<TraceId> CloseCurrentAndTakeFirstBatch()
    {
        var first = _pipe.Dequeue();
        _pipe.Enqueue(_current);
        _current = new List<TraceId>(_initialCapacity);
        return first;
    }
}
