using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Receivers.Prometheus;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Kubelet;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.Sim.PrometheusTier;

/// <summary>
/// A minimal collector for tests of the Prometheus tier alone (the full runtime is <c>OtelLab.Sim.Collector.Runtime</c>): it reads the rendered
/// <c>collector.yaml</c> from the ConfigMap at <c>/conf</c> (with <c>${POD_NAME}</c>/<c>${env:POD_NAME}</c> expanded),
/// runs only its <c>prometheus</c> receiver into the consumer given by <see cref="ConsumerFor"/> (default: drop), and
/// serves its own telemetry on the pod's <c>:8888/metrics</c>. Processors and exporters are not run.
/// </summary>
internal sealed class PrometheusOnlyCollectorRuntime : IContainerRuntime
{
    /// <summary>The running receiver of each collector pod.</summary>
    public ConcurrentDictionary<string, PrometheusReceiver> Receivers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Pods whose image cannot be pulled (a broken replica, for scenario checks): the pod stays Pending, which is what
    /// the TA's collector watcher drops after the grace period. A container that starts and crashes would not do:
    /// its pod is phase Running and upstream's TA keeps it (it reads the phase, not readiness).
    /// </summary>
    public ConcurrentDictionary<string, bool> Broken { get; } = new(StringComparer.Ordinal);

    /// <summary>The consumer behind each pod's receiver.</summary>
    public Func<string, IMetricConsumer> ConsumerFor { get; init; } = _ => DroppingConsumer.Instance;

    public bool CanRun(string image) => image?.StartsWith("otel/opentelemetry-collector", StringComparison.Ordinal) == true
        || image?.Contains("/opentelemetry-collector", StringComparison.Ordinal) == true;

    public async Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var podName = context.Pod.Metadata.Name;
        if (Broken.ContainsKey(podName))
        {
            throw new ImagePullException($"lab: the image of replica {podName} is unavailable on purpose");
        }

        var config = ReadConfig(context, podName);
        var prometheus = config.Receivers.Values.FirstOrDefault(r => r.Id.Type == "prometheus");
        var telemetry = new MetricRegistry();
        PrometheusReceiver? receiver = null;
        if (prometheus is not null)
        {
            receiver = (PrometheusReceiver)new PrometheusReceiverFactory().Create(new ComponentCreateContext
            {
                Id = prometheus.Id,
                Kind = ComponentKind.Receiver,
                Signal = "metrics",
                Settings = prometheus.Settings,
                Config = config,
                Container = context,
                Telemetry = telemetry,
                NextMetrics = ConsumerFor(podName),
            });
            await receiver.StartAsync(cancellationToken).ConfigureAwait(false);
            Receivers[podName] = receiver;
        }

        var listener = new TcpListener(context.PodAddress, 8888);
        listener.Start();
        context.Readiness.Set(true);
        return new Process(this, podName, receiver, listener, telemetry);
    }

    private static CollectorConfig ReadConfig(ContainerContext context, string podName)
    {
        var mount = context.Container.VolumeMounts?.FirstOrDefault(m => m.MountPath == "/conf")
            ?? throw new InvalidOperationException("collector container has no volume at /conf");
        var cm = context.Pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)?.ConfigMap?.Name
            ?? throw new InvalidOperationException($"volume {mount.Name} is not a ConfigMap volume");
        var data = context.Cluster.Get<V1ConfigMap>(context.Pod.Metadata.NamespaceProperty, cm)?.Data;
        if (data is null || !data.TryGetValue(OtelLab.Sim.Operator.CollectorManifests.ConfigKey, out var text))
        {
            throw new InvalidOperationException($"configmap \"{cm}\" has no {OtelLab.Sim.Operator.CollectorManifests.ConfigKey}");
        }

        text = text.Replace("${POD_NAME}", podName, StringComparison.Ordinal).Replace("${env:POD_NAME}", podName, StringComparison.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return CollectorConfigParser.Parse((YamlMappingNode)stream.Documents[0].RootNode, new OtelLab.Model.Yaml.YamlReader(OtelLab.Sim.Operator.CollectorManifests.ConfigKey));
    }

    private sealed class DroppingConsumer : IMetricConsumer
    {
        public static readonly DroppingConsumer Instance = new();

        public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Process : IContainerProcess
    {
        private readonly PrometheusOnlyCollectorRuntime _runtime;
        private readonly string _pod;
        private readonly PrometheusReceiver? _receiver;
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stopped;

        public Process(PrometheusOnlyCollectorRuntime runtime, string pod, PrometheusReceiver? receiver, TcpListener listener, MetricRegistry telemetry)
        {
            _runtime = runtime;
            _pod = pod;
            _receiver = receiver;
            _listener = listener;
            _ = ServeMetricsAsync(telemetry);
        }

        public Task<int> Exited => _exited.Task;

        public Task StopAsync(CancellationToken cancellationToken) => ShutdownAsync();

        public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

        private async Task ShutdownAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                await _exited.Task.ConfigureAwait(false);
                return;
            }

            // The exit is set even when a step throws: the kubelet stops, then disposes, and the second call waits on it.
            try
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                _listener.Stop();
                if (_receiver is not null)
                {
                    _runtime.Receivers.TryRemove(KeyValuePair.Create(_pod, _receiver));
                    await _receiver.DisposeAsync().ConfigureAwait(false);
                }

            }
            finally
            {
                _exited.TrySetResult(143);
            }
        }

        // :8888/metrics: the collector's own telemetry (otelcol_receiver_accepted_metric_points …).
        private async Task ServeMetricsAsync(MetricRegistry telemetry)
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => AnswerAsync(client, telemetry));
            }
        }

        private static async Task AnswerAsync(Socket client, MetricRegistry telemetry)
        {
            using (client)
            {
                try
                {
                    var buffer = new byte[4096];
                    var read = 0;
                    while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
                    {
                        var n = await client.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).ConfigureAwait(false);
                        if (n == 0)
                        {
                            return;
                        }

                        read += n;
                    }

                    var body = Encoding.UTF8.GetBytes(telemetry.RenderPrometheus());
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await client.SendAsync((byte[])[.. head, .. body], SocketFlags.None).ConfigureAwait(false);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // the scraper went away; nothing to report
                }
            }
        }
    }
}
