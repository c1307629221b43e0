using Microsoft.Extensions.Hosting;
using OtelLab.K3s;
using OtelLab.Scenarios.Cluster;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// Keeps the <c>k3s</c> resource's state and properties current from the container (the engine's state, read every
/// two seconds: it is a property of the local container object, not a request) and shows the cluster's pods under it
/// through <see cref="ClusterPodResources"/> over the cluster's API.
/// </summary>
internal sealed class K3sResourcePublisher(K3sResource resource, Func<K3sContainerInfo> describe, ICluster cluster, ResourceNotificationService notifications, ResourceLoggerService loggers, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pods = new ClusterPodResources(cluster, notifications, loggers, resource.Name, time);
        var watching = pods.RunAsync(stoppingToken);
        using var tick = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                var info = describe();
                await notifications.PublishUpdateAsync(resource, s => Snapshot(s, info)).ConfigureAwait(false);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }

        await watching.ConfigureAwait(false);
    }

    /// <summary>The container's state as the dashboard shows a container: Running, Starting before it runs, Exited after.</summary>
    internal static CustomResourceSnapshot Snapshot(CustomResourceSnapshot current, K3sContainerInfo info) => current with
    {
        ResourceType = "Container",
        State = info.State switch
        {
            "Running" => new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success),
            "NotStarted" or "Undefined" or "Created" => new ResourceStateSnapshot(KnownResourceStates.Starting, KnownResourceStateStyles.Info),
            "Exited" or "Dead" => new ResourceStateSnapshot(KnownResourceStates.Exited, KnownResourceStateStyles.Error),
            var other => new ResourceStateSnapshot(other, KnownResourceStateStyles.Warn),
        },
        Properties =
        [
            .. current.Properties.Where(p => !p.Name.StartsWith("container.", StringComparison.Ordinal)),
            new("container.image", info.Image) { DisplayName = "Image", IsHighlighted = true },
            new("container.state", info.State) { DisplayName = "Container state", IsHighlighted = true },
            new("container.id", info.Id ?? "-") { DisplayName = "Container id" },
            new("container.apiserver", info.ApiServer ?? "-") { DisplayName = "API server" },
        ],
    };
}
