using System.Net;
using System.Text;
using OtelLab.Lint;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Reporting;

/// <summary>
/// A run as one self-contained HTML file for people: inline CSS and inline SVG charts (check outcomes, findings by
/// severity, backend ingest, resource start-up), no script and nothing loaded from anywhere.
/// </summary>
public static class ReportHtmlWriter
{
    public static string Write(ScenarioRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.Append($"<title>OTel Lab — {E(run.Scenario)} — {run.Verdict.ToUpperInvariant()}</title>");
        h.Append("<style>").Append(Css).Append("</style></head><body>");
        h.Append($"<h1>Scenario <code>{E(run.Scenario)}</code> <span class=\"verdict {run.Verdict}\">{run.Verdict.ToUpperInvariant()}</span></h1>");
        if (run.Description.Length > 0)
        {
            h.Append($"<p>{E(run.Description)}</p>");
        }

        h.Append($"<p>Started {E(run.StartedAt.ToString("u", null))}, ran {run.Duration.TotalSeconds:0.0} s; ");
        h.Append(run.StartupTime is { } s ? $"lab ready in <b id=\"startup\">{s.TotalSeconds:0.00} s</b>.</p>" : "the lab did not come up.</p>");
        if (run.SimulationHealth is { } health)
        {
            h.Append(health.Degraded
                ? $"<p class=\"health degraded\" id=\"simulation-health\"><b>The simulator was {E(health.Describe())}</b>: its timing verdicts are marked not trustworthy.</p>"
                : $"<p class=\"health\" id=\"simulation-health\">Simulator {E(health.Describe())}.</p>");
        }

        h.Append("<section class=\"charts\">");
        h.Append(SvgBarChart.Render("Checks", [
            ("pass", run.Checks.Count(c => c.Outcome == CheckOutcome.Pass)),
            ("fail", run.Checks.Count(c => c.Outcome == CheckOutcome.Fail)),
            ("skipped", run.Checks.Count(c => c.Outcome == CheckOutcome.Skipped)),
            ("not trustworthy", run.Checks.Count(c => c.Outcome == CheckOutcome.Untrustworthy))], "#16a34a"));
        var findings = run.Findings.OrderByDescending(f => f.Severity).ToList();
        h.Append(SvgBarChart.Render("Findings by severity", [
            ("error", findings.Count(f => f.Severity == Severity.Error)),
            ("warning", findings.Count(f => f.Severity == Severity.Warning)),
            ("note", findings.Count(f => f.Severity == Severity.Note))], "#dc2626"));
        h.Append(SvgBarChart.Render("Spans accepted per backend", run.Backends.Select(b => (b.Backend, (double)b.AcceptedSpans)).ToList(), "#7c3aed"));
        h.Append(SvgBarChart.Render("Resource start-up", run.Resources.Where(r => r.ReadyAfter is not null)
            .Select(r => (r.Name, r.ReadyAfter!.Value.TotalMilliseconds)).ToList(), "#0891b2", " ms"));
        h.Append("</section>");

        h.Append("<h2>Checks</h2><table><tr><th>check</th><th>outcome</th><th>summary</th><th>figures</th></tr>");
        foreach (var c in run.Checks)
        {
            var figures = string.Join("<br>", c.Figures.Select(f => $"{E(f.Name)}: {f.Value:0.###}{E(f.Unit)}"));
            h.Append($"<tr class=\"{c.Outcome.ToString().ToLowerInvariant()}\"><td>{E(c.Title)}<br><code>{E(c.Id)}</code></td><td>{c.Outcome}</td><td>{E(c.Summary)}</td><td>{figures}</td></tr>");
        }

        h.Append("</table>");
        h.Append($"<h2>Findings ({findings.Count})</h2>");
        foreach (var f in findings)
        {
            h.Append($"<div class=\"finding {f.Severity.ToString().ToLowerInvariant()}\"><div><b>{f.Severity}</b> <code>{E(f.RuleId)}</code> — {E(f.Object)}</div>");
            h.Append($"<div class=\"loc\">{E(f.Location.ToString())}</div><p>{E(f.Message)}</p><ul>");
            foreach (var e in f.Evidence)
            {
                h.Append($"<li>evidence: {E(e)}</li>");
            }

            h.Append($"</ul><p class=\"why\">why: {E(f.Why)}</p><p class=\"fix\">fix: {E(f.Fix)}</p>");
            h.Append(f.MeasuredHealthy is false ? "<p class=\"loc\">measured while the simulator was behind its schedule</p></div>" : "</div>");
        }

        if (run.Resources.Count > 0)
        {
            h.Append("<h2>Resources</h2><table><tr><th>resource</th><th>kind</th><th>state</th><th>waits for</th></tr>");
            foreach (var r in run.Resources)
            {
                h.Append($"<tr><td>{E(r.Name)}</td><td>{E(r.Kind)}</td><td>{r.State}{(r.Reason is null ? "" : ": " + E(r.Reason))}</td><td>{E(string.Join(", ", r.Dependencies))}</td></tr>");
            }

            h.Append("</table>");
        }

        h.Append("</body></html>");
        return h.ToString();
    }

    internal const string Css =
        "body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}" +
        "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}" +
        "tr.fail td{background:#fef2f2}tr.pass td{background:#f0fdf4}tr.skipped td{color:#777}tr.untrustworthy td{background:#fffbeb}.health.degraded{background:#fffbeb;border-left:4px solid #d97706;padding:6px}" +
        ".verdict{padding:2px 10px;border-radius:4px;color:#fff}.verdict.pass{background:#16a34a}.verdict.fail{background:#dc2626}.verdict.untrustworthy{background:#d97706}" +
        ".charts{display:flex;flex-wrap:wrap;gap:24px}.chart{background:#fafafa;border:1px solid #eee;padding:4px}" +
        ".finding{border-left:4px solid #999;padding:4px 12px;margin:12px 0;background:#fafafa}.finding.error{border-color:#dc2626}" +
        ".finding.warning{border-color:#d97706}.loc{font-family:monospace;color:#555}.fix{color:#166534}.why{color:#444}";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
