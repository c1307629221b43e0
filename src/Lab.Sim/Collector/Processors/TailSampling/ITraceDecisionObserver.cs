namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// Lab instrumentation, NOT an upstream metric or extension point: told of every decision the processor takes, after
/// the decision and outside the processor's lock. Upstream only exposes per-policy counts
/// (<c>count_traces_sampled{policy,sampled}</c>), which cannot say how many error or slow traces were kept; the lab's
/// keep-rate views and checks need that per trace. Observing never changes a decision.
/// </summary>
public interface ITraceDecisionObserver
{
    /// <param name="decision">The trace's id, final decision and the spans it was decided on.</param>
    void OnDecision(TraceDecisionRecord decision);
}
