using OtelLab.Tests.Support;
using System.Net;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Http;

namespace OtelLab.Tests.Sim.TargetAllocation.Http;

[Trait("Category", "Component")]
public sealed class TargetAllocatorServerTests : IAsyncLifetime
{
    private const string ServiceMonitorJob = "serviceMonitor/payments/checkout/0";
    private readonly ManualTimeProvider _time = new();
    private readonly HttpClient _http = new();
    private TargetAllocator _allocator = null!;
    private TargetAllocatorServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        // Given a per-node TA with three collectors (coll-2's node has no targets) and two jobs
        var source = new InMemoryTargetSource([new ScrapeConfig { JobName = ServiceMonitorJob }, new ScrapeConfig { JobName = "node exporter" }]);
        source.SetTargetGroups([
            new TargetGroup(ServiceMonitorJob, [
                LabelSet.From((Label.Address, "10.42.0.7:8080"), ("__meta_kubernetes_pod_node_name", "node-0")),
                LabelSet.From((Label.Address, "10.42.1.9:8080"), ("__meta_kubernetes_pod_node_name", "node-1")),
            ]),
            new TargetGroup("node exporter", [LabelSet.From((Label.Address, "10.0.0.1:9100"), ("__meta_kubernetes_node_name", "node-0"))]),
        ]);
        var collectors = new StaticCollectorSource([new CollectorPod("coll-0", "node-0"), new CollectorPod("coll-1", "node-1"), new CollectorPod("coll-2", "node-2")]);
        _allocator = new TargetAllocator(new TargetAllocatorOptions { AllocationStrategy = "per-node" }, [source], collectors, _time);
        _allocator.Start();
        _time.Advance(TimeSpan.FromSeconds(5));
        _server = await TargetAllocatorServer.StartAsync(_allocator, new IPEndPoint(IPAddress.Loopback, 0), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _allocator.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(new Uri(_server.BaseAddress, pathAndQuery), TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Jobs_lists_jobs_with_query_escaped_links()
    {
        var (status, contentType, body) = await GetAsync("jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal(
            "{\"node exporter\":{\"_link\":\"/jobs/node+exporter/targets\"},"
            + "\"serviceMonitor/payments/checkout/0\":{\"_link\":\"/jobs/serviceMonitor%2Fpayments%2Fcheckout%2F0/targets\"}}\n",
            body);
    }

    [Fact]
    public async Task Collector_targets_are_the_http_sd_list_of_that_replica()
    {
        var (status, _, body) = await GetAsync("jobs/serviceMonitor%2Fpayments%2Fcheckout%2F0/targets?collector_id=coll-0");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            "[{\"targets\":[\"10.42.0.7:8080\"],\"labels\":{\"__address__\":\"10.42.0.7:8080\",\"__meta_kubernetes_pod_node_name\":\"node-0\"}}]\n",
            body);
    }

    [Theory]
    [InlineData("jobs/serviceMonitor%2Fpayments%2Fcheckout%2F0/targets?collector_id=coll-2")]
    [InlineData("jobs/serviceMonitor%2Fpayments%2Fcheckout%2F0/targets?collector_id=nobody")]
    [InlineData("jobs/no-such-job/targets?collector_id=coll-0")]
    public async Task Nothing_assigned_is_an_empty_list(string pathAndQuery)
    {
        var (status, _, body) = await GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]\n", body);
    }

    [Fact]
    public async Task Job_targets_show_every_collector_with_debug_links_and_empty_ones_as_empty_lists()
    {
        var (_, _, body) = await GetAsync("jobs/node+exporter/targets");
        Assert.Equal(
            "{\"coll-0\":{\"_link\":\"/debug/jobs/node+exporter/targets?collector_id=coll-0\",\"targets\":[{\"targets\":[\"10.0.0.1:9100\"],\"labels\":{\"__address__\":\"10.0.0.1:9100\",\"__meta_kubernetes_node_name\":\"node-0\"}}]},"
            + "\"coll-1\":{\"_link\":\"/debug/jobs/node+exporter/targets?collector_id=coll-1\",\"targets\":[]},"
            + "\"coll-2\":{\"_link\":\"/debug/jobs/node+exporter/targets?collector_id=coll-2\",\"targets\":[]}}\n",
            body);
    }

