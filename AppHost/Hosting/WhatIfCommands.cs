using Microsoft.Extensions.Logging;
using OtelLab.Model.Crds;
using OtelLab.Scenarios;
using OtelLab.Scenarios.WhatIfs;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// The what-ifs a person tries on a live lab, as dashboard commands on the resources they concern: delete a gateway
/// pod, scale the Prometheus collectors by one (the result says how many targets moved), a backend outage, revoke
/// k8sattributes' ClusterRole, a burst of error traces.
/// </summary>
internal static class WhatIfCommands
{
    public const string DeleteGatewayPod = "delete-gateway-pod";
    public const string ScalePrometheus = "scale-prometheus";
    public const string Outage = "outage-503";
    public const string RevokeK8sAttributes = "revoke-k8sattributes-role";
    public const string ErrorBurstCommand = "error-burst";

    private static readonly TimeSpan OutagePeriod = TimeSpan.FromSeconds(30);

    public static void AddWhatIfCommands(this IReadOnlyDictionary<string, IResourceBuilder<LabComponentResource>> resources, SimLab lab)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(lab);
        var workloads = resources[LabResourceNames.Workloads];
        workloads.WithCommand(DeleteGatewayPod, "Delete a gateway pod", ctx => Run(ctx, () => Task.FromResult(
            PodDeletion.DeleteCollectorPod(lab, GatewayName(lab)))),
            Options("Deletes the first gateway collector pod, as kubectl delete pod does: what did its tail-sampling buffer hold?", "Delete"));
        workloads.WithCommand(ScalePrometheus, "Scale the Prometheus collectors +1", ctx => Run(ctx, () =>
        {
            var cr = ShardedCollector(lab);
            return cr is null
                ? Task.FromResult(WhatIfResult.Refused("no OpenTelemetryCollector has a Target Allocator"))
                : CollectorScaling.ScaleAsync(lab, cr.Name, cr.Replicas + 1, TimeSpan.FromSeconds(60), ctx.CancellationToken);
        }), Options("Adds one replica to the collector the Target Allocator shards for and counts the targets that move.", "ArrowExpand"));
        foreach (var name in new[] { LabResourceNames.Dynatrace, LabResourceNames.Datadog })
        {
            resources[name].WithCommand(Outage, "Outage: 503 for 30 s", ctx => Run(ctx, () => Task.FromResult(
                BackendOutage.Start(lab.Backends.FirstOrDefault(b => b.Name == name), OutagePeriod))),
                Options("The mock answers 503 Service Unavailable for 30 s of the lab's clock; the exporters retry with back-off.", "PlugDisconnected"));
        }

        resources[LabResourceNames.Cluster].WithCommand(RevokeK8sAttributes, "Revoke the k8sattributes ClusterRole", ctx => Run(ctx, () => Task.FromResult(
            RbacRevocation.RevokeK8sAttributesRole(lab))),
            Options("Deletes the ClusterRole that grants replicasets get/list/watch: spans of new pods lose their Kubernetes metadata.", "ShieldDismiss"));
        resources[LabResourceNames.Load].WithCommand(ErrorBurstCommand, "Burst of 200 error traces", ctx => Run(ctx, () =>
            ErrorBurst.SendAsync(lab, 200, ctx.CancellationToken)),
            Options("Sends 200 error traces as the front service to its node's agent: tail sampling must keep all of them.", "ErrorCircle"));
    }

    private static CommandOptions Options(string description, string icon) => new()
    {
        Description = description,
        IconName = icon,
        UpdateState = c => c.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
    };

    private static async Task<ExecuteCommandResult> Run(ExecuteCommandContext context, Func<Task<WhatIfResult>> whatIf)
    {
        var result = await whatIf().ConfigureAwait(false);
        context.Logger.LogInformation("what-if: {Result}", result.Message);
        return result.Succeeded ? CommandResults.Success(result.Message) : CommandResults.Failure(result.Message);
    }

    // The gateway: the collector whose config holds tail_sampling (the guide's otel-gateway), else the first Deployment-mode one.
    private static string GatewayName(SimLab lab)
    {
        var collectors = lab.Cluster?.List<OpenTelemetryCollector>() ?? [];
        return (collectors.FirstOrDefault(c => c.Config.Processors.Keys.Any(k => k.Type == "tail_sampling"))
            ?? collectors.FirstOrDefault(c => c.Mode == CollectorMode.Deployment))?.Name ?? "otel-gateway";
    }

    private static OpenTelemetryCollector? ShardedCollector(SimLab lab) =>
        lab.Cluster?.List<OpenTelemetryCollector>().FirstOrDefault(c => c.TargetAllocator.Enabled);
}
