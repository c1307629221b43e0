using OtelLab.Scenarios.Checks.Guide;

namespace OtelLab.Scenarios.Checks.OnCluster;

/// <summary>
/// A scenario's checks judged as an outside client of the cluster (k3s, or the sim's API server driven as k3s is):
/// through the cluster interface, the kubeconfig the kubectl steps use, and the mock backends' stores when the run
/// has them. Every other default check is reported as not available on this substrate, with the reason; none is
/// passed silently.
/// </summary>
public static class ClusterScenarioRunner
{
    /// <summary>The checks that run through the cluster's API, kubectl and the backends' stores, in report order.</summary>
    public static IReadOnlyList<IScenarioCheck> Checks { get; } =
    [
        new StaticLintCheck(),
        new ClusterRolloutCheck(),
        new ClusterPodsReadyCheck(),
        new BackendDataCheck(),
        new BackendParityCheck(),
        new KubectlStepsCheck(),
    ];

    /// <summary>The checks that read the simulated substrate's internals, with why each is not judged through the API.</summary>
    public static IReadOnlyDictionary<string, string> NotAvailable { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [new StartupBudgetCheck().Id] = "it times the sim lab's own components to Ready; on a real cluster start-up is the container's and the Helm installs', which up --cluster k3s prints",
        [new WorkloadsHavePodsCheck().Id] = "it reads the sim controllers' events; here workloads-rolled-out judges each Deployment through the API",
        [new VaultSecretsCheck().Id] = "it reads the sim's Vault Agent Injector records; on a real cluster add a kubectl step (exec … -- cat /vault/secrets/…)",
        [new EnrichmentCheck().Id] = "it is judged from the sim's own Dynatrace store; a cluster run mirrors the in-cluster backends' spans, but this check is not yet verified against that mirror",
        [new VendorCredentialsCheck().Id] = "it compares what the backends saw with the secrets the sim's Vault generated",
        [new DynatraceMetricRejectionsCheck().Id] = "it needs the mock Dynatrace's metrics and rejections, which the mirror of the in-cluster backends does not copy (spans only; their query API /lab/rejections serves them)",
        [new GatewayTraceSplitCheck().Id] = "it reads the sim collectors' tail_sampling state",
        [new DeploymentNameCheck().Id] = "it is judged from the sim's own Dynatrace store; a cluster run mirrors the in-cluster backends' spans, but this check is not yet verified against that mirror",
        [new TokenPerBackendCheck().Id] = "it compares the credentials each backend saw with the sim's Vault setup",
        [new TraceCompleteCheck().Id] = "it follows traces through the sim's kubelet and tail_sampling state",
        [new FaultLossCheck().Id] = "it injects and accounts faults through the sim's components",
        [new GitOpsChangeGateCheck().Id] = "it drives the sim's Argo CD and ServiceNow mocks",
        [new ShardingCheck().Id] = "it reads the sim's Target Allocator and target farm; on a real cluster query the TA's /jobs with a kubectl step",
        [new KeepRateCheck().Id] = "it reads the sim collectors' tail_sampling decisions",
        [new SendFailedFlatCheck().Id] = "it reads the sim collectors' counters; on a real cluster a kubectl step on :8888/metrics shows them (payments-fixed's step 4)",
        [new ConservationCheck().Id] = "it accounts spans through the sim collectors' internals",
        [new SimulationHealthCheck().Id] = "it judges the simulator's schedule, which a real cluster does not have",
    };

    /// <summary>
    /// Runs <see cref="Checks"/> against <paramref name="context"/>'s cluster and reports every default check: judged
    /// here, or <see cref="CheckOutcome.Skipped"/> with "not available on this substrate (<paramref name="substrate"/>)".
    /// </summary>
    /// <param name="applyManifests">Apply the manifests through the API first (<see cref="ClusterApplyCheck"/>); false where the substrate delivered them itself (k3s's deploy controller).</param>
    public static async Task<ScenarioRunResult> CheckAsync(CheckContext context, string substrate, bool applyManifests, DateTimeOffset startedAt, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(time);
        if (context.Cluster is null)
        {
            throw new ArgumentException("a cluster run needs the cluster interface (CheckContext.Cluster)", nameof(context));
        }

        context.StartDataClock();
        var results = new List<CheckResult>();
        if (applyManifests)
        {
            results.Add(await ScenarioRunner.RunOneAsync(new ClusterApplyCheck(), context, r => r, cancellationToken).ConfigureAwait(false));
        }

        foreach (var check in Checks)
        {
            results.Add(check is BackendDataCheck or BackendParityCheck && WhyBackendsNotJudged(context) is { } why
                ? NotOnSubstrate(check, substrate, why)
                : await ScenarioRunner.RunOneAsync(check, context, r => r, cancellationToken).ConfigureAwait(false));
        }

        foreach (var check in ScenarioChecks.Default.Where(c => results.All(r => r.Id != c.Id)))
        {
            results.Add(NotOnSubstrate(check, substrate, NotAvailable.TryGetValue(check.Id, out var why) ? why : "it reads the simulated substrate's internals"));
        }

        return new ScenarioRunResult
        {
            Scenario = context.Scenario.Name,
            Description = context.Scenario.Description,
            StartedAt = startedAt,
            Duration = time.GetUtcNow() - startedAt,
            Checks = results,
            Backends = context.Backends.Select(ScenarioRunner.Figures).ToList(),
        };
    }

    /// <summary>
    /// Null when the backend checks are judged: the run has mock backends' stores to read (the sim's, or the
    /// in-cluster backends' mirrored through port-forwards). Else why not.
    /// </summary>
    public static string? WhyBackendsNotJudged(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Backends.Count > 0
            ? null
            : "this run has no mock backends to read: the in-cluster backends are deployed only when the scenario's manifests name a vendor endpoint (README, The k3s substrate)";
    }

    private static CheckResult NotOnSubstrate(IScenarioCheck check, string substrate, string why) =>
        CheckResult.Skip(check, $"not available on this substrate ({substrate}): {why}");
}
