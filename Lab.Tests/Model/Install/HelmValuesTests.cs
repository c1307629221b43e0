using OtelLab.Model;
using OtelLab.Model.Install;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Model.Install;

/// <summary>Helm's values order: chart defaults, then --values files in order, then --set (helm pkg/cli/values/options.go).</summary>
[Trait("Category", "Unit")]
public sealed class HelmValuesTests
{
    [Fact]
    public void Values_files_merge_in_order_and_set_wins_over_them()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "a.yaml"), "manager:\n  replicas: 1\n  image: {repository: one, tag: \"1\"}\nlist: [a, b]\n");
        File.WriteAllText(Path.Combine(dir.Path, "b.yaml"), "manager:\n  image: {tag: \"2\"}\nlist: [c]\n");
        File.WriteAllText(Path.Combine(dir.Path, "scenario.yaml"),
            "name: x\nmanifests: m\ninstall:\n  releases:\n    - name: r\n      chart: c/x\n      version: 1\n      values: [a.yaml, b.yaml]\n      set: [manager.replicas=3]\n");

        var release = ScenarioLoader.Load(dir.Path).Install.Releases[0];

        // maps merge key by key, lists are replaced, --set comes last
        Assert.Equal("""{"manager":{"replicas":3,"image":{"repository":"one","tag":"2"}},"list":["c"]}""", HelmValues.UserValues(release).ToJsonString());
    }

    [Fact]
    public void A_broken_values_file_fails_the_scenario_at_its_own_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "bad.yaml"), "manager:\n  image: [unclosed\n");
        File.WriteAllText(Path.Combine(dir.Path, "scenario.yaml"),
            "name: x\nmanifests: m\ninstall:\n  releases:\n    - { name: r, chart: c/x, version: 1, values: bad.yaml }\n");

        var e = Assert.Throws<ManifestException>(() => ScenarioLoader.Load(dir.Path));

        Assert.EndsWith("bad.yaml", e.Location.File, StringComparison.Ordinal);
        Assert.Equal(3, e.Location.Line);
        Assert.StartsWith("invalid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coalescing_keeps_chart_defaults_under_user_values_and_a_user_null_deletes_one()
    {
        var defaults = HelmValues.FromYaml("a: {b: 1, c: 2}\nd: 3\n", "values.yaml");
        var user = HelmValues.FromYaml("a: {b: 9}\nd: null\n", "user.yaml");

        Assert.Equal("""{"a":{"b":9,"c":2}}""", HelmValues.Coalesce(defaults, user).ToJsonString());
    }
}
