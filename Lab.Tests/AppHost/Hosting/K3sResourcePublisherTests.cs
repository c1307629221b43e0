using Aspire.Hosting.ApplicationModel;
using OtelLab.AppHost.Hosting;
using OtelLab.K3s;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost.Hosting;

/// <summary>The k3s container as a dashboard resource: its image and the engine's state.</summary>
[Trait("Category", "Unit")]
public sealed class K3sResourcePublisherTests
{
    [Theory]
    [InlineData("NotStarted", "Starting")]
    [InlineData("Created", "Starting")]
    [InlineData("Running", "Running")]
    [InlineData("Exited", "Exited")]
    [InlineData("Paused", "Paused")]
    public void The_containers_state_becomes_the_resources(string containerState, string shown)
    {
        var info = new K3sContainerInfo(containerState == "NotStarted" ? null : "4f1c", LabImages.K3s, containerState, containerState == "Running" ? "https://127.0.0.1:32768" : null);

        var snapshot = K3sResourcePublisher.Snapshot(new CustomResourceSnapshot { ResourceType = "Container", Properties = [] }, info);

        Assert.Equal(shown, snapshot.State?.Text);
        Assert.Equal(LabImages.K3s, ResourceServices.Property(snapshot, "container.image"));
        Assert.Equal(containerState, ResourceServices.Property(snapshot, "container.state"));
    }

    [Fact]
    public void An_unstarted_cluster_describes_its_pinned_image_and_no_container()
    {
        var cluster = new K3sClusterBuilder().Build();

        Assert.Equal(new K3sContainerInfo(null, "rancher/k3s:v1.31.2-k3s1", "NotStarted", null), cluster.Describe());
    }
}
