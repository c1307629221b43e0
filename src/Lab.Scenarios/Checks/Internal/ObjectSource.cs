using OtelLab.Model;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>
/// Where a cluster object came from in the manifests: the object itself when a manifest declares it, else its
/// controller owner's (Pod → ReplicaSet → Deployment → OpenTelemetryCollector CR), so a dynamic finding points at
/// the file:line a person edits.
/// </summary>
internal static class ObjectSource
{
    public static (string Object, SourceLocation Location) Find(ManifestSet manifests, SimulatedCluster cluster, string kind, string? ns, string name)
    {
        for (var depth = 0; depth < 6; depth++)
        {
            if (manifests.Find(kind, ns, name) is { } manifest)
            {
                return (manifest.Display, manifest.Location);
            }

            var owner = cluster.MetadataOf(kind, ns, name)?.OwnerReferences?.FirstOrDefault(o => o.Controller == true)
                ?? cluster.MetadataOf(kind, ns, name)?.OwnerReferences?.FirstOrDefault();
            if (owner is null)
            {
                break;
            }

            (kind, name) = (owner.Kind, owner.Name);
        }

        return ($"{kind} {ns}/{name}", SourceLocation.None);
    }
}
