using System.Globalization;
using System.Net;
using System.Text;
using OtelLab.Scenarios.Reporting;

namespace OtelLab.Scenarios.Comparing;

/// <summary>
/// A <see cref="CompareReport"/> as one self-contained HTML file for people: the run report's inline CSS, an inline
/// SVG chart of each backend's rejections on both sides, the tables; no script, nothing loaded from anywhere.
/// </summary>
public static class CompareHtml
{
    public static string Write(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.Regressed ? "fail" : "pass";
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.Append(T($"<title>OTel Lab compare — {E(report.Scenario)} — {(report.Regressed ? "REGRESSION" : "NO REGRESSION")}</title>"));
        h.Append("<style>").Append(ReportHtmlWriter.Css).Append("</style></head><body>");
        h.Append(T($"<h1>Compare <code>{E(report.Scenario)}</code> <span class=\"verdict {verdict}\">{(report.Regressed ? "REGRESSION" : "NO REGRESSION")}</span></h1>"));
        h.Append(T($"<p>base <code>{E(report.Base)}</code> → head <code>{E(report.Head)}</code></p>"));
        if (report.Regressions.Count > 0)
        {
            h.Append("<ul id=\"regressions\">");
            foreach (var why in report.Regressions)
            {
                h.Append(T($"<li>{E(why)}</li>"));
            }

            h.Append("</ul>");
        }

        if (report.BaseRun is { } b && report.HeadRun is { } hd)
        {
            h.Append("<section class=\"charts\">");
            h.Append(SvgBarChart.Render("Rejected items by backend (base / head)", [.. b.Backends.SelectMany(x => new[]
            {
                (x.Backend + " base", (double)x.RejectedItems),
                (x.Backend + " head", (double)(hd.Backends.FirstOrDefault(y => y.Backend == x.Backend)?.RejectedItems ?? 0)),
            })], "#dc2626"));
            h.Append("</section>");
        }

        h.Append(T($"<h2>Lint findings</h2><p>introduced {report.Lint.Introduced.Count}, fixed {report.Lint.Fixed.Count}, unchanged {report.Lint.Unchanged.Count}</p><ul>"));
        foreach (var (label, f) in report.Lint.Introduced.Select(f => ("introduced", f)).Concat(report.Lint.Fixed.Select(f => ("fixed", f))))
        {
            h.Append(T($"<li><b>{label}</b> {E(f.Severity.ToString().ToLowerInvariant())} <code>{E(f.RuleId)}</code> {E(f.Object)} ({E(f.Location.ToString())}): {E(f.Message)}</li>"));
        }

        h.Append("</ul>");
        foreach (var table in CompareTables.Of(report))
        {
            h.Append(T($"<h2>{E(table.Title)}</h2><p>{E(table.Note)}</p>"));
            if (table.Rows.Count == 0)
            {
                continue;
            }

            h.Append("<table><tr>");
            foreach (var head in table.Header)
            {
                h.Append(T($"<th>{E(head)}</th>"));
            }

            h.Append("</tr>");
            foreach (var row in table.Rows)
            {
                h.Append("<tr>");
                foreach (var cell in row)
                {
                    h.Append(T($"<td>{E(cell)}</td>"));
                }

                h.Append("</tr>");
            }

            h.Append("</table>");
        }

        h.Append("</body></html>");
        return h.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string T(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
