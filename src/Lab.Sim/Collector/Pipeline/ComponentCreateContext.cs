using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// What a factory gets to build one component of one pipeline signal: its id and settings (already <c>${env:}</c>/
/// <c>${file:}</c>-expanded), the container it runs in (pod address to bind/connect from, resolver, cluster, clock, log),
/// the collector's own telemetry registry (served on <c>:8888/metrics</c>) and, for receivers, connectors and
/// processors, the next consumer (a fan-out when several pipelines share a receiver).
/// </summary>
public sealed class ComponentCreateContext
{
    public required ComponentId Id { get; init; }

    public required ComponentKind Kind { get; init; }

    /// <summary><c>traces</c>, <c>metrics</c> or <c>logs</c>.</summary>
    public required string Signal { get; init; }

    /// <summary>The component's settings; null when written as <c>otlp:</c> with nothing under it.</summary>
    public YamlDotNet.RepresentationModel.YamlMappingNode? Settings { get; init; }

    /// <summary>The whole config, for file positions (<see cref="CollectorConfig.LocationOf"/>).</summary>
    public required CollectorConfig Config { get; init; }

    public required ContainerContext Container { get; init; }

    public required MetricRegistry Telemetry { get; init; }

    public ITraceConsumer? NextTraces { get; init; }

    public IMetricConsumer? NextMetrics { get; init; }

    /// <summary>Where requests to hosts outside the cluster (vendor intakes) go; see <see cref="ExternalEndpoints"/>.</summary>
    public ExternalEndpoints Egress { get; init; } = new();

    /// <summary>The collector's heap in use (what memory_limiter checks); set by tests and load scenarios.</summary>
    public Runtime.MemoryGauge Memory { get; init; } = new();

    public TimeProvider Time => Container.Time;
}
