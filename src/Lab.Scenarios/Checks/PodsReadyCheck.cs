using k8s.Models;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks;

/// <summary>Every pod that exists is Ready (a crash-looping collector or a pod stuck in Init fails it, with its status and last log line).</summary>
public sealed class PodsReadyCheck : IScenarioCheck
{
    public string Id => "pods-ready";

    public string Title => "Pods Ready";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab?.Cluster is not { } cluster)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var pods = cluster.List<V1Pod>();
        var notReady = pods.Where(p => !PodStatus.IsReady(p)).ToList();
        var findings = notReady.Select(p =>
        {
            var (obj, location) = ObjectSource.Find(context.Manifests, cluster, "Pod", p.Metadata.NamespaceProperty, p.Metadata.Name);
            var evidence = new List<string> { $"pod {p.Metadata.NamespaceProperty}/{p.Metadata.Name}: {PodStatus.Describe(p)}, {PodStatus.Restarts(p)} restart(s)" };
            foreach (var c in p.Spec.Containers)
            {
                if (context.Lab.ContainerLog(p.Metadata.NamespaceProperty, p.Metadata.Name, c.Name)?.Lines() is { Count: > 0 } lines)
                {
                    evidence.Add($"container {c.Name} last log line: {lines[^1]}");
                }
            }

            return new Finding
            {
                RuleId = "pod-not-ready",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"pod {p.Metadata.NamespaceProperty}/{p.Metadata.Name} is not Ready ({PodStatus.Describe(p)})",
                Evidence = evidence,
                Why = "a pod that is not Ready receives no traffic from its Service: its share of the pipeline is lost",
                Fix = "read the container's log in the dashboard (/api/logs/POD) and fix the cause it names",
            };
        }).ToList();
        return Task.FromResult(new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = notReady.Count == 0 && pods.Count > 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = pods.Count == 0 ? "no pods at all" : $"{pods.Count - notReady.Count}/{pods.Count} pods Ready",
            Figures = [new("pods", pods.Count), new("ready", pods.Count - notReady.Count)],
            Findings = findings,
        });
    }
}
