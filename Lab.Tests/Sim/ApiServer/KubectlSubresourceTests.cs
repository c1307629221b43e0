using OtelLab.Tests.Support;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Cluster;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl on the <c>scale</c> and <c>status</c> subresources of the operator's custom resources.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlSubresourceTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly ResourceKind Collector = ResourceKind.Of("OpenTelemetryCollector");

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27, 4)]
    [InlineData(32, 5)]
    public async Task Kubectl_scale_of_a_collector_goes_through_the_CRDs_scale_paths_to_its_statefulset(int minor, int replicas)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "scale", "opentelemetrycollector", "otel-prometheus", "-n", "observability", $"--replicas={replicas}");

        Assert.True(code == 0, stderr);
        Assert.Equal("opentelemetrycollector.opentelemetry.io/otel-prometheus scaled", stdout.Trim());
        Assert.Equal(replicas, ((OpenTelemetryCollector)fixture.Cluster.Get(Collector, "observability", "otel-prometheus")!).Replicas);
        Assert.Equal(replicas, fixture.Cluster.Get<V1StatefulSet>("observability", "otel-prometheus-collector")!.Spec.Replicas);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_status_patch_changes_only_the_status_and_a_main_resource_patch_only_the_spec()
    {
        var generation = fixture.Cluster.MetadataOf("OpenTelemetryCollector", "observability", "otel-gateway")!.Generation;

        var status = await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "otelcol", "otel-gateway", "-n", "observability", "--subresource=status", "--type=merge",
            "-p", """{"spec":{"mode":"daemonset"},"status":{"version":"0.113.0","image":"otel/opentelemetry-collector-contrib:0.113.0"}}""");
        var afterStatus = fixture.Cluster.MetadataOf("OpenTelemetryCollector", "observability", "otel-gateway")!.Generation;
        var main = await Kubectl.RunAsync(fixture, Kubectl.Default, "patch", "otelcol", "otel-gateway", "-n", "observability", "--type=merge",
            "-p", """{"spec":{"replicas":3},"status":{"version":"9.9.9"}}""");
        var shown = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "otelcol", "otel-gateway", "-n", "observability", "-o", "jsonpath={.spec.mode}/{.spec.replicas}/{.status.version}");

        Assert.True(status.ExitCode == 0, status.Err);
        Assert.Equal("opentelemetrycollector.opentelemetry.io/otel-gateway patched", status.Out.Trim());
        Assert.Equal(generation, afterStatus);
        Assert.True(main.ExitCode == 0, main.Err);
        Assert.Equal("deployment/3/0.113.0", shown.Out);
        Assert.Equal(3, fixture.Cluster.Get<V1Deployment>("observability", "otel-gateway-collector")!.Spec.Replicas);
    }
}
