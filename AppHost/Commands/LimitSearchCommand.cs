using System.Collections.Concurrent;
using OtelLab.AppHost.Lab;
using OtelLab.Load.Simulations;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Health;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Reporting;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>load --find-limit [trace|otlp|farm]</c>: one load target (the front service's checkouts, raw OTLP spans into the
/// agent, or farm pod replacements) at a rate that doubles every step (20 s of lab time each) until a threshold
/// breaks; reports the sustained rate per tier, what saturated first with its evidence, the busiest components, the
/// CPU budget, and whether the simulator kept up while the breaking step was measured.
/// </summary>
internal static class LimitSearchCommand
{
    // Doubling 11 times takes the first rate ×1024: past what this machine's lab sustains on any target.
    private const int Steps = 12;
    private static readonly TimeSpan StepLength = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(ScenarioDefinition scenario, LimitTarget target, IReadOnlyList<LoadThreshold> thresholds, string directory, int dashboardPort, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var judged = LimitSearch.Applicable(thresholds, target);
        var plan = LimitSearch.Plan(target.FirstRate, Steps, StepLength);
        // Only the searched target runs: the other targets' load would blur which one the pipeline gave way to.
        scenario = scenario with { Load = scenario.Load with { Simulations = [.. plan.Select(s => new TargetedSimulation(target.Name, s))] } };
        var each = target.UnitsPerRequest == 1 ? target.Unit : $"requests of {target.UnitsPerRequest} {target.Unit}";
        await stdout.WriteLineAsync($"== limit search on {scenario.Name}: {target.Name} at {target.FirstRate} {each} per lab second, doubling every {StepLength.TotalSeconds:0} s of lab time (up to {Steps} steps), until one of: {string.Join("; ", judged.Select(t => t.Text))}").ConfigureAwait(false);
        var steps = new ConcurrentQueue<LimitStep>();
        var report = await LoadLabRun.RunAsync(scenario, judged, stdout, stderr, cancellationToken, (end, window, lab) =>
        {
            var stats = lab.SimulationRun!.Snapshot().First(s => s.Scenario == end.Scenario).Phases[end.Index].Stats;
            var behind = lab.Health.Latest?.State == SimulationHealthState.Behind;
            var step = LimitSearch.Judge(end.Index, (InjectSimulation)end.Simulation, target, lab.Clock.Scale, stats, window, judged, behind, end.Late);
            steps.Enqueue(step);
            stdout.WriteLine(string.Join(Environment.NewLine, LimitSearch.Conclude([step], Environment.ProcessorCount).Describe().Skip(1).Take(1).Select(l => "   " + l)));
            return step.Held;
        }, dashboardPort).ConfigureAwait(false);
        if (report is null)
        {
            return LabCli.ExitFindings;
        }

        var result = LimitSearch.Conclude([.. steps], Environment.ProcessorCount);
        report = report with { Thresholds = result.Breaking?.Thresholds ?? result.Steps.LastOrDefault()?.Thresholds ?? [], Conclusions = result.Describe() };
        await stdout.WriteAsync(LoadReportText.Write(report)).ConfigureAwait(false);
        var files = await LoadReportFiles.WriteAsync(report, directory, cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync($"reports: {string.Join(", ", files)}").ConfigureAwait(false);
        if (result.LimitIsTheLabs)
        {
            await stdout.WriteLineAsync("UNTRUSTED: the limit found is the simulator's or the load generator's on this machine, not the pipeline's (see above)").ConfigureAwait(false);
            return LabCli.ExitUntrustworthy;
        }

        await stdout.WriteLineAsync(result.Sustained is { } ok
            ? $"LIMIT: sustained {LimitSearch.F(ok.SpansPerLabSecond)} {target.Unit} per lab second ({LimitSearch.F(ok.SpansPerWallSecond)} per wall second) {target.Into}" + (result.Breaking is null ? "; nothing broke" : $"; broke at {LimitSearch.F(result.Breaking.SpansPerLabSecond)}")
            : "LIMIT: even the first step breached a threshold").ConfigureAwait(false);
        return 0;
    }
}
