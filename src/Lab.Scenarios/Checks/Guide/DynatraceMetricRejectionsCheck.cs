using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks.Guide;

/// <summary>
/// Dynatrace accepts every metric data point it is sent. Its OTLP ingest takes delta sums only: a cumulative
/// monotonic sum (what the prometheus receiver and SDKs produce) is answered HTTP 200 with <c>partial_success</c>
/// (<c>UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM</c>), which the collector logs as a warning and counts as sent
/// (upstream: https://docs.dynatrace.com/managed/shortlink/otel-getstarted-metrics-ingest). Measured: the rejected points, by reason and metric, and the collectors' warnings.
/// </summary>
public sealed class DynatraceMetricRejectionsCheck : IScenarioCheck
{
    // The reason the Dynatrace mock gives a request over its data-point limit (Lab.Backends DynatraceOtlpEndpoints).
    internal const string TooManyDataPoints = "TOO_MANY_DATA_POINTS";

    public string Id => "dynatrace-metric-rejections";

    public string Title => "Dynatrace accepts every metric point";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        // The Prometheus tier scrapes every interval: wait (up to dataWithin) until a sum reached Dynatrace, accepted or
        // refused — the first requests may carry gauges only, and only sums tell whether the temporality is right.
        await dt.Captures.WaitUntilAsync(
                c => c.Rejections().Any(r => r.Signal == Signal.Metrics) || c.Metrics().Any(m => m.Type == CapturedMetricType.Sum),
                context.DataWait,
                cancellationToken)
            .ConfigureAwait(false);
        var rejected = dt.Captures.Rejections().Where(r => r.Signal == Signal.Metrics).ToList();
        var evidence = new MetricRejectionEvidence(
            dt.Captures.Summary().AcceptedMetricPoints,
            [.. rejected.GroupBy(r => r.Reason).Select(g => new RejectedMetrics(
                g.Key, g.LongCount(), g.Sum(r => r.ItemCount),
                [.. g.Select(r => r.ItemName).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                g.First().Detail))],
            CollectorPod.Of(lab).Sum(p => p.Log.Count(l => l.Contains("Partial success response", StringComparison.Ordinal))));
        var (obj, location) = MetricsPipeline(context.Manifests);
        return Judge(this, evidence, obj, location);
    }

