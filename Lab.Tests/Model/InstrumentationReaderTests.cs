using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;

namespace OtelLab.Tests.Model;

/// <summary>The Instrumentation fields the pod-mutation webhook reads (apis/v1alpha1/instrumentation_types.go).</summary>
[Trait("Category", "Unit")]
public sealed class InstrumentationReaderTests
{
    private static ManifestSet Load(string spec) => ManifestLoader.LoadText("inst.yaml", $"""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {"{"}name: inst, namespace: apps{"}"}
        spec:
        {spec}
        """);

    [Fact]
    public void Reads_resource_defaults_pull_policy_and_language_blocks()
    {
        // Given
        var set = Load("""
              imagePullPolicy: IfNotPresent
              resource:
                addK8sUIDAttributes: true
                resourceAttributes: {environment: dev}
              defaults: {useLabelsForResourceAttributes: true}
              java:
                image: java:1
                volumeLimitSize: 300Mi
                resources: {limits: {memory: 64Mi}}
                extensions: [{image: "ext:1", dir: /ext}]
              nodejs:
                image: node:1
                resourceRequirements: {requests: {cpu: 50m}}
            """);

        // When
        Assert.Empty(set.Errors);
        var inst = set.Typed<Instrumentation>().Single().Model;

        // Then
        Assert.Equal("IfNotPresent", inst.ImagePullPolicy);
        Assert.True(inst.AddK8sUidAttributes);
        Assert.True(inst.UseLabelsForResourceAttributes);
        Assert.Equal("dev", inst.ResourceAttributes["environment"]);
        var java = inst.Language("java");
        Assert.Equal("300Mi", java.VolumeSizeLimit!.ToString());
        Assert.Equal("64Mi", java.Resources!.Limits["memory"].ToString());
        Assert.Equal(new InstrumentationExtension("ext:1", "/ext"), Assert.Single(java.Extensions));
        Assert.Equal("50m", inst.Language("nodejs").Resources!.Requests["cpu"].ToString());
        Assert.Null(inst.Language("python").Image);
    }

    [Fact]
    public void A_bad_quantity_is_an_error_at_its_line()
    {
        var set = Load("""
              java:
                volumeLimitSize: lots
            """);

        var error = Assert.Single(set.Errors);
        Assert.Equal(6, error.Location.Line);
        Assert.StartsWith("spec.java.volumeLimitSize: quantities must match the regular expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_pull_policy_is_rejected_like_the_CRD_enum()
    {
        var error = Assert.Single(Load("  imagePullPolicy: Sometimes").Errors);

        Assert.Equal("spec.imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"IfNotPresent\"", error.Message);
    }
}
