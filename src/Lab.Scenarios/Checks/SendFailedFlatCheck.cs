using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Every collector's exporters lost nothing: <c>otelcol_exporter_send_failed_spans</c> / <c>_metric_points</c> (items
/// dropped after retries: permanent errors, retries exhausted, no endpoint) and <c>otelcol_exporter_enqueue_failed_*</c>
/// (items a full sending queue refused) are flat at zero on every collector pod (upstream: opentelemetry-collector
/// exporter/exporterhelper obsreport).
/// </summary>
public sealed class SendFailedFlatCheck : IScenarioCheck
{
    public string Id => "send-failed-flat";

    public string Title => "No collector fails to send or enqueue data";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        // Flat from the moment the lab was ready: a first install drops what arrives before the pipeline's far end
        // resolves (a long-running cluster does not), so start-up losses are evidence, not the verdict.
        var atReady = lab.ReadyCounters.ToDictionary(c => c.Pod, StringComparer.Ordinal);
        var now = CollectorFleet.Of(lab).Select(CollectorFailureCounters.Of).ToList();
        var counters = now.Select(c => c.Since(atReady.GetValueOrDefault(c.Pod))).ToList();
        var result = Judge(counters, context);
        var startup = now.Sum(c => c.Total) - counters.Sum(c => c.Total);
        return Task.FromResult(startup <= 0 ? result : result with
        {
            Summary = $"{result.Summary}; {startup} item(s) dropped while the lab was starting (before every workload was Ready) not counted: "
                + string.Join(", ", now.Zip(counters).Where(p => p.First.Total > p.Second.Total).Select(p => $"{p.First.Pod} {p.First.Total - p.Second.Total}")),
            Figures = [.. result.Figures, new("dropped during start-up (not counted)", startup)],
        });
    }

    /// <summary>Passes when every counter of every collector is zero; skips when no collector runs.</summary>
    public CheckResult Judge(IReadOnlyList<CollectorFailureCounters> collectors, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ArgumentNullException.ThrowIfNull(context);
        if (collectors.Count == 0)
        {
            return CheckResult.Skip(this, "no collector runs in the lab: nothing to read");
        }

        var figures = new List<CheckFigure>
        {
            new("send failed spans", collectors.Sum(c => c.SendFailedSpans)),
            new("send failed metric points", collectors.Sum(c => c.SendFailedMetricPoints)),
            new("enqueue failed spans", collectors.Sum(c => c.EnqueueFailedSpans)),
            new("enqueue failed metric points", collectors.Sum(c => c.EnqueueFailedMetricPoints)),
        };
        var failing = collectors.Where(c => c.Total > 0).ToList();
        var findings = failing.GroupBy(c => c.Collector, StringComparer.Ordinal).Select(g =>
        {
            var (obj, location) = CollectorComponents.FindCollector(context.Manifests, g.Key);
            return new Finding
            {
                RuleId = "send-failed",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"collector {g.Key} dropped data at its exporters",
                Evidence = [.. g.Select(Describe)],
                Why = "send_failed counts items dropped after the retries (a permanent error such as 400/401/500, retries exhausted, or no endpoint to route to); "
                    + "enqueue_failed counts items a full sending queue refused: both are data lost for good",
                Fix = "read the pod's log for \"Exporting failed. Dropping data.\" and the backends' rejections (/api/backends); fix the endpoint or credentials, "
                    + "or size sending_queue / scale the tier for the load",
            };
        }).ToList();
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = failing.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = failing.Count == 0
                ? $"all {collectors.Count} collector pod(s) at zero: send_failed_spans, send_failed_metric_points, enqueue_failed_spans, enqueue_failed_metric_points"
                : string.Join("; ", failing.Select(Describe)),
            Figures = figures,
            Findings = findings,
        };
    }

    private static string Describe(CollectorFailureCounters c) =>
        $"{c.Pod}: send_failed_spans {c.SendFailedSpans}, send_failed_metric_points {c.SendFailedMetricPoints}, enqueue_failed_spans {c.EnqueueFailedSpans}, enqueue_failed_metric_points {c.EnqueueFailedMetricPoints}";
}