    internal static CheckResult Judge(IScenarioCheck check, MetricRejectionEvidence evidence, string obj, Model.SourceLocation location)
    {
        var rejectedPoints = evidence.Rejected.Sum(r => r.Points);
        if (evidence.AcceptedPoints == 0 && rejectedPoints == 0)
        {
            return CheckResult.Skip(check, "no metric point reached Dynatrace (see backends-receive): nothing to judge");
        }

        var share = rejectedPoints / (double)(rejectedPoints + evidence.AcceptedPoints);
        var tooLarge = evidence.Rejected.Where(r => r.Reason == TooManyDataPoints).ToList();
        var cumulative = evidence.Rejected.Where(r => r.Reason != TooManyDataPoints).ToList();
        var findings = new List<Finding>();
        if (cumulative.Count > 0)
        {
            var points = cumulative.Sum(r => r.Points);
            findings.Add(new Finding
            {
                RuleId = "dynatrace-rejects-cumulative",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"Dynatrace rejected {points} of {rejectedPoints + evidence.AcceptedPoints} metric points ({points / (double)(rejectedPoints + evidence.AcceptedPoints):P1}) while the collector counted them as sent",
                Evidence =
                [
                    .. cumulative.Select(r => $"{r.Reason}: {r.Points} point(s) in {r.Responses} response(s) (HTTP 200 partial_success); metrics: " +
                        $"{string.Join(", ", r.Metrics.Take(5))}{(r.Metrics.Count > 5 ? $" and {r.Metrics.Count - 5} more" : "")}"),
                    .. cumulative.Select(r => $"backend message: {r.Message.ReplaceLineEndings(" ").Trim()}"),
                    $"collector log: {evidence.PartialSuccessWarnings} × warn \"Partial success response\" (the points count as sent; send_failed stays flat)",
                ],
                Why = "Dynatrace's OTLP metrics ingest accepts delta temporality only: a cumulative monotonic sum (Prometheus scrapes, SDK defaults) " +
                    "is rejected inside an HTTP 200 partial_success, which the exporter logs as a warning and treats as success — the points are " +
                    "silently lost (https://docs.dynatrace.com/managed/shortlink/otel-getstarted-metrics-ingest; opentelemetry-collector exporter/exporterhelper logs partial success as a warning; contrib#33673)",
                Fix = "add `cumulativetodelta: {}` to the gateway's processors and put it first in the metrics pipeline that exports to Dynatrace " +
                    "(processors: [cumulativetodelta, batch], as in scenarios/payments-fixed/manifests/12-otel-gateway.yaml)",
            });
        }

        if (tooLarge.Count > 0)
        {
            // Seen at 9,000 targets: without send_batch_max_size the batch processor sends whatever it holds once it passes
            // send_batch_size (upstream batch processor: 0 = no upper limit), so 8,192 pending + one 8,200-point request
            // from the Prometheus tier went out as one request of ~16,300 points.
            findings.Add(new Finding
            {
                RuleId = "dynatrace-request-too-large",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"Dynatrace refused {tooLarge.Sum(r => r.Responses)} metrics request(s) of more than 15,000 data points ({tooLarge.Sum(r => r.Points)} points lost)",
                Evidence = [.. tooLarge.Select(r => $"{r.Reason}: {r.Points} point(s) in {r.Responses} refused request(s); backend message: {r.Message.ReplaceLineEndings(" ").Trim()}")],
                Why = "Dynatrace takes at most 15,000 data points per metrics request (https://docs.dynatrace.com/managed/shortlink/otel-getstarted-metrics-ingest, API limits and validations); the batch processor has no upper " +
                    "bound unless send_batch_max_size is set, so a busy gateway merges requests past it and the exporter drops them as permanent errors",
                Fix = "set `send_batch_max_size` (e.g. 8192, at most 15000) next to send_batch_size on the batch processor of the metrics pipeline that exports to Dynatrace",
            });
        }

        return new CheckResult
        {
            Id = check.Id,
            Title = check.Title,
            Outcome = rejectedPoints == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"dynatrace accepted {evidence.AcceptedPoints} metric point(s) and rejected {rejectedPoints} ({share:P1})",
            Figures = [new("accepted points", evidence.AcceptedPoints), new("rejected points", rejectedPoints), new("rejected share", share),
                new("partial-success warnings", evidence.PartialSuccessWarnings)],
            Findings = findings,
        };
    }

    // The metrics pipeline that exports to Dynatrace (otlphttp): the place the fix goes.
    private static (string Object, Model.SourceLocation Location) MetricsPipeline(Model.Manifests.ManifestSet manifests)
    {
        foreach (var (manifest, collector) in manifests.Collectors)
        {
            foreach (var pipeline in collector.Config.PipelinesOf("metrics").Where(p => p.Exporters.Any(e => e.Id.Type == "otlphttp")))
            {
                return (manifest.Display, pipeline.Location);
            }
        }

        var (obj, location, _) = VendorExporters.Find(manifests);
        return (obj, location);
    }
}

/// <summary>What <see cref="DynatraceMetricRejectionsCheck"/> measured at Dynatrace and in the collectors' logs.</summary>
internal sealed record MetricRejectionEvidence(long AcceptedPoints, IReadOnlyList<RejectedMetrics> Rejected, int PartialSuccessWarnings);

/// <summary>Points Dynatrace rejected for one reason: how many responses, points, which metrics, and its message.</summary>
internal sealed record RejectedMetrics(string Reason, long Responses, long Points, IReadOnlyList<string> Metrics, string Message);
