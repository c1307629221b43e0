using OtelLab.Lint.Rules;
using OtelLab.Model.Crds;

namespace OtelLab.Lint.Internal;

/// <summary>
/// Instrumented workloads whose SDK exports metrics to a collector, and whether those metrics are cumulative.
/// </summary>
internal static class InstrumentedMetricSenders
{
    /// <summary>The instrumented workloads whose SDK exports to <paramref name="target"/>, and whether they send it cumulative metrics.</summary>
    public static IEnumerable<(string Sender, bool Cumulative)> Into(LintContext context, OpenTelemetryCollector target)
    {
        var manifests = context.Manifests.Typed<Instrumentation>().ToList();
        foreach (var t in InjectionTarget.From(context).Where(t => t.Instrumentation is not null))
        {
            var inst = t.Instrumentation!;
            var container = t.Workload.Template.Spec?.Containers?.FirstOrDefault()?.Env ?? [];
            var language = inst.Language(t.Language).Env;

            // upstream: operator pkg/instrumentation/sdk.go — a variable the container already defines is kept, then the
            // language block's env, then spec.env; OTEL_EXPORTER_OTLP_ENDPOINT falls back to spec.exporter.endpoint.
            string? Lookup(string name) =>
                container.FirstOrDefault(e => e.Name == name)?.Value ??
                language.FirstOrDefault(e => e.Name == name)?.Value ??
                inst.Env.FirstOrDefault(e => e.Name == name)?.Value;

            var endpoint = Lookup("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") ?? Lookup("OTEL_EXPORTER_OTLP_ENDPOINT") ?? inst.Endpoint;
            if (endpoint is null || !Reaches(endpoint, target, name => Lookup(name) is not null))
            {
                continue;
            }

            // upstream: opentelemetry-specification specification/metrics/sdk_exporters/otlp.md — the preference
            // defaults to cumulative; only DELTA makes counters and histograms delta (LowMemory keeps asynchronous
            // counters cumulative).
            // A sender with OTEL_METRICS_EXPORTER=none is known and sends no metrics.
            var preference = Lookup("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
            var cumulative = !string.Equals(preference, "delta", StringComparison.OrdinalIgnoreCase) &&
                             !string.Equals(Lookup("OTEL_METRICS_EXPORTER"), "none", StringComparison.OrdinalIgnoreCase);
            var where = manifests.FirstOrDefault(x => ReferenceEquals(x.Model, inst)).Manifest?.Location.FileAndLine ?? "?";
            yield return ($"{t.Workload.Manifest.Display} (inject-{t.Language}, Instrumentation {inst.Namespace}/{inst.Name} at {where}) " +
                          $"exports SDK metrics to {endpoint}, {(cumulative ? "cumulative" : "delta")} " +
                          $"(OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE = {preference ?? "unset, the SDK default is cumulative"})", cumulative);
        }
    }

    private static bool Reaches(string endpoint, OpenTelemetryCollector target, Func<string, bool> defined)
    {
        var match = InstrumentationEndpointVariableRule.VariablePattern().Match(endpoint);
        if (match.Success && endpoint[..match.Index].EndsWith("://", StringComparison.Ordinal))
        {
            // A node-address host reaches a DaemonSet's pod through its hostPort (or hostNetwork), and only when the
            // kubelet can expand the variable (the operator defines OTEL_NODE_IP).
            var variable = match.Groups["name"].Value;
            var expands = InstrumentationEndpointVariableRule.OperatorDefined.Contains(variable) || defined(variable);
            var port = InstrumentationEndpointVariableRule.PortOf(endpoint);
            return expands && target.Mode == CollectorMode.DaemonSet &&
                   (target.HostNetwork || target.Ports.Any(p => p.HostPort == port));
        }

        return CollectorGraph.Addresses(endpoint, target);
    }
}
