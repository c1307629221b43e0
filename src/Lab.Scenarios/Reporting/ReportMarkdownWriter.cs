using System.Text;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Reporting;

/// <summary>A run as Markdown for a PR comment: verdict, checks table, findings with evidence and fix.</summary>
public static class ReportMarkdownWriter
{
    public static string Write(ScenarioRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var md = new StringBuilder();
        md.AppendLine($"# OTel Lab: scenario `{run.Scenario}` — {run.Verdict.ToUpperInvariant()}");
        md.AppendLine();
        if (run.Description.Length > 0)
        {
            md.AppendLine(run.Description);
            md.AppendLine();
        }

        md.AppendLine($"- started {run.StartedAt:u}, ran {run.Duration.TotalSeconds:0.0} s");
        md.AppendLine(run.StartupTime is { } s ? $"- lab ready in **{s.TotalSeconds:0.00} s**" : "- the lab did not come up");
        if (run.SimulationHealth is { } health)
        {
            md.AppendLine(health.Degraded
                ? $"- ⚠️ **the simulator was {Cell(health.Describe())}**: its timing verdicts are marked not trustworthy"
                : $"- simulator {Cell(health.Describe())}");
        }
        md.AppendLine();
        md.AppendLine("| check | outcome | summary |");
        md.AppendLine("|---|---|---|");
        foreach (var c in run.Checks)
        {
            md.AppendLine($"| {c.Title} (`{c.Id}`) | {Badge(c.Outcome)} | {Cell(c.Summary)} |");
        }

        if (run.Backends.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| backend | spans | metric points | logs | rejected items | rejected requests |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var b in run.Backends)
            {
                md.AppendLine($"| {b.Backend} | {b.AcceptedSpans} | {b.AcceptedMetricPoints} | {b.AcceptedLogRecords} | {b.RejectedItems} | {b.RejectedRequests} |");
            }
        }

        foreach (var c in run.Checks.Where(c => c.Transcript.Count > 0))
        {
            md.AppendLine();
            md.AppendLine($"## {c.Title} (`{c.Id}`)");
            md.AppendLine();
            md.AppendLine("```console");
            c.Transcript.ToList().ForEach(l => md.AppendLine(l.Replace("```", "` ` `", StringComparison.Ordinal)));
            md.AppendLine("```");
        }

        var findings = run.Findings.OrderByDescending(f => f.Severity).ToList();
        md.AppendLine();
        md.AppendLine($"## Findings ({findings.Count})");
        foreach (var f in findings)
        {
            md.AppendLine();
            md.AppendLine($"### {f.Severity.ToString().ToLowerInvariant()}: `{f.RuleId}` — {f.Object}");
            md.AppendLine($"`{f.Location}`: {f.Message}");
            md.AppendLine();
            foreach (var e in f.Evidence)
            {
                md.AppendLine($"- evidence: {e}");
            }

            md.AppendLine($"- why: {f.Why}");
            md.AppendLine($"- **fix:** {f.Fix}");
            if (f.MeasuredHealthy is false)
            {
                md.AppendLine("- measured while the simulator was behind its schedule");
            }
        }

        if (run.Resources.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Resources");
            md.AppendLine();
            md.AppendLine("| resource | kind | state | waits for | ready after |");
            md.AppendLine("|---|---|---|---|---:|");
            foreach (var r in run.Resources)
            {
                md.AppendLine($"| {r.Name} | {r.Kind} | {r.State}{(r.Reason is null ? "" : ": " + Cell(r.Reason))} | {string.Join(", ", r.Dependencies)} | {(r.ReadyAfter is { } t ? $"{t.TotalMilliseconds:0} ms" : "")} |");
            }
        }

        return md.ToString();
    }

    private static string Badge(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "✅ pass",
        CheckOutcome.Fail => "❌ fail",
        CheckOutcome.Untrustworthy => "⚠️ not trustworthy",
        _ => "⏭ skipped",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
