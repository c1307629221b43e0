using System.Diagnostics;

namespace OtelLab.Sim.ArgoCd.Internal;

/// <summary>Runs the real <c>git</c> CLI against one repository (work tree or bare) and returns its output.</summary>
internal static class GitCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string repository, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // A repository under a temp folder owned by someone else must still be readable (git's safe.directory check).
        start.Environment["GIT_CONFIG_COUNT"] = "1";
        start.Environment["GIT_CONFIG_KEY_0"] = "safe.directory";
        start.Environment["GIT_CONFIG_VALUE_0"] = "*";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        return await ChildProcess.RunAsync(start, cancellationToken).ConfigureAwait(false);
    }
}
