namespace OtelLab.K3s;

/// <summary>
/// The images the lab builds for one k3s run and where they go: built in the Docker engine, saved together as one
/// <c>docker save</c> tarball and copied into k3s's air-gap import folder before k3s starts, which k3s imports into
/// its containerd at start (k3s docs, "Air-Gap Install", manually deploy images: "/var/lib/rancher/k3s/agent/images/";
/// the same folder <c>--images</c> fills). The manifests run them with <c>imagePullPolicy: Never</c> or
/// <c>IfNotPresent</c>, so nothing is pulled.
/// </summary>
public sealed record AirgapImagePlan
{
    /// <summary>The tarball's name in the import folder (and in the run's scratch folder on the host).</summary>
    public const string TarballName = "otel-lab-built-images.tar";

    public required IReadOnlyList<LabImageBuild> Builds { get; init; }

    /// <summary>Where the tarball lands in the k3s container.</summary>
    public string ContainerPath => K3sClusterConfiguration.AirgapImagesFolder + TarballName;

    /// <summary>The tags the tarball holds, in build order.</summary>
    public IReadOnlyList<string> Tags => Builds.Select(b => b.Tag).ToList();

    /// <summary>
    /// The builds a configuration needs: each sample-service image an <c>image:</c> of its manifests names, and the
    /// backends image when the in-cluster backends are deployed. An image already in <c>--images</c> is not rebuilt.
    /// </summary>
    public static AirgapImagePlan For(K3sClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var named = K3sPreflight.ManifestImages(configuration).ToHashSet(StringComparer.Ordinal);
        var saved = configuration.ImagesDirectory is { } dir && Directory.Exists(dir) ? K3sPreflight.SavedImages(dir) : new HashSet<string>();
        var builds = LabImages.Builds
            .Where(b => named.Contains(b.Tag) || (b.Tag == LabImages.Backends && configuration.Backends is not null))
            .Where(b => !saved.Contains(b.Tag))
            .ToList();
        return new AirgapImagePlan { Builds = builds };
    }
}
