using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary><c>compare</c>: lint findings introduced, fixed and unchanged between two revisions of what Argo CD delivers.</summary>
[Trait("Category", "Component")]
public sealed class CompareCommandTests
{
    [Fact]
    public async Task The_put_back_defect_commit_introduces_the_dynatrace_cumulative_error_and_its_revert_fixes_it()
    {
        // Given: payments-gitops' repository with its commit steps replayed (start, defect, revert, owners dropped)
        using var out1 = new TempDirectory();
        using var out2 = new TempDirectory();

        // When
        var defect = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", "HEAD~3", "--head", "HEAD~2", "--lint-only", "--out", out1.Path);
        var revert = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--from", "HEAD~2", "--to", "HEAD~1", "--format", "json", "--lint-only", "--out", out2.Path);

        // Then
        Assert.True(defect.Code == 1, defect.Out + defect.Err);
        var introduced = defect.Out[defect.Out.IndexOf("### Introduced (1)", StringComparison.Ordinal)..defect.Out.IndexOf("### Fixed (0)", StringComparison.Ordinal)];
        Assert.Contains("**error `dynatrace-cumulative-metrics`** OpenTelemetryCollector observability/otel-gateway", introduced, StringComparison.Ordinal);
        Assert.Matches(@"evidence: pipeline metrics at [0-9a-f]{7}:clusters/eks-prod/otel/12-otel-gateway\.yaml:\d+: processors \[batch\]", introduced);
        Assert.Contains("gateway: drop cumulativetodelta from the metrics pipeline", defect.Out, StringComparison.Ordinal);
        Assert.Equal(0, revert.Code);
        var json = System.Text.Json.Nodes.JsonNode.Parse(revert.Out)!;
        Assert.Equal("passes", (string?)json["verdict"]);
        Assert.Equal("dynatrace-cumulative-metrics", (string?)json["fixed"]![0]!["ruleId"]);
        Assert.Empty(json["introduced"]!.AsArray());
    }

    [Fact]
    public async Task Two_folders_compare_and_a_revision_that_does_not_exist_exits_2_with_the_revisions_there_are()
    {
        using var dir = new TempDirectory();
        var fixedDir = Directory.CreateDirectory(Path.Combine(dir.Path, "fixed")).FullName;
        var broken = Directory.CreateDirectory(Path.Combine(dir.Path, "broken")).FullName;
        foreach (var f in new[] { "10-otel-agent.yaml", "11-otel-prometheus.yaml", "12-otel-gateway.yaml" })
        {
            File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", f), Path.Combine(fixedDir, f));
            File.Copy(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", f), Path.Combine(broken, f));
        }

        File.Copy(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "12-otel-gateway-without-cumulativetodelta.yaml"), Path.Combine(broken, "12-otel-gateway.yaml"), overwrite: true);

        var folders = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", fixedDir, "--head", broken, "--lint-only", "--out", Path.Combine(dir.Path, "out"));
        var missing = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", "HEAD~9", "--head", "HEAD", "--lint-only");
        var mixed = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", fixedDir, "--head", "HEAD", "--lint-only");

        Assert.Equal(1, folders.Code);
        Assert.Contains("### Introduced (1)", folders.Out, StringComparison.Ordinal);
        Assert.Contains("dynatrace-cumulative-metrics", folders.Out, StringComparison.Ordinal);
        Assert.Equal(2, missing.Code);
        Assert.Contains("HEAD~9 is neither a folder nor a revision of", missing.Err, StringComparison.Ordinal);
        Assert.Contains("gateway: drop cumulativetodelta from the metrics pipeline", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, mixed.Code);
        Assert.Contains("one side is a folder and the other is not", mixed.Err, StringComparison.Ordinal);
        Assert.Contains("Lint rules only (--lint-only): the lab did not run.", File.ReadAllText(Path.Combine(dir.Path, "out", "compare.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Your_own_repository_given_with_gitops_repo_compares_two_of_its_commits()
    {
        // Given: your GitOps repository (a real git work tree) holding the Application's path, then a commit that puts
        // the guide's defect back
        using var dir = new TempDirectory();
        using var repo = new TempGitRepository();
        foreach (var f in new[] { "10-otel-agent.yaml", "11-otel-prometheus.yaml", "12-otel-gateway.yaml" })
        {
            repo.Write($"clusters/eks-prod/otel/{f}", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", f)));
        }

        var good = repo.Commit("the otel pipeline");
        repo.Write("clusters/eks-prod/otel/12-otel-gateway.yaml", File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-gitops"), "revisions", "12-otel-gateway-without-cumulativetodelta.yaml")));
        var defect = repo.Commit("gateway: no delta conversion");

        // When: the base by abbreviated SHA, the head by branch name
        var run = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--gitops-repo", repo.RepoPath, "--base", good[..7], "--head", "main", "--lint-only", "--out", dir.Path);

        // Then: the head (main = the defect commit) introduces the error, its evidence at that commit's file
        Assert.True(run.Code == 1, run.Out + run.Err);
        Assert.Contains($"({defect[..7]}: gateway: no delta conversion)", run.Out, StringComparison.Ordinal);
        Assert.Contains("**error `dynatrace-cumulative-metrics`** OpenTelemetryCollector observability/otel-gateway", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{defect[..7]}:clusters/eks-prod/otel/12-otel-gateway.yaml:", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "compare.html")));
    }
}
