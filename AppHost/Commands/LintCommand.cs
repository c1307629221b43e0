using System.CommandLine;

namespace OtelLab.AppHost.Commands;

/// <summary><c>lint [paths…]</c>: static findings over manifests, no cluster needed.</summary>
internal static class LintCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("lint", "Check manifests for the defects that bite in production (no run needed).");
        command.SetAction((parse, ct) => RunDefaultAsync(stdout, stderr, ct));
        return command;
    }

    public static Task<int> RunDefaultAsync(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        _ = stderr;
        _ = cancellationToken;
        stdout.WriteLine("lint: not yet implemented");
        return Task.FromResult(0);
    }
}
