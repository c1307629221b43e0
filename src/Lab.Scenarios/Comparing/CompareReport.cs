using System.Globalization;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Comparing;

/// <summary>
/// What a change does, base against head: the lint findings it introduces and fixes and, when the lab ran on both
/// sides with the same load, the checks whose outcome changes and the measured differences (targets moving between
/// replicas, keep rates by class, items per tier, backend rejections, exporter drops, the load's requests and
/// thresholds), with the regressions that decide the verdict.
/// </summary>
public sealed record CompareReport
{
    public required string Scenario { get; init; }

    public required string Base { get; init; }

    public required string Head { get; init; }

    public required FindingsDiff Lint { get; init; }

    /// <summary>The base run's and the head run's checks; null when only lint ran.</summary>
    public (IReadOnlyList<CheckResult> Base, IReadOnlyList<CheckResult> Head)? Checks { get; init; }

    public RunMeasurement? BaseRun { get; init; }

    public RunMeasurement? HeadRun { get; init; }

    /// <summary>Each check of the head run with the base run's outcome for it.</summary>
    public IReadOnlyList<(CheckResult Head, CheckResult? Base)> CheckRows =>
        Checks is { } c ? [.. c.Head.Select(h => (h, c.Base.FirstOrDefault(b => b.Id == h.Id)))] : [];

    /// <summary>Targets assigned to one replica on the base and another on the head (both sides assigned).</summary>
    public IReadOnlyList<TargetMove> Moved => BaseRun is { } b && HeadRun is { } h
        ? [.. b.Assignments.Where(a => a.Value.Length > 0 && h.Assignments.TryGetValue(a.Key, out var to) && to.Length > 0 && to != a.Value)
            .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new TargetMove(a.Key, a.Value, h.Assignments[a.Key]))]
        : [];

    /// <summary>Targets both sides hold: the denominator of <see cref="Moved"/>.</summary>
    public int TargetsOnBoth => BaseRun is { } b && HeadRun is { } h ? b.Assignments.Keys.Count(h.Assignments.ContainsKey) : 0;

    /// <summary>Why the head regresses (empty: it does not): each a sentence with the figures behind it.</summary>
    public IReadOnlyList<string> Regressions
    {
        get
        {
            var why = new List<string>();
            if (Lint.IntroducedErrors > 0)
            {
                why.Add($"lint: introduces {Lint.IntroducedErrors} error(s) ({string.Join(", ", Lint.Introduced.Where(f => f.Severity == Severity.Error).Select(f => f.RuleId).Distinct(StringComparer.Ordinal))})");
            }

            foreach (var (head, @base) in CheckRows.Where(r => r.Head.Outcome == CheckOutcome.Fail && r.Base?.Outcome == CheckOutcome.Pass))
            {
                why.Add($"check {head.Id}: Pass on the base, Fail on the head");
            }

            if (BaseRun is not { } b || HeadRun is not { } h)
            {
                return why;
            }

            foreach (var hb in h.Backends)
            {
                var bb = b.Backends.FirstOrDefault(x => x.Backend == hb.Backend);
                var (k0, n0) = bb is null ? (0, 0) : (bb.RejectedItems, Received(bb));
                if (RateRose(k0, n0, hb.RejectedItems, Received(hb)))
                {
                    why.Add(Text($"{hb.Backend} rejections: {k0} of {n0} item(s) on the base, {hb.RejectedItems} of {Received(hb)} on the head"));
                }
            }

            var (f0, s0) = (b.SendFailedSinceReady, b.Tiers.Sum(t => t.SentSpans + t.SentPoints));
            var (f1, s1) = (h.SendFailedSinceReady, h.Tiers.Sum(t => t.SentSpans + t.SentPoints));
            if (RateRose(f0, s0 + f0, f1, s1 + f1))
            {
                why.Add(Text($"exporter drops since the lab was ready: {f0} item(s) on the base, {f1} on the head"));
            }

            foreach (var scenario in h.Load)
            {
                var (k0, n0) = LoadTables.Stats(b, scenario.Scenario) is { } bs ? (bs.Fail, bs.Count) : (0L, 0L);
                if (RateRose(k0, n0, scenario.Total.Fail, scenario.Total.Count))
                {
                    why.Add(Text($"load {scenario.Scenario}: {k0} of {n0} request(s) failed on the base, {scenario.Total.Fail} of {scenario.Total.Count} on the head"));
                }
            }

            foreach (var breached in h.Thresholds.Where(r => !r.Passed && LoadTables.Find(b, LoadTables.Key(r))?.Passed == true))
            {
                var held = LoadTables.Find(b, LoadTables.Key(breached))!;
                why.Add(Text($"load threshold {LoadTables.Label(breached)} holds on the base ({breached.Threshold.Format(held.Measured ?? 0)}), breached on the head ({(breached.Measured is { } m ? breached.Threshold.Format(m) : breached.Note)})"));
            }

            return why;
        }
    }

    public bool Regressed => Regressions.Count > 0;

    /// <summary>
    /// Whether a failure count rose beyond what chance explains. A base with none: any on the head is a rise (both runs
    /// carry the same load, so the base measured the head's rate as 0 over n items). Otherwise the head's rate must
    /// exceed the base's rate p by more than 3σ of a binomial over the head's n items, 3·sqrt(p(1−p)/n).
    /// </summary>
    public static bool RateRose(long baseCount, long baseTotal, long headCount, long headTotal)
    {
        if (headCount <= 0 || headTotal <= 0)
        {
            return false;
        }

        if (baseCount <= 0 || baseTotal <= 0)
        {
            return true;
        }

        var p = Math.Min(1, baseCount / (double)baseTotal);
        return headCount / (double)headTotal > p + (3 * Math.Sqrt(p * (1 - p) / headTotal));
    }

    private static long Received(BackendFigures b) => b.AcceptedSpans + b.AcceptedMetricPoints + b.AcceptedLogRecords + b.RejectedItems;

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A target the Target Allocator gives to another replica on the head than on the base.</summary>
public sealed record TargetMove(string Target, string From, string To);
