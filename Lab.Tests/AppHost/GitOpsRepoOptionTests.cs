using System.Diagnostics;
using OtelLab.Tests.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary><c>--gitops-repo DIR</c> on <c>up</c> and <c>test</c>: a bad DIR exits 2 before anything starts, saying what is wrong and how to fix it.</summary>
[Trait("Category", "Component")]
public sealed class GitOpsRepoOptionTests
{
    [Fact]
    public async Task A_missing_folder_a_folder_that_is_not_git_a_subfolder_and_an_empty_repository_exit_2_with_the_fix()
    {
        using var dir = new TempDirectory();
        using var repo = new TempGitRepository();
        repo.Write("clusters/eks-prod/otel/config.yaml", ControllerHarness.ConfigMap("settings"));
        repo.Commit("settings");
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;
        Git(empty, "init", "-q");
        var plain = Directory.CreateDirectory(Path.Combine(dir.Path, "plain")).FullName;

        var missing = await LabCliRun.RunAsync("up", "--scenario", "payments-gitops", "--gitops-repo", Path.Combine(dir.Path, "nope"), "--port", "-1");
        var notGit = await LabCliRun.RunAsync("up", "--scenario", "payments-gitops", "--gitops-repo", plain, "--port", "-1");
        var sub = await LabCliRun.RunAsync("test", "--scenario", "payments-gitops", "--gitops-repo", Path.Combine(repo.RepoPath, "clusters"));
        var noCommit = await LabCliRun.RunAsync("test", "--scenario", "payments-gitops", "--gitops-repo", empty);

        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist; give the folder of your GitOps repository's work tree, or a bare clone", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, notGit.Code);
        Assert.Contains("not a git repository", notGit.Err, StringComparison.Ordinal);
        Assert.Equal(2, sub.Code);
        Assert.Contains("a folder inside the repository at " + repo.RepoPath + ", not its root", sub.Err, StringComparison.Ordinal);
        Assert.Equal(2, noCommit.Code);
        Assert.Contains("the repository has no commit yet; commit your manifests first", noCommit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_without_an_application_exit_2_and_a_bare_clone_is_accepted()
    {
        using var dir = new TempDirectory();
        using var repo = new TempGitRepository();
        repo.Write("clusters/eks-prod/otel/config.yaml", ControllerHarness.ConfigMap("settings"));
        repo.Commit("settings");
        var bare = Path.Combine(dir.Path, "bare.git");
        Git(dir.Path, "clone", "-q", "--bare", repo.RepoPath, bare);
        var manifests = Directory.CreateDirectory(Path.Combine(dir.Path, "manifests")).FullName;
        File.WriteAllText(Path.Combine(manifests, "cm.yaml"), ControllerHarness.ConfigMap("only"));

        var noApp = await LabCliRun.RunAsync("test", "--manifests", manifests, "--static", "--gitops-repo", bare, "--out", Path.Combine(dir.Path, "out1"));
        var accepted = await LabCliRun.RunAsync("test", "--scenario", "payments-gitops", "--static", "--gitops-repo", bare, "--out", Path.Combine(dir.Path, "out2"));

        Assert.Equal(2, noApp.Code);
        Assert.Contains("manifests hold no Argo CD Application, so nothing would read the repository", noApp.Err, StringComparison.Ordinal);
        Assert.True(accepted.Code == 0, accepted.Out + accepted.Err);
    }

    private static void Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
    }
}
