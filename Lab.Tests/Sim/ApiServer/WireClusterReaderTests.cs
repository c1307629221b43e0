using OtelLab.Tests.Support;
using System.Text.Json.Nodes;
using k8s.Models;
using OtelLab.Model.Rbac;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Vault;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// The lab's components' informer over the wire: list then watch through the API server with KubernetesClient and a
/// ServiceAccount token, the same objects the in-process reader sees, a pod kubectl creates, re-list after a 410.
/// </summary>
[Trait("Category", "Lab")]
public sealed class WireClusterReaderTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>, IDisposable
{
    private static readonly RbacSubject TargetAllocator = new("observability", "otel-targetallocator");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly ServiceAccountTokenIssuer _issuer = new();

    public void Dispose() => _issuer.Dispose();

    private WireClusterReader ReaderFor(RbacSubject subject)
    {
        fixture.Server.ServiceAccountTokens = _issuer.Review;
        return new WireClusterReader(fixture.Server.Endpoint, _issuer.Issue(subject.Namespace, subject.Name), subject);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Lists_the_same_objects_as_the_in_process_reader()
    {
        // Given the Target Allocator's ServiceAccount in both modes
        using var wire = ReaderFor(TargetAllocator);
        using var local = new ApiAccess(fixture.Cluster, TargetAllocator);
        var ct = TestContext.Current.CancellationToken;

        // When each lists pods, services and endpoints
        foreach (var kind in new[] { "Pod", "Service", "Endpoints" })
        {
            var overWire = await wire.ListAsync(kind, cancellationToken: ct);
            var inProcess = await local.ListAsync(kind, cancellationToken: ct);

            // Then they see the same objects at the same resourceVersions (one store)
            Assert.NotEmpty(inProcess);
            Assert.Equal(Identities(inProcess), Identities(overWire));
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_label_selector_goes_to_the_server_and_the_result_matches()
    {
        using var wire = ReaderFor(TargetAllocator);
        var selector = LabelSelector.Parse("app.kubernetes.io/managed-by=opentelemetry-operator");

        var pods = (await wire.ListAsync("Pod", "observability", selector, TestContext.Current.CancellationToken)).Cast<V1Pod>().ToList();

        var expected = fixture.Cluster.List<V1Pod>("observability").Where(p => selector.Matches(p.Metadata.Labels)).Select(p => p.Metadata.Name).Order(StringComparer.Ordinal);
        Assert.NotEmpty(pods);
        Assert.Equal(expected, pods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_pod_created_with_kubectl_reaches_the_watch()
    {
        // Given a synced informer over the payments namespace
        using var wire = ReaderFor(TargetAllocator);
        var ct = TestContext.Current.CancellationToken;
        Assert.DoesNotContain("wire-watch-probe", Names(await wire.ListAsync("Pod", "payments", cancellationToken: ct)));
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = wire.OnChanged(["Pod"], "payments", () =>
        {
            if (wire.MetadataOf("Pod", "payments", "wire-watch-probe") is not null)
            {
                seen.TrySetResult();
            }
        });

        // When kubectl creates a pod
        var file = Path.Combine(fixture.TempPath, "wire-watch-probe.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wire-watch-probe\n  namespace: payments\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n", ct);
        var (exit, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "-f", file);
        Assert.True(exit == 0, stderr);
        Assert.Contains("pod/wire-watch-probe created", stdout, StringComparison.Ordinal);

        // Then the watch delivers it (no re-list: one list, the event came on the stream)
        await seen.Task.WaitAsync(Timeout, ct);
        Assert.Contains("wire-watch-probe", Names(await wire.ListAsync("Pod", "payments", cancellationToken: ct)));
        Assert.Equal(1, wire.Counts.Lists);
        fixture.Cluster.Delete("Pod", "payments", "wire-watch-probe");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_watch_the_server_expires_is_recovered_by_a_relist()
    {
        // Given an informer whose watch is open (a change after the list has reached it)
        using var wire = ReaderFor(TargetAllocator);
        var ct = TestContext.Current.CancellationToken;
        await wire.ListAsync("Service", "payments", cancellationToken: ct);
        await CreateServiceAndWaitAsync(wire, "wire-expiry-before", ct);

        // When the server compacts its watch history (every open watch ends with ERROR 410 Expired)
        var ended = fixture.Server.ExpireWatches();
        await CreateServiceAndWaitAsync(wire, "wire-expiry-after", ct);

        // Then the informer re-listed once and watches again: a change after the expiry still arrives
        Assert.True(ended >= 1, $"no open watch was ended ({ended})");
        var counts = wire.Counts;
        Assert.Equal((1, 2), (counts.Expired, counts.Lists));
        await CreateServiceAndWaitAsync(wire, "wire-expiry-later", ct);
        Assert.Equal(2, wire.Counts.Lists);
        Assert.True(wire.Counts.Watches >= 2, $"watches: {wire.Counts.Watches}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_list_rbac_refuses_fails_with_the_same_message_in_both_modes()
    {
        // Given a ServiceAccount without any RBAC
        var nobody = new RbacSubject("payments", "default");
        using var wire = ReaderFor(nobody);
        using var local = new ApiAccess(fixture.Cluster, nobody);
        var ct = TestContext.Current.CancellationToken;

        var overWire = await Assert.ThrowsAsync<ClusterApiException>(() => wire.ListAsync("Pod", cancellationToken: ct));
        var inProcess = await Assert.ThrowsAsync<ClusterApiException>(() => local.ListAsync("Pod", cancellationToken: ct));

        Assert.Equal((403, "Forbidden"), (overWire.StatusCode, overWire.Reason));
        Assert.Equal(inProcess.Message, overWire.Message);
        Assert.Equal("pods is forbidden: User \"system:serviceaccount:payments:default\" cannot list resource \"pods\" in API group \"\" at the cluster scope", overWire.Message);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_watch_that_asks_for_bookmarks_gets_one_before_its_timeout()
    {
        // upstream cache_watcher.go: a bookmark 2 s before the deadline carries the version to re-watch from.
        var ct = TestContext.Current.CancellationToken;
        using var http = ApiServerHttp.Client(fixture.Server);
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(fixture.Server.Address, "/api/v1/namespaces/payments/pods"), ct))!;
        var rv = (string)list["metadata"]!["resourceVersion"]!;

        var started = TimeProvider.System.GetTimestamp();
        var body = await http.GetStringAsync(new Uri(fixture.Server.Address, $"/api/v1/namespaces/payments/pods?watch=true&allowWatchBookmarks=true&resourceVersion={rv}&timeoutSeconds=3"), ct);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var bookmark = Assert.Single(events, e => (string?)e["type"] == "BOOKMARK");
        Assert.Equal("Pod", (string?)bookmark["object"]!["kind"]);
        Assert.True(long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(elapsed.TotalSeconds, 2.5, 10);
    }

    private async Task CreateServiceAndWaitAsync(WireClusterReader wire, string name, CancellationToken ct)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = wire.OnChanged(["Service"], "payments", () =>
        {
            if (wire.MetadataOf("Service", "payments", name) is not null)
            {
                seen.TrySetResult();
            }
        });
        fixture.Cluster.Create(ResourceKind.Of("Service"), new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "payments" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        });
        await seen.Task.WaitAsync(Timeout, ct);
        fixture.Cluster.Delete("Service", "payments", name);
    }

    private static IEnumerable<string> Names(IReadOnlyList<object> objects) =>
        objects.Cast<k8s.Models.IMetadata<V1ObjectMeta>>().Select(o => o.Metadata.Name);

    private static List<string> Identities(IReadOnlyList<object> objects) =>
        [.. objects.Cast<k8s.Models.IMetadata<V1ObjectMeta>>().Select(o => $"{o.Metadata.NamespaceProperty}/{o.Metadata.Name}@{o.Metadata.ResourceVersion}").Order(StringComparer.Ordinal)];
}
