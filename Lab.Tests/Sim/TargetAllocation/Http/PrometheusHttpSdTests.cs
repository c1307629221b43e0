using OtelLab.Tests.Support;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OtelLab.Load.TargetFarm;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;
using OtelLab.Sim.TargetAllocation.Http;

namespace OtelLab.Tests.Sim.TargetAllocation.Http;

/// <summary>The TA's http_sd endpoint checked with a real client: Debian's Prometheus (installed by .ci/install.sh).</summary>
[Trait("Category", "Component")]
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class PrometheusHttpSdTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";

    [Fact(Timeout = 120_000)]
    public async Task Prometheus_discovers_exactly_one_replicas_targets_and_scrapes_them_up()
    {
        if (!File.Exists(PrometheusBinary))
        {
            Assert.Skip($"{PrometheusBinary} is not installed (apt-get install prometheus, or run .ci/install.sh).");
        }

        var ct = TestContext.Current.CancellationToken;

        // Given 30 farm targets allocated by consistent-hashing over 3 collectors, served by the TA API
        await using var farm = TargetFarm.Start(new TargetFarmOptions { Count = 30, FirstAddress = TestAddressSlot.Pod(2, 0, 1), Port = 0, Shape = new TargetShape(3, 2, 1) });
        var source = new InMemoryTargetSource([new ScrapeConfig { JobName = "farm" }]);
        source.SetTargetGroups([new TargetGroup("farm", [.. farm.Endpoints.Select(e => LabelSet.From((Label.Address, e.ToString()), ("__meta_kubernetes_pod_node_name", "node-0")))])]);
        var collectors = new StaticCollectorSource(Enumerable.Range(0, 3).Select(i => new CollectorPod($"otel-collector-{i}", "node-0")));
        var time = new ManualTimeProvider();
        await using var ta = new TargetAllocator(new TargetAllocatorOptions(), [source], collectors, time);
        ta.Start();
        time.Advance(TimeSpan.FromSeconds(5));
        await using var server = await TargetAllocatorServer.StartAsync(ta, new IPEndPoint(IPAddress.Loopback, 0), ct);
        var expected = ta.Allocator.GetTargetsForCollectorAndJob("otel-collector-1", "farm").Select(t => t.TargetUrl).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(expected.Count, 1, 29);

        // When Prometheus uses http_sd on that replica's endpoint, as the collector's receiver does
        var dir = Directory.CreateTempSubdirectory("lab-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: farm
                http_sd_configs:
                  - url: {server.BaseAddress}jobs/farm/targets?collector_id=otel-collector-1
                    refresh_interval: 1s
            """, ct);
        var port = FreeLoopbackPort();
        var log = new StringBuilder();
        using var prometheus = StartPrometheus(config, port, Path.Combine(dir, "data"), log);
        try
        {
            using var http = new HttpClient();
            List<(string Address, string Health)> active = [];
            var discovered = await Eventually.WaitAsync(async () =>
            {
                active = await ActiveTargetsAsync(http, port, ct);
                return active.Count == expected.Count && active.All(t => t.Health == "up");
            }, TimeSpan.FromSeconds(60), ct);

            // Then it finds exactly that replica's targets, and every one is up
            Assert.True(discovered, $"Prometheus saw {active.Count} targets ({string.Join(", ", active)}), expected {expected.Count} up. Log:\n{log}");
            Assert.Equal(expected, active.Select(t => t.Address).Order(StringComparer.Ordinal));
            Assert.True(farm.RequestsServed >= expected.Count);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Process StartPrometheus(string config, int port, string storage, StringBuilder log)
    {
        var start = new ProcessStartInfo(PrometheusBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={storage}", "--log.level=warn" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<List<(string Address, string Health)>> ActiveTargetsAsync(HttpClient http, int port, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/v1/targets?state=active"), ct);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return [.. json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                .Select(t => (t.GetProperty("discoveredLabels").GetProperty("__address__").GetString()!, t.GetProperty("health").GetString()!))];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }
}
