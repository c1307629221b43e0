using System.Diagnostics;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.K3s;

/// <summary>The real substrate end to end: runs only where k3s can start (see <see cref="K3sFactAttribute"/>).</summary>
[Trait("Category", "K3s")]
public sealed class K3sClusterTests
{
    [K3sFact]
    public async Task The_fixed_install_serves_exactly_the_operator_charts_crds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = K3sFactAttribute.Builder().Build();
        await cluster.StartAsync(ct);
        await cluster.WaitForReleasesAsync(TimeSpan.FromMinutes(10), ct);
        using var kubeconfig = new TempDirectory();
        var file = Path.Combine(kubeconfig.Path, "kubeconfig");
        await File.WriteAllTextAsync(file, await cluster.GetKubeconfigAsync(), ct);

        var start = new ProcessStartInfo("kubectl", ["--kubeconfig", file, "get", "crd", "-o", "name"]) { RedirectStandardOutput = true };
        using var kubectl = Process.Start(start)!;
        var output = await kubectl.StandardOutput.ReadToEndAsync(ct);
        await kubectl.WaitForExitAsync(ct);

        var otel = output.Split('\n').Where(l => l.EndsWith(".opentelemetry.io", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "customresourcedefinition.apiextensions.k8s.io/instrumentations.opentelemetry.io",
            "customresourcedefinition.apiextensions.k8s.io/opampbridges.opentelemetry.io",
            "customresourcedefinition.apiextensions.k8s.io/opentelemetrycollectors.opentelemetry.io",
        ], otel);
    }
}
