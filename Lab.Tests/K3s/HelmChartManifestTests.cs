using System.Text.Json.Nodes;
using OtelLab.K3s;
using OtelLab.Model.Install;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.K3s;

/// <summary>The k3s HelmChart CRs (helm.cattle.io/v1) generated from the declared releases.</summary>
[Trait("Category", "Unit")]
public sealed class HelmChartManifestTests
{
    private static HelmRelease Release(string scenario, string name) =>
        ScenarioLoader.Load(RepoPaths.Scenario(scenario)).Install.Releases.Single(r => r.Name == name);

    private static YamlMappingNode Spec(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["spec"];
    }

    [Fact]
    public void A_release_from_its_repository_carries_chart_repo_version_namespace_and_helms_merged_values()
    {
        var yaml = HelmChartManifest.Render(Release("payments-fixed", "opentelemetry-operator"));

        Assert.Equal(
            "apiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: \"opentelemetry-operator\"\n  namespace: kube-system\nspec:\n" +
            "  chart: \"opentelemetry-operator\"\n  repo: \"https://open-telemetry.github.io/opentelemetry-helm-charts\"\n  version: \"0.74.2\"\n" +
            "  targetNamespace: \"opentelemetry-operator-system\"\n  createNamespace: true\n  valuesContent: ",
            yaml[..yaml.IndexOf("valuesContent: ", StringComparison.Ordinal)] + "valuesContent: ");

        // valuesContent is YAML (here JSON) of exactly what helm would get from the --set expressions, escapes and types kept
        var values = JsonNode.Parse(((YamlScalarNode)Spec(yaml)["valuesContent"]).Value!)!;
        Assert.Equal("otel/opentelemetry-collector-contrib", (string?)values["manager"]!["collectorImage"]!["repository"]);
        Assert.True((bool)values["manager"]!["featureGatesMap"]!["operator.observability.prometheus"]!);
        Assert.True((bool)values["admissionWebhooks"]!["certManager"]!["enabled"]!);
    }

    [Fact]
    public void An_air_gapped_release_embeds_the_chart_tarball_and_names_no_repository()
    {
        byte[] tarball = [0x1f, 0x8b, 8, 0, 1, 2, 3];

        var spec = Spec(HelmChartManifest.Render(Release("payments", "cert-manager"), tarball));

        Assert.Equal(Convert.ToBase64String(tarball), ((YamlScalarNode)spec["chartContent"]).Value);
        Assert.False(spec.Children.ContainsKey("repo"));
        Assert.False(spec.Children.ContainsKey("chart"));
        Assert.Equal("""{"crds":{"enabled":true}}""", ((YamlScalarNode)spec["valuesContent"]).Value);
    }
}
