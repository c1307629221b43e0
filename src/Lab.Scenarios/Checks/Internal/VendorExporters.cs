using OtelLab.Model;
using OtelLab.Model.Manifests;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>The exporters in the manifests that send to a vendor (otlphttp → Dynatrace, datadog), for pointing backend findings at a file:line.</summary>
internal static class VendorExporters
{
    public static (string Object, SourceLocation Location, IReadOnlyList<string> Exporters) Find(ManifestSet manifests)
    {
        foreach (var (manifest, collector) in manifests.Collectors)
        {
            var vendor = collector.Config.Exporters.Values
                .Where(e => e.Id.Type is "otlphttp" or "datadog")
                .ToList();
            if (vendor.Count > 0)
            {
                return (manifest.Display, vendor[0].Location, vendor.Select(e => e.Id.ToString()).ToList());
            }
        }

        return ("the pipeline", SourceLocation.None, []);
    }
}
