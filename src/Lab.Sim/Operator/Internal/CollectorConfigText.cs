namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The text of <c>collector.yaml</c>: the defaulted config, with the prometheus receiver rewritten for the Target
/// Allocator when it is enabled. Without a TA upstream writes the CRD struct (receivers, exporters, processors,
/// connectors, extensions, service); with a TA it re-marshals a generic map (keys sorted) — both kept here.
/// upstream: internal/manifests/collector/config_replace.go (ReplaceConfig), apis/v1beta1/config.go (Config.Yaml).
/// </summary>
internal static class CollectorConfigText
{
    private static readonly string[] StructOrder = ["receivers", "exporters", "processors", "connectors", "extensions", "service"];

    public static string Render(Dictionary<string, object?> config, string? targetAllocatorService)
    {
        if (targetAllocatorService is null)
        {
            return GoYaml.Serialize(config, StructOrder);
        }

        var copy = (Dictionary<string, object?>)ConfigTree.Copy(config)!;
        PrometheusRewrite.AddTargetAllocator(copy, targetAllocatorService);
        return GoYaml.Serialize(copy);
    }
}
