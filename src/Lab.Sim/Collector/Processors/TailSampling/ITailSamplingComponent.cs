namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary>
/// A running <c>tail_sampling</c> component, read-only for the lab: its processor's ledger says which trace ids this
/// replica decided and how (checks compare the replicas of a gateway).
/// </summary>
public interface ITailSamplingComponent
{
    TailSamplingProcessor Processor { get; }
}
