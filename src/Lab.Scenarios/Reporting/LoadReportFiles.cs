using OtelLab.Scenarios.Loads;

namespace OtelLab.Scenarios.Reporting;

/// <summary>Writes a load report's four files (NBomber's report formats): <c>load-report.html</c>, <c>.md</c>, <c>.csv</c>, <c>.txt</c>.</summary>
public static class LoadReportFiles
{
    public static async Task<IReadOnlyList<string>> WriteAsync(LoadReport report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var files = new (string Name, string Text)[]
        {
            ("load-report.html", LoadReportHtml.Write(report)),
            ("load-report.md", LoadReportMarkdown.Write(report)),
            ("load-report.csv", LoadReportCsv.Write(report)),
            ("load-report.txt", LoadReportText.Write(report)),
        };
        return await ReportFiles.WriteAllAsync(directory, files, cancellationToken).ConfigureAwait(false);
    }
}
