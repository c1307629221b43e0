using OtelLab.Backends;
using OtelLab.Backends.Capture;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Sim.Collector.Exporters.Datadog;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Both vendors receive spans within the scenario's <c>dataWithin</c>, from every service of the load: the end-to-end
/// proof that the pipeline delivers. Waits on the backends' capture stores (no polling), plus one datadog flush
/// interval for a vendor that lags the others (<see cref="WaitForSpansAsync"/>); with nothing received it fails with
/// that evidence, and a service of the load that never reached a vendor fails naming both.
/// </summary>
public sealed class BackendDataCheck : IScenarioCheck
{
    public string Id => "backends-receive";

    public string Title => "Dynatrace and Datadog receive spans";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Backends is not { Count: > 0 } backends)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var stores = backends.Select(b => b.Captures).ToList();
        await WaitForSpansAsync(stores, context.DataWait, DatadogExporter.TraceFlushInterval, cancellationToken).ConfigureAwait(false);

        // Then every service of the load at every vendor that receives: its spans travel in their own SDK batches.
        var services = context.Scenario.Load.RatePerSecond > 0 ? context.Scenario.Load.Services : [];
        await Task.WhenAll(stores.Where(HasSpans).Select(s => s.WaitUntilAsync(x => MissingServices(x.Summary(), services).Count == 0, context.DataWait, cancellationToken)))
            .ConfigureAwait(false);
        var summaries = backends.Select(b => b.Captures.Summary()).ToList();
        var silent = summaries.Where(s => s.AcceptedSpans == 0).ToList();
        var findings = new List<Finding>();
        if (silent.Count > 0)
        {
            findings.Add(NoData(context, backends));
        }

        var missing = summaries.Where(s => s.AcceptedSpans > 0).SelectMany(s => MissingServices(s, services).Select(m => $"{s.Backend} holds {s.AcceptedSpans} span(s), none from {m}")).ToList();
        if (missing.Count > 0)
        {
            var (obj, location, _) = VendorExporters.Find(context.Manifests);
            findings.Add(new Finding
            {
                RuleId = "service-not-received",
                Severity = Severity.Error,
                Object = obj,
                Location = location,
                Message = $"{missing.Count} service/vendor pair(s) of the load received no span",
                Evidence = missing,
                Why = "every service of the load exports through the same agents and gateways, so each must reach each vendor; one that never does is not instrumented, exports elsewhere, or is dropped on the way",
                Fix = "check the service's injection (its pod's OTEL_* env) and endpoint, and the agents' and gateways' exporters",
            });
        }

        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = findings.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = string.Join("; ", summaries.Select(s => $"{s.Backend}: {s.AcceptedSpans} spans, {s.RejectedItems} rejected")),
            Figures = [.. summaries.Select(s => new CheckFigure($"{s.Backend} spans", s.AcceptedSpans)), .. summaries.Select(s => new CheckFigure($"{s.Backend} rejected items", s.RejectedItems))],
            Findings = findings,
        };
    }

    /// <summary>
    /// Waits up to <paramref name="within"/> for spans at every store. The vendors are fed by one pipeline but not at one
    /// instant: upstream's datadog exporter buffers traces and flushes every 5 s while otlphttp sends per batch, so once
    /// one store has spans the others get <paramref name="lag"/> more before they are called silent.
    /// </summary>
    internal static async Task WaitForSpansAsync(IReadOnlyList<CaptureStore> stores, TimeSpan within, TimeSpan lag, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAll(stores.Select(s => s.WaitUntilAsync(HasSpans, within, cancellationToken))).ConfigureAwait(false);
        if (first.Any(received => received) && first.Any(received => !received))
        {
            await Task.WhenAll(stores.Select(s => s.WaitUntilAsync(HasSpans, lag, cancellationToken))).ConfigureAwait(false);
        }
    }

    private static bool HasSpans(CaptureStore store) => store.Summary().AcceptedSpans > 0;

    /// <summary>The services of the load with no span at a backend.</summary>
    internal static IReadOnlyList<string> MissingServices(CaptureSummary summary, IReadOnlyList<string> services) =>
        [.. services.Where(s => !summary.Services.TryGetValue(s, out var counts) || counts.Spans == 0)];

    /// <summary>The finding every backend-side check reports when nothing arrived: what was waited for and what each backend saw.</summary>
    internal static Finding NoData(CheckContext context, IReadOnlyList<IMockBackend> backends)
    {
        var (obj, location, exporters) = VendorExporters.Find(context.Manifests);
        return new Finding
        {
            RuleId = "no-data-received",
            Severity = Severity.Error,
            Object = obj,
            Location = location,
            Message = $"no data received: after {context.DataWithin.TotalSeconds:0.#} s " +
                      string.Join(", ", backends.Select(b => $"{b.Name} accepted {b.Captures.Summary().AcceptedSpans} spans")),
            Evidence =
            [
                .. backends.Select(b =>
                {
                    var s = b.Captures.Summary();
                    return $"{b.Name} at {b.BaseAddress}: {s.AcceptedSpans} spans, {s.AcceptedMetricPoints} metric points, {s.RejectedRequests} rejected requests, credentials seen: {b.Captures.Credentials().Count}";
                }),
                exporters.Count > 0 ? $"vendor exporters in the manifests: {string.Join(", ", exporters)}" : "no vendor exporter in the manifests",
            ],
            Why = "nothing reached the vendors: either no collector pipeline runs (no collector runtime serves the image), the exporters cannot reach or authenticate, or no load was sent",
            Fix = "check pods-ready, workload-without-pods and vault-secrets first; then the exporters' endpoints and credentials",
        };
    }
}
