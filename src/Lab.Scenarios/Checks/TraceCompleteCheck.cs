using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Issue 6: one request into the front service yields one trace with correctly parented spans from every service of
/// the scenario's load (checkout → payments → ledger), enriched with the four Kubernetes attributes, at BOTH
/// backends. Judged over the traces the backends hold: every stored trace was kept by tail sampling, and error
/// traces (kept by the keep-all-errors policy whatever the baseline rate) are exhibited first. Waits up to
/// <c>dataWithin</c> for a complete one.
/// </summary>
public sealed class TraceCompleteCheck : IScenarioCheck
{
    /// <summary>The enrichment issue 5 asks of every span (k8sattributes on the agent tier).</summary>
    internal static readonly IReadOnlyList<string> Enrichment = ["k8s.namespace.name", "k8s.pod.name", "k8s.deployment.name", "k8s.node.name"];

    public string Id => "trace-complete";

    public string Title => "One request, one whole trace at both backends";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt, Datadog: { } dd } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var services = context.Scenario.Load.Services;
        if (services.Count == 0 || context.Scenario.Load.RatePerSecond <= 0)
        {
            return CheckResult.Skip(this, "the scenario's load names no services (or sends nothing): no request to follow");
        }

        var wait = context.DataWait;
        var verdict = await WaitForCompleteAsync(dt.Captures, dd.Captures, services, wait, cancellationToken).ConfigureAwait(false);
        var figures = new List<CheckFigure>
        {
            new($"{dt.Name} traces", verdict.Traces),
            new($"traces with a {services[0]} span", verdict.Candidates),
            new("complete at both backends", verdict.Complete.Count),
        };
        if (verdict.Complete.Count > 0)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Pass,
                Summary = $"{verdict.Complete.Count}/{verdict.Candidates} trace(s) whole at both backends, e.g. {verdict.Complete[0]}: {string.Join(" | ", verdict.Exhibit.Select(l => l.Trim()))}",
                Figures = figures,
            };
        }

        var (obj, location, _) = VendorExporters.Find(context.Manifests);
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Fail,
            Summary = verdict.Candidates == 0
                ? $"no trace with a {services[0]} span at {dt.Name} after {wait.TotalSeconds:0.#} s"
                : $"none of {verdict.Candidates} trace(s) is whole at both backends",
            Figures = figures,
            Findings =
            [
                new Finding
                {
                    RuleId = "trace-incomplete",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = $"no request into {services[0]} became one whole trace across {string.Join(" → ", services)} at both backends",
                    Evidence = verdict.Problems.Count > 0 ? verdict.Problems : [$"{dt.Name} holds {verdict.Traces} trace(s), none with a {services[0]} span"],
                    Why = "a trace breaks when a hop does not propagate traceparent (agent not injected, wrong propagators), when spans of one trace reach different gateways (sampled apart), or when enrichment misses spans from an unknown connection IP",
                    Fix = "check injection (the pods' env), the gateway's traceID load balancing, and k8sattributes on the agent tier",
                },
            ],
        };
    }

    private static async Task<TraceCompleteness.Verdict> WaitForCompleteAsync(CaptureStore first, CaptureStore second, IReadOnlyList<string> services, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var (a, b) = (first.Summary().AcceptedSpans, second.Summary().AcceptedSpans);
            var verdict = TraceCompleteness.Judge(first.Spans(), second.Spans(), services, Enrichment);
            var left = deadline - DateTime.UtcNow;
            if (verdict.Complete.Count > 0 || left <= TimeSpan.Zero)
            {
                return verdict;
            }

            // Wait for either store to change (Datadog's exporter flushes on its own schedule), then judge again.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waits = new[]
            {
                first.WaitUntilAsync(s => s.Summary().AcceptedSpans != a, left, either.Token),
                second.WaitUntilAsync(s => s.Summary().AcceptedSpans != b, left, either.Token),
            };
            await Task.WhenAny(waits).ConfigureAwait(false);
            await either.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(waits).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the other store's wait, ended because one changed
            }
        }
    }
}
