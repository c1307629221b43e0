using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// <c>--gitops-repo DIR</c>: the user's own GitOps repository (a work tree or a bare clone) behind every Argo CD
/// Application in the scenario's manifests, checked before anything starts; what is wrong is said with how to fix it.
/// </summary>
internal static class GitOpsRepoArgument
{
    public static async Task<GitOpsOptions?> ResolveAsync(string dir, ScenarioDefinition scenario, TextWriter stderr, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
        {
            return await FailAsync(stderr, dir, $"{full} does not exist", "give the folder of your GitOps repository's work tree, or a bare clone (git clone --bare URL DIR)").ConfigureAwait(false);
        }

        var (bareExit, bare, bareError) = await GitCli.RunAsync(full, ["rev-parse", "--is-bare-repository"], cancellationToken).ConfigureAwait(false);
        if (bareExit != 0)
        {
            return await FailAsync(stderr, dir, $"not a git repository ({bareError.Trim()})", "point at the folder that holds .git, or at a bare clone").ConfigureAwait(false);
        }

        if (bare.Trim() != "true")
        {
            var (_, top, _) = await GitCli.RunAsync(full, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
            if (!string.Equals(Path.GetFullPath(top.Trim()), full.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                return await FailAsync(stderr, dir, $"a folder inside the repository at {top.Trim()}, not its root",
                    $"give the repository's root ({top.Trim()}); the Application's spec.source.path says where the manifests are").ConfigureAwait(false);
            }
        }

        var (headExit, _, _) = await GitCli.RunAsync(full, ["rev-parse", "--verify", "-q", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
        if (headExit != 0)
        {
            return await FailAsync(stderr, dir, "the repository has no commit yet", "commit your manifests first (Argo CD syncs commits, not the work tree)").ConfigureAwait(false);
        }

        var applications = ManifestLoader.Load(scenario.ManifestPaths, recursive: true).Typed<ArgoApplication>().Select(t => t.Model).ToList();
        if (applications.Count == 0)
        {
            return await FailAsync(stderr, dir, $"scenario {scenario.Name}'s manifests hold no Argo CD Application, so nothing would read the repository",
                "add your Application (argoproj.io/v1alpha1, spec.source.repoURL and path) to the manifests, or drop --gitops-repo").ConfigureAwait(false);
        }

        var map = new GitRepositoryMap();
        foreach (var url in applications.Select(a => a.RepoUrl).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            map = map.Map(url, full);
        }

        return new GitOpsOptions { Repositories = map };
    }

    private static async Task<GitOpsOptions?> FailAsync(TextWriter stderr, string dir, string what, string fix)
    {
        await stderr.WriteLineAsync($"error: --gitops-repo {dir}: {what}; {fix}").ConfigureAwait(false);
        return null;
    }
}
