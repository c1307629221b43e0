using OtelLab.Tests.Support;
using k8s.Models;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Sim.ApiServer;

namespace OtelLab.Tests.Sim.Operator;

/// <summary>
/// The operator as an API client (watchOverWire): its informers and writes go through the API server with the
/// chart's ServiceAccount token, so what kubectl does reaches it over the watch, a 410 is recovered by re-listing,
/// and a permission the ClusterRole lacks is the API server's 403 in its log and a Warning event, then retried.
/// </summary>
[Trait("Category", "Lab")]
public sealed class OperatorOnWireTests(OperatorOnWireFixture fixture) : IClassFixture<OperatorOnWireFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Creates_every_collectors_workload_and_writes_its_status_through_the_api()
    {
        var cluster = fixture.Cluster;

        // Then each mode's workload exists, made by the manager (no reconciler runs in the store's write path here)
        Assert.NotNull(cluster.Get<V1Deployment>("observability", "otel-gateway-collector"));
        Assert.True(await cluster.WaitUntilAsync(c => c.Get<V1DaemonSet>("observability", "otel-agent-collector") is not null
            && c.Get<V1StatefulSet>("observability", "otel-prometheus-collector") is not null, Timeout, TestContext.Current.CancellationToken));
        Assert.True(fixture.Manager.Reconciles > 0);
        Assert.Empty(cluster.ControllerErrors);

        // And the status the operator patched through /status reads back with kubectl
        var read = false;
        Assert.True(await Support.Eventually.WaitAsync(async () =>
        {
            var (code, stdout, _) = await Kubectl.RunAsync(fixture.KubeconfigPath, fixture.TempPath, Kubectl.Default,
                "get", "opentelemetrycollector", "otel-gateway", "-n", "observability", "-o", "jsonpath={.status.version} {.status.scale.replicas}");
            return read = code == 0 && stdout.StartsWith("0.113.0 ", StringComparison.Ordinal);
        }, Timeout, TestContext.Current.CancellationToken), "the collector's status was never written");
        Assert.True(read);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_deployment_kubectl_deletes_is_put_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = fixture.Cluster.Get<V1Deployment>("observability", "otel-gateway-collector")!.Metadata.Uid;

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture.KubeconfigPath, fixture.TempPath, Kubectl.Default, "delete", "deployment", "otel-gateway-collector", "-n", "observability");

        Assert.True(code == 0, stderr);
        Assert.Contains("deployment.apps \"otel-gateway-collector\" deleted", stdout, StringComparison.Ordinal);
        Assert.True(await fixture.Cluster.WaitUntilAsync(c => c.Get<V1Deployment>("observability", "otel-gateway-collector") is { } d && d.Metadata.Uid != before, Timeout, ct),
            $"not put back; the operator's log:\n{string.Join('\n', fixture.Manager.Log)}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_collector_edit_through_kubectl_rolls_its_workload()
    {
        var ct = TestContext.Current.CancellationToken;
        static string? ConfigMapOf(V1StatefulSet? s) => s?.Spec.Template.Spec.Volumes?.Select(v => v.ConfigMap?.Name).FirstOrDefault(n => n is not null);
        var before = ConfigMapOf(fixture.Cluster.Get<V1StatefulSet>("observability", "otel-prometheus-collector"));
        Assert.NotNull(before);

        // When the collector's config changes with kubectl patch
        var (code, _, stderr) = await Kubectl.RunAsync(fixture.KubeconfigPath, fixture.TempPath, Kubectl.Default,
            "patch", "opentelemetrycollector", "otel-prometheus", "-n", "observability", "--type=merge", "-p", """{"spec":{"config":{"processors":{"batch":{"send_batch_size":4096}}}}}""");
        Assert.True(code == 0, stderr);

        // Then the workload's pod template mounts the new config's hashed ConfigMap (a rollout), and that ConfigMap holds the edit
        string? after = null;
        Assert.True(await fixture.Cluster.WaitUntilAsync(c => (after = ConfigMapOf(c.Get<V1StatefulSet>("observability", "otel-prometheus-collector"))) is { } name && name != before, Timeout, ct),
            $"the template still mounts {before}; the operator's log:\n{string.Join('\n', fixture.Manager.Log)}");
        Assert.Contains("send_batch_size: 4096", fixture.Cluster.Get<V1ConfigMap>("observability", after!)!.Data["collector.yaml"], StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_410_on_the_operators_watches_is_recovered_by_a_relist()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = fixture.Manager.Counts;

        // When every open watch ends with 410 Expired (an etcd compaction)
        Assert.True(fixture.Server.ExpireWatches() > 0);

        // Then each informer of the manager re-lists, and a deletion after that is still put back
        Assert.True(await Support.Eventually.WaitAsync(() => Task.FromResult(fixture.Manager.Counts.Lists >= before.Lists + before.Informers), Timeout, ct),
            $"lists {fixture.Manager.Counts.Lists}, before {before.Lists} over {before.Informers} informers");
        Assert.True(fixture.Manager.Counts.Expired >= before.Expired + before.Informers);
        var uid = fixture.Cluster.Get<V1Service>("observability", "otel-gateway-collector")!.Metadata.Uid;
        fixture.Cluster.Delete("Service", "observability", "otel-gateway-collector");
        Assert.True(await fixture.Cluster.WaitUntilAsync(c => c.Get<V1Service>("observability", "otel-gateway-collector") is { } s && s.Metadata.Uid != uid, Timeout, ct),
            $"the Service was not put back after the re-list; the operator's log:\n{string.Join('\n', fixture.Manager.Log)}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_permission_the_cluster_role_lacks_is_the_api_servers_403_in_the_log_and_an_event_then_retried()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = fixture.Cluster;
        var role = cluster.Get<V1ClusterRole>(null, OperatorChartRbac.ManagerRole)!;
        var rules = role.Rules.ToList();

        // Given the manager's ClusterRole without create on services
        var core = rules.Single(r => r.ApiGroups.SequenceEqual([""]) && r.Resources.Contains("services"));
        var withoutServices = new V1PolicyRule { ApiGroups = [""], Resources = [.. core.Resources.Where(r => r != "services")], Verbs = core.Verbs };
        var servicesReadOnly = new V1PolicyRule { ApiGroups = [""], Resources = ["services"], Verbs = ["get", "list", "watch"] };
        cluster.Update(new V1ClusterRole { Metadata = role.Metadata, Rules = [.. rules.Select(r => r == core ? withoutServices : r), servicesReadOnly] });
        try
        {
            // When a Service the operator owns is deleted
            cluster.Delete("Service", "observability", "otel-agent-collector");

            // Then its create is refused with the API server's text, in the log (a zap JSON field: quotes escaped) and as
            // a Warning event on the collector
            const string Refusal = "services is forbidden: User \"system:serviceaccount:opentelemetry-operator-system:opentelemetry-operator\" cannot create resource \"services\" in API group \"\" in the namespace \"observability\"";
            Assert.True(await Support.Eventually.WaitAsync(() => Task.FromResult(fixture.Manager.Log.Any(l => l.Contains("Reconciler error", StringComparison.Ordinal) && l.Contains(Refusal.Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal))), Timeout, ct),
                $"no 403 in the operator's log:\n{string.Join('\n', fixture.Manager.Log)}");
            Assert.True(await cluster.WaitUntilAsync(c => c.EventsFor("OpenTelemetryCollector", "observability", "otel-agent").Any(e => e.Type == "Warning" && e.Message == Refusal), Timeout, ct));
            Assert.Null(cluster.Get<V1Service>("observability", "otel-agent-collector"));
        }
        finally
        {
            // When the permission is back, the requeued key succeeds (within the backoff: a few failures, milliseconds)
            var current = cluster.Get<V1ClusterRole>(null, OperatorChartRbac.ManagerRole)!;
            cluster.Update(new V1ClusterRole { Metadata = current.Metadata, Rules = rules });
        }

        Assert.True(await cluster.WaitUntilAsync(c => c.Get<V1Service>("observability", "otel-agent-collector") is not null, Timeout, ct),
            $"not retried after the permission came back; the operator's log:\n{string.Join('\n', fixture.Manager.Log)}");
    }
}
