using OtelLab.Model.Collector;
using OtelLab.Model.Rbac;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>A <c>k8sattributes</c> processor whose ServiceAccount may not read what it needs.</summary>
public sealed class K8sAttributesRbacRule : LintRule
{
    // upstream defaults: contrib processor/k8sattributesprocessor/factory.go.
    private static readonly string[] DefaultMetadata =
    [
        "k8s.namespace.name", "k8s.pod.name", "k8s.pod.uid", "k8s.pod.start_time", "k8s.deployment.name", "k8s.node.name",
        "container.image.name", "container.image.tag",
    ];

    public override string Id => "k8sattributes-rbac";

    public override string Title => "k8sattributes without the RBAC it needs";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "k8sattributes fails open: without get/list/watch on pods, namespaces and replicasets (and nodes for node metadata) telemetry " +
        "flows un-enriched, `otelsvc_k8s_ip_lookup_miss` rises and only client-go logs `pods is forbidden` " +
        "(opentelemetry-collector-contrib processor/k8sattributesprocessor/README.md, Role-based access control; operator#3875, contrib#32247).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var p in c.Config.UsedComponents.Where(x => x.Kind == ComponentKind.Processor && x.Id.Type == "k8sattributes"))
            {
                var settings = p.Settings;
                if (Bool(settings, "passthrough"))
                {
                    continue;
                }

                var extract = YamlReader.Child(settings, "extract") as YamlMappingNode;
                var metadataNode = YamlReader.Child(extract, "metadata") as YamlSequenceNode;
                var metadata = metadataNode?.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList()
                    ?? [.. DefaultMetadata];
                var needs = new List<RbacRequest>
                {
                    new("get", string.Empty, "pods"), new("list", string.Empty, "pods"), new("watch", string.Empty, "pods"),
                    new("get", string.Empty, "namespaces"), new("list", string.Empty, "namespaces"), new("watch", string.Empty, "namespaces"),
                };
                var fromReplicaSetName = Bool(extract, "deployment_name_from_replicaset");
                if (!fromReplicaSetName && metadata.Any(x => x is "k8s.deployment.name" or "k8s.deployment.uid" or "k8s.replicaset.name" or "k8s.replicaset.uid"))
                {
                    needs.AddRange([new("get", "apps", "replicasets"), new("list", "apps", "replicasets"), new("watch", "apps", "replicasets")]);
                }

                if (metadata.Any(x => x.StartsWith("k8s.node.", StringComparison.Ordinal) && x != "k8s.node.name") ||
                    YamlReader.Child(extract, "labels") is YamlSequenceNode labels && labels.Children.OfType<YamlMappingNode>().Any(l => (YamlReader.Child(l, "from") as YamlScalarNode)?.Value == "node"))
                {
                    needs.AddRange([new("get", string.Empty, "nodes"), new("list", string.Empty, "nodes"), new("watch", string.Empty, "nodes")]);
                }

                var subject = new RbacSubject(c.Namespace, c.EffectiveServiceAccount);
                var missing = context.Rbac.Missing(subject, needs);
                if (missing.Count == 0)
                {
                    continue;
                }

                var bindings = context.Rbac.BindingsOf(subject);
                var resources = missing.Select(r => r.Group.Length == 0 ? r.Resource : $"{r.Resource}.{r.Group}").Distinct().ToList();
                var first = missing[0];
                yield return Create(m.Display, p.Location,
                    $"{m.Display}: {p.Id} runs as {subject} which may not {string.Join(", ", missing.Select(r => r.Verb).Distinct())} {string.Join(", ", resources)} cluster-wide: " +
                    "spans and metrics will arrive without Kubernetes metadata, with no error",
                    $"bind {subject.Name} to a ClusterRole with get/list/watch on {string.Join(", ", resources)} (ClusterRoleBinding; a namespaced RoleBinding is not enough)",
                    [
                        $"client-go would log: {first.Resource} is forbidden: User \"{subject}\" cannot list resource \"{first.Resource}\" in API group \"{first.Group}\" at the cluster scope",
                        .. bindings.Count == 0 ? ["no RoleBinding or ClusterRoleBinding names this ServiceAccount"] : bindings.Select(b => b.ToString()),
                    ]);
            }
        }
    }

    private static bool Bool(YamlMappingNode? map, string key) =>
        YamlReader.Child(map, key) is YamlScalarNode { Value: "true" or "True" };
}
