using System.CommandLine;
using OtelLab.AppHost.Hosting;
using OtelLab.AppHost.Lab;
using OtelLab.Model;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Loads;
using OtelLab.Scenarios.Reporting;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>load</c>: runs a scenario's load simulations against the lab (the model <c>test</c> runs, headless), prints
/// NBomber's tables per load scenario and phase plus the pipeline's view of the same window, writes HTML, Markdown,
/// CSV and TXT reports, and exits 1 when a threshold is breached.
/// </summary>
internal static class LoadCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string?>("--scenario", "-s") { Description = "The scenario whose load: runs (default: payments-load)." };
        var output = new Option<string?>("--out", "-o") { Description = "Write the reports here (default: artifacts/<scenario>/load/)." };
        var thresholds = new Option<string[]>("--threshold", "-t") { Description = "A threshold, repeatable: 'p99 < 400ms', 'fail rate < 1%', 'RPS > 50', 'dropped == 0', 'refused == 0', 'keep-rate(error) == 100%', 'max queue < 800' (added to the scenario's).", AllowMultipleArgumentsPerToken = false };
        var load = new Option<string?>("--load") { Description = "Simulations replacing the scenario's, as a YAML list: '[{inject: {rate: 10, interval: 1s, during: 30s}}, {target: otlp, keepConstant: {copies: 4, during: 20s}}]'." };
        var duration = new Option<string?>("--duration", "-d") { Description = "How long a scenario with a single load.rate injects (lab time; default 30s)." };
        var targets = new Option<int?>("--targets") { Description = "Scrape targets for the farm (overrides the scenario's targets.count)." };
        var port = new Option<int>("--port") { Description = "Show the Aspire dashboard on 127.0.0.1:P while the load runs (its load resource logs the progress; 0 = any free ports; default -1 = headless).", DefaultValueFactory = _ => -1 };
        var findLimit = new Option<string?>("--find-limit") { Description = "Raise one target's rate in steps until a threshold breaks: trace (checkouts into the front service), otlp (raw spans into the agent) or farm (pod replacements); default the scenario's first simulation's target. Reports the sustained rate per tier and what saturated first.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("load", "Run a scenario's NBomber-style load simulations against the lab; print the stats and the pipeline's view; write HTML, Markdown, CSV and TXT reports; exit 1 on a breached threshold.")
        {
            scenario, output, thresholds, load, duration, targets, findLimit, port,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(scenario), parse.GetValue(output), parse.GetValue(thresholds) ?? [], parse.GetValue(load), parse.GetValue(duration),
            parse.GetValue(targets), parse.GetResult(findLimit) is null ? null : parse.GetValue(findLimit) ?? "", parse.GetValue(port), stdout, stderr, ct));
        return command;
    }

    private static async Task<int> RunAsync(string? name, string? output, string[] thresholdTexts, string? loadText, string? durationText, int? targets, string? findLimit, int port,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var scenario = await ScenarioSelection.ResolveAsync(name ?? "payments-load", null, stderr).ConfigureAwait(false);
        if (scenario is null)
        {
            return LabCli.ExitUsage;
        }

        if (LabAppHost.DashboardPortProblem(port) is { } portProblem)
        {
            await stderr.WriteLineAsync($"error: --port {port}: {portProblem}").ConfigureAwait(false);
            await stderr.WriteLineAsync("  fix: choose another --port (0 = any free ports, -1 = no dashboard)").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        var thresholds = new List<LoadThreshold>(scenario.Load.Thresholds);
        foreach (var text in thresholdTexts)
        {
            if (!LoadThreshold.TryParse(text, out var threshold, out var error))
            {
                await stderr.WriteLineAsync($"error: --threshold {error}").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            thresholds.Add(threshold!);
        }

        var defaultDuration = TimeSpan.FromSeconds(30);
        if (durationText is not null && !ScenarioSelection.TryParseDuration(durationText, out defaultDuration, out var durationError))
        {
            await stderr.WriteLineAsync($"error: --duration {durationText}: {durationError}; write e.g. 30s or 2m").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        var load = scenario.Load;
        if (loadText is not null)
        {
            try
            {
                load = load with { Simulations = ScenarioLoader.ParseLoadOption(loadText), RatePerSecond = 0 };
            }
            catch (ManifestException e)
            {
                await ScenarioSelection.PrintAsync(stderr, [e.ToError()]).ConfigureAwait(false);
                return LabCli.ExitUsage;
            }
        }

        // A single load.rate is one inject into the front service: the lab runs it as a simulation like any other.
        if (load.Simulations.Count == 0)
        {
            load = load with { Simulations = [.. load.Plan(defaultDuration).SelectMany(p => p.Simulations.Select(s => new TargetedSimulation(p.Target, s)))], RatePerSecond = 0 };
        }

        if (load.Simulations.Count == 0)
        {
            await stderr.WriteLineAsync($"error: scenario {scenario.Name} sends no load (load.rate is 0 and there are no load.simulations)").ConfigureAwait(false);
            await stderr.WriteLineAsync("  fix: give --load '[{inject: {rate: 10, interval: 1s, during: 30s}}]' or add load.simulations to its scenario.yaml").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        scenario = scenario with { Load = load };
        if (targets is { } count)
        {
            if (count < 0)
            {
                await stderr.WriteLineAsync($"error: --targets {count}: must be 0 or more").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            scenario = scenario with { Targets = scenario.Targets with { Count = count } };
        }

        var dir = output ?? Path.Combine("artifacts", scenario.Name, "load");
        if (findLimit is not null)
        {
            // --find-limit alone: the target the scenario loads first
            var searched = findLimit.Length == 0 ? scenario.Load.Simulations[0].Target : findLimit;
            if (LimitTarget.For(searched, scenario.Load) is not { } target)
            {
                await stderr.WriteLineAsync($"error: --find-limit {findLimit}: unknown target").ConfigureAwait(false);
                await stderr.WriteLineAsync($"  fix: name one of {string.Join(", ", LimitTarget.Names)} (or none: the scenario's first simulation's target, here {scenario.Load.Simulations[0].Target})").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            if (target.Name == TargetedSimulation.Farm && scenario.Targets.Count == 0)
            {
                await stderr.WriteLineAsync($"error: --find-limit farm: scenario {scenario.Name} has no target farm (targets.count is 0)").ConfigureAwait(false);
                await stderr.WriteLineAsync("  fix: give --targets N (e.g. --targets 200) or set targets.count in its scenario.yaml").ConfigureAwait(false);
                return LabCli.ExitUsage;
            }

            return await LimitSearchCommand.RunAsync(scenario, target, thresholds, dir, port, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        var report = await LoadLabRun.RunAsync(scenario, thresholds, stdout, stderr, cancellationToken, dashboardPort: port).ConfigureAwait(false);
        if (report is null)
        {
            return LabCli.ExitFindings;
        }

        await stdout.WriteAsync(LoadReportText.Write(report)).ConfigureAwait(false);
        var files = await LoadReportFiles.WriteAsync(report, dir, cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync($"reports: {string.Join(", ", files)}").ConfigureAwait(false);
        if (!report.Passed)
        {
            await stdout.WriteLineAsync($"FAILED: {report.Thresholds.Count(t => !t.Passed)} threshold(s) not held: {string.Join("; ", report.Thresholds.Where(t => !t.Passed).Select(t => t.Describe()["FAIL  ".Length..]))}").ConfigureAwait(false);
            return LabCli.ExitFindings;
        }

        if (report.HealthDuringLoad.Behind > 0)
        {
            await stdout.WriteLineAsync($"UNTRUSTED: no threshold breached, but the simulator fell behind its schedule in {report.HealthDuringLoad.Behind} of {report.HealthDuringLoad.Samples} samples while the load ran").ConfigureAwait(false);
            return LabCli.ExitUntrustworthy;
        }

        await stdout.WriteLineAsync(report.Thresholds.Count == 0 ? "PASSED (no thresholds)" : $"PASSED: {report.Thresholds.Count} threshold(s) held").ConfigureAwait(false);
        return 0;
    }
}
