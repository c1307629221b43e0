using k8s;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Resources;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// The lab's <c>argocd</c> resource: the emulated application controller, a client of the cluster's Kubernetes API
/// like the real one, managing every Application in the scenario's manifests. An Application whose source cannot be
/// loaded gets its ComparisonError and the lab keeps running.
/// </summary>
internal static class ArgoCdResource
{
    public static IReadOnlyList<ArgoApplication> ApplicationsIn(ManifestSet manifests) => manifests.Typed<ArgoApplication>().Select(t => t.Model).ToList();

    /// <param name="time">The lab clock: Argo's periods (polling, self-heal backoff, wave delay, retries) run on lab time, as the collectors' do.</param>
    public static Task<ArgoApplicationController> StartAsync(ResourceContext context, string kubeconfig, string workDirectory, GitOpsOptions options, IReadOnlyList<ArgoApplication> applications, TimeProvider time)
    {
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var source = new GitSource(options.Repositories, workDirectory);
        var controller = new ArgoApplicationController(client, source, options.Controller, options.Gate, time, context.Log.Write);
        foreach (var app in applications)
        {
            controller.Add(app);
            context.Log.Write($"managing Application {app.Namespace}/{app.Name}: {app.RepoUrl} {app.TargetRevision ?? "HEAD"} {app.Path} → {app.DestinationNamespace}" +
                $" (automated: {app.Automated}, prune: {app.AutomatedPrune}, selfHeal: {app.SelfHeal}; Argo CD {ArgoCdOptions.Version} rules)");
        }

        return Task.FromResult(controller);
    }

    /// <summary>
    /// Healthy once every Application has been through its first reconciliation: Synced, or held with a reason
    /// (ComparisonError, SyncError, a pending change gate) — bad input is reported, it does not stop the lab.
    /// </summary>
    public static async Task<HealthCheckResult> FirstSyncAsync(ArgoApplicationController controller, CancellationToken cancellationToken)
    {
        foreach (var name in controller.Applications)
        {
            await controller.WaitForAsync(name, s => s.SyncStatus == "Synced" || s.Conditions.Count > 0, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }

        return HealthCheckResult.Ok;
    }
}
