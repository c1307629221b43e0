using System.Diagnostics;
using System.Text.Json.Nodes;
using Json.Schema;

namespace OtelLab.Model.Install;

/// <summary>
/// What one chart version installs, pinned from the chart's own files: its CRDs, ClusterRoles, feature gates and
/// images, and (when the lab carries them) its <c>values.yaml</c> and <c>values.schema.json</c>.
/// </summary>
[DebuggerDisplay("{Name} {Version}")]
public sealed class PinnedChart
{
    private readonly Lazy<JsonObject?> _defaults;
    private readonly Lazy<JsonSchema?> _schema;

    public PinnedChart()
    {
        _defaults = new(() => ValuesResource is null ? null : HelmValues.FromYaml(ChartResources.Read(ValuesResource), $"{Name}-{Version}/values.yaml"));
        _schema = new(() => SchemaResource is null ? null : JsonSchema.FromText(ChartSchemaText.Prepare(ChartResources.Read(SchemaResource)), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
    }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string AppVersion { get; init; }

    /// <summary>The alias the guide adds the repository under (<c>helm repo add ALIAS URL</c>).</summary>
    public required string RepoName { get; init; }

    public required string RepoUrl { get; init; }

    /// <summary>Where each fact below was read (repository, commit or tag, files).</summary>
    public required string Provenance { get; init; }

    public IReadOnlyList<ChartCrd> Crds { get; init; } = [];

    /// <summary>ClusterRole names with <c>{fullname}</c> for the chart's fullname helper.</summary>
    public IReadOnlyList<string> ClusterRoles { get; init; } = [];

    /// <summary>Operator feature gates the chart's values can switch (the keys its schema allows).</summary>
    public IReadOnlyList<string> FeatureGates { get; init; } = [];

    /// <summary>The images the chart's defaults run (what an air-gapped k3s needs imported).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>
    /// Whether the chart version ships a values.schema.json. Without one Helm validates nothing: every key is taken and
    /// the ones no template reads are dropped silently.
    /// </summary>
    public required bool ShipsSchema { get; init; }

    /// <summary>Embedded resource of the chart's values.yaml; null when the lab does not carry it.</summary>
    public string? ValuesResource { get; init; }

    /// <summary>Embedded resource of the chart's values.schema.json; null when the chart has none or the lab does not carry it.</summary>
    public string? SchemaResource { get; init; }

    /// <summary>Whether the chart renders its CRDs for the user's values (a chart-specific switch).</summary>
    public Func<JsonObject, bool> InstallsCrds { get; init; } = _ => true;

    /// <summary>The chart's <c>values.yaml</c> as Helm reads it; null when the lab does not carry it.</summary>
    public JsonObject? DefaultValues => _defaults.Value;

    public JsonSchema? Schema => _schema.Value;

    /// <summary>The tarball <c>helm pull REPO/NAME --version V</c> writes: <c>NAME-V.tgz</c>.</summary>
    public string TarballName => $"{Name}-{Version}.tgz";

    public bool Matches(string chartName, string version) =>
        chartName == Name && (version == Version || version.TrimStart('v') == Version.TrimStart('v'));

    /// <summary>
    /// The chart's <c>fullname</c> helper as <c>helm create</c> scaffolds it (every chart here uses it): the release
    /// name when it already contains the chart name, else <c>release-chart</c>.
    /// </summary>
    public string Fullname(string release) => release.Contains(Name, StringComparison.Ordinal) ? release : $"{release}-{Name}";

    public IEnumerable<string> ClusterRoleNames(string release) =>
        ClusterRoles.Select(r => r.Replace("{fullname}", Fullname(release), StringComparison.Ordinal));
}
