using k8s;
using OtelLab.Tests.Support;
namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The real kubectl reading the simulated cluster: discovery, lists, Tables, selectors and errors.</summary>
[Trait("Category", "Lab")]
public sealed class KubectlGetTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_version_reports_the_simulated_server()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "version");

        Assert.True(code == 0, stderr);
        Assert.Contains("Server Version: v1.32.0+otel-lab", stdout, StringComparison.Ordinal);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Api_resources_lists_core_apps_and_the_operator_crds_with_short_names(int minor)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "api-resources", "--no-headers");

        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(rows, r => r is ["pods", "po", "v1", "true", "Pod"]);
        Assert.Contains(rows, r => r is ["deployments", "deploy", "apps/v1", "true", "Deployment"]);
        Assert.Contains(rows, r => r is ["opentelemetrycollectors", "otelcol,otelcols", "opentelemetry.io/v1beta1", "true", "OpenTelemetryCollector"]);
        Assert.Contains(rows, r => r is ["nodes", "no", "v1", "false", "Node"]);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Get_pods_in_all_namespaces_prints_the_pod_columns(int minor)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "get", "pods", "-A");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var expected = fixture.Cluster.List<k8s.Models.V1Pod>().Count;
        Assert.True(expected > 0, "the payments-fixed manifests create pods");
        Assert.Equal(expected, lines.Length - 1);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Get_otelcol_prints_the_crd_printer_columns()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "otelcol", "-n", "observability");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "MODE", "VERSION", "READY", "AGE", "IMAGE", "MANAGEMENT"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var agent = lines.Single(l => l.StartsWith("otel-agent ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("daemonset", agent[1]);
        Assert.Equal("managed", agent[^1]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_label_selector_narrows_the_list_and_o_name_prints_resource_slash_name()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default,
            "get", "pods", "-l", "app.kubernetes.io/managed-by=opentelemetry-operator", "-n", "observability", "-o", "name");

        Assert.True(code == 0, stderr);
        var expected = SimFixtures.PodsOf(fixture.Cluster, "observability", "app.kubernetes.io/managed-by=opentelemetry-operator")
            .Select(p => $"pod/{p.Metadata.Name}").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_field_selector_on_spec_node_name_keeps_that_nodes_pods()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default,
            "get", "pods", "-A", "--field-selector", "spec.nodeName=lab-node-2", "-o", "name");

        Assert.True(code == 0, stderr);
        var expected = fixture.Cluster.List<k8s.Models.V1Pod>().Where(p => p.Spec.NodeName == "lab-node-2").Select(p => $"pod/{p.Metadata.Name}").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Jsonpath_reads_the_pods_container_image()
    {
        var pod = SimFixtures.PodsOf(fixture.Cluster, "observability", "app.kubernetes.io/instance=observability.otel-agent")[0];

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default,
            "get", "pod", pod.Metadata.Name, "-n", "observability", "-o", "jsonpath={.spec.containers[0].image}");

        Assert.True(code == 0, stderr);
        Assert.Equal(pod.Spec.Containers[0].Image, stdout);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_missing_pod_is_the_api_servers_not_found_error()
    {
        var (code, _, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "pod", "nope", "-n", "observability");

        Assert.Equal(1, code);
        Assert.Equal("Error from server (NotFound): pods \"nope\" not found", stderr.Trim());
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_missing_deployment_names_the_qualified_resource()
    {
        var (code, _, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "deploy", "nope");

        Assert.Equal(1, code);
        Assert.Equal("Error from server (NotFound): deployments.apps \"nope\" not found", stderr.Trim());
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Get_deployments_prints_the_deployment_columns()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "deploy", "-A");

        Assert.True(code == 0, stderr);
        Assert.Equal(["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Get_events_prints_the_event_columns_and_wide_adds_source_and_count(int minor)
    {
        // Given a Warning event on a collector, first seen now, seen three times
        var ns = $"events-{minor}";
        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.KubeconfigPath));
        var ct = TestContext.Current.CancellationToken;
        await client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = ns } }, cancellationToken: ct);
        var now = fixture.Cluster.Time.GetUtcNow().UtcDateTime;
        await client.CoreV1.CreateNamespacedEventAsync(new k8s.Models.Corev1Event
        {
            Metadata = new() { Name = "otel-gateway.1", NamespaceProperty = ns },
            InvolvedObject = new() { Kind = "OpenTelemetryCollector", Name = "otel-gateway", NamespaceProperty = ns },
            Type = "Warning", Reason = "ReconcileError", Message = "services is forbidden ",
            Source = new() { Component = "opentelemetry-operator" }, FirstTimestamp = now, LastTimestamp = now, Count = 3,
        }, ns, cancellationToken: ct);

        var plain = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "get", "events", "-n", ns);
        var wide = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "get", "events", "-n", ns, "-o", "wide");

        // Then kubectl shows printers.go's event columns, the object as kind/name in lower case, the message trimmed
        Assert.True(plain.ExitCode == 0, plain.Err);
        var rows = plain.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], rows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d+s\s+Warning\s+ReconcileError\s+opentelemetrycollector/otel-gateway\s+services is forbidden$", rows[1]);
        Assert.True(wide.ExitCode == 0, wide.Err);
        var wideRows = wide.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST", "SEEN", "COUNT", "NAME"], wideRows[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"\s+opentelemetry-operator\s+services is forbidden\s+\d+s\s+3\s+otel-gateway\.1$", wideRows[1]);
    }
}
