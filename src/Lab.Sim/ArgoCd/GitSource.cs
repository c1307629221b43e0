using System.Diagnostics;
using System.Text.Json.Nodes;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// The repo server's part of Argo CD for local repositories, with the real <c>git</c> CLI: resolves an Application's
/// <c>targetRevision</c> to a commit and renders its <c>path</c> at that commit (a plain directory, recursively with
/// <c>directory.recurse</c>, or a kustomization through the real <c>kubectl kustomize</c>).
/// </summary>
public sealed class GitSource(GitRepositoryMap repositories, string workDirectory)
{
    /// <summary>The kubectl that runs <c>kubectl kustomize</c>.</summary>
    public string Kubectl { get; init; } = "kubectl";

    /// <summary>The local repository of <paramref name="app"/>, or a <see cref="SourceError"/> naming the unmapped URL.</summary>
    public string RepositoryOf(ArgoApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (repositories.Find(app.RepoUrl) is not { } path)
        {
            throw new SourceError(app.Name, app.TargetRevision, null,
                $"repository '{app.RepoUrl}' maps to no local git repository (mapped: {string.Join(", ", repositories.RepoUrls.DefaultIfEmpty("none"))})",
                "map the repoURL to a local work tree or bare repository (a scenario's gitops: block, or up --gitops-repo DIR)");
        }

        return path;
    }

