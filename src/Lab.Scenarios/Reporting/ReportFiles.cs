using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Reporting;

/// <summary>Writes a run's reports into a folder: report.json, report.md, report.html.</summary>
public static class ReportFiles
{
    public static async Task<IReadOnlyList<string>> WriteAsync(ScenarioRunResult run, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(directory);
        var files = new (string Name, string Text)[]
        {
            ("report.json", ReportJsonWriter.Write(run)),
            ("report.md", ReportMarkdownWriter.Write(run)),
            ("report.html", ReportHtmlWriter.Write(run)),
        };
        return await WriteAllAsync(directory, files, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes each (file name, text) into <paramref name="directory"/>; the paths written, in order.</summary>
    internal static async Task<IReadOnlyList<string>> WriteAllAsync(string directory, IEnumerable<(string Name, string Text)> files, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (var (name, text) in files)
        {
            var path = Path.Combine(directory, name);
            await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }

        return paths;
    }
}
