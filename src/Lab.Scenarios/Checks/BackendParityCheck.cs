using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Fan-out parity: each service's spans reach Dynatrace and Datadog in the same numbers (the same sampled traces go
/// to both exporters), within the scenario's <c>parityTolerance</c>. Fails with "no data received" when there is nothing to compare.
/// The vendors do not receive at the same instant — upstream's datadog exporter buffers traces and flushes every 5 s
/// while otlphttp sends per batch — so the check compares the same traffic: once each backend holds at least
/// <see cref="MinimumSpans"/> spans (up to <c>dataWithin</c>; two counts that agree after the first flush say little), it
/// takes the traces either holds as the population and waits (on the capture stores, up to the delivery settle time)
/// for both to hold them before it judges.
/// </summary>
public sealed class BackendParityCheck : IScenarioCheck
{
    public string Id => "backend-parity";

    public string Title => "Dynatrace and Datadog receive the same spans";

    public bool NeedsRunningLab => true;

    /// <summary>Spans each backend must hold before their counts are compared.</summary>
    internal const long MinimumSpans = 200;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Backends.OfType<Backends.Dynatrace.DynatraceBackend>().FirstOrDefault() is not { } dt
            || context.Backends.OfType<Backends.Datadog.DatadogBackend>().FirstOrDefault() is not { } dd)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var tolerance = context.Scenario.Expectations.ParityTolerance;
        bool Enough(Backends.Capture.CaptureStore _) => dt.Captures.Summary().AcceptedSpans >= MinimumSpans && dd.Captures.Summary().AcceptedSpans >= MinimumSpans;
        await Task.WhenAny(
            dt.Captures.WaitUntilAsync(Enough, context.DataWait, cancellationToken),
            dd.Captures.WaitUntilAsync(Enough, context.DataWait, cancellationToken)).ConfigureAwait(false);
        if (!Enough(dt.Captures))
        {
            return Judge(context, () => BackendDataCheck.NoData(context, context.Backends), dt.Captures.Summary(), dd.Captures.Summary(), tolerance);
        }

        // The cut: the traces either vendor holds now. While the load runs, the vendor whose exporter flushes later is
        // always behind by what is in flight (up to one datadog flush after the gateway's batch), so totals taken at one
        // instant differ by the load's rate times that lag; the same traces, once both had time to receive them, do not.
        var cut = dt.Captures.Spans().Concat(dd.Captures.Spans()).Select(x => x.TraceId).ToHashSet();
        bool Agree(Backends.Capture.CaptureStore _) => InParity(Within(dt.Captures, cut), Within(dd.Captures, cut), tolerance);
        await Task.WhenAny(
            dt.Captures.WaitUntilAsync(Agree, context.SettleWait(TraceCompleteCheck.DeliverySettle), cancellationToken),
            dd.Captures.WaitUntilAsync(Agree, context.SettleWait(TraceCompleteCheck.DeliverySettle), cancellationToken)).ConfigureAwait(false);
        return Judge(context, () => BackendDataCheck.NoData(context, context.Backends), Within(dt.Captures, cut), Within(dd.Captures, cut), tolerance);
    }

    // A vendor's summary counting only the spans of the cut's traces.
    private static Backends.Capture.CaptureSummary Within(Backends.Capture.CaptureStore store, HashSet<UInt128> cut)
    {
        var spans = store.Spans().Where(x => cut.Contains(x.TraceId)).ToList();
        return store.Summary() with
        {
            AcceptedSpans = spans.Count,
            Services = spans.GroupBy(x => x.ServiceName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new Backends.Capture.ServiceCounts(g.LongCount(), 0, 0), StringComparer.Ordinal),
        };
    }

    private static bool InParity(Backends.Capture.CaptureSummary a, Backends.Capture.CaptureSummary b, double tolerance) =>
        a.AcceptedSpans >= MinimumSpans && b.AcceptedSpans >= MinimumSpans && PerService(a, b).All(p => p.Difference <= tolerance);

    // Each service's span counts at both vendors and how far apart they are, relative to the larger.
    private static IEnumerable<(string Service, long Dynatrace, long Datadog, double Difference)> PerService(Backends.Capture.CaptureSummary a, Backends.Capture.CaptureSummary b) =>
        a.Services.Keys.Union(b.Services.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(service =>
        {
            var x = a.Services.TryGetValue(service, out var sa) ? sa.Spans : 0;
            var y = b.Services.TryGetValue(service, out var sb) ? sb.Spans : 0;
            return (service, x, y, Math.Abs(x - y) / (double)Math.Max(1, Math.Max(x, y)));
        });

    internal CheckResult Judge(CheckContext context, Func<Finding> noData, Backends.Capture.CaptureSummary a, Backends.Capture.CaptureSummary b, double tolerance)
    {
        if (a.AcceptedSpans == 0 || b.AcceptedSpans == 0)
        {
            return new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Fail,
                Summary = $"no data received (dynatrace {a.AcceptedSpans} spans, datadog {b.AcceptedSpans} spans): nothing to compare",
                Figures = [new("dynatrace spans", a.AcceptedSpans), new("datadog spans", b.AcceptedSpans)],
                Findings = [noData()],
            };
        }

        if (a.AcceptedSpans < MinimumSpans || b.AcceptedSpans < MinimumSpans)
        {
            return CheckResult.Skip(this, $"too few spans to judge parity: dynatrace {a.AcceptedSpans}, datadog {b.AcceptedSpans} (at least {MinimumSpans} each)");
        }

        var services = PerService(a, b).ToList();
        var figures = new List<CheckFigure>();
        var evidence = new List<string>();
        foreach (var (service, x, y, diff) in services)
        {
            figures.Add(new CheckFigure($"{service} relative difference", diff));
            if (diff > tolerance)
            {
                evidence.Add($"{service}: dynatrace {x} spans, datadog {y} spans ({diff:P1} apart, tolerance {tolerance:P1})");
            }
        }

        var (obj, location, _) = Internal.VendorExporters.Find(context.Manifests);
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = evidence.Count == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"{services.Count} service(s); dynatrace {a.AcceptedSpans} spans, datadog {b.AcceptedSpans} spans",
            Figures = [new("dynatrace spans", a.AcceptedSpans), new("datadog spans", b.AcceptedSpans), .. figures],
            Findings = evidence.Count == 0 ? [] :
            [
                new Finding
                {
                    RuleId = "backend-parity",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = "the vendors received different spans for the same traffic",
                    Evidence = evidence,
                    Why = "both exporters sit on one pipeline after sampling, so they should receive the same spans; a gap is loss at one of them (rejections, queue drops, retries exhausted)",
                    Fix = "read each backend's rejections (/api/backends) and the exporters' send failures",
                },
            ],
        };
    }
}
