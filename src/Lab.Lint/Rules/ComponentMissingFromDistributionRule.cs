using OtelLab.Model.Collector;

namespace OtelLab.Lint.Rules;

/// <summary>A collector config using a component its image's distribution does not contain.</summary>
public sealed class ComponentMissingFromDistributionRule : LintRule
{
    public override string Id => "component-missing-from-distribution";

    public override string Title => "Component not in the collector image's distribution";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "A config naming a component the binary lacks fails at start and the pod crash-loops with " +
        "`unknown type: \"X\" for id: \"X\"` (opentelemetry-collector otelcol/internal/configunmarshaler/configs.go). " +
        "k8sattributes, resourcedetection, tail_sampling, loadbalancing and cumulativetodelta exist only in contrib and k8s; datadog only in contrib " +
        "(opentelemetry-collector-releases distributions/otelcol/manifest.yaml, otelcol-k8s/manifest.yaml, otelcol-contrib/manifest.yaml).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            var distribution = CollectorDistribution.FromImage(c.Image);
            if (distribution is null)
            {
                continue;
            }

            var version = CollectorDistribution.VersionOf(c.Image);
            foreach (var component in c.Config.AllComponents)
            {
                var type = component.Id.Type;
                var kindName = component.Kind.ToString().ToLowerInvariant();
                if (component.Kind == ComponentKind.Exporter && type == "logging" && (version is null || version >= new Version(0, 111)))
                {
                    // upstream: the logging exporter was removed in v0.111.0 (opentelemetry-collector CHANGELOG); the text is the collector's own.
                    yield return Create(m.Display, component.Location,
                        $"{m.Display} uses the logging exporter, which {c.Image} no longer has: the logging exporter has been deprecated, use the debug exporter instead",
                        "replace `logging` with `debug` (same verbosity settings)",
                        [$"image {c.Image}", $"exporters.{component.Id} at {component.Location.FileAndLine}"]);
                    continue;
                }

                if (distribution.Has(component.Kind, type))
                {
                    continue;
                }

                var inContrib = CollectorDistribution.Contrib.Has(component.Kind, type);
                if (!distribution.IsExhaustive)
                {
                    continue;
                }

                var valid = string.Join(", ", distribution.Types(component.Kind).Order(StringComparer.Ordinal));
                yield return Create(m.Display, component.Location,
                    $"{m.Display}: image {c.Image} ({distribution.Name} distribution) has no {kindName} \"{type}\"; the pod will crash-loop with " +
                    $"`unknown type: \"{type}\" for id: \"{component.Id}\"`",
                    inContrib
                        ? $"use the contrib image (otel/opentelemetry-collector-contrib:{version?.ToString() ?? "<tag>"}), which contains {type}"
                        : $"remove \"{component.Id}\" or use an image that contains it",
                    [$"image {c.Image} → {distribution.Name}", $"{kindName}s in {distribution.Name}: {valid}"]);
            }
        }
    }
}
