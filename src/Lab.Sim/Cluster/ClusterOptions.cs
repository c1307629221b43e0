using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Cluster;

/// <summary>How the simulated cluster is built.</summary>
public sealed record ClusterOptions
{
    /// <summary>Number of nodes, named <see cref="NodeNamePrefix"/>1…N with addresses 127.1.S.1…N (S: the address slot).</summary>
    public int Nodes { get; init; } = 3;

    public string NodeNamePrefix { get; init; } = "lab-node-";

    /// <summary>The clock every emulated component reads.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Seed for generated names (ReplicaSet pod suffixes), so a run is reproducible.</summary>
    public int Seed { get; init; } = 1;

    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>
    /// The CustomResourceDefinitions installed: the custom kinds the API server serves (others are refused as kubectl
    /// refuses them, <c>no matches for kind …</c>), the schemas their objects are validated against, and what
    /// <c>kubectl get crd</c> lists. Default: <see cref="CrdCatalog.LabDefault"/> (the operator chart's CRDs, the
    /// TargetAllocator CRD and the Prometheus Operator's monitors).
    /// </summary>
    public IReadOnlyList<V1CustomResourceDefinition> CustomResourceDefinitions { get; init; } = CrdCatalog.LabDefault;

    /// <summary>Whether a CRD installed serves <paramref name="kind"/> (its group, plural and version).</summary>
    public bool Installs(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return !kind.IsCustom || CustomResourceDefinitions.Any(crd =>
            crd.Spec.Group == kind.Group && crd.Spec.Names.Plural == kind.Resource && crd.Spec.Versions.Any(v => v.Name == kind.Version && v.Served));
    }

    /// <summary>Where pods, Service VIPs and nodes get their addresses: slot 0 unless the lab claimed another (<see cref="LoopbackAddressSlot"/>).</summary>
    public LoopbackAddressPlan Addresses { get; init; } = new();
}
