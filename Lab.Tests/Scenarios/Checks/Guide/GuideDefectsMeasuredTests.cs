using OtelLab.Tests.Support;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Tests.AppHost;
using OtelLab.Tests.SampleServices;

namespace OtelLab.Tests.Scenarios.Checks.Guide;

/// <summary>
/// The guide's defects measured in running labs: each check passes on payments-fixed and fails, with its figures, on
/// the variant that puts one guide defect back (one shared run per scenario, see <see cref="GuideScenarioRuns"/>).
/// </summary>
[Trait("Category", "Lab")]
public sealed class GuideDefectsMeasuredTests(GuideScenarioRuns runs) : IClassFixture<GuideScenarioRuns>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_fixed_pipeline_passes_every_guide_defect_check()
    {
        SkipUnlessRunnable();

        // Given payments-fixed run with its load, When the guide-defect checks judge it
        var run = await runs.RunAsync("payments-fixed");

        // Then every one passes: credentials accepted, no metric point rejected, whole traces per replica, deployment names present
        foreach (var id in new[] { "vendor-credentials", "dynatrace-metric-rejections", "gateway-trace-split", "k8s-deployment-name" })
        {
            Assert.True(run.Check(id).Outcome == CheckOutcome.Pass, id + "\n" + run.Describe());
        }

        Assert.True(run.Check("gateway-trace-split").Figures.Single(f => f.Name == "tail-sampling replicas").Value >= 2, run.Describe());

        // And the hand-instrumented fraud-score (no operator injection) got k8s.deployment.name from the agents' k8sattributes
        var names = run.Check("k8s-deployment-name");
        Assert.True(Figure(names, "fraud-score spans") > 0, run.Describe());
        Assert.Equal(0, Figure(names, "fraud-score spans without " + DeploymentNameCheck.Attribute));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_start_up_counts_the_first_scrape_round_of_every_farm_target()
    {
        SkipUnlessRunnable();

        // Given payments-fixed run with its 300 farm targets, When the start-up check judges it
        var run = await runs.RunAsync("payments-fixed");
        var check = run.Check("startup-budget");

        // Then every farm target served a scrape, and the round took at least the largest of the targets' first-scrape
        // offsets: Prometheus starts each target's loop at a hash of the target into its interval (scrape.go, offset), so
        // with 300 targets the largest offset is under 90 % of the 30 s interval only with probability 0.9^300 ≈ 2·10⁻¹⁴;
        // at payments-fixed's timeScale 10 (the lab only ever lowers it) that is 2.7 s of wall time at least. (The round
        // is not compared with the lab's readiness: on a busy machine the JVM sample service is Ready after the round.)
        Assert.Equal(300, Figure(check, "farm-targets-scraped"));
        Assert.True(Figure(check, "first-scrape-round") >= 0.9 * 30 / 10, run.Describe());
        Assert.Contains("first scrape round of 300 farm targets complete at", check.Summary, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Every_farm_target_is_discovered_owned_once_and_scraped_by_its_owner_with_shares_the_ring_bounds()
    {
        SkipUnlessRunnable();

        // Given payments-fixed (the TA bound to a ClusterRole, consistent hashing over 3 replicas), When sharding is judged
        var run = await runs.RunAsync("payments-fixed");
        var check = run.Check("sharding");

        // Then all 300 farm targets are discovered, none unassigned, each scraped by its owner, within the ring's bound
        Assert.True(check.Outcome == CheckOutcome.Pass, run.Describe());
        Assert.Equal(300, Figure(check, "farm targets discovered"));
        Assert.Equal(0, Figure(check, "unassigned farm targets"));
        Assert.Equal(0, Figure(check, "farm targets not scraped by their owner"));
        var shares = check.Figures.Where(f => f.Name.EndsWith(" share", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, shares.Count);
        Assert.Equal(1.0, shares.Sum(f => f.Value), 9);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    [Trait("Speed", "Slow")]
    public async Task Reading_the_vault_tokens_from_env_fails_on_credentials_with_the_collectors_log_and_no_token_in_clear()
    {
        SkipUnlessRunnable();

        // Given the guide's secret wiring (${env:…} while Vault renders files)
        var run = await runs.RunAsync("payments-guide-secrets");

        // Then the credentials check fails with the gateway's credential error, and no generated credential appears in clear
        var check = run.Check("vendor-credentials");
        Assert.True(check.Outcome == CheckOutcome.Fail, run.Describe());
        var evidence = Assert.Single(check.Findings).Evidence;
        Assert.Contains(evidence, e => e.Contains("api.key", StringComparison.Ordinal) || e.Contains("401", StringComparison.Ordinal));
        Assert.All(run.Result.Findings.SelectMany(f => f.Evidence.Append(f.Message)), e => Assert.DoesNotContain(run.Secrets, s => e.Contains(s, StringComparison.Ordinal)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_guides_gateway_tier_loses_cumulative_metrics_at_dynatrace_and_splits_traces_across_replicas()
    {
        SkipUnlessRunnable();

        // Given the guide's gateway tier: no cumulativetodelta, traces to a plain Service of 2 replicas
        var run = await runs.RunAsync("payments-guide-sampling");

        // Then Dynatrace rejected cumulative sums (partial success)
        var metrics = run.Check("dynatrace-metric-rejections");
        Assert.True(metrics.Outcome == CheckOutcome.Fail, run.Describe());
        Assert.Contains(Assert.Single(metrics.Findings).Evidence, e => e.StartsWith("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", StringComparison.Ordinal));

        // And traces reached both replicas — unless the agents' connections all landed on one replica (kube-proxy balances
        // connections, not spans; the order the agents connect in decides the placement), which the check must then name
        var split = run.Check("gateway-trace-split");
        Assert.True(split.Outcome is CheckOutcome.Fail or CheckOutcome.Pass, run.Describe());
        if (split.Outcome == CheckOutcome.Fail)
        {
            Assert.InRange(split.Figures.Single(f => f.Name == "split fraction").Value, double.Epsilon, 1);
        }
        else
        {
            Assert.Equal(1, split.Figures.Single(f => f.Name == "replicas that decided traces").Value);
            Assert.Contains("alone", split.Summary, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Without_the_k8sattributes_cluster_role_the_agents_log_forbidden_and_the_check_fails()
    {
        SkipUnlessRunnable();

        // Given the fixed pipeline without the agent's ClusterRole
        var run = await runs.RunAsync("payments-norbac");

        // Then the check fails on the agents' logged refusal
        var check = run.Check("k8s-deployment-name");
        Assert.True(check.Outcome == CheckOutcome.Fail, run.Describe());
        Assert.True(Figure(check, "forbidden log lines") > 0, run.Describe());
        var finding = Assert.Single(check.Findings);
        Assert.Contains(finding.Evidence, e => e.Contains("is forbidden", StringComparison.Ordinal));

        // And the ratio measures it on the hand-instrumented fraud-score: every span of it reaches Dynatrace without
        // k8s.deployment.name (k8sattributes was its only source), named in the finding
        var fraud = Figure(check, "fraud-score spans");
        Assert.True(fraud > 0, run.Describe());
        Assert.Equal(fraud, Figure(check, "fraud-score spans without " + DeploymentNameCheck.Attribute));
        Assert.True(Figure(check, "ratio without") > 0, run.Describe());
        Assert.Contains("every span of fraud-score lacks it", finding.Message, StringComparison.Ordinal);

        // While the operator-injected services keep it from OTEL_RESOURCE_ATTRIBUTES (operator.md §5)
        var injected = new[] { "checkout", "payments", "ledger" }.Where(s => check.Figures.Any(f => f.Name == s + " spans")).ToList();
        Assert.NotEmpty(injected);
        Assert.All(injected, s => Assert.Equal(0, Figure(check, $"{s} spans without {DeploymentNameCheck.Attribute}")));
    }

    private static double Figure(CheckResult check, string name) =>
        check.Figures.SingleOrDefault(f => f.Name == name)?.Value ?? throw new Xunit.Sdk.XunitException($"{check.Id} has no figure '{name}': {string.Join(", ", check.Figures.Select(f => f.Name))}");

    private static void SkipUnlessRunnable()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        SampleServiceChain.SkipUnlessRunnable();
    }
}
