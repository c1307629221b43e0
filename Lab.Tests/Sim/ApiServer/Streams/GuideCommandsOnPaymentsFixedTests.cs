using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer.Streams;

/// <summary>
/// The guide's Validation and injection-check commands, verbatim, with the real kubectl against a running
/// payments-fixed lab: what the guide promises is what kubectl prints.
/// </summary>
[Trait("Category", "Lab")]
public sealed class GuideCommandsOnPaymentsFixedTests(GuideLabFixture lab) : IClassFixture<GuideLabFixture>
{
    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Validation_1_lists_the_three_collectors_and_their_pods_running(int minor)
    {
        var collectors = await lab.KubectlVersionAsync(Kubectl.Version(minor), "get", "opentelemetrycollectors", "-n", "observability");
        var pods = await lab.KubectlVersionAsync(Kubectl.Version(minor), "get", "pods", "-n", "observability", "-l", "app.kubernetes.io/managed-by=opentelemetry-operator", "--no-headers");

        Assert.True(collectors.ExitCode == 0, collectors.Err);
        var names = collectors.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(["otel-agent", "otel-gateway", "otel-prometheus"], names);
        Assert.True(pods.ExitCode == 0, pods.Err);
        var rows = pods.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(rows, r => r[0].StartsWith("otel-prometheus-collector-", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[0].StartsWith("otel-prometheus-targetallocator-", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal("Running", r[2]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_get_crd_lists_exactly_the_declared_charts_crds_and_a_target_allocator_is_refused()
    {
        // The guide's "kubectl get crd | grep opentelemetry" on the declared install (operator chart 0.74.2, cert-manager
        // v1.15.3 with crds.enabled=true, Vault 0.28.1): the chart ships no targetallocators CRD, whatever the guide says
        var crds = await lab.KubectlAsync("get", "crd", "-o", "name");
        var applied = await lab.KubectlAsync("apply", "-f", Path.Combine(lab.Scratch, WriteTargetAllocator(lab.Scratch)));

        Assert.True(crds.ExitCode == 0, crds.Err);
        string[] expected =
        [
            // cert-manager v1.15.3 (deploy/crds)
            "challenges.acme.cert-manager.io", "orders.acme.cert-manager.io", "certificaterequests.cert-manager.io",
            "certificates.cert-manager.io", "clusterissuers.cert-manager.io", "issuers.cert-manager.io",
            // opentelemetry-operator chart 0.74.2 (conf/crds)
            "instrumentations.opentelemetry.io", "opampbridges.opentelemetry.io", "opentelemetrycollectors.opentelemetry.io",
            // not the install's: the Prometheus Operator's monitors the guide's cluster already runs, and Argo CD's
            // Application, served because the manifests deliver through one
            "applications.argoproj.io", "podmonitors.monitoring.coreos.com", "servicemonitors.monitoring.coreos.com",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), crds.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Replace("customresourcedefinition.apiextensions.k8s.io/", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // kubectl's own refusal of a kind the API server does not serve (its REST mapper finds no resource for it)
        Assert.Equal(1, applied.ExitCode);
        Assert.Contains("no matches for kind \"TargetAllocator\" in version \"opentelemetry.io/v1alpha1\"", applied.Err, StringComparison.Ordinal);
        Assert.Contains("ensure CRDs are installed first", applied.Err, StringComparison.Ordinal);
    }

    private static string WriteTargetAllocator(string folder)
    {
        const string file = "targetallocator.yaml";
        File.WriteAllText(Path.Combine(folder, file), "apiVersion: opentelemetry.io/v1alpha1\nkind: TargetAllocator\nmetadata: {name: otel-prometheus, namespace: observability}\nspec: {}\n");
        return file;
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Applying_the_scenarios_manifests_to_the_running_lab_leaves_every_object_unchanged(int minor)
    {
        // Every object the lab applied, the Argo CD Application included, is as the manifests say: the lab's own knobs
        // (the load's error and slow ratios) live in the process env, not in the user's workloads.
        var lines = await ApplyManifestsAsync(minor, "unchanged");

        Assert.Contains("deployment.apps/checkout unchanged", lines);
        Assert.Contains("application.argoproj.io/otel-pipeline unchanged", lines);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Get_of_collectors_pods_and_services_prints_a_table_per_kind(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), "get", "opentelemetrycollectors,pods,svc", "-n", "observability");

        // kubectl prints one table per kind, each under its own header, names qualified by kind (get.go: several kinds)
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Count(l => l.StartsWith("NAME ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("NAME ", StringComparison.Ordinal) && l.Contains(" MODE ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("NAME ", StringComparison.Ordinal) && l.Contains(" CLUSTER-IP ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("opentelemetrycollector.opentelemetry.io/otel-gateway ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("pod/otel-prometheus-collector-0 ", StringComparison.Ordinal) && l.Contains(" Running ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("service/otel-prometheus-targetallocator ", StringComparison.Ordinal));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Applying_the_scenarios_manifests_server_side_to_the_running_lab_applies_every_object(int minor)
    {
        // kubectl prints "serverside-applied" for every object the PATCH (application/apply-patch+yaml) upserted
        var lines = await ApplyManifestsAsync(minor, "serverside-applied", "--server-side");

        Assert.Contains("opentelemetrycollector.opentelemetry.io/otel-gateway serverside-applied", lines);
        Assert.Contains("deployment.apps/checkout serverside-applied", lines);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Validation_2_every_prometheus_replica_answers_exec_wget_with_its_receiver_metrics(int minor)
    {
        // for p in 0 1 2; do kubectl exec -n observability otel-prometheus-collector-$p -- wget -qO- localhost:8888/metrics | grep …; done
        foreach (var replica in new[] { 0, 1, 2 })
        {
            var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), "exec", "-n", "observability", $"otel-prometheus-collector-{replica}", "--",
                "wget", "-qO-", "localhost:8888/metrics");

            Assert.True(code == 0, $"replica {replica}: {stderr}");
            Assert.True(stdout.Split('\n').Any(l => l.StartsWith("otelcol_", StringComparison.Ordinal)), $"replica {replica}: stdout {stdout.Length} chars; stderr: {stderr}");
        }
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Injection_check_removing_the_annotation_rolls_out_without_the_agent_and_the_guides_patch_brings_it_back(int minor)
    {
        // Given checkout running with the Java agent injected (payments-fixed)
        var before = await InitContainersAsync(minor);
        Assert.Contains("opentelemetry-auto-instrumentation-java", before);

        // When the Rollback section's JSON patch removes the annotation and the rollout completes
        var remove = await lab.KubectlVersionAsync(Kubectl.Version(minor), "patch", "deployment", "checkout", "-n", "payments", "--type=json",
            "-p=[{\"op\":\"remove\",\"path\":\"/spec/template/metadata/annotations/instrumentation.opentelemetry.io~1inject-java\"}]");
        Assert.True(remove.ExitCode == 0, remove.Err);
        Assert.Equal("deployment.apps/checkout patched", remove.Out.Trim());
        await RolloutAsync(minor);

        // Then the new pod has no agent
        Assert.DoesNotContain("opentelemetry-auto-instrumentation-java", await InitContainersAsync(minor));
        Assert.Empty(await JavaToolOptionsAsync(minor));

        // When the guide's injection patch puts it back on the pod template and the rollout completes
        var add = await lab.KubectlVersionAsync(Kubectl.Version(minor), "patch", "deployment", "checkout", "-n", "payments", "--type=merge", "-p",
            "{\"spec\": { \"template\": { \"metadata\": { \"annotations\": {\n\"instrumentation.opentelemetry.io/inject-java\": \"payments/kloudvin-instrumentation\"\n}}}}}");
        Assert.True(add.ExitCode == 0, add.Err);
        Assert.Equal("deployment.apps/checkout patched", add.Out.Trim());
        await RolloutAsync(minor);

        // Then the guide's two jsonpath queries show the init container and the agent in JAVA_TOOL_OPTIONS
        Assert.Contains("opentelemetry-auto-instrumentation-java", await InitContainersAsync(minor));
        Assert.Matches(@"-javaagent:/otel-auto-instrumentation-java[^ /]*/javaagent\.jar", await JavaToolOptionsAsync(minor));
    }

    /// <summary>kubectl apply of the scenario's manifests: every line of its output ends with <paramref name="outcome"/>.</summary>
    private async Task<string[]> ApplyManifestsAsync(int minor, string outcome, params string[] flags)
    {
        var manifests = Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests");
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), ["apply", .. flags, "-f", manifests]);

        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.EndsWith(" " + outcome, l, StringComparison.Ordinal));
        Assert.True(lines.Length >= 20, stdout);
        return lines;
    }

    private async Task RolloutAsync(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), "rollout", "status", "deployment/checkout", "-n", "payments", "--timeout=180s");
        Assert.True(code == 0, stderr);
        Assert.EndsWith("deployment \"checkout\" successfully rolled out", stdout.Trim(), StringComparison.Ordinal);
    }

    private async Task<string[]> InitContainersAsync(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), "get", "pod", "-n", "payments", "-l", "app=checkout", "-o", "jsonpath={.items[0].spec.initContainers[*].name}");
        Assert.True(code == 0, stderr);
        return stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task<string> JavaToolOptionsAsync(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Kubectl.Version(minor), "get", "pod", "-n", "payments", "-l", "app=checkout",
            "-o", "jsonpath={.items[0].spec.containers[0].env[?(@.name==\"JAVA_TOOL_OPTIONS\")].value}");
        Assert.True(code == 0, stderr);
        return stdout;
    }
}
