using System.Globalization;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Load.Traces.Pods;

/// <summary>
/// Runs <c>lab/trace-sender:*</c> in process: a hand-instrumented service (an SDK configured by its own env, no operator
/// injection) sending the emulated trace load of one service (<see cref="TraceLoad"/>) as OTLP from its pod IP to
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, typically the node agent at <c>http://$(HOST_IP):4318</c>. Its resource is
/// <c>service.name</c> only (<c>OTEL_SERVICE_NAME</c>): nothing puts k8s.* attributes on it, so the agent's
/// k8sattributes processor (connection association on the pod IP) is their only source.
/// </summary>
/// <remarks>
/// Env read, as the OTel SDK environment-variable spec names them: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (required; the
/// OTLP/HTTP exporter appends <c>/v1/traces</c>), <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c> default,
/// the spec's recommended default, or <c>grpc</c>), <c>OTEL_SERVICE_NAME</c> (default <c>unknown_service</c>, the
/// spec's fallback), <c>OTEL_BSP_SCHEDULE_DELAY</c> (ms). The lab's own knobs: <c>LAB_TRACES_PER_SECOND</c>
/// (default 1), <c>LAB_SPANS_PER_TRACE</c> (default 3), <c>LAB_ERROR_RATIO</c> and <c>LAB_SLOW_RATIO</c> (default 0).
/// Every span of a trace belongs to this service: ordinary single-service traces.
/// </remarks>
public sealed class TraceSenderContainerRuntime : IContainerRuntime
{
    /// <summary>The image of hand-instrumented sender workloads.</summary>
    public const string Image = "lab/trace-sender:1";

    private readonly InProcessContainerRuntime _images = new();

    public TraceSenderContainerRuntime() => _images.Register("lab/trace-sender:*", MainAsync);

    public bool CanRun(string image) => image is not null && _images.CanRun(image);

    public Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken) => _images.StartAsync(context, cancellationToken);

    // The app's main: bad env crashes it (message in its log, exit 2, as InProcessContainerRuntime reports a panic);
    // SIGTERM stops the load and logs what was sent.
    private static async Task<int> MainAsync(ContainerContext context, CancellationToken stop)
    {
        var options = Options(context);
        var service = options.Services[0];
        context.Log.Write($"sending {options.TracesPerSecond.ToString(CultureInfo.InvariantCulture)} trace(s)/s of {options.SpansPerTrace} span(s) as {service.Name} " +
            $"from {service.PodAddress} to {service.Endpoint} ({options.Protocol})");
        context.Readiness.Set(true);
        var report = await new TraceLoad(options).RunAsync(int.MaxValue, stop).ConfigureAwait(false);
        context.Log.Write($"stopped: {report.SpansSent}/{report.SpansGenerated} span(s) sent, {report.SpansFailed} failed, {report.SpansDropped} dropped" +
            (report.FailureReasons.Count > 0 ? " (" + string.Join(", ", report.FailureReasons.Select(kv => $"{kv.Key}: {kv.Value}")) + ")" : string.Empty));
        return 143;
    }

    /// <summary>The load the container's env asks for; throws on bad env (the app crashes at start).</summary>
    internal static TraceLoadOptions Options(ContainerContext context)
    {
        var where = $"container {context.Container.Name} of pod {context.Pod.Metadata.NamespaceProperty}/{context.Pod.Metadata.Name}";
        var endpoint = context.Env("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{where}: OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is not an http(s) URL; set it, e.g. http://$(HOST_IP):4318 with HOST_IP from fieldRef status.hostIP");
        }

        var protocol = context.Env("OTEL_EXPORTER_OTLP_PROTOCOL") switch
        {
            null or "" or "http/protobuf" => OtlpProtocol.HttpProtobuf,
            "grpc" => OtlpProtocol.Grpc,
            var other => throw new InvalidOperationException($"{where}: OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported; use http/protobuf or grpc"),
        };
        var name = context.Env("OTEL_SERVICE_NAME") is { Length: > 0 } n ? n : "unknown_service";
        return new TraceLoadOptions
        {
            Services = [new EmulatedService(name, context.PodAddress, uri)],
            Protocol = protocol,
            TracesPerSecond = Number(context, where, "LAB_TRACES_PER_SECOND", 1),
            SpansPerTrace = (int)Number(context, where, "LAB_SPANS_PER_TRACE", 3),
            ErrorRatio = Number(context, where, "LAB_ERROR_RATIO", 0),
            SlowRatio = Number(context, where, "LAB_SLOW_RATIO", 0),
            BatchTimeout = TimeSpan.FromMilliseconds(Number(context, where, "OTEL_BSP_SCHEDULE_DELAY", 200)),
            RootSpanName = "POST /" + name,
            Seed = Seed(context.Pod.Metadata.Name),
            TimeProvider = context.Time,
        };
    }

    private static double Number(ContainerContext context, string where, string name, double fallback)
    {
        var text = context.Env(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new InvalidOperationException($"{where}: {name} '{text}' is not a non-negative number");
    }

    // FNV-1a of the pod name: reproducible ids per pod, different pods different ids.
    private static int Seed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
