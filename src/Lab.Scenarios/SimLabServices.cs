using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Networking;

namespace OtelLab.Scenarios;

/// <summary>
/// What a container runtime plugged into the lab may use (the seam for the collector, Target Allocator, farm and
/// sample-service runtimes): the cluster, cluster DNS, the egress to the mock vendors, the clock and time scale, and
/// each pod's stand-in volume folder (where Vault Agent renders <c>/vault/secrets/…</c>).
/// </summary>
public sealed class SimLabServices
{
    public required ScenarioDefinition Scenario { get; init; }

    public required SimulatedCluster Cluster { get; init; }

    public required ClusterDns Dns { get; init; }

    /// <summary>Where an exporter's request to a vendor host really goes (the mock backend on loopback).</summary>
    public required ExternalEndpoints ExternalEndpoints { get; init; }

    public required DynatraceBackend Dynatrace { get; init; }

    public required DatadogBackend Datadog { get; init; }

    public required TimeProvider Time { get; init; }

    public double TimeScale => Scenario.TimeScale;

    /// <summary>Root of the folders standing for pods' volumes: a pod's <c>/vault/secrets/dt</c> is <c>PodRoot(ns, pod)/vault/secrets/dt</c>.</summary>
    public required string PodsDirectory { get; init; }

    public string PodRoot(string ns, string pod) => Path.Combine(PodsDirectory, ns, pod);

    /// <summary>A path inside a pod (<c>/vault/secrets/dt</c>) as a file on this machine.</summary>
    public string PodFile(string ns, string pod, string containerPath) => Path.Combine(PodRoot(ns, pod), containerPath.TrimStart('/'));
}
