using OtelLab.K3s.InCluster;
using OtelLab.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.K3s.InCluster;

/// <summary>The one change a k3s run with in-cluster backends makes to the manifests: collectors trust the run's CA.</summary>
[Trait("Category", "Unit")]
public sealed class CollectorTrustTests
{
    private static string Gateway => File.ReadAllText(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests", "12-otel-gateway.yaml"));

    [Fact]
    public void Each_collector_gets_ssl_cert_file_and_the_ca_configmap_mounted_and_keeps_the_rest()
    {
        var patched = CollectorTrust.Patch(Gateway, "12-otel-gateway.yaml")!;

        var stream = new YamlStream();
        stream.Load(new StringReader(patched));
        var spec = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["spec"];
        var env = ((YamlSequenceNode)spec["env"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal(["DT_ENV_URL=https://abc12345.live.dynatrace.com", "SSL_CERT_FILE=/etc/otel-lab-ca/ca.crt"], env.Select(e => $"{e["name"]}={e["value"]}"));
        var volume = (YamlMappingNode)((YamlSequenceNode)spec["volumes"]).Last();
        Assert.Equal("otel-lab-ca", volume["configMap"]["name"].ToString());
        var mount = (YamlMappingNode)((YamlSequenceNode)spec["volumeMounts"]).Last();
        Assert.Equal(["otel-lab-ca", "/etc/otel-lab-ca", "true"], [mount["name"].ToString(), mount["mountPath"].ToString(), mount["readOnly"].ToString()]);
        Assert.Equal("otel/opentelemetry-collector-contrib:0.105.0", spec["image"].ToString());
        Assert.Contains("decision_wait: 10s", patched, StringComparison.Ordinal);
        Assert.Equal(["observability"], CollectorTrust.CollectorNamespaces(Gateway));
    }

    [Fact]
    public void A_file_without_collectors_is_left_alone_and_a_collector_with_its_own_ssl_cert_file_is_refused_at_its_line()
    {
        Assert.Null(CollectorTrust.Patch("apiVersion: v1\nkind: Namespace\nmetadata: {name: observability}\n", "ns.yaml"));

        var e = Assert.Throws<ArgumentException>(() => CollectorTrust.Patch(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: o}\n---\napiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata: {name: c, namespace: o}\nspec:\n  env: [{name: SSL_CERT_FILE, value: /mine.pem}]\n", "c.yaml"));

        Assert.Equal("c.yaml:5: OpenTelemetryCollector already sets SSL_CERT_FILE; the k3s run's in-cluster backends need it to name the run's CA (/etc/otel-lab-ca/ca.crt). Remove it from spec.env, or run with --cluster sim.", e.Message);
    }
}
