using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OtelLab.Model;
using OtelLab.Model.Collector;
using OtelLab.Model.Diagnostics;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime.Internal;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using YamlDotNet.RepresentationModel;
using k8s.Models;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// One running emulated collector, started from a config YAML and a container context, with or without the kubelet:
/// <code>
/// var context = CollectorInstance.CreateContext(IPAddress.Parse("127.1.0.10"), env: [new("DT_API_TOKEN", token)]);
/// await using var collector = await CollectorInstance.StartAsync(yaml, context, new CollectorInstanceOptions { Egress = egress }, ct);
/// collector.Telemetry.RenderPrometheus();   // what :8888/metrics serves
/// </code>
/// Start resolves <c>${env:}</c> (the container's env only) and <c>${file:}</c> (the pod's files), checks every
/// component type against the image's distribution and decodes its settings against the component's config struct
/// (unknown keys, wrong types), builds the pipeline graph and starts it. A config upstream would
/// refuse throws <see cref="CollectorStartException"/> with upstream's message (the container runtime logs it and exits 1).
/// </summary>
public sealed class CollectorInstance : IAsyncDisposable
{
    private readonly PodListener? _telemetryListener;
    private int _disposed;

    private CollectorInstance(CollectorService service, MetricRegistry telemetry, ContainerContext context, PodListener? telemetryListener, Uri? metricsUri)
    {
        Service = service;
        Telemetry = telemetry;
        Context = context;
        _telemetryListener = telemetryListener;
        MetricsUri = metricsUri;
    }

    public CollectorService Service { get; }

    /// <summary>The CPU time this collector's own work used (its requests, timers and queue workers).</summary>
    public required ComponentCpu Cpu { get; init; }

    /// <summary>The collector's internal metrics (<c>otelcol_*</c>).</summary>
    public MetricRegistry Telemetry { get; }

    public ContainerContext Context { get; }

    /// <summary>The container log the collector writes to.</summary>
    public ContainerLog Log => Context.Log;

    /// <summary><c>http://&lt;pod&gt;:8888/metrics</c> when served, else null.</summary>
    public Uri? MetricsUri { get; }

    /// <summary>Starts a collector with default options (distribution from the context's image).</summary>
    public static Task<CollectorInstance> StartAsync(string configYaml, ContainerContext context, CancellationToken cancellationToken) =>
        StartAsync(configYaml, context, new CollectorInstanceOptions(), cancellationToken);

    /// <summary>Parses, expands, builds and starts; throws <see cref="CollectorStartException"/> with upstream's text.</summary>
    public static async Task<CollectorInstance> StartAsync(
        string configYaml, ContainerContext context, CollectorInstanceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configYaml);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        // Everything this collector starts (listeners, timers, queue workers) runs for its pod (see ComponentCpu).
        var cpu = new ComponentCpu(context.Pod.Metadata?.Name ?? "collector");
        ComponentCpu.Enter(cpu);
        var log = new CollectorLog(context.Log, context.Time);
        var distribution = options.Distribution ?? CollectorDistribution.FromImage(context.Container.Image) ?? CollectorDistribution.Contrib;
        log.Info("Setting up own telemetry...");
        log.Info($"Starting otelcol-{distribution.Name}...", ("Version", CollectorDistribution.VersionOf(context.Container.Image)?.ToString() ?? "latest"), ("NumCPU", 2));

        var config = Load(configYaml, context, options, log);
        var telemetry = options.Telemetry ?? new MetricRegistry();
        var service = CollectorService.Build(config, context, distribution, options.Catalog ?? ComponentCatalog.All, telemetry, options.Egress, log, options.Memory);
        PodListener? listener = null;
        Uri? metricsUri = null;
        try
        {
            if (options.ServeTelemetry && TelemetryEndpoint(config) is { } endpoint)
            {
                var at = PodEndpoint.Parse(endpoint, 8888, context);
                listener = await PodListener.StartAsync(at, HttpProtocols.Http1, _ => { }, app =>
                    app.MapGet("/metrics", () => Results.Text(telemetry.RenderPrometheus(), "text/plain; version=0.0.4; charset=utf-8")), cancellationToken).ConfigureAwait(false);
                metricsUri = new Uri($"http://{at.Address}:{at.Port}/metrics");
                log.Info("Serving metrics", ("address", at.Configured));
            }

            await service.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            if (listener is not null)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new CollectorInstance(service, telemetry, context, listener, metricsUri) { Cpu = cpu };
    }

