using k8s.Models;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Tests.Sim.ApiServer.Streams;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Monitoring;

/// <summary>The live views' sampler on a running payments-fixed lab.</summary>
[Trait("Category", "Lab")]
public sealed class LabMonitorTests(GuideLabFixture lab) : IClassFixture<GuideLabFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_sample_of_an_unchanged_cluster_reuses_the_pod_rows_and_every_write_shows_in_the_next_sample()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;
        var cluster = lab.Lab.Cluster!;
        var monitor = new LabMonitor(lab.Lab);

        // Given two samples between which the cluster wrote nothing (a lab just up may still be writing: sample again
        // until a pair saw one resourceVersion)
        LabSnapshot? first = null, second = null;
        Assert.True(
            await Eventually.WaitAsync(
                () =>
                {
                    var version = cluster.ResourceVersion;
                    (first, second) = (monitor.Sample(), monitor.Sample());
                    return Task.FromResult(cluster.ResourceVersion == version);
                },
                TimeSpan.FromSeconds(30),
                ct),
            $"the cluster kept writing for 30 s (resourceVersion {cluster.ResourceVersion})");

        // Then the second sample reuses the first's rows instead of walking every pod again, and they are every pod
        Assert.Same(first!.Pods, second!.Pods);
        Assert.Equal(cluster.List<V1Pod>().Select(p => p.Metadata.Name).Order(StringComparer.Ordinal), second.Pods.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(second.Findings, f => f.RuleId == "pod-not-ready");
        Assert.DoesNotContain(second.Findings, f => f.RuleId == "check-crashed");

        // When a pod is created that no node can take (its nodeSelector matches no node, so it stays Pending: an
        // unknown image would not do, the lab's kubelets run those as idle stand-ins that turn Ready within moments)
        var name = "monitor-probe-" + Guid.NewGuid().ToString("N")[..8];
        cluster.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                NodeSelector = new Dictionary<string, string> { ["lab.invalid/no-such-node"] = "true" },
                Containers = [new V1Container { Name = "main", Image = "registry.invalid/none:1" }],
            },
        });
        Assert.True(
            await Eventually.WaitAsync(
                () => Task.FromResult(cluster.List<Corev1Event>("default").Any(e => e.InvolvedObject.Name == name && e.Reason == "FailedScheduling")),
                TimeSpan.FromSeconds(30),
                ct),
            $"the scheduler did not judge pod default/{name} within 30 s");
        var created = monitor.Sample();

        // Then the next sample lists it, not Ready, with a finding that names it
        var row = Assert.Single(created.Pods, p => p.Name == name);
        Assert.False(row.Ready);
        Assert.Contains(created.Findings, f => f.RuleId == "pod-not-ready" && f.Message.Contains(name, StringComparison.Ordinal));

        // And once it is deleted, the sample after lists neither it nor its finding
        cluster.Delete("Pod", "default", name);
        Assert.True(
            await Eventually.WaitAsync(() => Task.FromResult(cluster.Get<V1Pod>("default", name) is null), TimeSpan.FromSeconds(60), ct),
            $"pod default/{name} was not deleted within 60 s");

        var deleted = monitor.Sample();
        Assert.DoesNotContain(deleted.Pods, p => p.Name == name);
        Assert.DoesNotContain(deleted.Findings, f => f.Message.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void A_live_check_that_throws_shows_as_a_crashed_check_and_the_sample_keeps_the_others()
    {
        ScenarioRun.SkipUnlessRunnable();
        var monitor = new LabMonitor(lab.Lab, null, null, [new ThrowingCheck("throws", new InvalidOperationException("boom")), new ThrowingCheck("times-out", new TaskCanceledException("a timeout inside the check"))]);

        var sample = monitor.Sample();

        // Each throwing check is one check-crashed finding with what it threw, a cancellation as well (nothing cancels a sample)
        var crashed = sample.Findings.Where(f => f.RuleId == "check-crashed").ToList();
        Assert.Equal(["check throws", "check times-out"], crashed.Select(f => f.Object).Order(StringComparer.Ordinal));
        Assert.Contains(crashed, f => f.Evidence.SequenceEqual(["InvalidOperationException: boom"]));
        Assert.Contains(crashed, f => f.Evidence.SequenceEqual(["TaskCanceledException: a timeout inside the check"]));

        // And the cluster's rows are still there
        Assert.Equal(lab.Lab.Cluster!.List<V1Pod>().Count, sample.Pods.Count);
    }
}
