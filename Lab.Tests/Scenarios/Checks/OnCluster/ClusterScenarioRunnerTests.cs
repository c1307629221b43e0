using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.OnCluster;

namespace OtelLab.Tests.Scenarios.Checks.OnCluster;

/// <summary>Which checks a run through the cluster's API judges, and why each other one is not available there.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterScenarioRunnerTests
{
    [Fact]
    public void Every_default_check_is_either_judged_through_the_cluster_or_says_why_not()
    {
        var judged = ClusterScenarioRunner.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        var unclassified = ScenarioChecks.Default.Select(c => c.Id).Where(id => !judged.Contains(id) && !ClusterScenarioRunner.NotAvailable.ContainsKey(id)).ToList();

        Assert.Empty(unclassified);
        Assert.DoesNotContain(ClusterScenarioRunner.NotAvailable.Keys, judged.Contains); // never both
        Assert.All(ClusterScenarioRunner.NotAvailable.Values, why => Assert.StartsWith("it ", why, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_backend_checks_are_judged_when_the_run_has_backends_stores_and_say_why_not_without()
    {
        // Given a cluster run's context without backends, and one with the in-cluster backends' local stand-ins
        var scenario = OtelLab.Scenarios.Definition.ScenarioLoader.Load(OtelLab.Tests.Support.RepoPaths.Scenario("payments-fixed"));
        await using var dynatrace = new OtelLab.Backends.Dynatrace.DynatraceBackendBuilder().WithToken("dt0c01.RUNNERCHOICETESTPUBLIC00.SECRETSECRETSECRETSECRET").Build();
        await using var datadog = new OtelLab.Backends.Datadog.DatadogBackendBuilder().WithApiKey("0123456789abcdef0123456789abcdef").Build();
        CheckContext Context(IReadOnlyList<OtelLab.Backends.IMockBackend> backends) => new()
        {
            Scenario = scenario,
            Manifests = OtelLab.Model.Manifests.ManifestLoader.Load(scenario.ManifestPaths, recursive: true),
            DataWithin = scenario.Expectations.DataWithin,
            Backends = backends,
        };

        // Then only the one with stores judges them
        Assert.Equal("this run has no mock backends to read: the in-cluster backends are deployed only when the scenario's manifests name a vendor endpoint (README, The k3s substrate)",
            ClusterScenarioRunner.WhyBackendsNotJudged(Context([])));
        Assert.Null(ClusterScenarioRunner.WhyBackendsNotJudged(Context([dynatrace, datadog])));
    }
}
