using k8s.Models;
using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks.OnCluster;

/// <summary>
/// Every pod in the manifests' namespaces is Ready, read through the cluster's API (the sim's <c>pods-ready</c>
/// reads its cluster model; this one is what any API client sees), each not-Ready pod with its status and the last
/// line of its containers' logs.
/// </summary>
public sealed class ClusterPodsReadyCheck : IScenarioCheck
{
    public string Id => "pods-ready";

    public string Title => "Pods Ready";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Cluster is not { } cluster)
        {
            return CheckResult.Skip(this, "no cluster API to judge");
        }

        var namespaces = context.Manifests.Objects.Select(o => o.Namespace).OfType<string>()
            .Concat(context.Manifests.OfKind("Namespace").Select(n => n.Name))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var pods = new List<V1Pod>();
        foreach (var ns in namespaces)
        {
            pods.AddRange(await cluster.PodsAsync(ns, string.Empty, cancellationToken).ConfigureAwait(false));
        }

        var notReady = pods.Where(p => !PodStatus.IsReady(p) && p.Status?.Phase != "Succeeded").ToList();
        var findings = new List<Finding>();
        foreach (var p in notReady)
        {
            var ns = p.Metadata.NamespaceProperty ?? "default";
            var evidence = new List<string> { $"pod {ns}/{p.Metadata.Name}: {PodStatus.Describe(p)}, {PodStatus.Restarts(p)} restart(s)" };
            foreach (var c in p.Spec.Containers)
            {
                evidence.Add(await LastLogLineAsync(cluster, ns, p.Metadata.Name, c.Name, cancellationToken).ConfigureAwait(false));
            }

            var source = SourceOf(context.Manifests, ns, p);
            findings.Add(new Finding
            {
                RuleId = "pod-not-ready",
                Severity = Severity.Error,
                Object = source?.Display ?? $"Pod {ns}/{p.Metadata.Name}",
                Location = source?.Location ?? Model.SourceLocation.None,
                Message = $"pod {ns}/{p.Metadata.Name} is not Ready ({PodStatus.Describe(p)})",
                Evidence = evidence,
                Why = "a pod that is not Ready receives no traffic from its Service: its share of the pipeline is lost",
                Fix = $"kubectl -n {ns} logs {p.Metadata.Name} and kubectl -n {ns} describe pod {p.Metadata.Name} name the cause",
            });
        }

        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = notReady.Count == 0 && pods.Count > 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = pods.Count == 0 ? $"no pods at all in {string.Join(", ", namespaces)}" : $"{pods.Count - notReady.Count}/{pods.Count} pods Ready in {string.Join(", ", namespaces)}",
            Figures = [new("pods", pods.Count), new("ready", pods.Count - notReady.Count)],
            Findings = findings,
        };
    }

    // Only the API's view of the owner chain is at hand: a ReplicaSet is named <deployment>-<pod-template-hash>
    // (kube-controller-manager deployment_util.go), a StatefulSet or DaemonSet owns its pods directly.
    private static Model.Manifests.ManifestObject? SourceOf(Model.Manifests.ManifestSet manifests, string ns, V1Pod pod)
    {
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata.OwnerReferences?.FirstOrDefault();
        return owner switch
        {
            null => manifests.Find("Pod", ns, pod.Metadata.Name),
            { Kind: "ReplicaSet" } => manifests.OfKind("Deployment").FirstOrDefault(d => (d.Namespace ?? "default") == ns && owner.Name.StartsWith(d.Name + "-", StringComparison.Ordinal)),
            _ => manifests.Find(owner.Kind, ns, owner.Name),
        };
    }

    private static async Task<string> LastLogLineAsync(Cluster.ICluster cluster, string ns, string pod, string container, CancellationToken cancellationToken)
    {
        try
        {
            var log = await cluster.LogsAsync(ns, pod, container, 1, cancellationToken).ConfigureAwait(false);
            return $"container {container} last log line: {log.TrimEnd()}";
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
        {
            return $"container {container}: no log ({e.Message})";
        }
    }
}