    /// <summary>
    /// Resolves <c>targetRevision</c> to a full commit SHA the way Argo CD does (argo-cd util/git/client.go
    /// nativeGitClient.lsRemote): a 40-hex SHA as is; empty means HEAD; a ref matched by short or full name (a
    /// symbolic ref such as HEAD to its target); a truncated SHA of 7+ hex digits; else "unable to resolve".
    /// </summary>
    public async Task<string> ResolveAsync(ArgoApplication app, CancellationToken cancellationToken)
    {
        var repo = RepositoryOf(app);
        await EnsureGitRepositoryAsync(app, repo, cancellationToken).ConfigureAwait(false);
        var revision = string.IsNullOrEmpty(app.TargetRevision) ? "HEAD" : app.TargetRevision;
        if (IsHex(revision) && revision.Length == 40)
        {
            return await VerifyCommitAsync(app, repo, revision, cancellationToken).ConfigureAwait(false);
        }

        var refs = await RefsAsync(repo, cancellationToken).ConfigureAwait(false);
        foreach (var (name, commit) in refs)
        {
            if (name == revision || ShortName(name) == revision)
            {
                return commit;
            }
        }

        if (revision == "HEAD")
        {
            // upstream: HEAD is a symbolic ref resolved to its target branch (lsRemote refToResolve).
            var head = await GitCli.RunAsync(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
            if (head.ExitCode == 0)
            {
                return head.Output.Trim();
            }
        }

        // upstream: IsTruncatedCommitSHA — 7 to 40 hex digits are taken as a commit.
        if (IsHex(revision) && revision.Length is >= 7 and < 40)
        {
            return await VerifyCommitAsync(app, repo, revision, cancellationToken).ConfigureAwait(false);
        }

        throw new SourceError(app.Name, revision, null, $"unable to resolve '{revision}' to a commit SHA",
            $"targetRevision must be a branch, a tag or a commit of {app.RepoUrl} (branches and tags: {string.Join(", ", refs.Select(r => ShortName(r.Name)).Distinct().Take(10))})");
    }

    /// <summary>Renders the Application's path at <paramref name="commit"/> into target objects (throws <see cref="SourceError"/> on bad input).</summary>
    public async Task<RenderedSource> RenderAsync(ArgoApplication app, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var repo = RepositoryOf(app);
        var label = $"{app.TargetRevision ?? "HEAD"} ({commit[..Math.Min(7, commit.Length)]})";
        if (app.HasHelm)
        {
            throw new SourceError(app.Name, label, null, "Helm sources (spec.source.helm) are not supported in the sim",
                "render the chart into plain manifests (helm template) and point spec.source.path at them, or run --cluster k3s with a real Argo CD");
        }

        var appPath = (app.Path ?? ".").Trim('/');
        appPath = appPath.Length == 0 ? "." : appPath;
        var checkout = Path.Combine(workDirectory, "argocd-repo", app.Name + "-" + commit[..Math.Min(12, commit.Length)]);
        if (!Directory.Exists(checkout))
        {
            await ExtractAsync(app, repo, commit, label, checkout, cancellationToken).ConfigureAwait(false);
        }

        var dir = appPath == "." ? checkout : Path.Combine(checkout, appPath);
        if (!Directory.Exists(dir))
        {
            // upstream: util/app/path/path.go ErrMessageAppPathDoesNotExist.
            throw new SourceError(app.Name, label, null, $"{app.Path}: app path does not exist",
                $"spec.source.path must be a folder of {app.RepoUrl} at that revision");
        }

        var sourceType = SourceTypeOf(dir);
        var ns = app.DestinationNamespace ?? "default";
        return sourceType switch
        {
            "Helm" => throw new SourceError(app.Name, label, $"{appPath}/Chart.yaml", "Helm sources (a Chart.yaml in the app path) are not supported in the sim",
                "render the chart into plain manifests (helm template) and point spec.source.path at them"),
            "Kustomize" => new RenderedSource(commit, sourceType, await KustomizeAsync(app, label, checkout, dir, ns, cancellationToken).ConfigureAwait(false)),
            _ => new RenderedSource(commit, sourceType, DirectoryObjects(app, label, checkout, dir, ns)),
        };
    }

    /// <summary>
    /// The files under the Application's path that changed between two commits, as <c>git diff --stat</c> prints
    /// them (the change request's diff summary); empty when the path did not change.
    /// </summary>
    public async Task<string> DiffSummaryAsync(ArgoApplication app, string from, string to, CancellationToken cancellationToken)
    {
        var repo = RepositoryOf(app);
        var path = string.IsNullOrEmpty(app.Path) ? "." : app.Path;
        var diff = await GitCli.RunAsync(repo, ["diff", "--stat=200", from, to, "--", path], cancellationToken).ConfigureAwait(false);
        return diff.ExitCode == 0 ? diff.Output.TrimEnd() : string.Empty;
    }

    /// <summary>The subject line of <paramref name="commit"/>.</summary>
    public async Task<string> SubjectAsync(ArgoApplication app, string commit, CancellationToken cancellationToken)
    {
        var log = await GitCli.RunAsync(RepositoryOf(app), ["log", "-1", "--format=%s", commit], cancellationToken).ConfigureAwait(false);
        return log.Output.Trim();
    }

    /// <summary>
    /// The source type Argo CD discovers in the app path (argo-cd util/app/discovery/discovery.go Discover/AppType):
    /// <c>Chart.yaml</c> → Helm, <c>kustomization.yaml|.yml|Kustomization</c> → Kustomize (Kustomize wins when both
    /// are present), else Directory.
    /// </summary>
    public static string SourceTypeOf(string dir)
    {
        if (new[] { "kustomization.yaml", "kustomization.yml", "Kustomization" }.Any(f => File.Exists(Path.Combine(dir, f))))
        {
            return "Kustomize";
        }

        return File.Exists(Path.Combine(dir, "Chart.yaml")) ? "Helm" : "Directory";
    }

    private static List<TargetObject> DirectoryObjects(ArgoApplication app, string label, string checkout, string dir, string ns)
    {
        // upstream: repository.go getPotentiallyValidManifests — a lexical walk of the app path that skips
        // sub-folders unless directory.recurse, keeping *.yaml, *.yml and *.json (jsonnet is not evaluated here).
        var files = Walk(dir, app.DirectoryRecurse).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).ToList();
        if (Walk(dir, app.DirectoryRecurse).FirstOrDefault(f => f.EndsWith(".jsonnet", StringComparison.Ordinal)) is { } jsonnet)
        {
            throw new SourceError(app.Name, label, Path.GetRelativePath(checkout, jsonnet) + ":1", "jsonnet files are not evaluated in the sim",
                "render the jsonnet into YAML in the repository, or exclude it with spec.source.directory.exclude");
        }

        var set = ManifestLoader.Load(files, recursive: false, defaultNamespace: ns);
        return ToTargets(app, label, checkout, set);
    }

    private async Task<List<TargetObject>> KustomizeAsync(ArgoApplication app, string label, string checkout, string dir, string ns, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(dir);
        var (exit, output, error) = await ChildProcess.RunAsync(start, cancellationToken).ConfigureAwait(false);
        var kustomization = Path.GetRelativePath(checkout, Path.Combine(dir, "kustomization.yaml"));
        if (exit != 0)
        {
            throw new SourceError(app.Name, label, kustomization + ":1", "kubectl kustomize failed: " + error.Trim(), "fix the kustomization (kubectl kustomize <path> shows the same error)");
        }

        var set = ManifestLoader.LoadText(Path.Combine(dir, "kustomization.yaml"), output, ns);
        return ToTargets(app, label, checkout, set);
    }

