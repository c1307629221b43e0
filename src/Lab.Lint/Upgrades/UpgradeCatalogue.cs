using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Upgrades;

/// <summary>
/// The catalogue of version changes for the components the lab emulates, read once from the embedded
/// <c>upgrade-catalogue.yaml</c> (the one place the facts and their changelog references live).
/// </summary>
public static class UpgradeCatalogue
{
    private static readonly Lazy<IReadOnlyList<UpgradeEntry>> Loaded = new(() => Parse("upgrade-catalogue.yaml", ReadResource()));

    public static IReadOnlyList<UpgradeEntry> Entries => Loaded.Value;

    /// <summary>Parses a catalogue text (the embedded one, or a test's).</summary>
    public static IReadOnlyList<UpgradeEntry> Parse(string file, string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var r = new YamlReader(file);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var entries = r.Sequence(root, "entries", "entries") ?? throw new InvalidDataException($"{file}: no entries");
        return [.. entries.Children.OfType<YamlMappingNode>().Select(e =>
        {
            string Required(YamlMappingNode map, string key) => r.String(map, key, key) ?? throw new InvalidDataException($"{r.At(map)}: {key} missing");
            var changelog = r.Mapping(e, "changelog", "changelog") ?? throw new InvalidDataException($"{r.At(e)}: changelog missing");
            var mitigation = r.Mapping(e, "mitigation", "mitigation");
            return new UpgradeEntry
            {
                Id = Required(e, "id"),
                Component = Required(e, "component"),
                Version = Version.Parse(Required(e, "version")),
                Severity = Required(e, "severity") == "error" ? Severity.Error : Severity.Warning,
                Title = Required(e, "title"),
                Detect = Required(e, "detect"),
                Why = Required(e, "why").Trim(),
                Fix = Required(e, "fix"),
                ChangelogRepo = Required(changelog, "repo"),
                ChangelogVersion = Required(changelog, "version"),
                ChangelogEntry = Required(changelog, "entry"),
                MitigatedByOperator = r.String(mitigation, "operator", "mitigation.operator"),
                MitigationEntry = r.String(mitigation, "entry", "mitigation.entry"),
            };
        })];
    }

    private static string ReadResource()
    {
        using var stream = typeof(UpgradeCatalogue).Assembly.GetManifestResourceStream("OtelLab.Lint.Upgrades.upgrade-catalogue.yaml")
            ?? throw new InvalidOperationException("the upgrade catalogue is not embedded in Lab.Lint");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
