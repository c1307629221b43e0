using OtelLab.Model.Time;
using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using OtelLab.Load.TargetFarm;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Receivers.Prometheus;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Sim.Collector.Receivers;

/// <summary>The prometheus receiver on its own: static scrape configs against the target farm, a capturing consumer.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class PrometheusReceiverTests
{
    // A static job "farm" scraping every farm target every 10 s, with the given target labels (a YAML flow map).
    private static string FarmJob(TargetFarm farm, string labels = "{}") => $$"""
        config:
          scrape_configs:
            - job_name: farm
              scrape_interval: 10s
              static_configs:
                - targets: [{{string.Join(", ", farm.Endpoints.Select(e => $"\"{e}\""))}}]
                  labels: {{labels}}
        """;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_static_job_is_scraped_from_the_pod_address_into_gauges_with_up_and_counted_points()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given two farm targets (2 metrics × 3 series each) and a receiver with a static job of a 10 s interval at timeScale 5 (2 s; a loaded machine needs the 2 s timeout)
        var ct = TestContext.Current.CancellationToken;
        await using var farm = TargetFarm.Start(new TargetFarmOptions { Count = 2, FirstAddress = TestAddressSlot.Pod(0, 250, 1), Port = 0, Shape = new TargetShape(2, 3, 1) });
        var consumer = new CapturingConsumer();
        var telemetry = new MetricRegistry();
        var receiver = CreateReceiver(FarmJob(farm, labels: "{ team: payments }"), consumer, telemetry, timeScale: 5);

        // When it runs until both targets were scraped twice
        await receiver.StartAsync(ct);
        IReadOnlyList<ScrapeTargetStatus> scraped;
        try
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(receiver.Targets.Count == 2 && receiver.Targets.All(t => t.Scrapes >= 2)), TimeSpan.FromSeconds(20), ct),
                string.Join("\n", receiver.Targets));
            scraped = receiver.Targets;
        }
        finally
        {
            await receiver.ShutdownAsync(ct);
            await receiver.DisposeAsync();
        }

        // Then both targets are up, their samples are gauges with the target's labels, and the resource names job and instance
        Assert.Equal(2, scraped.Count);
        Assert.All(scraped, t => Assert.True(t.Up, t.LastError));
        var points = consumer.Points.ToList();
        var sample = points.First(p => p.Name == "lab_metric_0");
        Assert.Equal(MetricKind.Gauge, sample.Kind);
        Assert.Equal("payments", sample.Attributes["team"].Str);
        Assert.Equal("farm", sample.Resource.Attributes["service.name"].Str);
        Assert.Contains(sample.Resource.Attributes["service.instance.id"].Str, farm.Endpoints.Select(e => e.ToString()));
        Assert.Equal("http", sample.Resource.Attributes["http.scheme"].Str);
        Assert.Equal(PrometheusReceiver.ScopeName, sample.ScopeName);
        Assert.All(points.Where(p => p.Name == "up"), p => Assert.Equal(1, p.Value));
        Assert.Contains(points, p => p.Name == "scrape_samples_scraped" && p.Value == 6);

        // and the accepted counter holds exactly what reached the consumer, per receiver and transport
        var accepted = telemetry.CounterOrExisting("otelcol_receiver_accepted_metric_points", "");
        Assert.Equal(points.Count, accepted.Value(KeyValuePair.Create("receiver", "prometheus"), KeyValuePair.Create("transport", "http")));

        // and the farm saw connections from the pod address only (each scrape a request)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(farm.RequestsServed >= 4), TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), $"{farm.RequestsServed} scrapes served");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Each_target_is_scraped_over_one_kept_alive_connection_as_prometheus_does()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given two targets that keep connections alive, and a receiver scraping them every 10 s at timeScale 5
        var ct = TestContext.Current.CancellationToken;
        await using var farm = TargetFarm.Start(new TargetFarmOptions { Count = 2, FirstAddress = TestAddressSlot.Pod(0, 252, 1), Port = 0, Shape = new TargetShape(1, 2, 0), KeepAlive = true });
        var receiver = CreateReceiver(FarmJob(farm), new CapturingConsumer(), new MetricRegistry(), timeScale: 5);

        // When each target has been scraped three times
        await ScrapeUntilAsync(receiver, t => t.Count == 2 && t.All(x => x.Scrapes >= 3), TimeSpan.FromSeconds(30), ct);

        // Then every scrape after the first reused its target's connection (prometheus/common defaultHTTPClientOptions:
        // keep-alives on, idle connections kept 5 minutes, well past a scrape interval)
        // (the farm counts a scrape once its response is sent, which the receiver may read a moment before)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(farm.RequestsServed >= 6), TimeSpan.FromSeconds(10), ct), $"{farm.RequestsServed} scrapes served");
        Assert.Equal(2, farm.ConnectionsAccepted);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_target_that_refuses_connections_is_reported_down_and_never_throws()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a static job pointing at an address nothing listens on
        var ct = TestContext.Current.CancellationToken;
        var consumer = new CapturingConsumer();
        var receiver = CreateReceiver($$"""
            config:
              scrape_configs:
                - job_name: missing
                  scrape_interval: 10s
                  static_configs:
                    - targets: ["{{TestAddressSlot.Pod(0, 251, 1)}}:9"]
            """, consumer, new MetricRegistry(), timeScale: 20);

        // When it scrapes once
        var scraped = await ScrapeUntilAsync(receiver, t => t.Any(x => x.Scrapes >= 1), TimeSpan.FromSeconds(20), ct);

        // Then up is 0 and the error is kept for the target
        var target = Assert.Single(scraped);
        Assert.False(target.Up);
        Assert.NotNull(target.LastError);
        Assert.Contains(consumer.Points, p => p.Name == "up" && p.Value == 0);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_delivery_that_fails_as_the_receiver_stops_ends_its_scrape_loop_and_the_shutdown_does_not_throw()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a receiver whose next component fails (not cancels) once the collector stops, as one stopping beside
        // it does: a scrape loop faulted by it would make the receiver's shutdown throw, and the container's second
        // stop would wait forever for an exit the first never set
        var ct = TestContext.Current.CancellationToken;
        await using var farm = TargetFarm.Start(new TargetFarmOptions { Count = 1, FirstAddress = TestAddressSlot.Pod(0, 250, 3), Port = 0, Shape = new TargetShape(1, 1, 1) });
        var consumer = new FailingAtStopConsumer();
        var receiver = CreateReceiver(FarmJob(farm), consumer, new MetricRegistry(), timeScale: 5);
        await receiver.StartAsync(ct);

        // When the shutdown comes while a delivery is in flight
        await consumer.Delivering.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var error = await Record.ExceptionAsync(() => receiver.ShutdownAsync(ct));
        await receiver.DisposeAsync();

        // Then the shutdown completes without throwing, though the delivery in flight failed
        Assert.Null(error);
        Assert.True(consumer.Failed > 0);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_body_is_read_as_UTF8_bytes_whatever_charset_its_content_type_names()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given two targets answering the same UTF-8 exposition (a label value "café"), one declaring charset=iso-8859-1
        // and one a charset no decoder knows: upstream scrape.go copies the body's bytes and textparse reads them as
        // they are, the Content-Type only choosing the parser
        var ct = TestContext.Current.CancellationToken;
        using var latin1 = new RawTarget(TestAddressSlot.Pod(0, 253, 1), "text/plain; version=0.0.4; charset=iso-8859-1");
        using var unknown = new RawTarget(TestAddressSlot.Pod(0, 253, 2), "text/plain; version=0.0.4; charset=x-lab-unknown");
        var consumer = new CapturingConsumer();
        var receiver = CreateReceiver(RawJob([latin1, unknown]), consumer, new MetricRegistry(), timeScale: 5);

        // When both have been scraped twice
        var scraped = await ScrapeUntilAsync(receiver, t => t.Count == 2 && t.All(x => x.Scrapes >= 2), TimeSpan.FromSeconds(30), ct);

        // Then both are up, and every sample of both carries the value as the target wrote it
        Assert.All(scraped, t => Assert.True(t.Up, $"{t.Address}: {t.LastError}"));
        var samples = consumer.Points.Where(p => p.Name == "lab_orders").ToList();
        Assert.Equal(2, samples.Select(p => p.Resource.Attributes["service.instance.id"].Str).Distinct().Count());
        Assert.All(samples, p => Assert.Equal("café", p.Attributes["shop"].Str));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_metric_relabel_regex_that_backtracks_catastrophically_gets_re2s_answer_and_the_target_stays_up()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a metric_relabel_configs drop whose regex would take .NET's backtracking engine about 2^40 steps on the
        // target's label (upstream's RE2 answers in linear time: no match, so nothing is dropped)
        var ct = TestContext.Current.CancellationToken;
        using var target = new RawTarget(TestAddressSlot.Pod(0, 253, 3), "text/plain; version=0.0.4",
            "# TYPE lab_orders gauge\nlab_orders{shop=\"" + new string('a', 40) + "c\"} 3\n");
        var consumer = new CapturingConsumer();
        var receiver = CreateReceiver(RawJob([target], """
                  metric_relabel_configs:
                    - source_labels: [shop]
                      regex: "(a+)+b"
                      action: drop
            """), consumer, new MetricRegistry(), timeScale: 5);

        // When it has been scraped twice
        var status = (await ScrapeUntilAsync(receiver, t => t.Count == 1 && t[0].Scrapes >= 2, TimeSpan.FromSeconds(30), ct))[0];

        // Then the target is up, without an error, and every scrape kept its sample, as RE2's no-match keeps it
        Assert.True(status.Up, status.LastError);
        Assert.Null(status.LastError);
        Assert.True(consumer.Points.Count(p => p.Name == "lab_orders") >= 2, $"{consumer.Points.Count(p => p.Name == "lab_orders")} lab_orders samples");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_histogram_bucket_whose_le_is_not_a_float_is_dropped_with_upstreams_warning_and_the_rest_kept()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a histogram one of whose buckets has le="fast" (upstream: metricfamily.go getBoundary →
        // strconv.ParseFloat fails; transaction.Append logs "failed to add datapoint" and drops that sample only)
        var ct = TestContext.Current.CancellationToken;
        using var target = new RawTarget(TestAddressSlot.Pod(0, 253, 4), "text/plain; version=0.0.4",
            "# TYPE lab_latency histogram\n" +
            "lab_latency_bucket{le=\"0.5\"} 2\nlab_latency_bucket{le=\"fast\"} 3\nlab_latency_bucket{le=\"+Inf\"} 4\n" +
            "lab_latency_sum 1.5\nlab_latency_count 4\n");
        var consumer = new CapturingConsumer();
        var container = Container(IPAddress.Loopback, timeScale: 5);
        var receiver = CreateReceiver(RawJob([target]), consumer, new MetricRegistry(), timeScale: 5, container);

        // When it has been scraped twice
        var status = (await ScrapeUntilAsync(receiver, t => t.Count == 1 && t[0].Scrapes >= 2, TimeSpan.FromSeconds(30), ct))[0];

        // Then the target is up, the histogram went out without that bucket (0.5 and +Inf: counts 2 and 2), and the
        // receiver logged upstream's warning with ParseFloat's error
        Assert.True(status.Up, status.LastError);
        var histograms = consumer.Points.Where(p => p.Name == "lab_latency").ToList();
        Assert.True(histograms.Count >= 2, $"{histograms.Count} lab_latency points");
        Assert.All(histograms, p =>
        {
            Assert.Equal([0.5], p.ExplicitBounds);
            Assert.Equal([2UL, 2UL], p.BucketCounts);
            Assert.Equal(4UL, p.Count);
        });
        Assert.Contains(container.Log.Lines(), l => l.Contains("failed to add datapoint", StringComparison.Ordinal)
            && l.Contains("strconv.ParseFloat: parsing \"fast\": invalid syntax", StringComparison.Ordinal) && l.Contains("lab_latency_bucket", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts the receiver, waits until its targets satisfy <paramref name="done"/> (failing with their states when they
    /// do not within <paramref name="within"/>), disposes it, and returns the targets as they were then.
    /// </summary>
    private static async Task<IReadOnlyList<ScrapeTargetStatus>> ScrapeUntilAsync(PrometheusReceiver receiver, Func<IReadOnlyList<ScrapeTargetStatus>, bool> done, TimeSpan within, CancellationToken ct)
    {
        await receiver.StartAsync(ct);
        try
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(done(receiver.Targets)), within, ct), string.Join("\n", receiver.Targets));
            return receiver.Targets;
        }
        finally
        {
            await receiver.DisposeAsync();
        }
    }

    /// <summary>A target on a raw socket: one fixed exposition with the given Content-Type, one response per connection.</summary>
    private sealed class RawTarget : IDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        public RawTarget(IPAddress address, string contentType, string exposition = "# TYPE lab_orders gauge\nlab_orders{shop=\"café\"} 3\n")
        {
            _listener = new System.Net.Sockets.TcpListener(address, 0);
            _listener.Start();
            Endpoint = $"{address}:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            var body = System.Text.Encoding.UTF8.GetBytes(exposition);
            var head = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            _ = ServeAsync([.. head, .. body]);
        }

        public string Endpoint { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task ServeAsync(byte[] response)
        {
            while (!_stop.IsCancellationRequested)
            {
                System.Net.Sockets.Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    try
                    {
                        // The request's head, then the whole answer.
                        var buffer = new byte[4096];
                        var read = 0;
                        while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
                        {
                            var n = await client.ReceiveAsync(buffer.AsMemory(read), System.Net.Sockets.SocketFlags.None, _stop.Token);
                            if (n == 0)
                            {
                                break;
                            }

                            read += n;
                        }

                        await client.SendAsync(response, System.Net.Sockets.SocketFlags.None, _stop.Token);
                        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException)
                    {
                        // the scraper went away or the target stops
                    }
                }
            }
        }
    }

    [Fact]
    public void Counters_histograms_and_summaries_become_cumulative_sums_histograms_and_summaries()
    {
        // Given one exposition with a counter, a histogram and a summary
        var text = """
            # TYPE http_requests_total counter
            http_requests_total{code="200"} 7
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 2
            latency_seconds_bucket{le="1"} 5
            latency_seconds_bucket{le="+Inf"} 6
            latency_seconds_sum 3.5
            latency_seconds_count 6
            # TYPE rpc summary
            rpc{quantile="0.5"} 0.2
            rpc_sum 10
            rpc_count 40
            """;

        // When it is parsed and turned into points
        Assert.True(OtelLab.Sim.Collector.Receivers.Prometheus.Internal.ExpositionParser.TryParse(text, out var samples, out var types, out var error), error);
        var builder = new OtelLab.Sim.Collector.Receivers.Prometheus.Internal.PointBuilder(OtelLab.Sim.Collector.Traces.TelemetryResource.Empty, [], PrometheusReceiver.ScopeName);
        var points = builder.Build(samples, types, 1_000);

        // Then the counter is a cumulative monotonic sum, the histogram has per-bucket counts, the summary its quantile
        var counter = Assert.Single(points, p => p.Name == "http_requests_total");
        Assert.Equal((MetricKind.Sum, AggregationTemporality.Cumulative, true, 7.0), (counter.Kind, counter.Temporality, counter.IsMonotonic, counter.Value));
        Assert.Equal(1_000UL, counter.StartTimeUnixNano);
        var histogram = Assert.Single(points, p => p.Name == "latency_seconds");
        Assert.Equal([0.1, 1], histogram.ExplicitBounds);
        Assert.Equal([2UL, 3, 1], histogram.BucketCounts);
        Assert.Equal((6UL, 3.5), (histogram.Count, histogram.Value));
        var summary = Assert.Single(points, p => p.Name == "rpc");
        Assert.Equal(MetricKind.Summary, summary.Kind);
        Assert.Equal([(0.5, 0.2)], summary.Quantiles);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_target_allocator_that_refuses_at_start_is_asked_again_after_a_second_not_an_interval_later()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a receiver whose Target Allocator does not listen yet (interval 30 s, at real time)
        var ct = TestContext.Current.CancellationToken;
        var address = TestAddressSlot.Pod(0, 251, 2);
        var reserve = new System.Net.Sockets.TcpListener(address, 0);
        reserve.Start();
        var port = ((IPEndPoint)reserve.LocalEndpoint).Port;
        reserve.Stop();
        var container = Container(IPAddress.Loopback, timeScale: 1);
        var receiver = CreateReceiver($$"""
            config:
              scrape_configs: []
            target_allocator:
              endpoint: http://{{address}}:{{port}}
              interval: 30s
              collector_id: collector-0
            """, new CapturingConsumer(), new MetricRegistry(), timeScale: 1, container);
        await receiver.StartAsync(ct);
        using var allocator = new System.Net.Sockets.TcpListener(address, port);
        try
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(container.Log.Lines().Any(l => l.Contains("Failed to retrieve job list", StringComparison.Ordinal))), TimeSpan.FromSeconds(10), ct),
                "the receiver's first sync did not fail: " + string.Join("\n", container.Log.Lines()));

            // When the allocator starts listening
            allocator.Start();
            var listening = System.Diagnostics.Stopwatch.StartNew();
            using var client = await allocator.AcceptTcpClientAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct);
            var asked = listening.Elapsed;
            var request = new StreamReader(client.GetStream());
            var line = await request.ReadLineAsync(ct);

            // Then the receiver asked for its jobs well within half the interval: upstream retries a refused first sync
            // after 1 s (targetallocator/manager.go, backoff.RetryAfter(1)), not on the interval's next tick at 30 s
            Assert.StartsWith("GET /scrape_configs ", line, StringComparison.Ordinal);
            Assert.True(asked < TimeSpan.FromSeconds(15), $"asked {asked.TotalSeconds:0.0} s after the allocator listened");
        }
        finally
        {
            await receiver.DisposeAsync();
        }
    }

    // One static job, "raw", scraping the targets every 10 s of lab time; jobSettings (YAML lines indented as the job's
    // own keys, 6 spaces) are added to the job.
    private static string RawJob(IReadOnlyList<RawTarget> targets, string jobSettings = "") =>
        $"""
        config:
          scrape_configs:
            - job_name: raw
              scrape_interval: 10s
              static_configs:
                - targets: [{string.Join(", ", targets.Select(t => $"\"{t.Endpoint}\""))}]

        """ + jobSettings;

    internal static PrometheusReceiver CreateReceiver(string settingsYaml, IMetricConsumer consumer, MetricRegistry telemetry, double timeScale, ContainerContext? container = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(settingsYaml));
        var settings = (YamlMappingNode)stream.Documents[0].RootNode;
        var collectorYaml = new YamlStream();
        collectorYaml.Load(new StringReader("receivers:\n  prometheus: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    metrics:\n      receivers: [prometheus]\n      exporters: [debug]\n"));
        var config = CollectorConfigParser.Parse((YamlMappingNode)collectorYaml.Documents[0].RootNode, new OtelLab.Model.Yaml.YamlReader("collector.yaml"));
        var factory = Assert.Single(ComponentCatalog.All, f => f.Type == "prometheus");
        return (PrometheusReceiver)factory.Create(new ComponentCreateContext
        {
            Id = ComponentId.Parse("prometheus"),
            Kind = ComponentKind.Receiver,
            Signal = "metrics",
            Settings = settings,
            Config = config,
            Container = container ?? Container(IPAddress.Loopback, timeScale),
            Telemetry = telemetry,
            NextMetrics = consumer,
        });
    }

    private static ContainerContext Container(IPAddress podAddress, double timeScale) => new()
    {
        Cluster = SimFixtures.NewCluster(nodes: 1),
        Pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "collector-0", NamespaceProperty = "observability" } },
        Container = new V1Container { Name = "otc-container" },
        Environment = [],
        PodAddress = podAddress,
        NodeName = "lab-node-1",
        NodeAddress = IPAddress.Loopback,
        Resolver = new NoDns(),
        Time = new LabClock(timeScale),
        Log = new ContainerLog(TimeProvider.System),
        Readiness = new ContainerReadiness(() => { }),
    };

    private sealed class NoDns : IClusterResolver
    {
        public IReadOnlyList<IPAddress> Resolve(string host, ResolverContext from) => [];
    }
}

/// <summary>A metrics consumer that keeps every point (tests only).</summary>
internal sealed class CapturingConsumer : IMetricConsumer
{
    public ConcurrentQueue<MetricPoint> Points { get; } = new();

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        foreach (var p in points)
        {
            Points.Enqueue(p);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A metrics consumer whose delivery waits until the receiver stops, then fails as a stopped component does.</summary>
internal sealed class FailingAtStopConsumer : IMetricConsumer
{
    private int _failed;

    public TaskCompletionSource Delivering { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Failed => Volatile.Read(ref _failed);

    public async ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        Delivering.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Interlocked.Increment(ref _failed);
        throw new InvalidOperationException("the next component has stopped");
    }
}
