namespace OtelLab.Model.Collector;

/// <summary>
/// Which components a collector image contains. Lists follow opentelemetry-collector-releases
/// <c>distributions/{otelcol,otelcol-k8s,otelcol-contrib}/manifest.yaml</c>; the split that matters to the lab:
/// k8sattributes, resourcedetection, tail_sampling, loadbalancing and cumulativetodelta in contrib and k8s only; datadog
/// in contrib only.
/// </summary>
public sealed class CollectorDistribution
{
    private static readonly string[] CoreReceivers = ["otlp", "prometheus", "hostmetrics", "jaeger", "kafka", "opencensus", "zipkin", "nop"];

    // upstream core manifest carries filter (distributions/otelcol/manifest.yaml): the lab does not flag it on core images.
    private static readonly string[] CoreProcessors = ["batch", "memory_limiter", "attributes", "resource", "span", "probabilistic_sampler", "filter"];

    private static readonly string[] CoreExporters = ["otlp", "otlphttp", "debug", "file", "kafka", "opencensus", "prometheus", "prometheusremotewrite", "zipkin", "nop"];

    private static readonly string[] CoreExtensions = ["health_check", "pprof", "zpages"];

    private static readonly string[] CoreConnectors = ["forward"];

    private static readonly string[] K8sReceivers =
        [.. CoreReceivers, "filelog", "fluentforward", "httpcheck", "journald", "k8s_cluster", "k8s_events", "k8sobjects", "kubeletstats", "receiver_creator"];

    private static readonly string[] K8sProcessors =
        [.. CoreProcessors, "cumulativetodelta", "deltatorate", "groupbyattrs", "groupbytrace", "k8sattributes", "metricstransform", "redaction", "remotetap", "resourcedetection", "tail_sampling", "transform"];

    private static readonly string[] K8sExporters = [.. CoreExporters, "loadbalancing"];

    private static readonly string[] K8sExtensions =
        [.. CoreExtensions, "basicauth", "bearertokenauth", "headers_setter", "http_forwarder", "oauth2client", "host_observer", "k8s_observer", "oidc", "file_storage"];

    private static readonly string[] K8sConnectors = [.. CoreConnectors, "count", "routing", "servicegraph", "spanmetrics"];

    private static readonly string[] ContribReceivers =
        [.. K8sReceivers, "awsxray", "carbon", "collectd", "datadog", "docker_stats", "elasticsearch", "googlecloudpubsub", "influxdb", "k8s_cluster", "kafkametrics", "mysql", "nginx", "postgresql", "redis", "signalfx", "splunk_hec", "sqlquery", "statsd", "syslog", "tcplog", "udplog", "windowseventlog", "simpleprometheus", "prometheus_simple"];

    private static readonly string[] ContribProcessors =
        [.. K8sProcessors, "routing", "spanmetrics", "servicegraph", "logstransform", "metricsgeneration", "schema", "sumologic", "interval", "deltatocumulative", "geoip", "logdedup"];

    private static readonly string[] ContribExporters =
        [.. K8sExporters, "datadog", "awsemf", "awsxray", "awss3", "azuremonitor", "clickhouse", "elasticsearch", "googlecloud", "influxdb", "loki", "sapm", "signalfx", "splunk_hec", "sumologic"];

    private static readonly string[] ContribExtensions =
        [.. K8sExtensions, "sigv4auth", "db_storage", "jaegerremotesampling", "opamp", "ecs_observer", "docker_observer"];

    private static readonly string[] ContribConnectors = [.. K8sConnectors, "datadog", "exceptions", "failover", "grafanacloud", "roundrobin", "signaltometrics"];

    public static CollectorDistribution Core { get; } = new("core", CoreReceivers, CoreProcessors, CoreExporters, CoreExtensions, CoreConnectors);

    public static CollectorDistribution K8s { get; } = new("k8s", K8sReceivers, K8sProcessors, K8sExporters, K8sExtensions, K8sConnectors);

    public static CollectorDistribution Contrib { get; } = new("contrib", ContribReceivers, ContribProcessors, ContribExporters, ContribExtensions, ContribConnectors);

    private readonly Dictionary<ComponentKind, HashSet<string>> _components;

    private CollectorDistribution(string name, string[] receivers, string[] processors, string[] exporters, string[] extensions, string[] connectors)
    {
        Name = name;
        _components = new()
        {
            [ComponentKind.Receiver] = [.. receivers],
            [ComponentKind.Processor] = [.. processors],
            [ComponentKind.Exporter] = [.. exporters],
            [ComponentKind.Extension] = [.. extensions],
            [ComponentKind.Connector] = [.. connectors],
        };
    }

    public string Name { get; }

    /// <summary>Whether the lab's list for this distribution is complete (core and k8s are; contrib is a subset).</summary>
    public bool IsExhaustive => Name != "contrib";

    public bool Has(ComponentKind kind, string type) => _components[kind].Contains(type);

    public IReadOnlyCollection<string> Types(ComponentKind kind) => _components[kind];

    /// <summary>The distribution of an image reference, or null for an image the lab does not recognise.</summary>
    public static CollectorDistribution? FromImage(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        var repo = image;
        var at = repo.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            repo = repo[..at];
        }

        var colon = repo.LastIndexOf(':');
        if (colon > repo.LastIndexOf('/'))
        {
            repo = repo[..colon];
        }

        var last = repo[(repo.LastIndexOf('/') + 1)..];
        return last switch
        {
            "opentelemetry-collector" or "otelcol" => Core,
            "opentelemetry-collector-contrib" or "otelcol-contrib" => Contrib,
            "opentelemetry-collector-k8s" or "otelcol-k8s" => K8s,
            _ => null,
        };
    }

    /// <summary>The image tag as a version (<c>0.105.0</c>), or null.</summary>
    public static Version? VersionOf(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        var colon = image.LastIndexOf(':');
        if (colon < 0 || colon < image.LastIndexOf('/'))
        {
            return null;
        }

        var tag = image[(colon + 1)..].TrimStart('v');
        return Version.TryParse(tag, out var v) ? v : null;
    }
}
