using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks.OnCluster;

/// <summary>
/// Every Deployment of the manifests rolls out, judged through the cluster's API by kubectl's rule (the cluster
/// interface's <c>WaitForRolloutAsync</c>): the wait a reader runs as <c>kubectl rollout status</c>, on any substrate.
/// </summary>
public sealed class ClusterRolloutCheck(TimeSpan? timeout = null) : IScenarioCheck
{
    /// <summary>How long each Deployment may take: a real cluster pulls images and starts JVMs.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private readonly TimeSpan _timeout = timeout ?? DefaultTimeout;

    public string Id => "workloads-rolled-out";

    public string Title => "Every Deployment rolls out";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Cluster is not { } cluster)
        {
            return CheckResult.Skip(this, "no cluster API to judge");
        }

        var deployments = context.Manifests.OfKind("Deployment").ToList();
        var findings = new List<Finding>();
        foreach (var d in deployments)
        {
            try
            {
                await cluster.WaitForRolloutAsync(d.Namespace ?? "default", d.Name, _timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                findings.Add(new Finding
                {
                    RuleId = "workload-not-rolled-out",
                    Severity = Severity.Error,
                    Object = d.Display,
                    Location = d.Location,
                    Message = $"{d.Display} did not roll out within {_timeout.TotalSeconds:0} s",
                    Evidence = [e.Message],
                    Why = "a Deployment that never completes its rollout runs fewer pods than it asks for, or old ones: its share of the pipeline is missing",
                    Fix = $"kubectl -n {d.Namespace ?? "default"} describe deployment {d.Name} and its ReplicaSet's events name the cause (image pull, ServiceAccount, readiness)",
                });
            }
        }

        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = deployments.Count == 0 ? CheckOutcome.Skipped : findings.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = deployments.Count == 0 ? "the manifests have no Deployment" : $"{deployments.Count - findings.Count}/{deployments.Count} Deployments rolled out",
            Figures = [new("deployments", deployments.Count), new("not rolled out", findings.Count)],
            Findings = findings,
        };
    }
}
