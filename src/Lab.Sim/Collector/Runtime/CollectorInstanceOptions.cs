using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>How <see cref="CollectorInstance.StartAsync(string, Kubelet.ContainerContext, CollectorInstanceOptions, CancellationToken)"/> runs a collector.</summary>
public sealed class CollectorInstanceOptions
{
    /// <summary>Which components exist; null = from the container's image, contrib when the image is not a collector's.</summary>
    public CollectorDistribution? Distribution { get; init; }

    /// <summary>The factories to pick from (filtered by <see cref="Distribution"/>); default <see cref="ComponentCatalog.All"/>.</summary>
    public IReadOnlyList<IComponentFactory>? Catalog { get; init; }

    /// <summary>Where requests to hosts outside the cluster go (the mock vendor intakes).</summary>
    public ExternalEndpoints Egress { get; init; } = new();

    /// <summary>The file name used in config error positions (the operator mounts <c>/conf/collector.yaml</c>).</summary>
    public string ConfigPath { get; init; } = "/conf/collector.yaml";

    /// <summary>
    /// Reads a pod file for <c>${file:path}</c>; null = under <see cref="Kubelet.ContainerContext.PodRoot"/> (no file
    /// exists when the context has none). Returns null when the file does not exist.
    /// </summary>
    public Func<string, string?>? ReadFile { get; init; }

    /// <summary>The collector's internal telemetry; a new registry when null.</summary>
    public MetricRegistry? Telemetry { get; init; }

    /// <summary>The heap the memory_limiter sees.</summary>
    public MemoryGauge Memory { get; init; } = new();

    /// <summary>Serve the internal telemetry over HTTP (<c>:8888/metrics</c> on the pod address).</summary>
    public bool ServeTelemetry { get; init; } = true;
}
