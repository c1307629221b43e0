using System.Globalization;
using System.Text;
using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Scenarios.Reporting;

/// <summary>
/// The load report as NBomber prints it to the console (and to its TXT report): per scenario a step table of request
/// count, ok/fail, RPS, latency min/mean/max/StdDev, percentiles, data transfer and status codes, then each phase, then
/// the pipeline's view of the same window and the thresholds.
/// </summary>
public static class LoadReportText
{
    public static string Write(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(Inv($"load: {report.Scenario}, timeScale {report.TimeScale:0.##} (rates are per lab second), {report.WallDuration.TotalSeconds:0.0} s of wall time, started {report.StartedAt:u}"));
        foreach (var note in report.Notes)
        {
            text.AppendLine("  " + note);
        }

        foreach (var s in report.Scenarios)
        {
            text.AppendLine();
            text.AppendLine(Inv($"scenario: {s.Scenario}, duration: {s.Total.Duration.TotalSeconds:0.0} s lab, load simulations: {string.Join(", ", s.Phases.Select(p => p.Simulation))}"));
            AppendTable(text, ["step", "all stats"], StepRows(s.Step, s.Total));
            AppendTable(text, ["phase", "simulation", "requests", "ok", "fail", "RPS", "p50 ms", "p99 ms", "spans in/s", "dropped", "refused", "max queue"],
                s.Phases.Select(p =>
                {
                    var w = report.Phases.FirstOrDefault(x => x.Scenario == s.Scenario && x.Index == p.Index)?.Window;
                    return (IReadOnlyList<string>)[
                        (p.Index + 1).ToString(CultureInfo.InvariantCulture), p.Simulation.ToString(), N(p.Stats.Count), N(p.Stats.Ok), N(p.Stats.Fail), F(p.Stats.Rps), F(p.Stats.P50Ms), F(p.Stats.P99Ms),
                        w is null ? "-" : F(w.Tiers.Sum(t => t.SpansInPerSecond)), w is null ? "-" : N(w.Dropped), w is null ? "-" : N(w.Refused), w?.MaxQueue is { } q ? N(q.Size) : "-"];
                }).ToList());
        }

        text.AppendLine();
        text.AppendLine(Inv($"pipeline over the load ({report.Pipeline.From.TotalSeconds:0.0}–{report.Pipeline.To.TotalSeconds:0.0} s lab; per lab second):"));
        AppendTable(text, ["tier", "spans in/s", "spans out/s", "points in/s", "points out/s", "refused (receiver)", "refused (processor)", "send failed", "enqueue failed"],
            report.Pipeline.Tiers.Select(t => (IReadOnlyList<string>)[t.Tier, F(t.SpansInPerSecond), F(t.SpansOutPerSecond), F(t.PointsInPerSecond), F(t.PointsOutPerSecond), N(t.ReceiverRefused), N(t.ProcessorRefused), N(t.SendFailed), N(t.EnqueueFailed)]).ToList());
        text.AppendLine(Inv($"  max queue: {(report.Pipeline.MaxQueue is { } mq ? $"{mq.Size} of {mq.Capacity} batches ({mq.Exporter})" : "no sending queue")}; dropped {report.Pipeline.Dropped}, refused {report.Pipeline.Refused}"));
        text.AppendLine("  keep rates (tail_sampling decisions in the window): " + (report.Pipeline.KeepRates.Count == 0 ? "no tail_sampling" : string.Join(", ", report.Pipeline.KeepRates.Select(k => Inv($"{k.Class} {k.Kept}/{k.Traces} ({k.Rate:P1})")))));
        text.AppendLine("  tail_sampling decision latency (mean per policy evaluation): " + (report.Pipeline.DecisionLatencyMs is { } d ? Inv($"{d:0.###} ms") : "no decision in the window"));
        text.AppendLine(Inv($"  machine: {(report.Pipeline.MachineCores is { } mc ? $"{mc:0.00}" : "?")} cores busy of {Environment.ProcessorCount} (every process, other users' included)"));
        text.AppendLine(Inv($"  lab process: {report.Pipeline.Cores:0.00} cores busy of {Environment.ProcessorCount}, working set {report.Pipeline.WorkingSetBytes / (1024.0 * 1024):0} MiB (every in-process component; the sample services run as child processes)"));
        if (report.Pipeline.Components.Count > 0)
        {
            text.AppendLine("  CPU and memory per component over the load:");
            AppendTable(text, ["component", "kind", "cores", "memory"],
                report.Pipeline.Components.Select(c => (IReadOnlyList<string>)[c.Component, c.Kind, Inv($"{c.Cores:0.000}"), c.Memory]).ToList());
            text.AppendLine("  (" + ComponentWindow.Meaning + ")");
        }

        if (report.Health is { } health)
        {
            var (behind, samples) = report.HealthDuringLoad;
            text.AppendLine("  simulator over the run (start-up included): " + health.Describe());
            text.AppendLine(Inv($"  simulator while the load ran: {behind} of {samples} samples behind") + (behind > 0 ? " — figures measured while it was behind describe the simulator, not the pipeline" : ": the figures above are the pipeline's"));
        }

        if (report.Conclusions.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("limit search:");
            foreach (var line in report.Conclusions)
            {
                text.AppendLine("  " + line);
            }
        }

        if (report.Thresholds.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("thresholds:");
            foreach (var t in report.Thresholds)
            {
                text.AppendLine("  " + t.Describe());
            }
        }

        return text.ToString();
    }

    /// <summary>NBomber's step table rows for one step.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> StepRows(string step, StepStatsSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return
        [
            ["name", step],
            ["request count", Inv($"all = {s.Count}, ok = {s.Ok}, fail = {s.Fail}, RPS = {F(s.Rps)}")],
            ["latency (ms)", Inv($"min = {F(s.MinMs)}, mean = {F(s.MeanMs)}, max = {F(s.MaxMs)}, StdDev = {F(s.StdDevMs)}")],
            ["latency percentile (ms)", Inv($"p50 = {F(s.P50Ms)}, p75 = {F(s.P75Ms)}, p95 = {F(s.P95Ms)}, p99 = {F(s.P99Ms)}")],
            ["data transfer (KB)", Inv($"min = {s.BytesMin / 1024.0:0.###}, mean = {s.BytesMean / 1024.0:0.###}, max = {s.BytesMax / 1024.0:0.###}, all = {s.BytesAll / 1024.0:0.###}")],
            ["status codes", string.Join(", ", s.StatusCodes.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} = {kv.Value}"))],
        ];
    }

    internal static string F(double v) => v.ToString(v >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    internal static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void AppendTable(StringBuilder text, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        string Line(char left, char mid, char right) => left + string.Join(mid, widths.Select(w => new string('─', w + 2))) + right;
        string Row(IReadOnlyList<string> cells) => "│" + string.Join("│", cells.Select((c, i) => " " + c.PadRight(widths[i]) + " ")) + "│";
        text.AppendLine(Line('┌', '┬', '┐'));
        text.AppendLine(Row(header));
        text.AppendLine(Line('├', '┼', '┤'));
        foreach (var row in rows)
        {
            text.AppendLine(Row(row));
        }

        text.AppendLine(Line('└', '┴', '┘'));
    }
}
