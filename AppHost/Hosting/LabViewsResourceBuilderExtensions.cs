using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.AppHost.LabPage;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.AppHost.Hosting;

/// <summary>Adds the lab page: a loopback web page over the <see cref="LabMonitor"/>, sampled once a second.</summary>
internal static class LabViewsResourceBuilderExtensions
{
    public const string ResourceName = "lab";

    public static IResourceBuilder<LabViewsResource> AddLabViews(this IDistributedApplicationBuilder builder, LabMonitor monitor, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(monitor);
        return builder.AddResource(new LabViewsResource(ResourceName))
            .ExcludeFromManifest()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "LabPage",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, "scenario " + monitor.Lab.Scenario.Name)],
            })
            .OnInitializeResource(async (resource, e, _) =>
            {
                await Task.Yield();
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                LabPageServer page;
                try
                {
                    page = await LabPageServer.StartAsync(monitor, port, stopping).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    e.Logger.LogError("{Error}", ex.Message);
                    await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart }).ConfigureAwait(false);
                    return;
                }

                await e.Notifications.PublishUpdateAsync(resource, s => s with
                {
                    State = new(KnownResourceStates.Running, KnownResourceStateStyles.Success),
                    StartTimeStamp = DateTime.UtcNow,
                    Urls = [.. s.Urls, new UrlSnapshot("lab-page", page.Address.ToString(), IsInternal: false)],
                }).ConfigureAwait(false);
                await RefreshAsync(monitor, resource, e.Notifications, stopping).ConfigureAwait(false);
                await page.DisposeAsync().ConfigureAwait(false);
                await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Finished, StopTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
            });
    }

    // Samples for the page once a second and shows the start-up figures on the resource (content-equal updates are
    // dropped by the notification service, so an unchanged lab costs nothing downstream).
    private static async Task RefreshAsync(LabMonitor monitor, LabViewsResource resource, ResourceNotificationService notifications, CancellationToken stopping)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                var snapshot = monitor.Sample();
                await notifications.PublishUpdateAsync(resource, s => s with
                {
                    Properties = [.. s.Properties.Where(p => !p.Name.StartsWith("lab.", StringComparison.Ordinal)), .. Figures(snapshot)],
                }).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }

    private static IEnumerable<ResourcePropertySnapshot> Figures(LabSnapshot snapshot)
    {
        yield return Figure("lab.scenario", "Scenario", snapshot.Scenario);
        if (snapshot.StartupTime is { } t)
        {
            yield return Figure("lab.startup", "Lab ready in", string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s"));
        }

        if (snapshot.FarmProgress.Targets > 0)
        {
            yield return Figure("lab.firstScrapeRound", "First scrape round", snapshot.FirstScrapeRound is { } r
                ? string.Create(CultureInfo.InvariantCulture, $"{r.TotalSeconds:0.00} s ({snapshot.FarmProgress.Targets:N0} targets)")
                : string.Create(CultureInfo.InvariantCulture, $"{snapshot.FarmProgress.Scraped:N0} of {snapshot.FarmProgress.Targets:N0} targets scraped"));
        }

        foreach (var shard in snapshot.Shards)
        {
            yield return Figure("lab.shard." + shard.Replica, "Targets on " + shard.Replica, shard.Targets.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var k in snapshot.KeepRates)
        {
            yield return Figure("lab.keep." + k.Class, "Keep rate " + k.Class, string.Create(CultureInfo.InvariantCulture, $"{k.Rate:P1} of {k.Traces}"));
        }

        foreach (var b in snapshot.Backends)
        {
            yield return Figure("lab.backend." + b.Backend, b.Backend, string.Create(CultureInfo.InvariantCulture, $"{b.AcceptedSpans:N0} spans, {b.AcceptedMetricPoints:N0} points, {b.RejectedRequests:N0} rejected requests"));
        }

        yield return Figure("lab.findings", "Findings", snapshot.Findings.Count.ToString(CultureInfo.InvariantCulture));
    }

    private static ResourcePropertySnapshot Figure(string name, string displayName, object value) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true };
}
