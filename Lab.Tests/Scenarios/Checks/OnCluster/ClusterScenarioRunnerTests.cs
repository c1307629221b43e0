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
}
