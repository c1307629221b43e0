using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads <c>spec.targetAllocator</c> (or a TargetAllocator CR's spec) with upstream's defaults.</summary>
internal static class TargetAllocatorReader
{
    public static TargetAllocatorSpec Read(YamlMappingNode? ta, YamlReader reader, string path, SourceLocation fallback)
    {
        if (ta is null)
        {
            return new TargetAllocatorSpec { Location = fallback };
        }

        var cr = reader.Mapping(ta, "prometheusCR", $"{path}.prometheusCR");
        return new TargetAllocatorSpec
        {
            // A standalone TargetAllocator CR has no enabled flag: it exists, so it is enabled.
            Enabled = reader.Bool(ta, "enabled", $"{path}.enabled") ?? path == "spec",
            AllocationStrategy = reader.Enum(ta, "allocationStrategy", $"{path}.allocationStrategy", AllocationStrategy.All)
                ?? AllocationStrategy.ConsistentHashing,
            FilterStrategy = reader.Enum(ta, "filterStrategy", $"{path}.filterStrategy", ["", "relabel-config"]) ?? "relabel-config",
            ServiceAccount = reader.String(ta, "serviceAccount", $"{path}.serviceAccount"),
            Replicas = reader.Int(ta, "replicas", $"{path}.replicas") ?? 1,
            Image = reader.String(ta, "image", $"{path}.image"),
            CollectorNotReadyGracePeriod = reader.String(ta, "collectorNotReadyGracePeriod", $"{path}.collectorNotReadyGracePeriod") ?? "30s",
            PrometheusCR = new PrometheusCRSettings(
                reader.Bool(cr, "enabled", $"{path}.prometheusCR.enabled") ?? false,
                reader.String(cr, "scrapeInterval", $"{path}.prometheusCR.scrapeInterval") ?? "30s",
                Selector(reader.Mapping(cr, "serviceMonitorSelector", $"{path}.prometheusCR.serviceMonitorSelector"), reader, $"{path}.prometheusCR.serviceMonitorSelector"),
                Selector(reader.Mapping(cr, "podMonitorSelector", $"{path}.prometheusCR.podMonitorSelector"), reader, $"{path}.prometheusCR.podMonitorSelector")),
            Location = reader.At(ta),
        };
    }

    private static IReadOnlyDictionary<string, string>? Selector(YamlMappingNode? node, YamlReader reader, string path) =>
        node is null ? null : reader.StringMap(node, "matchLabels", $"{path}.matchLabels");
}
