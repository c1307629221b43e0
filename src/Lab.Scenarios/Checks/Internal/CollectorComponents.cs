using OtelLab.Model;
using OtelLab.Model.Manifests;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>Where a component type is configured in the manifests (the first collector that has one), for pointing a finding at file:line.</summary>
internal static class CollectorComponents
{
    public static (string Object, SourceLocation Location) FindProcessor(ManifestSet manifests, string type)
    {
        foreach (var (manifest, collector) in manifests.Collectors)
        {
            if (collector.Config.Processors.Values.FirstOrDefault(p => p.Id.Type == type) is { } processor)
            {
                return (manifest.Display, processor.Location);
            }
        }

        return ("the pipeline", SourceLocation.None);
    }

    /// <summary>The manifest of the OpenTelemetryCollector with that name (the first collector when none matches).</summary>
    public static (string Object, SourceLocation Location) FindCollector(ManifestSet manifests, string name)
    {
        var all = manifests.Collectors.ToList();
        var match = all.FirstOrDefault(c => c.Manifest.Name == name);
        return match.Manifest is { } m ? (m.Display, m.Location) : all.Count > 0 ? (all[0].Manifest.Display, all[0].Manifest.Location) : ("the pipeline", SourceLocation.None);
    }
}
