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

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("OTel Lab: run OpenTelemetry Operator pipelines locally and find their defects.");
        var lint = LintCommand.Create(stdout, stderr);
        root.Add(lint);
        root.Add(BackendsCommand.Create(stdout, stderr));
        // Verbs from later issues register here, one line each.
        root.Add(AllocateCommand.Create(stdout, stderr));
        root.Add(SamplingCommand.Create(stdout, stderr));
        root.Add(UpCommand.Create(stdout, stderr));
        root.Add(TestCommand.Create(stdout, stderr));

        // The default verb brings the lab up on the bundled scenario (issue 7), with up's options.
        UpCommand.SetAsDefault(root, stdout, stderr);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run with --help to see the verbs and their options.").ConfigureAwait(false);
            return ExitUsage;
        }

        return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
    }
}
