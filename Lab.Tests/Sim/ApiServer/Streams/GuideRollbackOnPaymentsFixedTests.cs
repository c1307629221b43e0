using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer.Streams;

/// <summary>
/// The guide's "Rollback and teardown" section, verbatim where payments-fixed keeps the guide's names, with the real
/// kubectl (1.32 and 1.27) against a running lab: the pipeline's CRs deleted in dependency order leave none of the
/// operator's workloads behind (the API server's garbage collection), and the out-of-band RBAC goes with its delete.
/// </summary>
[Trait("Category", "Lab")]
public sealed class GuideRollbackOnPaymentsFixedTests
{
    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(Kubectl.Default)]
    [InlineData("/usr/lib/google-cloud-sdk/bin/kubectl.1.27")]
    public async Task Tearing_down_the_pipeline_crs_in_the_guides_order_leaves_no_operator_workload_and_no_out_of_band_rbac(string kubectl)
    {
        await using var lab = new GuideLabFixture();
        await lab.InitializeAsync();
        var manifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");

        // Given the pipeline running: the operator's workloads in observability, the Instrumentation in payments
        Assert.NotEmpty(await NamesAsync(lab, kubectl, "deployments,statefulsets,daemonsets,pods,services,configmaps"));
        Assert.NotEmpty(await NamesAsync(lab, kubectl, "instrumentations", "payments", operatorManaged: false));

        // When the guide's teardown runs: the Instrumentation, the three collectors, then the RBAC created out of band
        await OkAsync(lab, kubectl, "delete", "-f", Path.Combine(manifests, "20-instrumentation.yaml"), "-n", "payments");
        await OkAsync(lab, kubectl, "delete", "opentelemetrycollector", "otel-gateway", "otel-prometheus", "otel-agent", "-n", "observability");
        await OkAsync(lab, kubectl, "delete", "clusterrolebinding", "otel-agent-k8sattributes", "otel-ta-discovery");
        await OkAsync(lab, kubectl, "delete", "clusterrole", "otel-k8sattributes", "otel-targetallocator-discovery");

        // Then the operator reconciled nothing back and garbage collection removed every dependent: no collector or
        // TA workload, pod, Service or ConfigMap remains (kubectl waits for the pods as a user would)
        var wait = await lab.KubectlVersionAsync(kubectl, "wait", "--for=delete", "pod", "-n", "observability",
            "-l", "app.kubernetes.io/managed-by=opentelemetry-operator", "--timeout=60s");
        Assert.True(wait.ExitCode == 0 || wait.Err.Contains("no matching resources found", StringComparison.Ordinal), wait.Err);
        Assert.Empty(await NamesAsync(lab, kubectl, "deployments,statefulsets,daemonsets,pods,services,configmaps"));
        Assert.Empty(await NamesAsync(lab, kubectl, "instrumentations", "payments", operatorManaged: false));
        var roles = await lab.KubectlVersionAsync(kubectl, "get", "clusterrole,clusterrolebinding", "-o", "name");
        Assert.True(roles.ExitCode == 0, roles.Err);
        Assert.DoesNotContain(roles.Out.Split('\n'), l => l.Contains("otel-k8sattributes", StringComparison.Ordinal) || l.Contains("otel-ta-discovery", StringComparison.Ordinal)
            || l.Contains("otel-targetallocator-discovery", StringComparison.Ordinal));

        // And the sample services still run, without a pipeline to send to (nothing else was touched)
        var checkout = await lab.KubectlVersionAsync(kubectl, "get", "deployment", "checkout", "-n", "payments", "-o", "name");
        Assert.Equal("deployment.apps/checkout", checkout.Out.Trim());
    }

    private static async Task OkAsync(GuideLabFixture lab, string kubectl, params string[] args)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(kubectl, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)}: {stderr}");
        Assert.Contains("deleted", stdout, StringComparison.Ordinal);
    }

    private static async Task<string[]> NamesAsync(GuideLabFixture lab, string kubectl, string kinds, string ns = "observability", bool operatorManaged = true)
    {
        string[] selector = operatorManaged ? ["-l", "app.kubernetes.io/managed-by=opentelemetry-operator"] : [];
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(kubectl, ["get", kinds, "-n", ns, .. selector, "-o", "name"]);
        Assert.True(code == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
