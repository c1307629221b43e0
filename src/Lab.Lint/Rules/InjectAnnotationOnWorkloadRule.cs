namespace OtelLab.Lint.Rules;

/// <summary>An <c>instrumentation.opentelemetry.io/inject-*</c> annotation on a workload's own metadata.</summary>
public sealed class InjectAnnotationOnWorkloadRule : LintRule
{
    private const string Prefix = "instrumentation.opentelemetry.io/inject-";

    public override string Id => "inject-annotation-on-workload";

    public override string Title => "Injection annotation on the workload instead of its pod template";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The operator's pod-mutation webhook runs on Pod CREATE and reads only the pod's and the namespace's annotations; " +
        "an annotation on a Deployment's own metadata is never seen: nothing is injected and nothing warns " +
        "(opentelemetry-operator pkg/instrumentation/podmutator.go and annotation.go: pod annotations, then namespace annotations).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var w in context.Workloads)
        {
            if (w.Manifest.Kind == "Pod" || w.Metadata.Annotations is null)
            {
                continue;
            }

            foreach (var (key, value) in w.Metadata.Annotations)
            {
                if (!key.StartsWith(Prefix, StringComparison.Ordinal) && key != "sidecar.opentelemetry.io/inject")
                {
                    continue;
                }

                var onTemplate = w.Template.Metadata?.Annotations?.ContainsKey(key) == true;
                if (onTemplate)
                {
                    continue;
                }

                yield return Create(
                    w.Manifest.Display,
                    w.Manifest.LocationOf("metadata", "annotations", key),
                    $"{w.Manifest.Display} carries \"{key}: {value}\" on its own metadata; its pods will not be instrumented",
                    $"move the annotation to spec.template.metadata.annotations (kubectl patch {w.Manifest.Kind.ToLowerInvariant()} {w.Manifest.Name} " +
                    $"-n {w.Namespace} --type=merge -p '{{\"spec\":{{\"template\":{{\"metadata\":{{\"annotations\":{{\"{key}\":\"{value}\"}}}}}}}}}}')",
                    [$"metadata.annotations[\"{key}\"] = \"{value}\"", "spec.template.metadata.annotations has no such key"]);
            }
        }
    }
}
