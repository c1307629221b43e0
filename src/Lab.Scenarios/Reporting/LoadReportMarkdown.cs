using System.Globalization;
using System.Text;
using OtelLab.Scenarios.Loads;
using static OtelLab.Scenarios.Reporting.LoadReportText;

namespace OtelLab.Scenarios.Reporting;

/// <summary>The load report as Markdown (a PR comment): NBomber's step tables, phases, the pipeline's view and the thresholds.</summary>
public static class LoadReportMarkdown
{
    public static string Write(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load: {report.Scenario} — {(report.Thresholds.Count == 0 ? "no thresholds" : report.Passed ? "thresholds passed" : "threshold breached")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"timeScale {report.TimeScale:0.##} (rates are per lab second), {report.WallDuration.TotalSeconds:0.0} s of wall time, started {report.StartedAt:u}.");
        foreach (var note in report.Notes)
        {
            md.AppendLine("- " + note);
        }

        foreach (var s in report.Scenarios)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Scenario `{s.Scenario}`");
            md.AppendLine();
            md.AppendLine("| step | all stats |");
            md.AppendLine("|---|---|");
            foreach (var row in StepRows(s.Step, s.Total))
            {
                md.AppendLine($"| {row[0]} | {Cell(row[1])} |");
            }

            md.AppendLine();
            md.AppendLine("| phase | simulation | requests | ok | fail | RPS | p50 ms | p75 ms | p95 ms | p99 ms |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var p in s.Phases)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Index + 1} | `{p.Simulation}` | {p.Stats.Count} | {p.Stats.Ok} | {p.Stats.Fail} | {F(p.Stats.Rps)} | {F(p.Stats.P50Ms)} | {F(p.Stats.P75Ms)} | {F(p.Stats.P95Ms)} | {F(p.Stats.P99Ms)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("## Pipeline (same window, per lab second)");
        md.AppendLine();
        md.AppendLine("| tier | spans in/s | spans out/s | points in/s | points out/s | refused (receiver) | refused (processor) | send failed | enqueue failed |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var t in report.Pipeline.Tiers)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Tier} | {F(t.SpansInPerSecond)} | {F(t.SpansOutPerSecond)} | {F(t.PointsInPerSecond)} | {F(t.PointsOutPerSecond)} | {t.ReceiverRefused} | {t.ProcessorRefused} | {t.SendFailed} | {t.EnqueueFailed} |");
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- max queue: {(report.Pipeline.MaxQueue is { } q ? $"{q.Size} of {q.Capacity} batches ({q.Exporter})" : "no sending queue")}; dropped {report.Pipeline.Dropped}; refused {report.Pipeline.Refused}");
        md.AppendLine("- keep rates: " + (report.Pipeline.KeepRates.Count == 0 ? "no tail_sampling" : string.Join(", ", report.Pipeline.KeepRates.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Class} {k.Kept}/{k.Traces} ({k.Rate:P1})")))));
        md.AppendLine("- tail_sampling decision latency (mean per policy evaluation): " + (report.Pipeline.DecisionLatencyMs is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d:0.###} ms") : "no decision in the window"));
        md.AppendLine(CultureInfo.InvariantCulture, $"- lab process: {report.Pipeline.Cores:0.00} cores busy of {Environment.ProcessorCount}, working set {report.Pipeline.WorkingSetBytes / (1024.0 * 1024):0} MiB");
        if (report.Pipeline.Components.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| component | kind | cores | memory |");
            md.AppendLine("|---|---|---|---|");
            foreach (var c in report.Pipeline.Components)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Component} | {c.Kind} | {c.Cores:0.000} | {c.Memory} |");
            }

            md.AppendLine();
            md.AppendLine("_" + ComponentWindow.Meaning + "_");
            md.AppendLine();
        }

        if (report.Health is { } health)
        {
            md.AppendLine("- simulator: " + health.Describe());
        }

        if (report.Conclusions.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Limit search");
            md.AppendLine();
            foreach (var line in report.Conclusions)
            {
                md.AppendLine("- " + line);
            }
        }

        if (report.Thresholds.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Thresholds");
            md.AppendLine();
            md.AppendLine("| verdict | scope | threshold | measured |");
            md.AppendLine("|---|---|---|---|");
            foreach (var t in report.Thresholds)
            {
                md.AppendLine($"| {(t.Passed ? "PASS" : "FAIL")} | {Cell(t.Scope)} | `{t.Threshold.Text}` | {Cell(t.Measured is { } m ? t.Threshold.Format(m) : t.Note ?? "")} |");
            }
        }

        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
