using System.Globalization;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Comparing;

/// <summary>A titled table of a comparison, rendered alike as Markdown and as HTML.</summary>
public sealed record CompareTable(string Title, string Note, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>The measured side-by-side tables of a <see cref="CompareReport"/> (none when only lint ran).</summary>
public static class CompareTables
{
    /// <summary>How many moved targets a report names as examples.</summary>
    public const int MovedExamples = 5;

    public static IReadOnlyList<CompareTable> Of(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var tables = new List<CompareTable>();
        if (report.Checks is not null)
        {
            var rows = report.CheckRows;
            tables.Add(new CompareTable(
                "The lab's checks on each revision",
                T($"{rows.Count(r => r.Head.Outcome == r.Base?.Outcome && r.Head.Outcome != CheckOutcome.Fail)} check(s) unchanged and not failing (not listed)."),
                ["check", "base", "head", "head summary"],
                [.. rows.Where(r => r.Head.Outcome != r.Base?.Outcome || r.Head.Outcome == CheckOutcome.Fail)
                    .Select(r => (IReadOnlyList<string>)[r.Head.Id, r.Base?.Outcome.ToString() ?? "-", r.Head.Outcome.ToString(), r.Head.Summary])]));
        }

        if (report.BaseRun is not { } b || report.HeadRun is not { } h)
        {
            return tables;
        }

        if (b.Load.Count > 0 || h.Load.Count > 0)
        {
            tables.AddRange(LoadTables.Of(b, h));
        }

        var moved = report.Moved;
        var both = report.TargetsOnBoth;
        tables.Add(new CompareTable(
            "Targets moving between replicas",
            T($"{moved.Count} of {both} target(s) held on both sides moved ({(both == 0 ? 0 : moved.Count * 100.0 / both):0.#} %); {b.Assignments.Count} target(s) on the base, {h.Assignments.Count} on the head")
                + (moved.Count > MovedExamples ? T($"; the first {MovedExamples}:") : moved.Count > 0 ? ":" : "."),
            ["target", "base replica", "head replica"],
            [.. moved.Take(MovedExamples).Select(m => (IReadOnlyList<string>)[m.Target, m.From, m.To])]));

        tables.Add(new CompareTable(
            "Keep rates by class",
            "Tail sampling's decisions on the gateways, by the class the keep-rates check gives a trace (error, slow, the rest).",
            ["class", "base kept", "head kept"],
            [.. Classes(b, h).Select(c => (IReadOnlyList<string>)[c, Keep(b, c), Keep(h, c)])]));

        tables.Add(new CompareTable(
            "Spans and points per tier",
            "Each collector tier's own otelcol_receiver_accepted_* and otelcol_exporter_sent_* counters; each backend's accepted items.",
            ["tier", "spans in (base → head)", "spans out", "points in", "points out"],
            [.. Tiers(b, h).Select(t => (IReadOnlyList<string>)[
                t,
                Pair(Tier(b, t)?.ReceivedSpans, Tier(h, t)?.ReceivedSpans),
                Pair(Tier(b, t)?.SentSpans, Tier(h, t)?.SentSpans),
                Pair(Tier(b, t)?.ReceivedPoints, Tier(h, t)?.ReceivedPoints),
                Pair(Tier(b, t)?.SentPoints, Tier(h, t)?.SentPoints)]),
             .. Backends(b, h).Select(n => (IReadOnlyList<string>)[
                "backend " + n,
                Pair(Backend(b, n)?.AcceptedSpans, Backend(h, n)?.AcceptedSpans),
                "",
                Pair(Backend(b, n)?.AcceptedMetricPoints, Backend(h, n)?.AcceptedMetricPoints),
                ""])]));

        tables.Add(new CompareTable(
            "Rejections and send failures at each backend",
            T($"Rejected items and requests as each backend answered them; items the collectors' exporters dropped (send_failed + enqueue_failed; since the lab was ready: {b.SendFailedSinceReady} → {h.SendFailedSinceReady})."),
            ["backend / exporter", "rejected items (base → head)", "rejected requests", "dropped by the exporter"],
            [.. Backends(b, h).Select(n => (IReadOnlyList<string>)[
                n,
                Pair(Backend(b, n)?.RejectedItems, Backend(h, n)?.RejectedItems),
                Pair(Backend(b, n)?.RejectedRequests, Backend(h, n)?.RejectedRequests),
                ""]),
             .. Exporters(b, h).Select(e => (IReadOnlyList<string>)[
                e.Collector + " " + e.Exporter,
                "",
                "",
                Pair(Loss(b, e)?.Total, Loss(h, e)?.Total)])]));
        return tables;
    }

    private static IEnumerable<string> Classes(RunMeasurement b, RunMeasurement h) =>
        b.KeepRates.Select(k => k.Class).Union(h.KeepRates.Select(k => k.Class), StringComparer.Ordinal);

    private static string Keep(RunMeasurement run, string @class) => run.KeepRates.FirstOrDefault(k => k.Class == @class) is { } k
        ? k.Rate is { } r ? T($"{k.Kept} of {k.Traces} ({r * 100:0.0} %)") : "no traces"
        : "-";

    private static IEnumerable<string> Tiers(RunMeasurement b, RunMeasurement h) =>
        b.Tiers.Select(t => t.Tier).Union(h.Tiers.Select(t => t.Tier), StringComparer.Ordinal);

    private static TierFlow? Tier(RunMeasurement run, string tier) => run.Tiers.FirstOrDefault(t => t.Tier == tier);

    private static IEnumerable<string> Backends(RunMeasurement b, RunMeasurement h) =>
        b.Backends.Select(x => x.Backend).Union(h.Backends.Select(x => x.Backend), StringComparer.Ordinal);

    private static BackendFigures? Backend(RunMeasurement run, string name) => run.Backends.FirstOrDefault(x => x.Backend == name);

    private static IEnumerable<(string Collector, string Exporter)> Exporters(RunMeasurement b, RunMeasurement h) =>
        b.SendFailures.Concat(h.SendFailures).Select(e => (e.Collector, e.Exporter)).Distinct();

    private static ExporterLoss? Loss(RunMeasurement run, (string Collector, string Exporter) e) =>
        run.SendFailures.FirstOrDefault(x => x.Collector == e.Collector && x.Exporter == e.Exporter);

    /// <summary>"base → head (±delta)" for a figure measured on both sides ("-" where a side lacks it).</summary>
    internal static string Pair(long? before, long? after)
    {
        var text = T($"{(before is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "-")} → {(after is { } y ? y.ToString("N0", CultureInfo.InvariantCulture) : "-")}");
        return before is { } p && after is { } q && p != q ? text + T($" ({q - p:+#,0;-#,0})") : text;
    }

    private static string T(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
