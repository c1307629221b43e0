using OtelLab.Model.Rbac;

namespace OtelLab.Lint.Rules;

/// <summary>A Target Allocator ServiceAccount without cluster-wide discovery read.</summary>
public sealed class TargetAllocatorRbacRule : LintRule
{
    public override string Id => "targetallocator-rbac";

    public override string Title => "Target Allocator RBAC too narrow for discovery";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The Target Allocator discovers targets cluster-wide (kubernetes_sd over pods, services, endpoints/endpointslices, nodes; " +
        "ServiceMonitors/PodMonitors with prometheusCR.enabled). With a namespaced Role or a binding to a role that does not exist it " +
        "discovers nothing and the StatefulSet scrapes only its self-metrics (opentelemetry-operator cmd/otel-allocator/README.md, RBAC).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            if (!c.TargetAllocator.Enabled)
            {
                continue;
            }

            var sa = c.TargetAllocator.ServiceAccount ?? $"{c.Name}-targetallocator";
            var subject = new RbacSubject(c.Namespace, sa);
            var needs = new List<RbacRequest>();
            foreach (var verb in new[] { "get", "list", "watch" })
            {
                needs.Add(new(verb, string.Empty, "pods"));
                needs.Add(new(verb, string.Empty, "services"));
                needs.Add(new(verb, string.Empty, "nodes"));
                if (c.TargetAllocator.PrometheusCR.Enabled)
                {
                    needs.Add(new(verb, "monitoring.coreos.com", "servicemonitors"));
                    needs.Add(new(verb, "monitoring.coreos.com", "podmonitors"));
                }
            }

            var missing = context.Rbac.Missing(subject, needs).ToList();

            // endpoints (core) or endpointslices (discovery.k8s.io): either serves the endpoints role.
            var endpoints = new[] { "list", "watch" }.Where(v =>
                !context.Rbac.IsAllowed(subject, new(v, string.Empty, "endpoints")) &&
                !context.Rbac.IsAllowed(subject, new(v, "discovery.k8s.io", "endpointslices"))).ToList();
            missing.AddRange(endpoints.Select(v => new RbacRequest(v, string.Empty, "endpoints")));
            if (missing.Count == 0)
            {
                continue;
            }

            var bindings = context.Rbac.BindingsOf(subject);
            var evidence = new List<string>();
            evidence.AddRange(bindings.Count == 0 ? ["no ClusterRoleBinding names this ServiceAccount"] : bindings.Select(b => b.ToString()));
            var installed = context.Install.InstalledClusterRoles();
            foreach (var b in bindings.Where(b => !b.RoleFound))
            {
                evidence.Add(context.Install.IsDeclared
                    ? installed.TryGetValue(b.RoleName, out var creator)
                        ? $"ClusterRole {b.RoleName} is created by {creator.Display} (the lab does not model its rules)"
                        : $"ClusterRole {b.RoleName} is not in these manifests, and the declared install does not create it (it creates {string.Join(", ", Near(installed, b.RoleName))})"
                    : b.RoleName.StartsWith("opentelemetry-operator", StringComparison.Ordinal)
                    ? $"ClusterRole {b.RoleName} is not in these manifests, and the operator Helm chart does not create it " +
                      "(charts/opentelemetry-operator/templates/clusterrole.yaml creates only <release>-manager, -metrics and -proxy)"
                    : $"ClusterRole {b.RoleName} is not in these manifests");
            }

            var resources = missing.Select(r => r.Group.Length == 0 ? r.Resource : $"{r.Resource}.{r.Group}").Distinct().ToList();
            var location = bindings.FirstOrDefault(b => !b.RoleFound)?.Location ?? m.LocationOf("spec", "targetAllocator", "serviceAccount");
            yield return Create(m.Display, location,
                $"{m.Display}: the Target Allocator's ServiceAccount {c.Namespace}/{sa} may not read {string.Join(", ", resources)} cluster-wide: " +
                "it will discover no targets and the replicas will scrape only their self-metrics",
                $"define a ClusterRole with get/list/watch on pods, services, endpoints, endpointslices.discovery.k8s.io, nodes, namespaces" +
                (c.TargetAllocator.PrometheusCR.Enabled ? ", servicemonitors and podmonitors (monitoring.coreos.com)" : string.Empty) +
                $" and bind it to {c.Namespace}/{sa} with a ClusterRoleBinding",
                evidence);
        }
    }

    // The roles of the release the name points at (opentelemetry-operator-…), else every installed role.
    private static IEnumerable<string> Near(IReadOnlyDictionary<string, Model.Install.HelmRelease> installed, string role)
    {
        var near = installed.Where(kv => role.StartsWith(kv.Value.Name, StringComparison.Ordinal)).Select(kv => kv.Key).ToList();
        return near.Count > 0 ? near : installed.Keys;
    }
}
