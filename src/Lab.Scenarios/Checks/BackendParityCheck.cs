using OtelLab.Lint;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Fan-out parity: each service's spans reach Dynatrace and Datadog in the same numbers (the same sampled traces go
/// to both exporters), within the scenario's <c>parityTolerance</c>. Fails with "no data received" when there is nothing to compare.
/// </summary>
public sealed class BackendParityCheck : IScenarioCheck
{
    public string Id => "backend-parity";

    public string Title => "Dynatrace and Datadog receive the same spans";

    public bool NeedsRunningLab => true;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { Dynatrace: { } dt, Datadog: { } dd } lab)
        {
            return Task.FromResult(CheckResult.Skip(this, "no running lab"));
        }

        var a = dt.Captures.Summary();
        var b = dd.Captures.Summary();
        if (a.AcceptedSpans == 0 || b.AcceptedSpans == 0)
        {
            return Task.FromResult(new CheckResult
            {
                Id = Id,
                Title = Title,
                Outcome = CheckOutcome.Fail,
                Summary = $"no data received (dynatrace {a.AcceptedSpans} spans, datadog {b.AcceptedSpans} spans): nothing to compare",
                Figures = [new("dynatrace spans", a.AcceptedSpans), new("datadog spans", b.AcceptedSpans)],
                Findings = [BackendDataCheck.NoData(context, lab.Backends)],
            });
        }

        var tolerance = context.Scenario.Expectations.ParityTolerance;
        var services = a.Services.Keys.Union(b.Services.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var figures = new List<CheckFigure>();
        var evidence = new List<string>();
        foreach (var service in services)
        {
            var x = a.Services.TryGetValue(service, out var sa) ? sa.Spans : 0;
            var y = b.Services.TryGetValue(service, out var sb) ? sb.Spans : 0;
            var diff = Math.Abs(x - y) / (double)Math.Max(1, Math.Max(x, y));
            figures.Add(new CheckFigure($"{service} relative difference", diff));
            if (diff > tolerance)
            {
                evidence.Add($"{service}: dynatrace {x} spans, datadog {y} spans ({diff:P1} apart, tolerance {tolerance:P1})");
            }
        }

        var (obj, location, _) = Internal.VendorExporters.Find(context.Manifests);
        return Task.FromResult(new CheckResult
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
        });
    }
}
