using OtelLab.Lint;
using Spectre.Console;

namespace OtelLab.AppHost.Output;

/// <summary>Findings for people: grouped by severity, coloured on a terminal, plain text otherwise.</summary>
internal static class FindingConsoleWriter
{
    public static void Write(TextWriter output, IReadOnlyList<Finding> findings, string subject, bool color)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;

        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        var notes = findings.Count(f => f.Severity == Severity.Note);
        console.MarkupLine($"[bold]{Markup.Escape(subject)}[/]: {findings.Count} finding(s): [red]{errors} error(s)[/], [yellow]{warnings} warning(s)[/], {notes} note(s)");

        foreach (var group in findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            console.WriteLine();
            var style = Style(group.Key);
            console.MarkupLine($"[{style} bold]{group.Key.ToString().ToUpperInvariant()}S[/]");
            foreach (var f in group)
            {
                console.MarkupLine($"[{style}]{Markup.Escape(f.RuleId)}[/]  [link]{Markup.Escape(f.Location.ToString())}[/]");
                console.MarkupLine($"  {Markup.Escape(f.Message)}");
                foreach (var e in f.Evidence)
                {
                    console.MarkupLine($"  [grey]evidence:[/] {Markup.Escape(e)}");
                }

                console.MarkupLine($"  [grey]why:[/] {Markup.Escape(f.Why)}");
                console.MarkupLine($"  [green]fix:[/] {Markup.Escape(f.Fix)}");
            }
        }
    }

    private static string Style(Severity severity) => severity switch
    {
        Severity.Error => "red",
        Severity.Warning => "yellow",
        _ => "blue",
    };
}
