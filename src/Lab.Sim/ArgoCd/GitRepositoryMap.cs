namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// Where each Application <c>repoURL</c> lives on this machine: a local git work tree or bare repository. The sim's
/// stand-in for the repo server's clone: the URL is matched as Argo CD normalises it (argo-cd util/git/git.go
/// NormalizeGitURL: case-insensitive, without a trailing <c>.git</c> or <c>/</c>).
/// </summary>
public sealed class GitRepositoryMap
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    public GitRepositoryMap Map(string repoUrl, string localPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(repoUrl);
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        _paths[Normalize(repoUrl)] = Path.GetFullPath(localPath);
        return this;
    }

    /// <summary>The local path of <paramref name="repoUrl"/>, or null when nothing is mapped to it.</summary>
    public string? Find(string? repoUrl) => repoUrl is null ? null : _paths.GetValueOrDefault(Normalize(repoUrl));

    public IReadOnlyCollection<string> RepoUrls => _paths.Keys;

    private static string Normalize(string url)
    {
        var u = url.Trim().TrimEnd('/').ToLowerInvariant();
        return u.EndsWith(".git", StringComparison.Ordinal) ? u[..^4] : u;
    }
}
