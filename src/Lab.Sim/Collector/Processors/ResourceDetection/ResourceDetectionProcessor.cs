using System.Globalization;
using System.Text.Json;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.ResourceDetection;

/// <summary>
/// The contrib <c>resourcedetection</c> processor: runs its detectors once at start, merges their results (an earlier
/// detector's attribute wins over a later one's) and merges that into every resource, replacing existing attributes
/// when <c>override</c> (default true).
/// upstream: processor/resourcedetectionprocessor/internal/resourcedetection.go (ResourceProvider.detectResource,
/// MergeResource) and resourcedetection_processor.go.
/// </summary>
public sealed class ResourceDetectionProcessor(ComponentCreateContext context, IReadOnlyList<string> detectors, bool overrideExisting) : ICollectorComponent, ITraceConsumer, IMetricConsumer
{
    private IReadOnlyList<KeyValuePair<string, AttributeValue>> _detected = [];

    /// <summary>The detected resource (empty before start).</summary>
    public IReadOnlyList<KeyValuePair<string, AttributeValue>> Detected => _detected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log("began detecting resource information", string.Empty);
        var merged = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var detector in detectors)
        {
            foreach (var (key, value) in Detect(detector))
            {
                // MergeResource(res, r, false): what an earlier detector found stays.
                if (merged.TryAdd(key, value))
                {
                    order.Add(key);
                }
            }
        }

        _detected = order.Select(k => new KeyValuePair<string, AttributeValue>(k, merged[k])).ToList();
        var json = JsonSerializer.Serialize(order.ToDictionary(k => k, k => merged[k].ToString()));
        Log("detected resource information", $", \"resource\": {json}");
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken) =>
        context.NextTraces?.ConsumeAsync(ResourceRewrite.Spans(spans, Merge), cancellationToken) ?? ValueTask.CompletedTask;

    public ValueTask ConsumeAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        context.NextMetrics?.ConsumeAsync(ResourceRewrite.Points(points, Merge), cancellationToken) ?? ValueTask.CompletedTask;

    private TelemetryResource Merge(TelemetryResource resource) =>
        _detected.Count == 0 ? resource : ResourceRewrite.AddMissing(resource, _detected, overrideExisting);

    private IEnumerable<KeyValuePair<string, AttributeValue>> Detect(string detector) => detector switch
    {
        "env" => ResourceDetectionEnv.Parse(context.Container.Env("OTEL_RESOURCE_ATTRIBUTES")),
        "system" =>
        [
            // upstream system detector: host.name from os.Hostname() (hostname_sources [dns, os]); in a pod the kernel
            // hostname is the pod's spec.hostname or its name. os.type from runtime.GOOS.
            new("host.name", context.Container.Pod.Spec?.Hostname ?? context.Container.Pod.Metadata.Name),
            new("os.type", "linux"),
        ],

        // Off AWS: ec2 gets no answer from IMDS (169.254.169.254 is unreachable from the lab) and returns an empty
        // resource ("EC2 metadata unavailable", logged at debug level, so invisible at the default info level);
        // eks does not identify an EKS cluster ("Unable to identify EKS environment", debug). Nothing is detected.
        "ec2" or "eks" => [],
        _ => [],
    };

    // zap's console encoder as the collector writes it (info level).
    private void Log(string message, string extraFields)
    {
        var at = context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        context.Container.Log.Write($"{at}\tinfo\tinternal/resourcedetection.go:139\t{message}\t{{\"otelcol.component.id\": \"{context.Id}\", \"otelcol.component.kind\": \"processor\", \"otelcol.pipeline.id\": \"{context.Signal}\", \"otelcol.signal\": \"{context.Signal}\"{extraFields}}}");
    }
}
