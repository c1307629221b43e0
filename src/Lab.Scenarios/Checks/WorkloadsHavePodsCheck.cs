using k8s.Models;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Every Deployment and StatefulSet runs the pods it asks for. The guide's gateway names a ServiceAccount nothing
/// creates, so its ReplicaSet's pod creations are refused (FailedCreate) and it runs zero pods — the evidence is the
/// controller's events.
/// </summary>
public sealed class WorkloadsHavePodsCheck : IScenarioCheck
{
    public string Id => "workloads-have-pods";

    public string Title => "Every workload has its pods";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab?.Cluster is not { } cluster)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var workloads = cluster.List<V1Deployment>().Select(d => ("Deployment", d.Metadata, d.Spec.Replicas ?? 1, d.Status?.Replicas ?? 0))
            .Concat(cluster.List<V1StatefulSet>().Select(s => ("StatefulSet", s.Metadata, s.Spec.Replicas ?? 1, s.Status?.Replicas ?? 0)))
            .ToList();
        var findings = new List<Finding>();
        // Pods counted by owner once per namespace: the live view runs this check every sample, and with 9,000 farm pods
        // a pod walk per workload was a tenth of the lab's CPU (measured).
        var podsByOwner = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (kind, meta, desired, _) in workloads)
        {
            var pods = PodsOf(cluster, kind, meta, podsByOwner);
            if (pods >= desired)
            {
                continue;
            }

            var events = cluster.EventsFor(kind, meta.NamespaceProperty, meta.Name)
                .Concat(cluster.List<V1ReplicaSet>(meta.NamespaceProperty)
                    .Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Uid == meta.Uid) == true)
                    .SelectMany(rs => cluster.EventsFor("ReplicaSet", rs.Metadata.NamespaceProperty, rs.Metadata.Name)))
                .Where(e => e.Type == "Warning")
                .Select(e => $"event {e.Reason} on {e.InvolvedObject.Kind} {e.InvolvedObject.Name}: {e.Message} (x{e.Count ?? 1})")
                .Distinct()
                .ToList();
            var (obj, location) = ObjectSource.Find(context.Manifests, cluster, kind, meta.NamespaceProperty, meta.Name);
            findings.Add(new Finding
            {
                RuleId = "workload-without-pods",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"{kind} {meta.NamespaceProperty}/{meta.Name} runs {pods} of {desired} pod(s)",
                Evidence = [$"{kind} {meta.NamespaceProperty}/{meta.Name}: desired {desired}, pods {pods}", .. events],
                Why = "pods that are never created never receive or export anything: everything routed to this workload is lost",
                Fix = events.Any(e => e.Contains("serviceaccount", StringComparison.OrdinalIgnoreCase))
                    ? "create the ServiceAccount the pods name (or let the operator create it by removing spec.serviceAccount)"
                    : "fix what the events name, then re-apply",
            });
        }

        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = findings.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"{workloads.Count - findings.Count}/{workloads.Count} workloads run their pods",
            Figures = [new("workloads", workloads.Count), new("without all pods", findings.Count)],
            Findings = findings,
        });
    }

    private static int PodsOf(Sim.Cluster.SimulatedCluster cluster, string kind, V1ObjectMeta meta, Dictionary<string, Dictionary<string, int>> podsByOwner)
    {
        var ns = meta.NamespaceProperty ?? "";
        if (!podsByOwner.TryGetValue(ns, out var counts))
        {
            counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var pod in cluster.List<V1Pod>(meta.NamespaceProperty))
            {
                // A pod counts once per distinct owner it names.
                foreach (var uid in (pod.Metadata.OwnerReferences ?? []).Select(o => o.Uid).Distinct(StringComparer.Ordinal))
                {
                    counts[uid] = counts.GetValueOrDefault(uid) + 1;
                }
            }

            podsByOwner[ns] = counts;
        }

        if (kind != "Deployment")
        {
            return counts.GetValueOrDefault(meta.Uid);
        }

        // A pod owned by two ReplicaSets of one Deployment does not happen (the controller names one owner), so the sum is the count.
        return cluster.List<V1ReplicaSet>(meta.NamespaceProperty)
            .Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Uid == meta.Uid) == true)
            .Sum(rs => counts.GetValueOrDefault(rs.Metadata.Uid));
    }
}
