using OtelLab.Model.Install;

namespace OtelLab.Lint.Rules;

/// <summary>
/// A custom resource of a group the declared charts own (opentelemetry.io, cert-manager.io, …) whose kind and version
/// no declared release installs: <c>kubectl apply</c> refuses it, as the API server has no such resource.
/// </summary>
public sealed class CrdNotInstalledRule : LintRule
{
    public override string Id => "crd-not-installed";

    public override string Title => "Custom resource whose CRD the declared install does not ship";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The API server serves a custom resource only once its CustomResourceDefinition is installed; kubectl's REST mapping fails " +
        "first with 'no matches for kind \"K\" in version \"G/V\"' (k8s.io/apimachinery pkg/api/meta NoKindMatchError). A chart " +
        "version ships a fixed set of CRDs: opentelemetry-operator 0.74.2 ships opampbridges, opentelemetrycollectors and " +
        "instrumentations, not targetallocators.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        if (context.Install.InstalledCrds() is not { } installed)
        {
            yield break; // no install declared: the cluster's CRDs are unknown
        }

        var owned = ChartCatalog.All.SelectMany(c => c.Crds).Select(c => c.Group).Append("opentelemetry.io").ToHashSet(StringComparer.Ordinal);
        foreach (var m in context.Manifests.Objects.Where(o => owned.Contains(o.Group)))
        {
            if (installed.Any(c => c.Kind == m.Kind && c.Serves(m.ApiVersion)))
            {
                continue;
            }

            var sameKind = installed.FirstOrDefault(c => c.Kind == m.Kind);
            var served = installed.Where(c => c.Group == m.Group).Select(c => $"{c.Name} ({string.Join(", ", c.Versions.Select(v => $"{c.Group}/{v}"))})").ToList();
            yield return Create(m.Display, m.Location,
                $"{m.Display}: no matches for kind \"{m.Kind}\" in version \"{m.ApiVersion}\": the declared install does not ship this CRD, so kubectl apply refuses it",
                sameKind is not null
                    ? $"write apiVersion: {sameKind.Group}/{sameKind.Versions[^1]} (the versions the installed CRD serves: {string.Join(", ", sameKind.Versions)})"
                    : m.Kind == "TargetAllocator"
                        ? "configure the Target Allocator inside the OpenTelemetryCollector (spec.targetAllocator) as chart 0.74.2 supports, or install a chart version that ships the targetallocators.opentelemetry.io CRD"
                        : $"install a chart version that ships the CRD for {m.Kind}, or remove the object",
                [
                    $"error: resource mapping not found for name: \"{m.Name}\" namespace: \"{m.Namespace}\" from \"{m.Location.File}\": no matches for kind \"{m.Kind}\" in version \"{m.ApiVersion}\"",
                    served.Count > 0 ? $"the declared install serves in {m.Group}: {string.Join("; ", served)}" : $"the declared install serves nothing in {m.Group}",
                ]);
        }
    }
}
