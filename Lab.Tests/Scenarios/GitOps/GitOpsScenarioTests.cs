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
