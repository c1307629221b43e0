using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Sim.ApiServer.Internal.Streams;
using OtelLab.Tests.Scenarios;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer.Streams;

/// <summary>
/// <c>kubectl logs</c>, <c>exec</c> and <c>port-forward</c> — the real binaries, 1.32 (WebSockets) and 1.27 (SPDY) —
/// against a running payments-fixed lab, including the guide's Validation commands that use them.
/// </summary>
[Trait("Category", "Lab")]
public sealed class PodStreamsOnPaymentsFixedTests(GuideLabFixture lab) : IClassFixture<GuideLabFixture>
{
    private const string Gateway = "app.kubernetes.io/instance=observability.otel-gateway";

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Logs_print_the_containers_log_and_tail_prints_its_last_lines()
    {
        // Given a gateway pod whose log holds a line written now
        var pod = await PodNameAsync("observability", Gateway);
        var log = lab.Lab.ContainerLog("observability", pod, "otc-container")!;
        var marker = $"lab-test-marker {Guid.NewGuid():N}";
        log.Write(marker);

        // When kubectl reads the whole log and its last line
        var all = await lab.KubectlAsync("logs", "-n", "observability", pod);
        var heldBeforeTail = log.Lines().Count;
        var tail = await lab.KubectlAsync("logs", "-n", "observability", pod, "--tail=1", "--timestamps");
        var heldAfterTail = log.Lines();

        // Then the whole log contains what the container wrote, in order, and the tail is the newest line, time-stamped
        Assert.True(all.ExitCode == 0, all.Err);
        var lines = all.Out.TrimEnd('\n').Split('\n');
        var held = log.Lines();
        Assert.Equal(held.Take(lines.Length), lines);
        Assert.Contains(marker, lines);
        Assert.True(tail.ExitCode == 0, tail.Err);
        var last = Assert.Single(tail.Out.TrimEnd('\n').Split('\n'));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ", last);
        // (the gateway's exporters keep logging: the tail is the last line at some instant while kubectl read it)
        Assert.Contains(last[(last.IndexOf(' ', StringComparison.Ordinal) + 1)..], heldAfterTail.Skip(heldBeforeTail - 1));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Logs_follow_streams_lines_written_after_it_started(int minor)
    {
        // Given kubectl logs -f on a gateway pod, showing a line written before it started
        var pod = await PodNameAsync("observability", Gateway);
        var log = lab.Lab.ContainerLog("observability", pod, "otc-container")!;
        var before = $"before-follow {Guid.NewGuid():N}";
        log.Write(before);
        await using var follow = lab.Session(Binary(minor), "logs", "-f", "-n", "observability", pod, "--tail=5");
        await follow.WaitForLineAsync(l => l == before, TimeSpan.FromSeconds(30));

        // When the container writes another line
        var after = $"after-follow {Guid.NewGuid():N}";
        log.Write(after);

        // Then kubectl prints it while still following
        await follow.WaitForLineAsync(l => l == after, TimeSpan.FromSeconds(30));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Logs_refuse_an_unknown_container_and_a_missing_previous_instance_as_the_api_server_does()
    {
        var pod = await PodNameAsync("observability", Gateway);

        // kubectl logs checks the container name itself, so the server's answer is read through --raw
        var unknown = await lab.KubectlAsync("get", "--raw", $"/api/v1/namespaces/observability/pods/{pod}/log?container=nope");
        var previous = await lab.KubectlAsync("logs", "-n", "observability", pod, "--previous");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal($"Error from server (BadRequest): container nope is not valid for pod {pod}", unknown.Err.Trim());
        Assert.Equal(1, previous.ExitCode);
        Assert.Equal($"Error from server (BadRequest): previous terminated container \"otc-container\" in pod \"{pod}\" not found", previous.Err.Trim());
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Validation_exec_wget_shows_the_gateways_otelcol_metrics(int minor)
    {
        // The guide's Validation 3/4: kubectl exec -n observability deploy/otel-gateway-collector -- wget -qO- localhost:8888/metrics
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Binary(minor), "exec", "-n", "observability", "deploy/otel-gateway-collector", "--",
            "wget", "-qO-", "localhost:8888/metrics");

        Assert.True(code == 0, stderr);
        var metrics = stdout.Split('\n').Where(l => l.StartsWith("otelcol_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(metrics);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("# TYPE otelcol_", StringComparison.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Exec_cat_prints_the_collectors_rendered_config_from_its_configmap_mount()
    {
        var pod = await PodNameAsync("observability", Gateway);
        var spec = lab.Lab.Cluster!.Get<V1Pod>("observability", pod)!;
        var volume = spec.Spec.Volumes.First(v => v.ConfigMap is not null);
        var mount = spec.Spec.Containers[0].VolumeMounts.First(m => m.Name == volume.Name);
        var configMap = lab.Lab.Cluster.Get<V1ConfigMap>("observability", volume.ConfigMap.Name)!;
        var (key, expected) = configMap.Data.First();

        var (code, stdout, stderr) = await lab.KubectlAsync("exec", "-n", "observability", pod, "--", "cat", $"{mount.MountPath}/{key}");

        Assert.True(code == 0, stderr);
        Assert.Equal(expected, stdout);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Exec_of_a_binary_the_collector_image_lacks_fails_as_on_a_containerd_node(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Binary(minor), "exec", "-n", "observability", "deploy/otel-gateway-collector", "--", "sh", "-c", "echo hi");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Matches(
            "^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"sh\": executable file not found in \\$PATH: unknown$",
            stderr.Trim());
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Exec_in_a_process_pod_runs_the_command_in_the_pod_and_returns_its_exit_code(int minor)
    {
        var (code, stdout, stderr) = await lab.KubectlVersionAsync(Binary(minor), "exec", "-n", "payments", "deploy/checkout", "-c", "checkout", "--",
            "sh", "-c", "echo \"$POD_DIR_PROBE\" out; echo err >&2; exit 3");

        Assert.Equal(3, code);
        Assert.Equal(" out\n", stdout);
        Assert.Equal("err\ncommand terminated with exit code 3", stderr.Trim());
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Validation_port_forward_to_the_target_allocator_service_serves_its_jobs(int minor)
    {
        // Given the guide's kubectl port-forward -n observability svc/otel-prometheus-targetallocator <port>:80
        var port = TestAddressSlot.FreeLocalhostPort();
        await using var forward = lab.Session(Binary(minor), "port-forward", "-n", "observability", "svc/otel-prometheus-targetallocator", $"{port}:80");
        await forward.WaitForLineAsync(l => l.StartsWith($"Forwarding from 127.0.0.1:{port}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // When /jobs is fetched through the tunnel (twice: each is its own forwarded connection) and from the TA pod directly
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var forwarded = await http.GetStringAsync($"http://127.0.0.1:{port}/jobs", TestContext.Current.CancellationToken);
        var again = await http.GetStringAsync($"http://127.0.0.1:{port}/jobs", TestContext.Current.CancellationToken);
        var ta = lab.Lab.Pods().First(p => p.Metadata.Name.StartsWith("otel-prometheus-targetallocator", StringComparison.Ordinal));
        var direct = await http.GetStringAsync($"http://{ta.Status.PodIP}:8080/jobs", TestContext.Current.CancellationToken);

        // Then the forwarded answer is the TA's own, naming its jobs
        var jobs = JsonNode.Parse(forwarded)!.AsObject().Select(j => j.Key).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(jobs);
        Assert.Equal(JsonNode.Parse(direct)!.AsObject().Select(j => j.Key).Order(StringComparer.Ordinal), jobs);
        Assert.Equal(forwarded, again);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_websocket_exec_announces_its_stdout_at_once_and_its_output_follows_no_sooner_than_a_clusters_exec_start()
    {
        // Given the guide's exec wget, nine times over a v5 WebSocket as kubectl 1.30+ opens it, each frame timed as it arrives
        ScenarioRun.SkipUnlessRunnable();
        var pod = await PodNameAsync("observability", Gateway);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(lab.Lab.KubeconfigPath));
        var runs = new List<List<(TimeSpan At, byte Channel, byte[] Payload)>>();
        for (var i = 0; i < 9; i++)
        {
            runs.Add(await ExecFramesAsync(client, pod, ["wget", "-qO-", "localhost:8888/metrics"]));
        }

        // Then each opens with the API server's empty message on stdout, the connection's announcement (apiserver
        // pkg/util/proxy/websocket.go createWebSocketStreams), and ends with Success on the status channel
        Assert.All(runs, frames =>
        {
            Assert.Equal((byte)1, frames[0].Channel);
            Assert.Empty(frames[0].Payload);
            Assert.Contains("otelcol_", Encoding.UTF8.GetString([.. frames.Skip(1).Where(f => f.Channel == 1).SelectMany(f => f.Payload)]), StringComparison.Ordinal);
            Assert.Equal((byte)3, frames[^1].Channel);
            Assert.Contains("\"Success\"", Encoding.UTF8.GetString(frames[^1].Payload), StringComparison.Ordinal);
        });

        // And the output comes no sooner after the announcement than a cluster's exec could start (kubectl 1.30-1.33
        // drops frames that beat its stream creation: client-go websocket.go). Timed at the client, a run whose
        // announcement was read late reads short; the median of nine fails only if five were read over 10 ms late.
        var gaps = runs.Select(frames => frames.Skip(1).First(f => f.Channel == 1 && f.Payload.Length > 0).At - frames[0].At).Order().ToList();
        Assert.True(gaps[4] >= ExecHandler.ExecStartLatency - TimeSpan.FromMilliseconds(10),
            $"announcement to output: {string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:F1} ms"))}");
    }

    private static async Task<List<(TimeSpan At, byte Channel, byte[] Payload)>> ExecFramesAsync(Kubernetes client, string pod, string[] command)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var socket = await client.WebSocketNamespacedPodExecAsync(pod, "observability", command, "otc-container",
            true, false, true, false, "v5.channel.k8s.io", null, cancellationToken);
        var clock = Stopwatch.StartNew();
        var frames = new List<(TimeSpan At, byte Channel, byte[] Payload)>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return frames;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var bytes = message.ToArray();
                message.SetLength(0);
                frames.Add((clock.Elapsed, bytes[0], bytes[1..]));
            }
        }
    }

    private async Task<string> PodNameAsync(string ns, string selector)
    {
        var (code, stdout, stderr) = await lab.KubectlAsync("get", "pods", "-n", ns, "-l", selector, "-o", "jsonpath={.items[0].metadata.name}");
        Assert.True(code == 0 && stdout.Length > 0, stderr);
        return stdout;
    }

    private static string Binary(int minor) => minor == 32 ? Kubectl.Default : Kubectl.Version(minor);
}
