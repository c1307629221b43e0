using OtelLab.Model.Crds;

namespace OtelLab.Lint.Rules;

/// <summary>A Target Allocator with a collector mode (or strategy) the operator's webhook rejects.</summary>
public sealed class TargetAllocatorModeRule : LintRule
{
    public override string Id => "targetallocator-mode-rejected";

    public override string Title => "Target Allocator with a mode the webhook rejects";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The operator's validating webhook allows the Target Allocator only with statefulset or daemonset mode; daemonset requires " +
        "the per-node strategy and per-node requires daemonset (opentelemetry-operator apis/v1beta1/collector_webhook.go). " +
        "kubectl apply is denied, so the pipeline never exists.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var error in CollectorWebhook.Validate(c))
            {
                yield return Create(m.Display, m.LocationOf("spec", "mode"),
                    $"{m.Display} is rejected: {CollectorWebhook.Denial(error, c.ApiVersion)}",
                    c.Mode == CollectorMode.Deployment || c.Mode == CollectorMode.Sidecar
                        ? "use mode: statefulset for a sharded scrape tier (stable pod names keep assignments stable)"
                        : c.Mode == CollectorMode.DaemonSet
                            ? "use targetAllocator.allocationStrategy: per-node with mode: daemonset"
                            : "use allocationStrategy consistent-hashing (or least-weighted) with mode: statefulset",
                    [$"spec.mode = {c.Mode}", $"spec.targetAllocator.allocationStrategy = {c.TargetAllocator.AllocationStrategy}"]);
            }
        }
    }
}
