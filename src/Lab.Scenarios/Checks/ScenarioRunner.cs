using OtelLab.Backends;
using OtelLab.Lint;
using OtelLab.Model;

namespace OtelLab.Scenarios.Checks;

/// <summary>Runs checks against a lab (or manifests alone) and gathers the run's result; a crashing check is a failed check, never a crash.</summary>
public static class ScenarioRunner
{
    public static async Task<ScenarioRunResult> CheckAsync(
        CheckContext context, IEnumerable<IScenarioCheck> checks, DateTimeOffset startedAt, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(time);
        var results = new List<CheckResult>();
        context.StartDataClock();
        foreach (var check in checks)
        {
            if (check.NeedsRunningLab && context.Lab is null)
            {
                results.Add(CheckResult.Skip(check, "static run: the lab was not started"));
                continue;
            }

            results.Add(await RunOneAsync(check, context, r => Judged(r, context.Lab?.Health.Summary()), cancellationToken).ConfigureAwait(false));
        }

        return new ScenarioRunResult
        {
            Scenario = context.Scenario.Name,
            Description = context.Scenario.Description,
            StartedAt = startedAt,
            Duration = time.GetUtcNow() - startedAt,
            StartupTime = context.Lab?.StartupTime,
            Resources = context.Lab?.Graph.Snapshots() ?? [],
            Checks = results,
            Backends = context.Lab?.Backends.Select(Figures).ToList() ?? [],
            SimulationHealth = context.Lab?.Health.Summary() is { Samples: > 0 } health ? health : null,
        };
    }

    /// <summary>Runs one check and judges what it measured; a crash is a failed check with what it threw, never a crash of the run.</summary>
    internal static async Task<CheckResult> RunOneAsync(IScenarioCheck check, CheckContext context, Func<CheckResult, CheckResult> judge, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return judge(await check.RunAsync(context, cancellationToken).ConfigureAwait(false)) with { Duration = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return Crashed(check, e, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>A failed check that says what it threw.</summary>
    internal static CheckResult Crashed(IScenarioCheck check, Exception e, TimeSpan duration) => new()
    {
        Id = check.Id,
        Title = check.Title,
        Outcome = CheckOutcome.Fail,
        Summary = $"the check crashed: {e.GetType().Name}: {e.Message}",
        Duration = duration,
        Findings =
        [
            new Finding
            {
                RuleId = "check-crashed", Severity = Severity.Error, Object = $"check {check.Id}", Location = SourceLocation.None,
                Message = $"check {check.Id} crashed", Evidence = [$"{e.GetType().Name}: {e.Message}"],
                Why = "a check that cannot measure cannot vouch for the run", Fix = "report this as a lab bug with the evidence",
            },
        ],
    };

    /// <summary>
    /// A dynamic check's result as the run can vouch for it: its findings marked with whether the simulator kept its
    /// schedule up to when they were measured, and a timing verdict set aside as not trustworthy when it did not.
    /// </summary>
    internal static CheckResult Judged(CheckResult result, Health.SimulationHealthSummary? health)
    {
        if (health is not { Samples: > 0 })
        {
            // Nobody sampled the simulator's health: nothing to vouch for either way.
            return result;
        }

        var healthy = !health.Degraded;
        result = result with { Findings = [.. result.Findings.Select(f => f.MeasuredHealthy is null ? f with { MeasuredHealthy = healthy } : f)] };
        if (healthy || result.Outcome is not (CheckOutcome.Pass or CheckOutcome.Fail) || !TimingDependentChecks.Contains(result.Id))
        {
            return result;
        }

        var was = result.Outcome == CheckOutcome.Pass ? "pass" : "fail";
        return result with
        {
            Outcome = CheckOutcome.Untrustworthy,
            Summary = $"not trustworthy: the simulator was behind by {Health.SimulationHealthSummary.Format(health.BehindBy)} ({health.BehindSamples} of {health.Samples} s); measured {was}: {result.Summary}",
        };
    }

    internal static BackendFigures Figures(IMockBackend backend)
    {
        var s = backend.Captures.Summary();
        return new BackendFigures(backend.Name, s.AcceptedSpans, s.AcceptedMetricPoints, s.AcceptedLogRecords, s.RejectedItems, s.RejectedRequests);
    }
}
