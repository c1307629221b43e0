using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Definition;

/// <summary><c>manifests:</c> as a list of folders and files, <c>variants:</c>, and how a variant's run folds into its scenario's report.</summary>
[Trait("Category", "Unit")]
public sealed class ScenarioVariantsLoadingTests
{
    [Fact]
    public void Manifests_may_list_folders_and_files_relative_to_the_scenario()
    {
        var scenario = ScenarioLoader.Parse(Path.Combine("root", "s", "scenario.yaml"), """
            name: s
            manifests: [../base/manifests/01-a.yaml, manifests]
            variants: [../s-variant]
            """);

        Assert.Equal([Path.Combine("root", "s", "../base/manifests/01-a.yaml"), Path.Combine("root", "s", "manifests")], scenario.ManifestPaths);
        Assert.Equal(scenario.ManifestPaths[0], scenario.ManifestsPath);
        Assert.Equal([Path.GetFullPath(Path.Combine("root", "s-variant"))], scenario.Variants);
    }

    [Fact]
    public void An_empty_manifests_list_is_refused_with_a_fix()
    {
        var e = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse("scenario.yaml", "name: s\nmanifests: []\n"));

        Assert.Contains("manifests: the list is empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payments-guide-secrets", "12-otel-gateway.yaml")]
    [InlineData("payments-guide-sampling", "10-otel-agent.yaml")]
    [InlineData("payments-norbac", "01-agent-rbac.yaml")]
    public void Each_guide_variant_is_the_fixed_pipeline_with_its_own_copy_of_one_file(string name, string own)
    {
        // Given the bundled variant
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario(name));

        // When its manifests load
        var manifests = ManifestLoader.Load(scenario.ManifestPaths, recursive: true);

        // Then they load cleanly, take every other file from payments-fixed, and the payments scenario names the variant
        Assert.Empty(manifests.Errors);
        Assert.Contains(scenario.ManifestPaths, p => p.EndsWith(Path.Combine("manifests", own), StringComparison.Ordinal) && !p.Contains("payments-fixed", StringComparison.Ordinal));
        Assert.Contains(scenario.ManifestPaths, p => p.Contains("payments-fixed", StringComparison.Ordinal));
        Assert.Contains(Path.GetFullPath(RepoPaths.Scenario(name)), ScenarioLoader.Load(RepoPaths.Scenario("payments")).Variants);
    }

    [Fact]
    public void A_variants_checks_join_the_report_named_after_the_variant_without_its_lint()
    {
        // Given a scenario's run and a variant's run with lint and one failed dynamic check
        var at = DateTimeOffset.UnixEpoch;
        var run = new ScenarioRunResult { Scenario = "s", StartedAt = at, Duration = TimeSpan.FromSeconds(10), Checks = [Result("lint", CheckOutcome.Pass)] };
        var finding = new Finding { RuleId = "r", Severity = Severity.Error, Object = "o", Location = SourceLocation.None, Message = "m", Evidence = [], Why = "w", Fix = "f" };
        var variantRun = new ScenarioRunResult
        {
            Scenario = "v", StartedAt = at, Duration = TimeSpan.FromSeconds(20),
            Checks = [Result("lint", CheckOutcome.Fail), Result("gateway-trace-split", CheckOutcome.Fail) with { Findings = [finding] }],
        };

        // When merged
        var merged = ScenarioVariants.Merge(run, new ScenarioDefinition { Name = "v", Description = "d", ManifestsPath = "m" }, variantRun);

        // Then the report holds the scenario's checks and the variant's dynamic check, named and marked
        Assert.Equal(["lint", "v/gateway-trace-split"], merged.Checks.Select(c => c.Id));
        Assert.StartsWith("[variant v: d] ", Assert.Single(merged.Findings).Message, StringComparison.Ordinal);
        Assert.False(merged.Passed);
        Assert.Equal(TimeSpan.FromSeconds(30), merged.Duration);
    }

    private static CheckResult Result(string id, CheckOutcome outcome) => new() { Id = id, Title = id, Outcome = outcome, Summary = "" };
}
