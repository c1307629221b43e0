namespace OtelLab.Model.Install;

/// <summary>
/// What a scenario installs before its manifests (<c>install.releases</c> in scenario.yaml), in order. Empty when the
/// scenario declares nothing: then the lab assumes the operator's CRDs are there and checks no install.
/// </summary>
public sealed record InstallSpec
{
    public static InstallSpec None { get; } = new();

    public IReadOnlyList<HelmRelease> Releases { get; init; } = [];

    public bool IsDeclared => Releases.Count > 0;

    /// <summary>
    /// The CRDs the declared releases put in the cluster, per the pinned chart metadata and the release's values
    /// (e.g. cert-manager ships its CRDs only with <c>crds.enabled=true</c>). Null when nothing is declared (the
    /// caller keeps its default set). Releases of charts the lab has not pinned contribute nothing.
    /// </summary>
    public IReadOnlyList<ChartCrd>? InstalledCrds()
    {
        if (!IsDeclared)
        {
            return null;
        }

        var crds = new List<ChartCrd>();
        foreach (var release in Releases)
        {
            if (ChartCatalog.Find(release.ChartName, release.Version) is { } chart && chart.InstallsCrds(HelmValues.UserValues(release)))
            {
                crds.AddRange(chart.Crds.Where(c => !crds.Any(x => x.Name == c.Name)));
            }
        }

        return crds;
    }

    /// <summary>The ClusterRoles the declared releases create, by name, with the release that creates each.</summary>
    public IReadOnlyDictionary<string, HelmRelease> InstalledClusterRoles()
    {
        var roles = new Dictionary<string, HelmRelease>(StringComparer.Ordinal);
        foreach (var release in Releases)
        {
            foreach (var role in ChartCatalog.Find(release.ChartName, release.Version)?.ClusterRoleNames(release.Name) ?? [])
            {
                roles.TryAdd(role, release);
            }
        }

        return roles;
    }
}
