using Aspire.Hosting.ApplicationModel;
using k8s;
using k8s.Models;
using OtelLab.AppHost.Hosting;
using OtelLab.K3s;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost.Hosting;

/// <summary>
/// The k3s app model wired end to end, headless, without an engine: the <c>k3s</c> resource from the container's
/// state and the pods from the cluster interface's watch (a scripted one here) under it.
/// </summary>
[Trait("Category", "Component")]
public sealed class K3sAppHostTests
{
    [Fact]
    public async Task The_k3s_resource_shows_the_container_and_the_clusters_pods_appear_under_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = new ScriptedCluster();
        await using var k3s = new K3sClusterBuilder().Build(); // never started: the container is NotStarted
        await using var app = K3sAppHost.CreateBuilder(k3s, cluster, new LabAppHostOptions { DashboardPort = -1 }).Build();
        await app.StartAsync(ct);
        var notifications = app.Services.GetService(typeof(ResourceNotificationService)) as ResourceNotificationService;

        var container = await notifications!.WaitForResourceAsync(K3sResource.DefaultName, e => e.Snapshot.State?.Text == KnownResourceStates.Starting, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await cluster.Events.Writer.WriteAsync(new(WatchEventType.Added, new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "coredns-7b98449c4-x2kq9", NamespaceProperty = "kube-system" },
            Spec = new V1PodSpec { NodeName = "k3s-0", Containers = [new V1Container { Name = "coredns", Image = "rancher/mirrored-coredns-coredns:1.11.3" }] },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        }), ct);
        var pod = await notifications.WaitForResourceAsync("coredns-7b98449c4-x2kq9", e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        await app.StopAsync(ct);

        Assert.Equal(LabImages.K3s, ResourceServices.Property(container.Snapshot, "container.image"));
        Assert.Equal("NotStarted", ResourceServices.Property(container.Snapshot, "container.state"));
        Assert.Equal(K3sResource.DefaultName, ResourceServices.Property(pod.Snapshot, "resource.parentName"));
        Assert.Equal("k3s-0", ResourceServices.Property(pod.Snapshot, "pod.node"));
    }
}
