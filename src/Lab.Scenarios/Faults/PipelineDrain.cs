using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Faults;

/// <summary>
/// Whether what the pipeline held when the load ended has come out of it: every running collector has decided as many
/// traces as it had received at the mark, its sending queues are empty, and every backend holds as many error traces
/// (Datadog's exporter flushes on its own schedule) — the state in which <see cref="FaultLossReport.Measure"/> is final.
/// Judged against the mark, not "nothing on memory": the sample services' probes keep traces arriving after the load,
/// and without a decision cache tail_sampling keeps decided traces in its map until num_traces evicts them (upstream
/// v0.113 samplingPolicyOnTick empties a decided trace's batches but leaves it in idToTrace), so
/// sampling_traces_on_memory never returns to 0. Decisions come in arrival order (each trace decision_wait after its
/// first span), so once a collector's decided count reaches its received count at the mark, every trace received
/// before the mark is decided.
/// </summary>
public sealed class PipelineDrain
{
    private readonly Dictionary<CollectorInstance, long> _receivedAtMark;

    private PipelineDrain(Dictionary<CollectorInstance, long> receivedAtMark) => _receivedAtMark = receivedAtMark;

    /// <summary>Marks what the running collectors have received now (call when the load has ended).</summary>
    public static PipelineDrain Mark(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return new PipelineDrain(FaultLossReport.Running(lab).ToDictionary(c => c, c => FaultLossReport.Decisions(c).Received));
    }

    /// <summary>Whether everything received before the mark is decided and exported, and the backends agree.</summary>
    public bool IsDrained(SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var collectors = FaultLossReport.Running(lab);
        return collectors.Count > 0
            && collectors.All(c => FaultLossReport.Decisions(c).Decided >= _receivedAtMark.GetValueOrDefault(c) && FaultLossReport.QueueEmpty(c))
            && FaultLossReport.Measure(lab, 0).ErrorTracesStored.Values.Distinct().Count() == 1;
    }
}
