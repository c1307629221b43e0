namespace OtelLab.Lint.Rules;

/// <summary>A collector or Target Allocator naming a ServiceAccount that nothing creates.</summary>
public sealed class ServiceAccountMissingRule : LintRule
{
    public override string Id => "serviceaccount-missing";

    public override string Title => "ServiceAccount set on the CR but never created";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The operator creates ServiceAccount <name>-collector only when spec.serviceAccount is empty (opentelemetry-operator " +
        "internal/manifests/collector/serviceaccount.go returns nothing when it is set). A pod naming a missing ServiceAccount is " +
        "refused by the API server (`serviceaccount \"X\" not found`): the workload has zero pods.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            if (c.ServiceAccount is { } sa && !context.HasServiceAccount(c.Namespace, sa))
            {
                yield return Create(m.Display, m.LocationOf("spec", "serviceAccount"),
                    $"{m.Display} runs as ServiceAccount {c.Namespace}/{sa}, which no manifest creates and the operator will not create: its pods are never admitted",
                    $"add `apiVersion: v1, kind: ServiceAccount, metadata: {{name: {sa}, namespace: {c.Namespace}}}` (or remove spec.serviceAccount to let the operator create {c.Name}-collector)",
                    [$"spec.serviceAccount = {sa}", $"no ServiceAccount {c.Namespace}/{sa} in {context.Manifests.Files.Count} file(s)"]);
            }

            if (c.TargetAllocator.Enabled && c.TargetAllocator.ServiceAccount is { } taSa && !context.HasServiceAccount(c.Namespace, taSa))
            {
                yield return Create(m.Display, m.LocationOf("spec", "targetAllocator", "serviceAccount"),
                    $"{m.Display}: the Target Allocator runs as ServiceAccount {c.Namespace}/{taSa}, which no manifest creates",
                    $"add a ServiceAccount {c.Namespace}/{taSa}",
                    [$"spec.targetAllocator.serviceAccount = {taSa}"]);
            }
        }
    }
}
