using k8s.Models;
using OtelLab.Scenarios;

namespace OtelLab.Tests.Scenarios;

/// <summary>When the lab's readiness gate stops waiting for a pod: failing for good, not still starting.</summary>
[Trait("Category", "Unit")]
public sealed class PodStatusTests
{
    [Theory]
    [InlineData("CrashLoopBackOff", 3, true)]
    [InlineData("CrashLoopBackOff", 2, false)] // may still come up: the kubelet's back-off has only begun
    [InlineData("ImagePullBackOff", 0, true)]
    [InlineData("ErrImagePull", 0, true)]
    [InlineData("CreateContainerConfigError", 0, true)]
    [InlineData("ContainerCreating", 0, false)]
    [InlineData("PodInitializing", 5, false)]
    public void A_pod_is_failing_when_its_container_waits_on_a_reason_that_waiting_does_not_fix(string reason, int restarts, bool failing)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "otel-gateway-collector-x" },
            Status = new V1PodStatus
            {
                Phase = "Running",
                ContainerStatuses = [new V1ContainerStatus { Name = "otc-container", RestartCount = restarts, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } } }],
            },
        };

        Assert.Equal(failing, PodStatus.IsFailing(pod));
    }

    [Fact]
    public void A_crash_looping_init_container_fails_the_pod_too()
    {
        var pod = new V1Pod
        {
            Status = new V1PodStatus
            {
                InitContainerStatuses = [new V1ContainerStatus { Name = "vault-agent-init", RestartCount = 4, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } } }],
            },
        };

        Assert.True(PodStatus.IsFailing(pod));
    }
}
