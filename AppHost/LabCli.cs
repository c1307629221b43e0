using System.CommandLine;
using OtelLab.AppHost.Commands;

namespace OtelLab.AppHost;

/// <summary>The lab's command line: one verb per use (lint, allocate, backends, …). Tests drive it in-process.</summary>
public static class LabCli
{
    /// <summary>Exit code for findings at or above the fail threshold (or a failed check).</summary>
    public const int ExitFindings = 1;

    /// <summary>Exit code for unusable input (broken YAML, missing files, bad options).</summary>
    public const int ExitUsage = 2;

    /// <summary>
    /// Exit code for a run no check failed but whose timing verdicts cannot be trusted: the simulator fell behind its own
    /// schedule (the <c>simulation-health</c> check says by how much). Not 0: a CI gate must not pass on verdicts nobody
    /// can vouch for; not 1: nothing says the pipeline is wrong. Rerun with fewer targets or on a bigger machine.
    /// </summary>
    public const int ExitUntrustworthy = 3;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("OTel Lab: run OpenTelemetry Operator pipelines locally and find their defects.");
        var lint = LintCommand.Create(stdout, stderr);
        root.Add(lint);
        root.Add(BackendsCommand.Create(stdout, stderr));
        root.Add(AllocateCommand.Create(stdout, stderr));
        root.Add(SamplingCommand.Create(stdout, stderr));
        root.Add(UpCommand.Create(stdout, stderr));
        root.Add(TestCommand.Create(stdout, stderr));
        root.Add(LoadCommand.Create(stdout, stderr));
        root.Add(CompareCommand.Create(stdout, stderr));

        // The default verb brings the lab up on the bundled scenario, with up's options.
        UpCommand.SetAsDefault(root, stdout, stderr);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        // The lab handles SIGINT/SIGTERM itself (ProcessTerminationTimeout = null turns System.CommandLine's handler off):
        // that handler ends the process 2 s after the first signal, mid-shutdown, and a signal arriving while the lab
        // was already stopping crashed it with "An attempt was made to transition a task to a final state when it had
        // already completed" (seen when a wedged 9,000-target lab got SIGTERM during its --duration shutdown).
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run with --help to see the verbs and their options.").ConfigureAwait(false);
            return ExitUsage;
        }

        using var termination = new TerminationSignals(cancellationToken);
        return await parse.InvokeAsync(config, termination.Token).ConfigureAwait(false);
    }
}
