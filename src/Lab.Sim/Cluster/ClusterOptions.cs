using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Cluster;

/// <summary>How the simulated cluster is built.</summary>
public sealed record ClusterOptions
{
    /// <summary>Number of nodes, named <see cref="NodeNamePrefix"/>1…N with addresses 127.1.0.1…N.</summary>
    public int Nodes { get; init; } = 3;

    public string NodeNamePrefix { get; init; } = "lab-node-";

    /// <summary>The clock every emulated component reads.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Seed for generated names (ReplicaSet pod suffixes), so a run is reproducible.</summary>
    public int Seed { get; init; } = 1;

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// Custom resource groups whose CRDs are installed. Objects of other custom kinds are refused as kubectl refuses
    /// them (<c>no matches for kind …</c>). Default: the OpenTelemetry Operator's and the Prometheus Operator's CRDs.
    /// </summary>
    public IReadOnlySet<string> InstalledCrdGroups { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "opentelemetry.io",
        "monitoring.coreos.com",
    };

    public LoopbackAddressPlan Addresses { get; init; } = new();
}