    [Fact]
    public async Task Scrape_configs_carry_the_jobs_kubernetes_sd_configs_as_prometheus_marshals_them()
    {
        // Given a ServiceMonitor-style job discovered through endpointslices in one namespace, and one over all namespaces
        var source = new StaticTargetSource([
            new ScrapeConfig { JobName = "sm", KubernetesSdConfigs = [new OtelLab.Sim.TargetAllocation.Discovery.KubernetesSdConfig("endpointslice", ["farm"])] },
            new ScrapeConfig { JobName = "pods", KubernetesSdConfigs = [new OtelLab.Sim.TargetAllocation.Discovery.KubernetesSdConfig("pod", [])] },
        ]);
        await using var ta = new TargetAllocator(new TargetAllocatorOptions(), [source], new StaticCollectorSource(), _time);
        ta.Start();

        // When /scrape_configs is read
        var body = new TargetAllocatorApi(ta).Handle("GET", "/scrape_configs").Body;

        // Then each job lists its SD config with Prometheus' fields (kubeconfig_file and the HTTP client defaults always,
        // namespaces only when set), keys sorted as YAMLToJSON leaves them
        Assert.Contains(
            "\"kubernetes_sd_configs\":[{\"enable_http2\":true,\"follow_redirects\":true,\"kubeconfig_file\":\"\",\"namespaces\":{\"names\":[\"farm\"],\"own_namespace\":false},\"role\":\"endpointslice\"}]",
            body,
            StringComparison.Ordinal);
        Assert.Contains(
            "\"kubernetes_sd_configs\":[{\"enable_http2\":true,\"follow_redirects\":true,\"kubeconfig_file\":\"\",\"role\":\"pod\"}]",
            body,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_configs_match_a_real_ta_response()
    {
        // Given the config behind a response captured from a real TA (OpenShift troubleshooting guide, job otc0)
        var source = new StaticTargetSource([new ScrapeConfig
        {
            JobName = "otc0",
            ScrapeInterval = TimeSpan.FromSeconds(10),
            FallbackScrapeProtocol = "PrometheusText1.0.0",
            MetricRelabelConfigs = [new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["__name__"], Regex = new RelabelRegex("up|TargetAllocator") }],
            StaticConfigs = [new StaticConfig(["127.0.0.1:9090"])],
        }]);
        await using var ta = new TargetAllocator(new TargetAllocatorOptions(), [source], new StaticCollectorSource(), _time);
        ta.Start();

        // When /scrape_configs is read
        var body = new TargetAllocatorApi(ta).Handle("GET", "/scrape_configs").Body;

        // Then it is byte-for-byte that response
        Assert.Equal(
            "{\"otc0\":{\"enable_compression\":true,\"enable_http2\":true,\"fallback_scrape_protocol\":\"PrometheusText1.0.0\",\"follow_redirects\":true,"
            + "\"honor_timestamps\":true,\"job_name\":\"otc0\",\"metric_relabel_configs\":[{\"action\":\"keep\",\"regex\":\"up|TargetAllocator\",\"replacement\":\"$1\","
            + "\"separator\":\";\",\"source_labels\":[\"__name__\"]}],\"metrics_path\":\"/metrics\",\"scheme\":\"http\",\"scrape_interval\":\"10s\","
            + "\"scrape_protocols\":[\"OpenMetricsText1.0.0\",\"OpenMetricsText0.0.1\",\"PrometheusText1.0.0\",\"PrometheusText0.0.4\"],\"scrape_timeout\":\"10s\","
            + "\"static_configs\":[{\"targets\":[\"127.0.0.1:9090\"]}],\"track_timestamps_staleness\":false}}",
            body);
    }

    [Fact]
    public async Task Scrape_configs_are_served_as_json_over_http()
    {
        var (status, contentType, body) = await GetAsync("scrape_configs");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.StartsWith("{\"node exporter\":{\"enable_compression\":true,", body, StringComparison.Ordinal);
        Assert.Contains("\"job_name\":\"serviceMonitor/payments/checkout/0\"", body, StringComparison.Ordinal);
        Assert.Contains("\"scrape_interval\":\"1m\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_and_metrics_answer_and_unknown_paths_are_404()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("livez")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("readyz")).Status);
        var metrics = await GetAsync("metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.ContentType);
        Assert.Contains("opentelemetry_allocator_targets_per_collector{collector_name=\"coll-0\",strategy=\"per-node\"} 2\n", metrics.Body, StringComparison.Ordinal);
        var missing = await GetAsync("nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("404 page not found", missing.Body);
    }

    [Fact]
    public async Task Readyz_is_503_until_scrape_configs_are_loaded()
    {
        await using var notStarted = new TargetAllocator(new TargetAllocatorOptions(), [], new StaticCollectorSource(), _time);
        var api = new TargetAllocatorApi(notStarted);
        Assert.Equal(503, api.Handle("GET", "/readyz").StatusCode);
        notStarted.Start();
        Assert.Equal(200, api.Handle("GET", "/readyz").StatusCode);
    }

    [Fact]
    public void A_malformed_job_escape_is_a_500_with_an_empty_go_error_object()
    {
        var response = new TargetAllocatorApi(_allocator).Handle("GET", "/jobs/bad%zz/targets");
        Assert.Equal(500, response.StatusCode);
        Assert.Equal("{}\n", response.Body);
    }

    [Fact]
    public async Task The_server_refuses_non_loopback_addresses()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => TargetAllocatorServer.StartAsync(_allocator, new IPEndPoint(IPAddress.Any, 0), TestContext.Current.CancellationToken));
    }
}
