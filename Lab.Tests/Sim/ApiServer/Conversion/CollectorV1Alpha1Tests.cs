using System.Text.Json.Nodes;
using OtelLab.Model.Manifests;
using OtelLab.Sim.ApiServer.Internal.Conversion;
using OtelLab.Sim.Cluster;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer.Conversion;

/// <summary>OpenTelemetryCollector v1alpha1 ↔ v1beta1 as the operator's apis/v1alpha1/convert.go converts the fields the lab uses.</summary>
[Trait("Category", "Unit")]
public sealed class CollectorV1Alpha1Tests
{
    [Fact]
    public void The_payments_fixed_collectors_survive_v1beta1_to_v1alpha1_and_back()
    {
        var manifests = ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")]);
        var collectors = manifests.OfKind("OpenTelemetryCollector").Select(o => (JsonObject)OtelLab.Model.Yaml.YamlJson.Convert(o.Root)!).ToList();
        Assert.Equal(3, collectors.Count);

        foreach (var beta in collectors)
        {
            var alpha = CollectorV1Alpha1.ToV1Alpha1(beta, "opentelemetry.io/v1alpha1");

            Assert.Equal("opentelemetry.io/v1alpha1", (string?)alpha["apiVersion"]);
            Assert.IsType<string>((string?)alpha["spec"]!["config"]);
            Assert.Equal(WithNonNilSelectors(beta).ToJsonString(), CollectorV1Alpha1.ToV1Beta1(alpha, "opentelemetry.io/v1beta1").ToJsonString());
        }
    }

    // convert.go tov1beta1TA: the monitor selectors come back as empty selectors where the object had none.
    private static JsonObject WithNonNilSelectors(JsonObject beta)
    {
        var o = (JsonObject)beta.DeepClone();
        if (o["spec"]?["targetAllocator"] is JsonObject ta)
        {
            var cr = ta["prometheusCR"] as JsonObject ?? [];
            ta["prometheusCR"] = cr;
            cr["podMonitorSelector"] ??= new JsonObject();
            cr["serviceMonitorSelector"] ??= new JsonObject();
        }

        return o;
    }

    [Fact]
    public void The_deprecated_replica_bounds_fill_the_autoscaler_only_where_it_is_unset()
    {
        var alpha = (JsonObject)JsonNode.Parse("""{"apiVersion":"opentelemetry.io/v1alpha1","kind":"OpenTelemetryCollector","spec":{"minReplicas":2,"maxReplicas":9,"autoscaler":{"maxReplicas":4},"config":"receivers: {}","updateStrategy":{"type":"OnDelete"}},"status":{"messages":["x"],"version":"0.1"}}""")!;

        var beta = CollectorV1Alpha1.ToV1Beta1(alpha, "opentelemetry.io/v1beta1");

        Assert.Equal("""{"apiVersion":"opentelemetry.io/v1beta1","kind":"OpenTelemetryCollector","spec":{"autoscaler":{"maxReplicas":4,"minReplicas":2},"config":{"receivers":{}},"daemonSetUpdateStrategy":{"type":"OnDelete"}},"status":{"version":"0.1"}}""", beta.ToJsonString());
    }

    [Fact]
    public void Monitor_selectors_are_label_maps_in_v1alpha1_and_never_nil_selectors_in_v1beta1()
    {
        var alpha = (JsonObject)JsonNode.Parse("""{"spec":{"config":"{}","targetAllocator":{"enabled":true,"prometheusCR":{"enabled":true,"podMonitorSelector":{"team":"a"}}}}}""")!;

        var beta = CollectorV1Alpha1.ToV1Beta1(alpha, "opentelemetry.io/v1beta1");
        var back = CollectorV1Alpha1.ToV1Alpha1(beta, "opentelemetry.io/v1alpha1");

        Assert.Equal("""{"enabled":true,"podMonitorSelector":{"matchLabels":{"team":"a"}},"serviceMonitorSelector":{}}""", beta["spec"]!["targetAllocator"]!["prometheusCR"]!.ToJsonString());
        Assert.Equal("""{"enabled":true,"podMonitorSelector":{"team":"a"}}""", back["spec"]!["targetAllocator"]!["prometheusCR"]!.ToJsonString());
    }

    [Theory]
    [InlineData("receivers: [unclosed")]
    [InlineData("just text")]
    public void A_config_that_is_not_a_yaml_mapping_fails_the_conversion(string config)
    {
        var alpha = new JsonObject { ["spec"] = new JsonObject { ["config"] = config } };

        var error = Assert.Throws<ClusterApiException>(() => CollectorV1Alpha1.ToV1Beta1(alpha, "opentelemetry.io/v1beta1"));

        Assert.Equal(500, error.StatusCode);
        Assert.EndsWith("failed to convert to v1beta1: could not convert config json to v1beta1.Config", error.Message, StringComparison.Ordinal);
    }
}
