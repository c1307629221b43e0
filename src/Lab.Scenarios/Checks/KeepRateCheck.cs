using System.Globalization;
using OtelLab.Lint;
using OtelLab.Model;
using OtelLab.Scenarios.Checks.Internal;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Tail sampling keeps what the policies promise, by class of trace (from the lab's decision tap on the gateways'
/// tail_sampling processors, <see cref="TraceClassTally"/>): every error trace, every slow trace, and the configured
/// probabilistic share of the rest within a binomial band derived from the sample size. A class with too few traces
/// to judge is skipped, and said so; it never counts as a pass.
/// </summary>
public sealed class KeepRateCheck : IScenarioCheck
{
    /// <summary>
    /// With n traces all kept, the 95 % upper bound on the miss rate is 3/n (the "rule of three"); 30 traces bound it
    /// under 10 %, below which "kept 100 %" is not a claim worth making.
    /// </summary>
    public const int MinTracesForCertainClass = 30;

    public string Id => "keep-rates";

    public string Title => "Tail sampling keeps all errors, all slow traces and the configured share of the rest";

    public bool NeedsRunningLab => true;

    /// <summary>
    /// The normal approximation behind the 3σ band holds when n·p ≥ 10 and n·(1−p) ≥ 10: the smallest n that judges
    /// a keep rate p (1 when p is 0 or 1: then the expectation is exact).
    /// </summary>
    public static long MinTracesFor(double p) => p is <= 0 or >= 1 ? 1 : (long)Math.Ceiling(10 / Math.Min(p, 1 - p));

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var tallies = CollectorFleet.Of(lab).SelectMany(c => c.TailSampling).Select(t => t.Classes).ToList();
        if (tallies.Count == 0)
        {
            return CheckResult.Skip(this, "no tail_sampling processor runs in the lab");
        }

        var percentage = tallies.Select(t => t.BaselinePercentage).FirstOrDefault(p => p is not null);
        var needed = percentage is { } pct ? MinTracesFor(pct / 100) : 0;

        // Wait (bounded by dataWithin) until the baseline class holds enough decided traces to judge.
        var deadline = DateTimeOffset.UtcNow + context.DataWait;
        while (tallies.Sum(t => t.Traces(TraceClass.Baseline)) < needed && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        var rows = Enum.GetValues<TraceClass>()
            .Select(k => new KeepRateRow(RuntimePipelineTelemetry.ClassName(k), tallies.Sum(t => t.Traces(k)), tallies.Sum(t => t.Kept(k))))
            .ToList();
        return Judge(rows, percentage / 100, CollectorComponents.FindProcessor(context.Manifests, "tail_sampling"));
    }

    /// <summary>Judges keep rates per class: error and slow at 100 %, baseline at <paramref name="baselineRate"/> ± 3σ.</summary>
    public CheckResult Judge(IReadOnlyList<KeepRateRow> rows, double? baselineRate, (string Object, SourceLocation Location) at)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var judged = new List<string>();
        var skipped = new List<string>();
        var failures = new List<string>();
        var figures = new List<CheckFigure>();
        foreach (var row in rows)
        {
            figures.Add(new CheckFigure($"{row.Class} traces", row.Traces));
            figures.Add(new CheckFigure($"{row.Class} kept", row.Rate * 100, "%"));
            var expected = row.Class == "baseline" ? baselineRate : 1.0;
            if (expected is not { } p)
            {
                skipped.Add($"{row.Class}: no probabilistic policy configured, nothing to compare {row.Kept}/{row.Traces} with");
            }
            else if (row.Traces == 0)
            {
                skipped.Add($"{row.Class}: no traces of this class were decided (skipped, not passed)");
            }
            else if (p >= 1)
            {
                JudgeCertain(row, judged, skipped, failures);
            }
            else
            {
                JudgeBinomial(row, p, judged, skipped, failures, figures);
            }
        }

        var outcome = failures.Count > 0 ? CheckOutcome.Fail : judged.Count > 0 ? CheckOutcome.Pass : CheckOutcome.Skipped;
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = outcome,
            Summary = string.Join("; ", failures.Concat(judged).Concat(skipped)),
            Figures = figures,
            Findings = failures.Count == 0 ? [] :
            [
                new Finding
                {
                    RuleId = "keep-rate",
                    Severity = Severity.Error,
                    Object = at.Object,
                    Location = at.Location,
                    Message = "tail sampling did not keep traces as its policies promise",
                    Evidence = [.. failures, .. judged, .. skipped],
                    Why = "status_code and latency policies keep every error and slow trace, and the probabilistic policy hashes the trace id so the rest are kept at its percentage; "
                        + "a miss means the decision saw only part of the trace (spans spread over several tail-sampling replicas, or decision_wait shorter than the trace), "
                        + "and a baseline rate outside the band means other policies or partial traces bias the decision",
                    Fix = "route spans by traceID to one tail-sampling replica (a loadbalancing exporter to the gateways' headless Service), keep decision_wait above the longest trace, "
                        + "and check the policies with `dotnet run --project AppHost -- sampling --config FILE --traces FILE.json`",
                },
            ],
        };
    }

    private static void JudgeCertain(KeepRateRow row, List<string> judged, List<string> skipped, List<string> failures)
    {
        var missed = row.Traces - row.Kept;
        var bound = 3.0 / row.Traces;
        if (missed > 0)
        {
            failures.Add(Text($"{row.Class}: kept {row.Kept} of {row.Traces} ({row.Rate:P1}), {missed} not kept; expected 100 %"));
        }
        else if (row.Traces < MinTracesForCertainClass)
        {
            skipped.Add(Text($"{row.Class}: kept {row.Kept} of {row.Traces}, too few to judge (95 % upper bound on the miss rate 3/n = {bound:P1}; needs n ≥ {MinTracesForCertainClass}) — skipped, not passed"));
        }
        else
        {
            judged.Add(Text($"{row.Class}: kept {row.Kept} of {row.Traces} (100 %; 95 % upper bound on the miss rate 3/n = {bound:P1})"));
        }
    }

    private static void JudgeBinomial(KeepRateRow row, double p, List<string> judged, List<string> skipped, List<string> failures, List<CheckFigure> figures)
    {
        var needed = MinTracesFor(p);
        if (row.Traces < needed)
        {
            skipped.Add(Text($"{row.Class}: kept {row.Kept} of {row.Traces}, too few to judge a {p:P1} rate (the binomial band needs n·p ≥ 10 and n·(1−p) ≥ 10: n ≥ {needed}) — skipped, not passed"));
            return;
        }

        var tolerance = 3 * Math.Sqrt(p * (1 - p) / row.Traces);
        figures.Add(new CheckFigure($"{row.Class} tolerance (3σ)", tolerance * 100, "%"));
        var line = Text($"{row.Class}: kept {row.Kept} of {row.Traces} = {row.Rate:P2}; configured {p:P1} ± 3σ = 3·sqrt(p(1−p)/n) = 3·sqrt({p:0.###}·{1 - p:0.###}/{row.Traces}) = {tolerance:P2}");
        (Math.Abs(row.Rate - p) <= tolerance ? judged : failures).Add(line);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
