using System.Text.RegularExpressions;
using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The load's live progress: while the simulations run, the same per-scenario figures reach the console and the
/// <c>load</c> resource's log (the log the Aspire dashboard shows for that resource).
/// </summary>
[Trait("Category", "Lab")]
public sealed partial class LoadProgressLabTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Progress_reaches_the_console_and_the_load_resources_log_while_the_load_runs()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        var ct = TestContext.Current.CancellationToken;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // Given payments-load without its farm (not what this test is about) and one 40 s inject into checkout (about
        // 4 s of wall time at timeScale 10)
        var scenario = await ScenarioSelection.ResolveAsync("payments-load", null, stderr);
        Assert.NotNull(scenario);
        scenario = scenario with
        {
            Targets = scenario.Targets with { Count = 0 },
            Load = scenario.Load with { Simulations = ScenarioLoader.ParseLoadOption("[{target: trace, inject: {rate: 3, interval: 1s, during: 40s}}]"), RatePerSecond = 0 },
        };

        // When the load runs, reading the load resource's log as its only phase ends (before the lab stops)
        IReadOnlyList<string> log = [];
        var report = await LoadLabRun.RunAsync(scenario, [], stdout, stderr, ct, phaseEnded: (_, _, lab) =>
        {
            log = lab.Graph.LogOf(LabResourceNames.Load)!.Lines();
            return true;
        });

        // Then both carry progress lines written before the load ended: lab time short of the planned 40 s, requests counted
        Assert.True(report is not null, stdout.ToString() + stderr);
        var logged = log.Select(l => Progress().Match(l)).Where(m => m.Success).ToList();
        var printed = stdout.ToString().Split('\n').Select(l => Progress().Match(l)).Where(m => m.Success).ToList();
        Assert.True(logged.Any(Live), "load resource log:\n" + string.Join('\n', log));
        Assert.True(printed.Any(Live), "console:\n" + stdout);
    }

    // "[12.3/40.0 s lab] trace: 36 ok, 2 fail, 3 RPS, p99 612.3 ms", at the start of the log line or after the console's indent
    [GeneratedRegex(@"\[(?<at>[0-9.]+)/40\.0 s lab\] trace: (?<ok>\d+) ok, \d+ fail, [0-9.]+ RPS, p99 [0-9.]+ ms")]
    private static partial Regex Progress();

    private static bool Live(Match m) =>
        double.Parse(m.Groups["at"].Value, System.Globalization.CultureInfo.InvariantCulture) < 40 && long.Parse(m.Groups["ok"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0;
}
