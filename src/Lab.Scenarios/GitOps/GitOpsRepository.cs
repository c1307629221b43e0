using OtelLab.Scenarios.Definition;
using OtelLab.Sim.ArgoCd;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.Scenarios.GitOps;

/// <summary>The repository a scenario's <c>gitops:</c> block describes, built with the real git CLI: one commit of its files under its path.</summary>
public static class GitOpsRepository
{
    public const string Branch = "main";

    /// <summary>Creates the work tree in <paramref name="directory"/> and returns the options mapping the block's repoURL to it.</summary>
    public static async Task<GitOpsOptions> CreateAsync(GitOpsSpec spec, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var target = Path.Combine(directory, spec.Path);
        Directory.CreateDirectory(target);
        foreach (var file in spec.Files)
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        await RunAsync(directory, ["init", "-q", "-b", Branch], cancellationToken).ConfigureAwait(false);
        await RunAsync(directory, ["add", "-A"], cancellationToken).ConfigureAwait(false);
        await RunAsync(directory, ["-c", "user.name=otel-lab", "-c", "user.email=lab@otel-lab.invalid", "-c", "commit.gpgsign=false",
            "commit", "-q", "-m", $"{spec.Path}: {spec.Files.Count} manifest(s) from the scenario"], cancellationToken).ConfigureAwait(false);
        return new GitOpsOptions { Repositories = new GitRepositoryMap().Map(spec.RepoUrl, directory) };
    }

    /// <summary>Makes a commit step's real commit under the block's path (files put, files removed); returns its SHA.</summary>
    public static async Task<string> CommitAsync(string directory, string path, GitOpsStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var folder = Path.Combine(directory, path);
        foreach (var (file, source) in step.Put)
        {
            var target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: true);
        }

        foreach (var file in step.Remove)
        {
            File.Delete(Path.Combine(folder, file));
        }

        await RunAsync(directory, ["add", "-A"], cancellationToken).ConfigureAwait(false);
        await RunAsync(directory, ["-c", "user.name=otel-lab", "-c", "user.email=lab@otel-lab.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", step.Text], cancellationToken).ConfigureAwait(false);
        var (_, head, _) = await GitCli.RunAsync(directory, ["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false);
        return head.Trim();
    }

    private static async Task RunAsync(string repo, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (exit, _, error) = await GitCli.RunAsync(repo, args, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} in {repo}: {error.Trim()}");
        }
    }
}
