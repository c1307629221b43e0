using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Health;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// Runs the lab's <see cref="SimulationHealthMonitor"/> (once a wall second, for the whole life of the host) and its
/// <see cref="TimeScaleController"/>, and shows both as the <c>simulation-health</c> resource.
/// </summary>
internal static class SimulationHealthResourceBuilderExtensions
{
    public const string ResourceName = "simulation-health";

    public static IResourceBuilder<SimulationHealthResource> AddSimulationHealth(this IDistributedApplicationBuilder builder, SimLab lab, bool forcedTimeScale)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(lab);
        var transient = new StartupTransient(
            () => lab.StartupTime is not null,
            () => lab.Scenario.Targets.Count == 0 || lab.FirstScrapeRound.IsCompleted,
            lab.Clock);
        var controller = new TimeScaleController(lab.Clock, lab.Health, forcedTimeScale, transient.IsOver);
        builder.Services.AddSingleton(controller);
        return builder.AddResource(new SimulationHealthResource(ResourceName))
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "SimulationHealth",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, forcedTimeScale ? "timeScale forced" : "adaptive timeScale")],
            })
            .OnInitializeResource(async (resource, e, initializing) =>
            {
                await Task.Yield();
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                controller.Said += line => e.Logger.LogWarning("{Line}", line);
                void Publish(HealthSample s) => _ = e.Notifications.PublishUpdateAsync(resource, snapshot => snapshot with
                {
                    State = s.State == SimulationHealthState.Healthy
                        ? new("Healthy", KnownResourceStateStyles.Success)
                        : new("Behind", KnownResourceStateStyles.Warn),
                    Properties = [.. snapshot.Properties.Where(p => !p.Name.StartsWith("health.", StringComparison.Ordinal)), .. Figures(s, lab)],
                });
                lab.Health.Sampled += Publish;
                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = new("Healthy", KnownResourceStateStyles.Success), StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
                await lab.Health.RunAsync(stopping).ConfigureAwait(false);
                lab.Health.Sampled -= Publish;
                controller.Dispose();
                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Finished, StopTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            });
    }

    private static IEnumerable<ResourcePropertySnapshot> Figures(HealthSample s, SimLab lab)
    {
        var inv = CultureInfo.InvariantCulture;
        var summary = lab.Health.Summary();
        yield return Figure("health.verdict", "Run", summary.Describe());
        yield return Figure("health.timeScale", "timeScale", s.Scale.ToString("0.##", inv));
        yield return Figure("health.timerLateness", "Timer lateness (max, mean)", $"{SimulationHealthSummary.Format(s.TimerLatenessMax)}, {SimulationHealthSummary.Format(s.TimerLatenessMean)} over {s.TimersFired:N0} timers");
        yield return Figure("health.scrapeSlotWait", "Scrape slot wait (mean, max)", $"{SimulationHealthSummary.Format(s.ScrapeSlotWaitMean)}, {SimulationHealthSummary.Format(s.ScrapeSlotWaitMax)} over {s.ScrapeSlotWaits:N0} scrapes");
        yield return Figure("health.exportQueueWait", "Export queue wait (mean, max)", $"{SimulationHealthSummary.Format(s.ExportQueueWaitMean)}, {SimulationHealthSummary.Format(s.ExportQueueWaitMax)} over {s.ExportQueueWaits:N0} requests");
        yield return Figure("health.threadPool", "Thread pool", string.Create(inv, $"{s.PendingWorkItems:N0} queued, {s.ThreadPoolThreads} threads, probe waited {SimulationHealthSummary.Format(s.ThreadPoolProbeDelay)}"));
        yield return Figure("health.cpu", "CPU", string.Create(inv, $"{s.CoresBusy:0.00} of {Environment.ProcessorCount} cores; GC paused {s.GcPauseShare:P1}"));
        yield return Figure("health.breaches", "Over tolerance", s.Breaches.Count == 0 ? "nothing" : string.Join("; ", s.Breaches));
    }

    private static ResourcePropertySnapshot Figure(string name, string displayName, object value) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true };
}
