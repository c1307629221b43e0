using OtelLab.Model.Crds;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

[Trait("Category", "Component")]
public sealed class GitSourceTests : IDisposable
{
    private const string Url = "https://git.internal/kloudvin/observability.git";
    private readonly TempGitRepository _repo = new();

    private static string ConfigMap(string name, string value = "1") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        data:
          v: "{value}"
        """;

    private GitSource Source() => new(new GitRepositoryMap().Map(Url, _repo.RepoPath), _repo.WorkDirectory);

    private static ArgoApplication App(string? revision = "main", string path = "otel", bool recurse = false) => new()
    {
        Name = "otel-pipeline",
        Namespace = "argocd",
        RepoUrl = Url,
        TargetRevision = revision,
        Path = path,
        DestinationNamespace = "observability",
        DirectoryRecurse = recurse,
    };

    [Fact]
    public async Task Branch_tag_full_and_truncated_sha_and_head_resolve_as_argo_lsRemote_does()
    {
        // Given: two commits, a lightweight and an annotated tag on the first
        var ct = TestContext.Current.CancellationToken;
        _repo.Write("otel/a.yaml", ConfigMap("a"));
        var first = _repo.Commit("first");
        _repo.Git("tag", "v1");
        _repo.Git("tag", "-a", "v1-annotated", "-m", "release");
        _repo.Write("otel/a.yaml", ConfigMap("a", "2"));
        var second = _repo.Commit("second");
        var source = Source();

        // Then
        Assert.Equal(second, await source.ResolveAsync(App("main"), ct));
        Assert.Equal(second, await source.ResolveAsync(App("refs/heads/main"), ct));
        Assert.Equal(second, await source.ResolveAsync(App(null), ct));
        Assert.Equal(second, await source.ResolveAsync(App("HEAD"), ct));
        Assert.Equal(first, await source.ResolveAsync(App("v1"), ct));
        Assert.Equal(first, await source.ResolveAsync(App("v1-annotated"), ct));
        Assert.Equal(first, await source.ResolveAsync(App(first), ct));
        Assert.Equal(first, await source.ResolveAsync(App(first[..7]), ct));
    }

    [Fact]
    public async Task An_unknown_revision_fails_with_argos_message_naming_the_application()
    {
        _repo.Write("otel/a.yaml", ConfigMap("a"));
        _repo.Commit("first");

        var e = await Assert.ThrowsAsync<SourceError>(() => Source().ResolveAsync(App("release-9"), TestContext.Current.CancellationToken));

        // upstream: util/git/client.go lsRemote "unable to resolve '%s' to a commit SHA"
        Assert.Equal("unable to resolve 'release-9' to a commit SHA", e.Message);
        Assert.Contains("application otel-pipeline, revision release-9", e.Describe(), StringComparison.Ordinal);
        Assert.Contains("main", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_source_reads_only_the_top_folder_unless_recurse_is_set()
    {
        var ct = TestContext.Current.CancellationToken;
        _repo.Write("otel/b.yaml", ConfigMap("b")).Write("otel/a.yml", ConfigMap("a")).Write("otel/notes.txt", "not a manifest")
            .Write("otel/nested/c.json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""");
        var sha = _repo.Commit("three files");

        var flat = await Source().RenderAsync(App(), sha, ct);
        var deep = await Source().RenderAsync(App(recurse: true), sha, ct);

        // upstream: repository.go getPotentiallyValidManifests — SkipDir unless recurse; *.yaml|*.yml|*.json in lexical order
        Assert.Equal("Directory", flat.SourceType);
        Assert.Equal(["a", "b"], flat.Objects.Select(o => o.Name));
        Assert.Equal(["a", "b", "c"], deep.Objects.Select(o => o.Name));
        Assert.All(deep.Objects, o => Assert.Equal("observability", o.Namespace));
        Assert.Equal("otel/b.yaml:1", flat.Objects[1].Location);
    }

    [Fact]
    public async Task A_kustomization_is_built_with_the_real_kubectl_kustomize()
    {
        _repo.Write("otel/kustomization.yaml", """
            namePrefix: prod-
            resources:
              - cm.yaml
            """).Write("otel/cm.yaml", ConfigMap("a")).Write("otel/ignored.yaml", ConfigMap("not-listed"));
        var sha = _repo.Commit("kustomize");

        var rendered = await Source().RenderAsync(App(), sha, TestContext.Current.CancellationToken);

        Assert.Equal("Kustomize", rendered.SourceType);
        Assert.Equal(["prod-a"], rendered.Objects.Select(o => o.Name));
    }

    [Fact]
    public async Task Bad_input_names_the_application_revision_and_file_line()
    {
        var ct = TestContext.Current.CancellationToken;
        _repo.Write("otel/good.yaml", ConfigMap("a")).Write("otel/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n");
        var sha = _repo.Commit("broken");
        var source = Source();

        var broken = await Assert.ThrowsAsync<SourceError>(() => source.RenderAsync(App(), sha, ct));
        var missingPath = await Assert.ThrowsAsync<SourceError>(() => source.RenderAsync(App(path: "clusters/eks-prod/otel"), sha, ct));
        var unmapped = Assert.Throws<SourceError>(() => new GitSource(new GitRepositoryMap(), _repo.WorkDirectory).RepositoryOf(App()));
        var helm = await Assert.ThrowsAsync<SourceError>(() => source.RenderAsync(App() with { HasHelm = true }, sha, ct));

        Assert.StartsWith("otel/broken.yaml:", broken.Location, StringComparison.Ordinal);
        Assert.Contains($"revision main ({sha[..7]})", broken.Describe(), StringComparison.Ordinal);
        // upstream: util/app/path/path.go "app path does not exist"
        Assert.Equal("clusters/eks-prod/otel: app path does not exist", missingPath.Message);
        Assert.Contains(Url, unmapped.Message, StringComparison.Ordinal);
        Assert.Contains("not supported in the sim", helm.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_git_repository_is_reported()
    {
        var plain = Path.Combine(_repo.Root, "plain");
        Directory.CreateDirectory(plain);
        var source = new GitSource(new GitRepositoryMap().Map(Url, plain), _repo.WorkDirectory);

        var e = await Assert.ThrowsAsync<SourceError>(() => source.ResolveAsync(App(), TestContext.Current.CancellationToken));

        Assert.Contains("is not a git repository", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_repository_resolves_and_renders_too()
    {
        var ct = TestContext.Current.CancellationToken;
        _repo.Write("otel/a.yaml", ConfigMap("a"));
        var sha = _repo.Commit("first");
        var bare = Path.Combine(_repo.Root, "bare.git");
        _repo.Git("clone", "-q", "--bare", _repo.RepoPath, bare);
        var source = new GitSource(new GitRepositoryMap().Map(Url, bare), _repo.WorkDirectory);

        Assert.Equal(sha, await source.ResolveAsync(App(), ct));
        Assert.Equal(["a"], (await source.RenderAsync(App(), sha, ct)).Objects.Select(o => o.Name));
    }

    public void Dispose() => _repo.Dispose();
}
