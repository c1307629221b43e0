using Microsoft.Extensions.DependencyInjection;
using OtelLab.K3s;
using OtelLab.Scenarios.Cluster;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The app model of <c>--cluster k3s</c>: the k3s container as a resource and the cluster's pods under it, read
/// through the cluster interface (the real API server), with the same dashboard settings as the simulated lab.
/// </summary>
internal static class K3sAppHost
{
    public static IDistributedApplicationBuilder CreateBuilder(K3sCluster k3s, ICluster cluster, LabAppHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(k3s);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        var headless = options.DashboardPort < 0;
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. headless ? [] : LabAppHost.LoopbackDashboard(options.DashboardPort), "--DcpPublisher:WaitForResourceCleanup=true", .. options.Args],
            DisableDashboard = headless,
            AssemblyName = typeof(K3sAppHost).Assembly.GetName().Name,
        });
        var resource = new K3sResource(K3sResource.DefaultName);
        builder.AddResource(resource).WithInitialState(K3sResourcePublisher.Snapshot(new CustomResourceSnapshot
        {
            ResourceType = "Container",
            Properties = [],
        }, k3s.Describe()));
        builder.Services.AddHostedService(sp => new K3sResourcePublisher(resource, k3s.Describe, cluster,
            sp.GetRequiredService<ResourceNotificationService>(), sp.GetRequiredService<ResourceLoggerService>(), TimeProvider.System));
        return builder;
    }
}
