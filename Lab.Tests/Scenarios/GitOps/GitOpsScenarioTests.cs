using OtelLab.Model;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.GitOps;

[Trait("Category", "Component")]
public sealed class GitOpsScenarioTests
{
    [Fact]
    public async Task Payments_gitops_builds_a_real_repository_the_guides_application_renders_from()
    {
        // Given
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-gitops"));
        using var dir = new TempDirectory();

        // When: the repository is built as the lab builds it, and the Application's source is resolved and rendered
        var gitops = await GitOpsRepository.CreateAsync(scenario.GitOps!, Path.Combine(dir.Path, "repo"), TestContext.Current.CancellationToken);
        var app = OtelLab.Model.Manifests.ManifestLoader.Load(scenario.ManifestPaths).Typed<OtelLab.Model.Crds.ArgoApplication>().Single().Model;
        var source = new GitSource(gitops.Repositories, Path.Combine(dir.Path, "work"));
        var sha = await source.ResolveAsync(app, TestContext.Current.CancellationToken);
        var rendered = await source.RenderAsync(app, sha, TestContext.Current.CancellationToken);

        // Then
        Assert.Equal("https://git.internal/kloudvin/observability.git", scenario.GitOps!.RepoUrl);
        Assert.Equal(["otel-agent", "otel-gateway", "otel-prometheus"], rendered.Objects.Where(o => o.Kind == "OpenTelemetryCollector").Select(o => o.Name).Order());
        Assert.All(rendered.Objects, o => Assert.Equal("observability", o.Namespace));
        Assert.DoesNotContain(scenario.ManifestPaths, p => p.EndsWith("12-otel-gateway.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Payments_gitops_reads_its_change_gate_and_steps()
    {
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-gitops"));

        Assert.Equal("secret/data/argocd/servicenow", scenario.GitOps!.ServiceNowCredentials);
        Assert.Equal([GitOpsStepKind.Commit, GitOpsStepKind.Wait, GitOpsStepKind.Reject, GitOpsStepKind.Commit, GitOpsStepKind.Wait, GitOpsStepKind.Approve, GitOpsStepKind.WaitForSync,
            GitOpsStepKind.Delete, GitOpsStepKind.Commit, GitOpsStepKind.Approve, GitOpsStepKind.WaitForSync], scenario.GitOps.Steps.Select(s => s.Kind));
        Assert.Equal(("configmap", "observability", "otel-pipeline-owners"), scenario.GitOps.Steps[7].Target);
        Assert.Equal(["50-pipeline-owners.yaml"], scenario.GitOps.Steps[8].Remove);
        var defect = scenario.GitOps.Steps[0];
        Assert.Equal("12-otel-gateway.yaml", defect.Put.Single().File);
        Assert.DoesNotContain("cumulativetodelta, batch", File.ReadAllText(defect.Put.Single().Source), StringComparison.Ordinal);
        Assert.Contains(scenario.Vault!.Secrets, s => s.Path == "secret/data/argocd/servicenow");
    }

    [Theory]
    [InlineData("- { approve: ok, wait: 5s }", 6, "several actions: approve, wait")]
    [InlineData("- { commit: \"x\" }", 6, "the commit changes nothing")]
    [InlineData("- { commit: \"x\", put: { a.yaml: nope.yaml } }", 6, "does not exist")]
    [InlineData("- { waitForSync: 0s }", 6, "not a positive duration")]
    [InlineData("- { merge: main }", 6, "gitops.steps[0].merge: unknown key")]
    [InlineData("- { delete: otel-gateway }", 6, "does not name an object")]
    public void A_bad_gitops_step_fails_at_its_line_with_how_to_fix_it(string step, int line, string message)
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "scenario.yaml");

        var e = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse(file, $"""
            name: x
            gitops:
              repoURL: https://example.test/r.git
              path: otel
              steps:
                {step}
            """));

        Assert.Equal(line, e.Location.Line);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gitops_block_naming_a_missing_file_fails_at_its_line()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "scenario.yaml");

        var e = Assert.Throws<ManifestException>(() => ScenarioLoader.Parse(file, """
            name: x
            gitops:
              repoURL: https://example.test/r.git
              path: otel
              files: [missing.yaml]
            """));

        Assert.Equal(5, e.Location.Line);
        Assert.Contains("missing.yaml does not exist", e.Message, StringComparison.Ordinal);
    }
}
