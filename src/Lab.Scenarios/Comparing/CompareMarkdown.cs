using System.Globalization;
using System.Text;
using OtelLab.Lint;

namespace OtelLab.Scenarios.Comparing;

/// <summary>A <see cref="CompareReport"/> as Markdown for a pull-request comment.</summary>
public static class CompareMarkdown
{
    public static string Write(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var regressions = report.Regressions;
        var lint = report.Lint;
        md.AppendLine(T($"## otel-lab compare: {report.Scenario}"));
        md.AppendLine();
        md.AppendLine(regressions.Count > 0
            ? T($"**Blocks: {regressions.Count} regression(s){(lint.IntroducedErrors > 0 ? T($", introduces {lint.IntroducedErrors} error(s)") : "")}** — base {report.Base} → head {report.Head}")
            : T($"**No regression** — base {report.Base} → head {report.Head}"));
        foreach (var why in regressions)
        {
            md.AppendLine(T($"- {why}"));
        }

        md.AppendLine();
        md.AppendLine("| lint findings | errors | warnings | notes |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (label, list) in new[] { ("introduced", lint.Introduced), ("fixed", lint.Fixed), ("unchanged", lint.Unchanged) })
        {
            md.AppendLine(T($"| {label} | {list.Count(f => f.Severity == Severity.Error)} | {list.Count(f => f.Severity == Severity.Warning)} | {list.Count(f => f.Severity == Severity.Note)} |"));
        }

        foreach (var (label, list) in new[] { ("Introduced", lint.Introduced), ("Fixed", lint.Fixed) })
        {
            md.AppendLine();
            md.AppendLine(T($"### {label} ({list.Count})"));
            foreach (var f in list)
            {
                md.AppendLine(T($"- **{f.Severity.ToString().ToLowerInvariant()} `{f.RuleId}`** {f.Object} ({f.Location}): {f.Message}"));
                foreach (var e in f.Evidence)
                {
                    md.AppendLine(T($"  - evidence: {e}"));
                }

                if (label == "Introduced")
                {
                    md.AppendLine(T($"  - why: {f.Why}"));
                    md.AppendLine(T($"  - fix: {f.Fix}"));
                }
            }
        }

        md.AppendLine();
        md.AppendLine(T($"Unchanged: {string.Join(", ", lint.Unchanged.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).DefaultIfEmpty("none"))}.")
            + (report.Checks is null ? " Lint rules only (--lint-only): the lab did not run." : ""));
        foreach (var table in CompareTables.Of(report))
        {
            md.AppendLine();
            md.AppendLine(T($"### {table.Title}"));
            md.AppendLine();
            if (table.Rows.Count > 0)
            {
                md.AppendLine("| " + string.Join(" | ", table.Header) + " |");
                md.AppendLine("|" + string.Concat(table.Header.Select(_ => "---|")));
                foreach (var row in table.Rows)
                {
                    md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
                }

                md.AppendLine();
            }

            md.AppendLine(table.Note);
            if (table.Title == "The lab's checks on each revision")
            {
                foreach (var (head, @base) in report.CheckRows)
                {
                    foreach (var f in FindingsDiff.Of(@base?.Findings ?? [], head.Findings).Introduced)
                    {
                        md.AppendLine(T($"- **{head.Id}** introduced {f.Severity.ToString().ToLowerInvariant()} `{f.RuleId}` {f.Object}: {f.Message}"));
                        foreach (var e in f.Evidence.Take(3))
                        {
                            md.AppendLine(T($"  - evidence: {e}"));
                        }
                    }
                }
            }
        }

        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string T(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
