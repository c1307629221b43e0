using OtelLab.K3s.InCluster;
using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>
/// Immutable builder of a <see cref="K3sCluster"/>, in the Testcontainers module pattern: every <c>With…</c> returns a
/// new builder; <see cref="Build"/> checks the configuration and resolves the charts to install.
/// </summary>
public sealed class K3sClusterBuilder
{
    public K3sClusterBuilder()
        : this(new K3sClusterConfiguration())
    {
    }

    private K3sClusterBuilder(K3sClusterConfiguration configuration) => Configuration = configuration;

    public K3sClusterConfiguration Configuration { get; }

    public K3sClusterBuilder WithImage(string image) => new(Configuration with { Image = image });

    /// <summary>Adds <c>k3s server</c> flags (e.g. <c>--disable=metrics-server</c>); a flag already there is not repeated.</summary>
    public K3sClusterBuilder WithServerFlags(params string[] flags) =>
        new(Configuration with { ServerFlags = Configuration.ServerFlags.Concat(flags).Distinct(StringComparer.Ordinal).ToList() });

    public K3sClusterBuilder WithInstall(InstallSpec install) => new(Configuration with { Install = install });

    public K3sClusterBuilder WithChartsDirectory(string? directory) => new(Configuration with { ChartsDirectory = directory });

    public K3sClusterBuilder WithImagesDirectory(string? directory) => new(Configuration with { ImagesDirectory = directory });

    /// <summary>The repository the lab's images are built from (sample services, backends).</summary>
    public K3sClusterBuilder WithRepository(string? root) => new(Configuration with { RepositoryRoot = root });

    /// <summary>Deploys the mock backends into the cluster and resolves the vendor hosts to them.</summary>
    public K3sClusterBuilder WithInClusterBackends(InClusterBackends? backends) => new(Configuration with { Backends = backends });

    public K3sClusterBuilder WithManifests(IEnumerable<string> files) => new(Configuration with { Manifests = Configuration.Manifests.Concat(files).ToList() });

    /// <summary>
    /// The cluster, not started. Throws <see cref="ArgumentException"/> naming what is wrong: an empty image, a
    /// missing folder, or a release whose chart tarball the charts folder lacks.
    /// </summary>
    public K3sCluster Build()
    {
        var c = Configuration;
        if (string.IsNullOrWhiteSpace(c.Image) || !c.Image.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"k3s image '{c.Image}' must be pinned as repository:tag, e.g. {LabImages.K3s}");
        }

        foreach (var (name, dir) in new[] { ("--charts", c.ChartsDirectory), ("--images", c.ImagesDirectory) })
        {
            if (dir is not null && !Directory.Exists(dir))
            {
                throw new ArgumentException($"{name} {dir}: no such folder");
            }
        }

        var plan = AirgapImagePlan.For(c);
        if (plan.Builds.Count > 0)
        {
            var missing = plan.Builds.Select(b => b.DockerfilePath).Where(p => c.RepositoryRoot is null || !File.Exists(Path.Combine(c.RepositoryRoot, p))).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"the images {string.Join(", ", plan.Tags)} are built from this repository, but " +
                    (c.RepositoryRoot is null ? "no repository was given (WithRepository)" : $"{c.RepositoryRoot} lacks {string.Join(", ", missing)}") +
                    "; run the lab from a clone of the repository, or put the images in --images");
            }
        }

        var charts = new List<(HelmRelease Release, string? Tarball)>();
        foreach (var release in c.Install.Releases)
        {
            string? tarball = null;
            if (c.ChartsDirectory is not null)
            {
                tarball = Path.Combine(c.ChartsDirectory, ChartTarballName(release));
                if (!File.Exists(tarball))
                {
                    throw new ArgumentException($"--charts {c.ChartsDirectory}: {Path.GetFileName(tarball)} is missing; " +
                        $"run: helm pull {release.Chart} --version {release.Version} -d {c.ChartsDirectory}");
                }
            }

            charts.Add((release, tarball));
        }

        return new K3sCluster(c, charts, plan);
    }

    /// <summary>The file <c>helm pull CHART --version V</c> writes: <c>NAME-V.tgz</c>, V as the chart's Chart.yaml spells it.</summary>
    public static string ChartTarballName(HelmRelease release) =>
        ChartCatalog.Find(release.ChartName, release.Version)?.TarballName ?? $"{release.ChartName}-{release.Version}.tgz";
}
