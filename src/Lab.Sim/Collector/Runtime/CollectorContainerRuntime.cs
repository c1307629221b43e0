using System.Globalization;
using k8s.Models;
using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// Runs collector images (<c>otel/opentelemetry-collector*</c>, <c>ghcr.io/open-telemetry/opentelemetry-collector-releases/*</c>,
/// <c>otelcol*</c>) for the kubelet: reads the config the operator rendered (the <c>--config=</c> argument, read through
/// the pod's ConfigMap volume or its files), starts a <see cref="CollectorInstance"/>, marks the container ready, and on
/// a start error writes what otelcol prints (cobra's <c>Error: …</c> then Go's log.Fatalf
/// <c>YYYY/MM/DD hh:mm:ss collector server run finished with error: …</c>, upstream cmd/otelcorecol/main.go) and exits
/// 1, which the kubelet turns into CrashLoopBackOff.
/// </summary>
public sealed class CollectorContainerRuntime(ExternalEndpoints egress, Func<ContainerContext, CollectorInstanceOptions>? options = null) : IContainerRuntime
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CollectorInstance> _running = new(StringComparer.Ordinal);

    public bool CanRun(string image) => CollectorDistribution.FromImage(image) is not null;

    /// <summary>The running collector of a pod (<c>namespace/pod</c>), e.g. to read its telemetry in a scenario check.</summary>
    public CollectorInstance? Find(string podNamespace, string podName)
    {
        lock (_gate)
        {
            return _running.GetValueOrDefault($"{podNamespace}/{podName}");
        }
    }

    /// <summary>The collectors this runtime runs now, with their pods' namespace and name.</summary>
    public IReadOnlyList<(string Namespace, string Pod, CollectorInstance Instance)> Running()
    {
        lock (_gate)
        {
            return [.. _running.Select(static kv =>
            {
                var slash = kv.Key.IndexOf('/', StringComparison.Ordinal);
                return (kv.Key[..slash], kv.Key[(slash + 1)..], kv.Value);
            })];
        }
    }

    public async Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configPath = ConfigArgument(context.Container);
        var readFile = (string path) => ReadPodFile(context, path);
        var baseOptions = options?.Invoke(context) ?? new CollectorInstanceOptions();
        var runOptions = new CollectorInstanceOptions
        {
            Distribution = baseOptions.Distribution,
            Catalog = baseOptions.Catalog,
            Egress = egress,
            ConfigPath = configPath ?? "/conf/collector.yaml",
            ReadFile = baseOptions.ReadFile ?? readFile,
            Telemetry = baseOptions.Telemetry,
            Memory = baseOptions.Memory,
            ServeTelemetry = baseOptions.ServeTelemetry,
        };

        var yaml = configPath is null ? null : readFile(configPath);
        if (yaml is null)
        {
            var message = configPath is null
                ? "at least one config flag must be provided"
                : $"failed to get config: cannot resolve the configuration: cannot retrieve the configuration: unable to read the file file:{configPath}: open {configPath}: no such file or directory";
            return Crash(context, message);
        }

        try
        {
            var instance = await CollectorInstance.StartAsync(yaml, context, runOptions, cancellationToken).ConfigureAwait(false);
            var key = $"{context.Pod.Metadata.NamespaceProperty}/{context.Pod.Metadata.Name}";
            lock (_gate)
            {
                _running[key] = instance;
            }

            context.Readiness.Set(true);
            return new CollectorProcess(instance, () =>
            {
                lock (_gate)
                {
                    if (_running.TryGetValue(key, out var current) && ReferenceEquals(current, instance))
                    {
                        _running.Remove(key);
                    }
                }
            });
        }
        catch (CollectorStartException e)
        {
            return Crash(context, e.Message);
        }
    }

    private static IContainerProcess Crash(ContainerContext context, string message)
    {
        var lines = ("Error: " + message).Split('\n');
        foreach (var line in lines)
        {
            context.Log.Write(line);
        }

        var stamp = context.Time.GetUtcNow().UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
        foreach (var line in $"{stamp} collector server run finished with error: {message}".Split('\n'))
        {
            context.Log.Write(line);
        }

        return new ExitedProcess(1);
    }

    // --config=/conf/collector.yaml, --config /conf/collector.yaml, or file:/conf/collector.yaml.
    private static string? ConfigArgument(V1Container container)
    {
        var args = (container.Command ?? []).Concat(container.Args ?? []).ToList();
        for (var i = 0; i < args.Count; i++)
        {
            string? value = null;
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                value = args[i]["--config=".Length..];
            }
            else if (args[i] == "--config" && i + 1 < args.Count)
            {
                value = args[i + 1];
            }

            if (value is not null)
            {
                return value.StartsWith("file:", StringComparison.Ordinal) ? value["file:".Length..] : value;
            }
        }

        return null;
    }

    /// <summary>A file as the container sees it: a ConfigMap or Secret volume mounted over the path, else the pod's files.</summary>
    private static string? ReadPodFile(ContainerContext context, string path)
    {
        var ns = context.Pod.Metadata.NamespaceProperty ?? "default";
        foreach (var mount in context.Container.VolumeMounts ?? [])
        {
            var prefix = mount.MountPath.TrimEnd('/') + "/";
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = path[prefix.Length..];
            var volume = context.Pod.Spec?.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
            if (volume?.ConfigMap is { } cmSource)
            {
                var key = cmSource.Items?.FirstOrDefault(i => i.Path == relative)?.Key ?? relative;
                var configMap = context.Cluster.Get<V1ConfigMap>(ns, cmSource.Name);
                return configMap?.Data is { } cmData && cmData.TryGetValue(key, out var text) ? text : null;
            }

            if (volume?.Secret is { } secretSource)
            {
                var key = secretSource.Items?.FirstOrDefault(i => i.Path == relative)?.Key ?? relative;
                var secret = context.Cluster.Get<V1Secret>(ns, secretSource.SecretName);
                return secret?.Data is { } secretData && secretData.TryGetValue(key, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
            }
        }

        return CollectorInstance.ReadPodFile(context.PodRoot, path);
    }

    private sealed class CollectorProcess : IContainerProcess
    {
        private readonly CollectorInstance _instance;
        private readonly Action _removed;
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CollectorProcess(CollectorInstance instance, Action removed)
        {
            _instance = instance;
            _removed = removed;
        }

        public Task<int> Exited => _exited.Task;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            // SIGTERM: otelcol shuts its pipelines down within the grace period (the token) and exits 0.
            await _instance.StopAsync(cancellationToken).ConfigureAwait(false);
            await _instance.DisposeAsync().ConfigureAwait(false);
            _removed();
            _exited.TrySetResult(0);
        }

        public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class ExitedProcess(int code) : IContainerProcess
    {
        public Task<int> Exited { get; } = Task.FromResult(code);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
