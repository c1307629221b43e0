using OtelLab.Tests.Support;
using k8s;
using k8s.Models;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>KubernetesClient 21 (what the scenario layer uses) against the simulated API server: list, get, watch.</summary>
[Trait("Category", "Lab")]
public sealed class KubernetesClientTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private k8s.Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.KubeconfigPath));

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Lists_pods_by_label_selector_with_the_lists_resource_version()
    {
        using var client = Client();
        var ct = TestContext.Current.CancellationToken;

        var pods = await client.CoreV1.ListNamespacedPodAsync("observability", labelSelector: "app.kubernetes.io/instance=observability.otel-agent", cancellationToken: ct);

        Assert.Equal(3, pods.Items.Count);
        Assert.All(pods.Items, p => Assert.Equal("otc-container", p.Spec.Containers[0].Name));
        Assert.True(long.Parse(pods.Metadata.ResourceVersion) >= pods.Items.Max(p => long.Parse(p.Metadata.ResourceVersion)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Reads_a_collector_cr_as_json()
    {
        using var client = Client();

        var cr = (System.Text.Json.JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(
            "opentelemetry.io", "v1beta1", "observability", "opentelemetrycollectors", "otel-gateway", TestContext.Current.CancellationToken);

        Assert.Equal("OpenTelemetryCollector", cr.GetProperty("kind").GetString());
        Assert.Equal("deployment", cr.GetProperty("spec").GetProperty("mode").GetString());
        Assert.True(cr.GetProperty("spec").GetProperty("config").GetProperty("service").GetProperty("pipelines").EnumerateObject().Any());
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_missing_object_is_a_404_with_the_status_body()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.CoreV1.ReadNamespacedPodAsync("nope", "observability", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal(("Failure", "NotFound", "pods \"nope\" not found", 404), (status.Status, status.Reason, status.Message, status.Code));
        Assert.Equal(("nope", "pods"), (status.Details.Name, status.Details.Kind));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_watch_from_the_lists_resource_version_sees_only_later_changes()
    {
        using var client = Client();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var name = "watched-" + Guid.NewGuid().ToString("N")[..8];
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default", cancellationToken: cts.Token);

        // Given a watch from the list's resourceVersion (the request may reach the server after the changes: it must replay them)
        var watched = CollectAsync(client.CoreV1.WatchListNamespacedConfigMapAsync("default", fieldSelector: $"metadata.name={name}",
            resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token), 3);

        // When the ConfigMap is created, changed and deleted
        fixture.Cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } });
        fixture.Cluster.Update(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["k"] = "v" } });
        fixture.Cluster.Delete("ConfigMap", "default", name);

        // Then the watch reports exactly that
        var seen = await watched;
        Assert.Equal([$"Added {name} 0", $"Modified {name} 1", $"Deleted {name} 1"], seen);
    }

    private static async Task<List<string>> CollectAsync(IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> events, int count)
    {
        var seen = new List<string>();
        await foreach (var (type, cm) in events)
        {
            seen.Add($"{type} {cm.Metadata.Name} {cm.Data?.Count ?? 0}");
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_watch_from_a_resource_version_older_than_the_server_gets_a_410_expired_error_event()
    {
        using var client = Client();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));

        var errors = new List<Exception>();
        var events = new List<WatchEventType>();
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "1", onError: errors.Add, cancellationToken: cts.Token))
        {
            events.Add(type);
        }

        // KubernetesClient turns an ERROR event into an exception for the onError callback, then the stream ends.
        var error = Assert.Single(errors);
        Assert.Contains("too old resource version: 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(events);
    }
}
