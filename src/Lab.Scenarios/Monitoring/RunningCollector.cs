using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Monitoring;

/// <summary>One running collector pod of the lab with the tier it belongs to.</summary>
/// <param name="Tier">The OpenTelemetryCollector's name and mode, e.g. <c>otel-agent (daemonset)</c>.</param>
/// <param name="Collector">The OpenTelemetryCollector's name (from the operator's <c>app.kubernetes.io/instance</c> label).</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Instance">The emulated collector (its <c>otelcol_*</c> registry and pipeline components).</param>
public sealed record RunningCollector(string Tier, string Collector, string Namespace, string Pod, CollectorInstance Instance)
{
    /// <summary>The sum of a counter over every series of this collector (0 when never registered).</summary>
    public long Counter(string name) => Instance.Telemetry.CounterTotal(name);

    /// <summary>The tail_sampling processors of this collector (lab-side taps on their decisions).</summary>
    public IEnumerable<TailSamplingComponent> TailSampling =>
        Instance.Service.Components.Select(c => c.Component).OfType<TailSamplingComponent>();
}
