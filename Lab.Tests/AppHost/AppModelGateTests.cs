using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OtelLab.AppHost;
using OtelLab.Backends.Faults;
using OtelLab.Scenarios;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// The end-to-end gate through Aspire.Hosting.Testing: the AppHost's own app model (the same one
/// <c>dotnet run --project AppHost</c> shows) started headless by <see cref="DistributedApplicationTestingBuilder"/>,
/// every lab component healthy, the pods published as resources, and the what-if commands acting on the lab.
/// </summary>
[Trait("Category", "Lab")]
public sealed partial class AppModelGateTests
{
    private static readonly TimeSpan HealthyBound = TimeSpan.FromSeconds(120);

    private static readonly string[] Components =
    [
        LabResourceNames.Cluster, LabResourceNames.ClusterDns, LabResourceNames.KubeProxy, LabResourceNames.Vault,
        LabResourceNames.Dynatrace, LabResourceNames.Datadog, LabResourceNames.Operator, LabResourceNames.NodeAgents,
        LabResourceNames.Manifests, LabResourceNames.Workloads, LabResourceNames.Load,
    ];

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Payments_fixed_comes_up_healthy_under_Aspire_Hosting_Testing_and_the_what_if_commands_act_on_the_lab()
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        var ct = TestContext.Current.CancellationToken;

        // Given the AppHost's app model for payments-fixed, built by Aspire.Hosting.Testing (headless)
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(typeof(LabCli),
            ["up", "--scenario", RepoPaths.Scenario("payments-fixed"), "--targets", "300", "--port", "-1"], ct);
        await using var app = await builder.BuildAsync(ct);

        // When it starts
        await app.StartAsync(ct);

        // Then every lab component becomes healthy through WaitFor gates, in the order they depend on each other
        foreach (var name in Components)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, ct).WaitAsync(HealthyBound, ct);
        }

        var lab = app.Services.GetRequiredService<SimLab>();
        Assert.NotNull(lab.StartupTime);
        Assert.All(lab.Graph.Snapshots(), s => Assert.Equal(global::OtelLab.Scenarios.Resources.ResourceState.Running, s.State));

        // And the cluster says how kubectl reaches its API (HTTPS with the run's CA: a property, not a link a browser opens)
        var cluster = await app.ResourceNotifications.WaitForResourceAsync(LabResourceNames.Cluster, x => x.Snapshot.Properties.Any(p => p.Name == "lab.kubeconfig"), ct).WaitAsync(HealthyBound, ct);
        Assert.Contains(cluster.Snapshot.Properties, p => p.Name == "lab.kubeconfig" && (string?)p.Value == $"export KUBECONFIG={lab.KubeconfigPath}");
        Assert.DoesNotContain(cluster.Snapshot.Urls, u => u.Url.StartsWith("https://", StringComparison.Ordinal));

        // And the pods are resources: the target farm as one, each gateway pod under its OpenTelemetryCollector
        await app.ResourceNotifications.WaitForResourceAsync("target-farm", KnownResourceStates.Running, ct).WaitAsync(HealthyBound, ct);
        var gatewayPods = lab.Pods().Where(p => p.Metadata.Name.StartsWith("otel-gateway-collector-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(gatewayPods);
        foreach (var pod in gatewayPods)
        {
            var e = await app.ResourceNotifications.WaitForResourceAsync(pod.Metadata.Name, x => x.Snapshot.State?.Text == KnownResourceStates.Running, ct).WaitAsync(HealthyBound, ct);
            Assert.Contains(e.Snapshot.Properties, p => p.Name == "resource.parentName" && (string?)p.Value == "otel-gateway");
            Assert.Contains(e.Snapshot.Properties, p => p.Name == "pod.ip" && (string?)p.Value == pod.Status.PodIP);
        }

        // When the Prometheus collectors are scaled 3 → 4 from the dashboard's command
        var scale = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.Workloads, "scale-prometheus", ct);

        // Then the command says how many targets moved: some, and no more than twice consistent hashing's ideal 1/4
        // (bounded loads move a little more than 1/n; all of them moving would mean a modulo-style reshuffle)
        Assert.True(scale.Success, scale.Message);
        var moved = MovedTargets().Match(scale.Message!);
        Assert.True(moved.Success, scale.Message);
        var (count, of) = (int.Parse(moved.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(moved.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(of >= 300 && count > 0 && count <= of / 2, scale.Message);
        TestContext.Current.SendDiagnosticMessage(scale.Message!);

        // When a Dynatrace outage, a burst of error traces, a gateway pod deletion and the RBAC revocation are run
        var outage = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.Dynatrace, "outage-503", ct);
        var burst = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.Load, "error-burst", ct);
        var deleted = gatewayPods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First().Metadata.Name;
        var delete = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.Workloads, "delete-gateway-pod", ct);
        var revoke = await app.ResourceCommands.ExecuteCommandAsync(LabResourceNames.Cluster, "revoke-k8sattributes-role", ct);

        // Then each acted on the lab: Dynatrace answers 503, 200 error traces went out, the pod is being replaced,
        // the ClusterRole is gone
        Assert.True(outage.Success, outage.Message);
        Assert.Equal(BackendFaultKind.Unavailable, lab.Dynatrace!.Faults.Current.Kind);
        Assert.True(burst.Success, burst.Message);
        Assert.Contains("sent 200 error traces", burst.Message, StringComparison.Ordinal);
        Assert.True(delete.Success, delete.Message);
        Assert.Contains(deleted, delete.Message, StringComparison.Ordinal);
        Assert.True(await lab.Cluster!.WaitUntilAsync(
            c => c.List<V1Pod>().Count(p => p.Metadata.Name.StartsWith("otel-gateway-collector-", StringComparison.Ordinal) && p.Metadata.Name != deleted) == gatewayPods.Count,
            HealthyBound, ct), "the gateway's ReplicaSet did not replace the deleted pod");
        Assert.True(revoke.Success, revoke.Message);
        Assert.DoesNotContain(lab.Cluster.List<V1ClusterRole>(), r => (r.Rules ?? []).Any(x => (x.Resources ?? []).Contains("replicasets") && !r.Metadata.Name.StartsWith("system:", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"(\d+) of (\d+) targets moved")]
    private static partial Regex MovedTargets();
}
