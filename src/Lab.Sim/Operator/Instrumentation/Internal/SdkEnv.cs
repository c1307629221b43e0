namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Env var names the webhook writes (upstream pkg/constants/env.go and python.go).</summary>
internal static class SdkEnv
{
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string Propagators = "OTEL_PROPAGATORS";
    public const string TracesSampler = "OTEL_TRACES_SAMPLER";
    public const string TracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";
    public const string ExporterOtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string PodName = "OTEL_RESOURCE_ATTRIBUTES_POD_NAME";
    public const string PodUid = "OTEL_RESOURCE_ATTRIBUTES_POD_UID";
    public const string PodIp = "OTEL_POD_IP";
    public const string NodeName = "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME";
    public const string NodeIp = "OTEL_NODE_IP";
    public const string TracesExporter = "OTEL_TRACES_EXPORTER";
    public const string MetricsExporter = "OTEL_METRICS_EXPORTER";
    public const string LogsExporter = "OTEL_LOGS_EXPORTER";
    public const string ExporterOtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
}