    private static List<TargetObject> ToTargets(ArgoApplication app, string label, string checkout, ManifestSet set)
    {
        if (set.Errors.Count > 0)
        {
            var e = set.Errors[0];
            throw new SourceError(app.Name, label, $"{Path.GetRelativePath(checkout, e.Location.File)}:{e.Location.Line}", e.Message, e.Hint ?? "fix the manifest");
        }

        var targets = new List<TargetObject>(set.Objects.Count);
        foreach (var o in set.Objects)
        {
            var json = ManifestJson.Convert(o.Root);
            if (o.Namespace is { } ns && json["metadata"] is JsonObject meta)
            {
                // upstream: the destination namespace goes only to namespaced objects without one (types.go ApplicationDestination).
                meta["namespace"] = ns;
            }

            targets.Add(new TargetObject(json, $"{Path.GetRelativePath(checkout, o.Location.File)}:{o.Location.Line}"));
        }

        return targets;
    }

    private static IEnumerable<string> Walk(string dir, bool recurse)
    {
        foreach (var entry in System.IO.Directory.GetFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            if (System.IO.Directory.Exists(entry))
            {
                if (recurse && !Path.GetFileName(entry).StartsWith('.'))
                {
                    foreach (var f in Walk(entry, recurse))
                    {
                        yield return f;
                    }
                }
            }
            else
            {
                yield return entry;
            }
        }
    }

    private static async Task ExtractAsync(ArgoApplication app, string repo, string commit, string label, string checkout, CancellationToken cancellationToken)
    {
        var partial = checkout + ".partial";
        if (System.IO.Directory.Exists(partial))
        {
            System.IO.Directory.Delete(partial, recursive: true);
        }

        System.IO.Directory.CreateDirectory(partial);
        var tar = checkout + ".tar";
        var archive = await GitCli.RunAsync(repo, ["archive", "--format=tar", "-o", tar, commit], cancellationToken).ConfigureAwait(false);
        if (archive.ExitCode != 0)
        {
            throw new SourceError(app.Name, label, null, $"git archive {commit} failed: {archive.Error.Trim()}", "check the repository with git fsck");
        }

        await System.Formats.Tar.TarFile.ExtractToDirectoryAsync(tar, partial, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        File.Delete(tar);
        System.IO.Directory.Move(partial, checkout);
    }

    private static async Task EnsureGitRepositoryAsync(ArgoApplication app, string repo, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(repo))
        {
            throw new SourceError(app.Name, app.TargetRevision, null, $"repository {repo} (for {app.RepoUrl}) does not exist", "create it (git init) or map the repoURL to an existing repository");
        }

        var probe = await GitCli.RunAsync(repo, ["rev-parse", "--git-dir"], cancellationToken).ConfigureAwait(false);
        if (probe.ExitCode != 0)
        {
            throw new SourceError(app.Name, app.TargetRevision, null, $"{repo} (for {app.RepoUrl}) is not a git repository: {probe.Error.Trim()}", "point the repoURL mapping at a git work tree or bare repository");
        }
    }

    private static async Task<string> VerifyCommitAsync(ArgoApplication app, string repo, string revision, CancellationToken cancellationToken)
    {
        var verify = await GitCli.RunAsync(repo, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (verify.ExitCode != 0)
        {
            throw new SourceError(app.Name, revision, null, $"commit {revision} does not exist in {app.RepoUrl}", "push the commit, or set targetRevision to a branch, tag or existing commit");
        }

        return verify.Output.Trim();
    }

    private static async Task<List<(string Name, string Commit)>> RefsAsync(string repo, CancellationToken cancellationToken)
    {
        // %(*objectname) is the commit an annotated tag points to; plain refs leave it empty.
        var list = await GitCli.RunAsync(repo, ["for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/heads", "refs/tags"], cancellationToken).ConfigureAwait(false);
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Select(p => (p[0], p.Length > 2 && p[2].Length > 0 ? p[2] : p[1]))
            .ToList();
    }

    private static string ShortName(string refName) =>
        refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName["refs/heads/".Length..]
        : refName.StartsWith("refs/tags/", StringComparison.Ordinal) ? refName["refs/tags/".Length..]
        : refName;

    private static bool IsHex(string s) => s.All(c => char.IsAsciiHexDigit(c));
}
