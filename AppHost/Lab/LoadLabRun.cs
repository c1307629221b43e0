using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.AppHost.Commands;
using OtelLab.AppHost.Hosting;
using OtelLab.Load.Simulations;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.Loads;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// One lab run of a scenario's load simulations, headless through the same app model as <c>test</c>: the lab comes up,
/// its <c>load</c> resource runs the simulations on the lab clock, progress is printed about once a second, the
/// pipeline is read at the start, at every phase end and once a wall second, and the lab stops within a bound.
/// </summary>
internal static class LoadLabRun
{
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Runs the lab with <paramref name="scenario"/>'s simulations; <paramref name="phaseEnded"/> is asked after each
    /// phase (with the pipeline window of that phase) whether to go on. Null when the lab did not come up or the
    /// input is unusable (said on stderr).
    /// </summary>
    public static async Task<LoadReport?> RunAsync(
        ScenarioDefinition scenario, IReadOnlyList<LoadThreshold> thresholds, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        Func<LoadPhaseEnd, PipelineWindow, SimLab, bool>? phaseEnded = null, int dashboardPort = -1)
    {
        string? notice = null;
        // Components' CPU is metered while a load runs (each thread switch reads the thread's CPU clock).
        OtelLab.Model.Diagnostics.ComponentCpu.Metering = true;
        if (scenario.Targets.Count > 0)
        {
            var (calibration, budget) = await ScrapeBudget.MeasureAsync(scenario, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"   scrape calibration: {calibration.Describe()}; budget {budget.Basis}").ConfigureAwait(false);
            (scenario, notice) = budget.Fit(scenario);
        }

        var readings = new ConcurrentQueue<PipelineReading>();
        var phases = new ConcurrentQueue<PhasePipeline>();
        var lastEnd = new ConcurrentDictionary<string, PipelineReading>(StringComparer.Ordinal);
        PipelineReading? first = null;
        SimLab? created = null;
        var options = LabComposition.Options(scenario) with
        {
            LoadPhaseCompleted = (end, _) =>
            {
                var lab = created!;
                var reading = PipelineReading.Of(lab, end.EndedAt);
                var from = lastEnd.TryGetValue(end.Scenario, out var previous) ? previous : first ?? reading;
                lastEnd[end.Scenario] = reading;
                var window = PipelineWindow.Between(from, reading, readings.Where(r => r.At > from.At && r.At < reading.At));
                phases.Enqueue(new PhasePipeline(end.Scenario, end.Index, window));
                return Task.FromResult(phaseEnded?.Invoke(end, window, lab) ?? true);
            },
        };

        SimLab labRun;
        try
        {
            labRun = SimLab.Create(options);
            created = labRun;
        }
        catch (ScenarioInputException e)
        {
            await ScenarioSelection.PrintAsync(stderr, e.Errors).ConfigureAwait(false);
            return null;
        }

        if (LabComposition.SampleServiceProblems(labRun) is { Count: > 0 } problems)
        {
            await stderr.WriteLineAsync($"error: the scenario's sample services cannot run on this machine ({problems.Count} problem(s)):").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            return null;
        }

        // Headless by default (a CI gate); with --port the Aspire dashboard shows the lab while the load runs, the
        // load resource's log carrying the same progress lines as the console.
        var hostOptions = new LabAppHostOptions { DashboardPort = dashboardPort };
        DistributedApplication app;
        if (dashboardPort < 0)
        {
            app = LabAppHost.CreateHeadless(labRun);
        }
        else
        {
            var builder = LabAppHost.CreateBuilder(labRun, hostOptions);
            builder.Services.AddLogging(l => l.AddFilter("Aspire", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning));
            builder.Services.AddSingleton<IHostLifetime, SignalFreeLifetime>();
            app = builder.Build();
        }

        var wedged = false;
        try
        {
            await stdout.WriteLineAsync($"== load {scenario.Name}: starting the lab (timeScale {scenario.TimeScale.ToString("0.##", CultureInfo.InvariantCulture)})").ConfigureAwait(false);
            if (notice is not null)
            {
                await stdout.WriteLineAsync("   " + notice).ConfigureAwait(false);
            }

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                if (LabAppHost.DashboardUrl(app, hostOptions) is { } url)
                {
                    await stdout.WriteLineAsync($"   Aspire dashboard {url}: the load resource's log shows the progress below").ConfigureAwait(false);
                }

                await labRun.Graph.Settled.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (labRun.StartupTime is not { } startup || labRun.SimulationRun is not { } run || labRun.SimulationCompletion is not { } completion)
                {
                    await stderr.WriteLineAsync("error: the lab did not come up, so no load ran: " + string.Join("; ", labRun.Graph.Snapshots()
                        .Where(s => s.Reason is not null && s.State != Scenarios.Resources.ResourceState.Running).Select(s => $"{s.Name} {s.State}: {s.Reason}"))).ConfigureAwait(false);
                    return null;
                }

                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"   lab ready in {startup.TotalSeconds:0.00} s; load: {run.PlannedDuration.TotalSeconds:0.#} s of lab time, about {labRun.Clock.ToWallTime(run.PlannedDuration).TotalSeconds:0.#} s of wall time")).ConfigureAwait(false);
                var started = TimeProvider.System.GetUtcNow();
                first = PipelineReading.Of(labRun, run.Elapsed);
                readings.Enqueue(first);
                using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
                var printed = 0;
                while (!completion.IsCompleted)
                {
                    await Task.WhenAny(completion, tick.WaitForNextTickAsync(cancellationToken).AsTask()).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    var reading = PipelineReading.Of(labRun, run.Elapsed);
                    readings.Enqueue(reading);
                    if (++printed % 2 == 0 || completion.IsCompleted)
                    {
                        await stdout.WriteLineAsync(Progress(run, readings, labRun)).ConfigureAwait(false);
                    }
                }

                var stats = await completion.ConfigureAwait(false);
                var last = PipelineReading.Of(labRun, run.Elapsed);
                readings.Enqueue(last);
                var pipeline = PipelineWindow.Between(first, last, readings);
                var health = labRun.Health.Summary();
                var during = labRun.Health.History().Where(h => h.At >= started).ToList();
                return new LoadReport
                {
                    Scenario = scenario.Name,
                    TimeScale = labRun.Clock.Scale,
                    StartedAt = started,
                    WallDuration = TimeProvider.System.GetUtcNow() - started,
                    Notes = labRun.LoadNotes,
                    Scenarios = stats,
                    Pipeline = pipeline,
                    Phases = [.. phases],
                    Readings = [.. readings],
                    Thresholds = LoadThresholds.Evaluate(thresholds, stats, pipeline),
                    Health = health.Samples > 0 ? health : null,
                    HealthDuringLoad = (during.Count(h => h.State == Scenarios.Health.SimulationHealthState.Behind), during.Count),
                };
            }
            finally
            {
                var stopping = StopAsync(app, labRun);
                if (await Task.WhenAny(stopping, Task.Delay(ShutdownBound, CancellationToken.None)).ConfigureAwait(false) != stopping)
                {
                    wedged = true;
                    await stdout.WriteLineAsync($"   shutdown took longer than {ShutdownBound.TotalSeconds:0} s; leaving the rest stopping").ConfigureAwait(false);
                }

                await stdout.WriteLineAsync("   shutdown: " + UpCommand.Dropped(labRun)).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!wedged)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Progress(LoadRun run, ConcurrentQueue<PipelineReading> readings, SimLab lab)
    {
        var list = readings.ToArray();
        var spans = list.Length < 2 ? 0 : Spans(list[^1]) - Spans(list[^2]);
        var seconds = list.Length < 2 ? 0 : (list[^1].At - list[^2].At).TotalSeconds;
        var rate = seconds > 0 ? spans / seconds : 0;
        var queue = list[^1].Queues.Count == 0 ? 0 : list[^1].Queues.Max(q => q.Size);
        var scenarios = string.Join(" | ", run.Snapshot().Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Scenario}: {s.Total.Ok} ok, {s.Total.Fail} fail, {s.Total.Rps:0.#} RPS, p99 {s.Total.P99Ms:0.#} ms")));
        var health = lab.Health.Latest is { } h ? (h.State == Scenarios.Health.SimulationHealthState.Behind ? "simulator BEHIND" : "simulator healthy") : "simulator: no sample yet";
        return string.Create(CultureInfo.InvariantCulture,
            $"   [{Math.Min(run.Elapsed.TotalSeconds, run.PlannedDuration.TotalSeconds):0.0}/{run.PlannedDuration.TotalSeconds:0.0} s lab] {scenarios} | pipeline {rate:0} spans/s in, max queue {queue}, in flight {run.InFlight} | {health}");
    }

    private static long Spans(PipelineReading r) => r.Tiers.Sum(t => t.ReceivedSpans);

    private static async Task StopAsync(DistributedApplication app, SimLab lab)
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await lab.DisposeAsync().ConfigureAwait(false);
    }
}
