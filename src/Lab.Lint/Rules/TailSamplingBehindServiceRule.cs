using OtelLab.Lint.Internal;
using OtelLab.Model.Crds;

namespace OtelLab.Lint.Rules;

/// <summary>tail_sampling on several replicas fed through a plain Service, with no traceID routing in front.</summary>
public sealed class TailSamplingBehindServiceRule : LintRule
{
    public override string Id => "tail-sampling-split-traces";

    public override string Title => "Tail sampling on several replicas without trace-ID routing";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "tail_sampling needs every span of a trace on one instance. Behind a plain Service each agent's long-lived gRPC connection sticks to " +
        "one replica, so spans of one trace scatter and decisions are made on partial traces (contrib#4758, #27014). The fix is a " +
        "loadbalancing exporter tier routing by traceID to the headless Service (opentelemetry-collector-contrib " +
        "processor/tailsamplingprocessor/README.md, exporter/loadbalancingexporter/README.md).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            var sampling = c.Config.PipelinesOf("traces").Where(p => p.Processors.Any(r => r.Id.Type == "tail_sampling")).ToList();
            var replicas = c.Mode == CollectorMode.DaemonSet ? 2 : c.Replicas;
            if (sampling.Count == 0 || replicas <= 1 || c.Mode == CollectorMode.Sidecar)
            {
                continue;
            }

            var feeds = CollectorGraph.FeedsInto(context, c).ToList();
            var plain = feeds.Where(f => !f.RoutesByTrace && FeedsTraces(f)).ToList();
            var routed = feeds.Where(f => f.RoutesByTrace).ToList();
            if (routed.Count > 0 && plain.Count == 0)
            {
                continue;
            }

            var evidence = new List<string> { $"spec.replicas = {c.Replicas} (mode {c.Mode})" };
            evidence.AddRange(sampling.Select(p => $"pipeline {p.Id} runs tail_sampling at {p.Location.FileAndLine}"));
            evidence.AddRange(plain.Select(f => $"{f.From.Display} exports traces with {f.Exporter.Id} to the Service at {f.Exporter.Location.FileAndLine}"));
            if (routed.Count == 0)
            {
                evidence.Add("no loadbalancing exporter routes traceID to this collector");
            }

            // With no trace sender in these manifests, how its senders route is unknown: a warning, not an error.
            var unknown = plain.Count == 0 && routed.Count == 0;
            if (unknown)
            {
                evidence.Add("no collector in these manifests sends traces to it: its senders are outside them");
            }

            yield return Create(m.Display, m.LocationOf("spec", "replicas"),
                unknown
                    ? $"{m.Display} tail-samples on {c.Replicas} replicas and no sender in these manifests routes traces to it by trace ID: behind a plain Service the spans of one trace would land on different replicas"
                    : $"{m.Display} tail-samples on {c.Replicas} replicas fed through a plain Service: spans of one trace land on different replicas and are sampled inconsistently",
                $"route traces by trace ID: in the agents, replace the traces exporter with `loadbalancing: {{routing_key: traceID, protocol: {{otlp: {{tls: {{insecure: true}}}}}}, " +
                $"resolver: {{dns: {{hostname: {c.HeadlessServiceName}.{c.Namespace}.svc.cluster.local, port: 4317}}}}}}` (or run one replica)",
                evidence,
                unknown ? Severity.Warning : null);
        }
    }

    private static bool FeedsTraces(CollectorGraph.Feed feed) =>
        feed.Collector.Config.PipelinesOf("traces").Any(p => p.Exporters.Any(e => e.Id == feed.Exporter.Id));
}
