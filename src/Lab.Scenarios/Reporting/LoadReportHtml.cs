using System.Globalization;
using System.Net;
using System.Text;
using OtelLab.Scenarios.Loads;

namespace OtelLab.Scenarios.Reporting;

/// <summary>
/// The load report as one self-contained HTML page (inline SVG charts over lab time, no script, no external
/// resource): requests per second and latency per load scenario, spans per second per tier, the fullest sending
/// queue, the lab's cores, then the same tables as the Markdown report.
/// </summary>
public static class LoadReportHtml
{
    public static string Write(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Enc($"Load: {report.Scenario}")).Append("</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;font-size:13px}.pass{color:#15803d}.fail{color:#b91c1c}.chart{display:block;margin:1em 0}</style></head><body>");
        html.Append("<h1>").Append(Enc($"Load: {report.Scenario}")).Append("</h1>");
        html.Append("<p>").Append(Enc(string.Create(CultureInfo.InvariantCulture, $"timeScale {report.TimeScale:0.##} (rates are per lab second), {report.WallDuration.TotalSeconds:0.0} s of wall time, started {report.StartedAt:u}."))).Append("</p><ul>");
        foreach (var note in report.Notes)
        {
            html.Append("<li>").Append(Enc(note)).Append("</li>");
        }

        html.Append("</ul>");
        if (report.Thresholds.Count > 0)
        {
            html.Append("<h2>Thresholds</h2><table><tr><th>verdict</th><th>scope</th><th>threshold</th><th>measured</th></tr>");
            foreach (var t in report.Thresholds)
            {
                html.Append("<tr><td class=\"").Append(t.Passed ? "pass\">PASS" : "fail\">FAIL").Append("</td><td>").Append(Enc(t.Scope)).Append("</td><td><code>").Append(Enc(t.Threshold.Text))
                    .Append("</code></td><td>").Append(Enc(t.Measured is { } m ? t.Threshold.Format(m) : t.Note ?? "")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<h2>Over time</h2>");
        html.Append(SvgLineChart.Render("requests per lab second", "RPS", [.. report.Scenarios.Select(s => (s.Scenario + " ok", (IReadOnlyList<(double, double)>)[.. s.Total.Timeline.Select(b => ((double)b.Second, (double)b.Ok))])),
            .. report.Scenarios.Where(s => s.Total.Fail > 0).Select(s => (s.Scenario + " fail", (IReadOnlyList<(double, double)>)[.. s.Total.Timeline.Select(b => ((double)b.Second, (double)b.Fail))]))]));
        html.Append(SvgLineChart.Render("latency per lab second (mean of the requests started in it)", "ms", [.. report.Scenarios.Select(s => (s.Scenario, (IReadOnlyList<(double, double)>)[.. s.Total.Timeline.Select(b => ((double)b.Second, b.MeanLatencyMs))]))]));
        var rates = Rates(report.Readings);
        html.Append(SvgLineChart.Render("spans received per lab second, by tier", "spans/s", [.. rates.GroupBy(r => r.Tier).Select(g => (g.Key, (IReadOnlyList<(double, double)>)[.. g.Select(r => (r.At, r.SpansIn))]))]));
        html.Append(SvgLineChart.Render("fullest sending queue", "batches", [("max queue", [.. report.Readings.Select(r => (r.At.TotalSeconds, (double)(r.Queues.Count == 0 ? 0 : r.Queues.Max(q => q.Size))))])]));
        html.Append(SvgLineChart.Render("lab process CPU", "cores", [("cores", [.. Cores(report.Readings)])]));
        html.Append(SvgLineChart.Render("CPU per component (collectors summed per tier)", "cores", [.. ComponentCores(report.Readings).GroupBy(c => c.Group).Select(g => (g.Key, (IReadOnlyList<(double, double)>)[.. g.Select(c => (c.At, c.Cores))]))]));
        html.Append("<h2>Tables</h2><pre>").Append(Enc(LoadReportText.Write(report))).Append("</pre></body></html>");
        return html.ToString();
    }

    private static IEnumerable<(string Group, double At, double Cores)> ComponentCores(IReadOnlyList<PipelineReading> readings)
    {
        static string Group(ComponentReading c) => c.Kind == ComponentReading.Collector ? c.Component[..Math.Max(0, c.Component.IndexOf('/', StringComparison.Ordinal))] : c.Component;
        for (var i = 1; i < readings.Count; i++)
        {
            var wall = (readings[i].WallTimestamp - readings[i - 1].WallTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            if (wall <= 0)
            {
                continue;
            }

            foreach (var g in readings[i].Components.GroupBy(Group))
            {
                var used = g.Sum(c => (c.Cpu - (readings[i - 1].Components.FirstOrDefault(x => x.Component == c.Component)?.Cpu ?? c.Cpu)).TotalSeconds);
                yield return (g.Key, readings[i].At.TotalSeconds, Math.Max(0, used) / wall);
            }
        }
    }

    private static IEnumerable<(string Tier, double At, double SpansIn)> Rates(IReadOnlyList<PipelineReading> readings)
    {
        for (var i = 1; i < readings.Count; i++)
        {
            var seconds = (readings[i].At - readings[i - 1].At).TotalSeconds;
            if (seconds <= 0)
            {
                continue;
            }

            foreach (var t in readings[i].Tiers)
            {
                var before = readings[i - 1].Tiers.FirstOrDefault(x => x.Tier == t.Tier);
                yield return (t.Tier, readings[i].At.TotalSeconds, (t.ReceivedSpans - (before?.ReceivedSpans ?? 0)) / seconds);
            }
        }
    }

    private static IEnumerable<(double, double)> Cores(IReadOnlyList<PipelineReading> readings)
    {
        for (var i = 1; i < readings.Count; i++)
        {
            var wall = (readings[i].WallTimestamp - readings[i - 1].WallTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            if (wall > 0)
            {
                yield return (readings[i].At.TotalSeconds, (readings[i].ProcessCpu - readings[i - 1].ProcessCpu).TotalSeconds / wall);
            }
        }
    }

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
