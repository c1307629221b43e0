using OtelLab.Lint;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Kubectl;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Runs the scenario's <c>steps:</c> in order with the real kubectl against the run's kubeconfig (the sim lab's, or
/// the real cluster's): each command and
/// its output go to the report's transcript, and each missed expectation is a finding with the command, what it
/// printed and what was expected.
/// </summary>
public sealed class KubectlStepsCheck : IScenarioCheck
{
    /// <summary>How long one kubectl run may take (a <c>rollout status</c> waits for the rollout).</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    private const int EvidenceLines = 40;

    /// <summary>Lines of each output the transcript keeps.</summary>
    public const int TranscriptLines = 30;

    /// <summary>How often a step with <c>within:</c> is run again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly string _binaries;
    private readonly TimeProvider _time;

    /// <param name="binaries">The folder of the versioned kubectl binaries.</param>
    /// <param name="time">Wall time for <c>within:</c> (kubectl runs in wall time, whatever the lab clock's scale).</param>
    public KubectlStepsCheck(string binaries = KubectlBinary.Folder, TimeProvider? time = null)
    {
        _binaries = binaries;
        _time = time ?? TimeProvider.System;
    }

    public string Id => "kubectl-steps";

    public string Title => "kubectl steps";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Scenario.Steps.Count == 0)
        {
            return CheckResult.Skip(this, "the scenario has no steps:");
        }

        if (context.Kubeconfig is not { } kubeconfig || context.WorkDirectory is not { } work)
        {
            return CheckResult.Skip(this, "no running lab with an API server");
        }

        var scratch = Path.Combine(work, "kubectl-steps");
        Directory.CreateDirectory(scratch);
        var transcript = new List<string>();
        var findings = new List<Finding>();
        var slowest = TimeSpan.Zero;
        foreach (var step in context.Scenario.Steps)
        {
            transcript.Add("$ " + step.CommandLine);
            string binary;
            try
            {
                binary = KubectlBinary.Find(step.Version, _binaries);
            }
            catch (FileNotFoundException e)
            {
                transcript.Add(e.Message);
                findings.Add(Failed(step, e.Message, [], "install the kubectl package or change the step's kubectlVersion"));
                continue;
            }

            KubectlRun run;
            IReadOnlyList<string> misses;
            var attempts = 0;
            var started = _time.GetTimestamp();
            try
            {
                while (true)
                {
                    attempts++;
                    run = await KubectlRun.StartAsync(binary, step.Arguments, kubeconfig, scratch, StepTimeout, cancellationToken).ConfigureAwait(false);
                    misses = step.Expect.Misses(run.ExitCode, run.Stdout);
                    if (misses.Count == 0 || _time.GetElapsedTime(started) >= step.Within)
                    {
                        break;
                    }

                    // within: the guide's promise is about a pipeline in motion; ask again as a reader would.
                    await Task.Delay(RetryInterval, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TimeoutException e)
            {
                transcript.Add(e.Message);
                findings.Add(Failed(step, e.Message, [], "make the step finish sooner (e.g. --timeout for rollout status) or wait on something the lab reaches"));
                continue;
            }

            slowest = run.Elapsed > slowest ? run.Elapsed : slowest;
            transcript.AddRange(Capped(Lines(run.Stdout).ToList()));
            transcript.AddRange(Capped(Lines(run.Stderr).ToList()));
            if (run.ExitCode != 0)
            {
                transcript.Add($"(exit code {run.ExitCode})");
            }

            if (attempts > 1)
            {
                transcript.Add($"({attempts} runs over {_time.GetElapsedTime(started).TotalSeconds:0.0} s, within: {step.Within.TotalSeconds:0} s)");
            }

            if (misses.Count > 0)
            {
                var evidence = Lines(run.Stdout).Take(EvidenceLines).Select(l => "stdout: " + l)
                    .Concat(Lines(run.Stderr).Take(EvidenceLines).Select(l => "stderr: " + l)).ToList();
                findings.Add(Failed(step, string.Join("; ", misses), evidence, "read the output: fix the cluster state the step checks, or the step's expect: if the lab is right"));
            }
        }

        var failed = findings.Count;
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = failed == 0 ? CheckOutcome.Pass : CheckOutcome.Fail,
            Summary = $"{context.Scenario.Steps.Count - failed}/{context.Scenario.Steps.Count} kubectl steps met their expectations",
            Figures = [new("steps", context.Scenario.Steps.Count), new("failed", failed), new("slowest step", slowest.TotalSeconds, " s")],
            Findings = findings,
            Transcript = transcript,
        };
    }

    private static Finding Failed(KubectlStep step, string what, IReadOnlyList<string> evidence, string fix) => new()
    {
        RuleId = "kubectl-step-failed",
        Severity = Severity.Error,
        Object = step.CommandLine,
        Location = step.Location,
        Message = $"{step.CommandLine}: {what}",
        Evidence = evidence,
        Why = "the scenario says this command shows the pipeline working, as the guide's readers will run it",
        Fix = fix,
    };

    // A metrics page is hundreds of lines: the report keeps the head of each output (the finding keeps what it needs).
    private static IEnumerable<string> Capped(List<string> lines) =>
        lines.Count <= TranscriptLines ? lines : [.. lines.Take(TranscriptLines), $"… {lines.Count - TranscriptLines} more line(s)"];

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
}
