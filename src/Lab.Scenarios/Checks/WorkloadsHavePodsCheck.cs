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
        foreach (var (kind, meta, desired, _) in workloads)
        {
            var pods = PodsOf(cluster, kind, meta);
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

    private static int PodsOf(Sim.Cluster.SimulatedCluster cluster, string kind, V1ObjectMeta meta)
    {
        var owners = kind == "Deployment"
            ? cluster.List<V1ReplicaSet>(meta.NamespaceProperty).Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Uid == meta.Uid) == true).Select(rs => rs.Metadata.Uid).ToHashSet()
            : [meta.Uid];
        return cluster.List<V1Pod>(meta.NamespaceProperty).Count(p => p.Metadata.OwnerReferences?.Any(o => owners.Contains(o.Uid)) == true);
    }
}