    /// <summary>
    /// A container context for running a collector without the kubelet: the pod address to bind and connect from,
    /// the container's env (what <c>${env:}</c> sees), the clock, the resolver (a cluster's DNS; default: one that
    /// knows IP literals and <c>localhost</c>) and, optionally, the pod's files root and image.
    /// </summary>
    public static ContainerContext CreateContext(
        IPAddress podAddress,
        IEnumerable<KeyValuePair<string, string>>? env = null,
        TimeProvider? time = null,
        IClusterResolver? resolver = null,
        string image = "otel/opentelemetry-collector-contrib:0.159.0",
        string podName = "collector",
        string podNamespace = "default",
        string? podRoot = null)
    {
        ArgumentNullException.ThrowIfNull(podAddress);
        var cluster = new SimulatedCluster();
        var clock = time ?? TimeProvider.System;
        return new ContainerContext
        {
            Cluster = cluster,
            Pod = new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = podName, NamespaceProperty = podNamespace },
                Status = new V1PodStatus { PodIP = podAddress.ToString() },
            },
            Container = new V1Container { Name = "otc-container", Image = image },
            Environment = env?.ToList() ?? [],
            PodAddress = podAddress,
            NodeName = "lab-node-1",
            NodeAddress = podAddress,
            Resolver = resolver ?? new ClusterDns(cluster),
            Time = clock,
            Log = new ContainerLog(clock, 5000),
            Readiness = new ContainerReadiness(() => { }),
            PodRoot = podRoot,
        };
    }

    /// <summary>Shuts the pipelines down (receivers first, flushing processors and exporter queues), then the telemetry endpoint.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Service.ShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _telemetryListener is not null)
        {
            await _telemetryListener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static CollectorConfig Load(string yaml, ContainerContext context, CollectorInstanceOptions options, CollectorLog log)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CollectorStartException(
                $"failed to get config: cannot resolve the configuration: cannot retrieve the configuration: unable to read the file file:{options.ConfigPath}: yaml: line {e.Start.Line}: {e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new CollectorStartException("failed to get config: cannot unmarshal the configuration: the configuration is empty");
        }

        var readFile = options.ReadFile ?? (path => ReadPodFile(context.PodRoot, path));
        new ConfigExpander(context.Environment, readFile, log).Expand(root);
        try
        {
            return CollectorConfigParser.Parse(root, new YamlReader(options.ConfigPath));
        }
        catch (ManifestException e)
        {
            throw new CollectorStartException($"invalid configuration: {e.Message}", e);
        }
    }

    /// <summary>A file of the pod under its files root (null when absent or outside the root).</summary>
    /// <summary>A file of the pod (<c>/vault/secrets/dt</c>) under its stand-in root; null when absent or outside the root.</summary>
    public static string? ReadPodFile(string? podRoot, string path)
    {
        if (podRoot is null)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(podRoot, path.TrimStart('/')));
        return full.StartsWith(Path.GetFullPath(podRoot), StringComparison.Ordinal) && File.Exists(full) ? File.ReadAllText(full) : null;
    }

    // upstream service/telemetry: metrics.level none → no endpoint; readers[].pull.exporter.prometheus host/port, or
    // the older metrics.address; without either the collector serves on <default host>:8888.
    private static string? TelemetryEndpoint(CollectorConfig config)
    {
        var metrics = YamlReader.Child(YamlReader.Child(YamlReader.Child(config.Root, "service") as YamlMappingNode, "telemetry") as YamlMappingNode, "metrics") as YamlMappingNode;
        if ((YamlReader.Child(metrics, "level") as YamlScalarNode)?.Value == "none")
        {
            return null;
        }

        if ((YamlReader.Child(metrics, "address") as YamlScalarNode)?.Value is { Length: > 0 } address)
        {
            return address;
        }

        if (YamlReader.Child(metrics, "readers") is YamlSequenceNode { Children.Count: > 0 } readers
            && YamlReader.Child(YamlReader.Child(YamlReader.Child(readers.Children[0] as YamlMappingNode, "pull") as YamlMappingNode, "exporter") as YamlMappingNode, "prometheus") is YamlMappingNode prometheus)
        {
            var host = (YamlReader.Child(prometheus, "host") as YamlScalarNode)?.Value ?? "localhost";
            var port = (YamlReader.Child(prometheus, "port") as YamlScalarNode)?.Value ?? "8888";
            return $"{host}:{port}";
        }

        return string.Empty;
    }
}
