using System.Collections.Immutable;
using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtelLab.Model.Secrets;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Monitoring;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// Shows the simulated cluster's pods in the dashboard: each collector and Target Allocator pod under its
/// OpenTelemetryCollector, each sample-service pod under its workload with its containers' output as the console
/// log, and the target farm as one resource with counts (not thousands of rows). Reconciled once a second; the
/// notification service drops updates equal to the last one, so a quiet cluster costs nothing downstream.
/// </summary>
internal sealed class ClusterResourcePublisher(SimLab lab, ResourceNotificationService notifications, ResourceLoggerService loggers) : BackgroundService
{
    public const string FarmResourceName = "target-farm";

    /// <summary>The operator labels what it manages (upstream: internal/manifests/manifestutils/labels.go).</summary>
    private const string ManagedBy = "app.kubernetes.io/managed-by";
    private const string Component = "app.kubernetes.io/component";

    private readonly Dictionary<string, PodResource> _resources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _followedLogs = new(StringComparer.Ordinal);
    private PodListing? _listing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                if (lab.Cluster is not null && lab.NodeAgents is not null)
                {
                    await ReconcileAsync().ConfigureAwait(false);
                }
            }
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }

    private async Task ReconcileAsync()
    {
        var listing = ListPods();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in listing.Others)
        {
            var (parent, parentType) = ParentOf(pod);
            await PublishAsync(parent, parentType, null, s => s with { State = KnownResourceStates.Running }).ConfigureAwait(false);
            seen.Add(parent);
            await PublishAsync(pod.Metadata.Name, "Pod", parent, s => s with
            {
                State = StateOf(pod),
                CreationTimeStamp = pod.Metadata.CreationTimestamp,
                StartTimeStamp = pod.Status?.StartTime,
                Properties = Merge(s.Properties, PropertiesOf(pod)),
                Urls = UrlsOf(pod),
            }).ConfigureAwait(false);
            seen.Add(pod.Metadata.Name);
            FollowLogs(pod);
        }

        if (listing.Farm > 0)
        {
            await PublishAsync(FarmResourceName, "TargetFarm", null, s => s with
            {
                State = listing.FarmReady == listing.Farm ? new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success) : new ResourceStateSnapshot(KnownResourceStates.Starting, KnownResourceStateStyles.Info),
                Properties = Merge(s.Properties,
                [
                    Property("farm.pods", "Pods", listing.Farm.ToString("N0", CultureInfo.InvariantCulture)),
                    Property("farm.ready", "Ready", listing.FarmReady.ToString("N0", CultureInfo.InvariantCulture)),
                    Property("farm.scraped", "Scraped at least once", lab.FarmTargetsScraped.ToString("N0", CultureInfo.InvariantCulture)),
                    Property("farm.shape", "Metrics × series per target", $"{lab.Scenario.Targets.MetricsPerTarget} × {lab.Scenario.Targets.SeriesPerMetric}"),
                ]),
            }).ConfigureAwait(false);
            seen.Add(FarmResourceName);
        }

        // Deleted pods (a what-if command, a rollout) leave the list rather than lingering as Running.
        foreach (var gone in _resources.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            await notifications.PublishUpdateAsync(_resources[gone], s => s with
            {
                State = new("Deleted", KnownResourceStateStyles.Info),
                StopTimeStamp = DateTime.UtcNow,
                IsHidden = true,
            }).ConfigureAwait(false);
            _resources.Remove(gone);
        }
    }

    /// <summary>
    /// The pods outside the farm and the farm's counts at the cluster's current resourceVersion. Every write to the
    /// cluster takes a new one, and a lab whose workloads are up stops writing, so a reconcile at an unchanged version
    /// reuses the last listing instead of copying and walking every farm pod again (9,000 each second). The pods outside
    /// the farm are still published every time: their Vault files' status changes without a write to the cluster.
    /// </summary>
    private PodListing ListPods()
    {
        // Read before the walk: a write during it leaves the listing at the older version, so the next reconcile lists again.
        var version = lab.Cluster!.ResourceVersion;
        if (_listing is { } last && last.Version == version)
        {
            return last;
        }

        var others = new List<V1Pod>();
        var (farm, ready) = (0, 0);
        foreach (var pod in lab.Pods())
        {
            if ((pod.Metadata.NamespaceProperty ?? "default") == FarmNamespace)
            {
                farm++;
                ready += PodStatus.IsReady(pod) ? 1 : 0;
            }
            else
            {
                others.Add(pod);
            }
        }

        _listing = new PodListing(version, others, farm, ready);
        return _listing;
    }

    /// <summary>The farm's namespace (FarmManifests): one resource for all its pods.</summary>
    private static string FarmNamespace => Load.TargetFarm.Pods.FarmManifests.Namespace;

    private async Task PublishAsync(string name, string type, string? parent, Func<CustomResourceSnapshot, CustomResourceSnapshot> update)
    {
        if (!_resources.TryGetValue(name, out var resource))
        {
            resource = new PodResource(name);
            _resources[name] = resource;
            await notifications.PublishUpdateAsync(resource, s => s with
            {
                ResourceType = type,
                // The dashboard nests a resource under the one this property names (Aspire's orchestrator sets it for
                // WithParentRelationship; these resources appear at run time, so it is set here).
                Properties = parent is null ? [] : [new("resource.parentName", parent)],
                Relationships = parent is null ? [] : [new(parent, "Parent")],
            }).ConfigureAwait(false);
        }

        await notifications.PublishUpdateAsync(resource, update).ConfigureAwait(false);
    }

    // Collector and TA pods group under their OpenTelemetryCollector; others under their workload (Deployment,
    // StatefulSet, DaemonSet), found through the owner chain the controllers wrote.
    private (string Name, string Type) ParentOf(V1Pod pod)
    {
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        if (labels.TryGetValue(ManagedBy, out var managedBy) && managedBy == "opentelemetry-operator")
        {
            return (CollectorFleet.CollectorName(pod), "OpenTelemetryCollector");
        }

        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault();
        if (owner is null)
        {
            return ("pods", "Pods");
        }

        if (owner.Kind == "ReplicaSet")
        {
            var rs = lab.Cluster!.Get<V1ReplicaSet>(pod.Metadata.NamespaceProperty, owner.Name);
            if (rs?.Metadata.OwnerReferences?.FirstOrDefault() is { Kind: "Deployment" } deployment)
            {
                return (deployment.Name, "Deployment");
            }
        }

        return (owner.Name, owner.Kind);
    }

    private static ResourceStateSnapshot StateOf(V1Pod pod) =>
        PodStatus.IsReady(pod) ? new(KnownResourceStates.Running, KnownResourceStateStyles.Success)
        : PodStatus.IsFailing(pod) ? new(PodStatus.Describe(pod), KnownResourceStateStyles.Error)
        : new(PodStatus.Describe(pod), KnownResourceStateStyles.Info);

    private IReadOnlyList<ResourcePropertySnapshot> PropertiesOf(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var list = new List<ResourcePropertySnapshot>
        {
            Property("pod.namespace", "Namespace", ns),
            Property("pod.ip", "Pod IP", pod.Status?.PodIP ?? "-"),
            Property("pod.node", "Node", pod.Spec.NodeName ?? "-"),
            Property("pod.image", "Image", string.Join(", ", pod.Spec.Containers.Select(c => c.Image))),
            Property("pod.status", "Status", PodStatus.Describe(pod)),
            Property("pod.restarts", "Restarts", PodStatus.Restarts(pod).ToString(CultureInfo.InvariantCulture)),
        };
        if (pod.Metadata.Labels?.TryGetValue(Component, out var component) == true)
        {
            list.Add(Property("pod.component", "Component", component));
        }

        if (CollectorConfig(pod) is { } config)
        {
            list.Add(Property("collector.yaml", "collector.yaml (operator-rendered)", config));
        }

        foreach (var injection in lab.VaultInjections.Where(v => v.Namespace == ns && v.Pod == pod.Metadata.Name))
        {
            foreach (var file in injection.Result.Files)
            {
                // Never the secret: a rendered file shows its path, status and size, its content masked.
                list.Add(Property("vault." + file.ContainerPath, file.ContainerPath, $"{file.Status} ({file.Bytes} bytes) {MaskedContent(file.HostPath)}"));
            }
        }

        return list;
    }

    private static string MaskedContent(string path)
    {
        try
        {
            return File.Exists(path) ? CredentialMask.Mask(File.ReadAllText(path).Trim()) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    // The operator-rendered collector.yaml the pod mounts (its ConfigMap volume).
    private string? CollectorConfig(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.ConfigMap?.Name is { } name && lab.Cluster!.Get<V1ConfigMap>(ns, name)?.Data is { } data
                && data.TryGetValue(Sim.Operator.CollectorManifests.ConfigKey, out var yaml))
            {
                return yaml;
            }
        }

        return null;
    }

    // What a person opens: a collector's internal metrics (:8888/metrics), a Target Allocator's API (:8080).
    private static ImmutableArray<UrlSnapshot> UrlsOf(V1Pod pod)
    {
        if (pod.Status?.PodIP is not { } ip || !PodStatus.IsReady(pod))
        {
            return [];
        }

        string? component = null;
        pod.Metadata.Labels?.TryGetValue(Component, out component);
        return component switch
        {
            "opentelemetry-collector" => [new UrlSnapshot("metrics", $"http://{ip}:8888/metrics", IsInternal: false)],
            "opentelemetry-targetallocator" => [new UrlSnapshot("jobs", $"http://{ip}:8080/jobs", IsInternal: false), new UrlSnapshot("scrape_configs", $"http://{ip}:8080/scrape_configs", IsInternal: false)],
            _ => [],
        };
    }

    // A process pod's stdout/stderr (the kubelet's container logs) becomes its console log in the dashboard.
    private void FollowLogs(V1Pod pod)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers))
        {
            var key = $"{ns}/{pod.Metadata.Name}/{container.Name}";
            if (_followedLogs.Contains(key) || lab.ContainerLog(ns, pod.Metadata.Name, container.Name) is not { } log)
            {
                continue;
            }

            _followedLogs.Add(key);
            var logger = loggers.GetLogger(pod.Metadata.Name);
            var prefix = $"[{container.Name}] ";
            foreach (var line in log.Lines())
            {
                logger.LogInformation("{Line}", prefix + line);
            }

            log.LineWritten += line => logger.LogInformation("{Line}", prefix + line);
        }
    }

    private static ResourcePropertySnapshot Property(string name, string displayName, object value) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true };

    // Aspire's own properties (parent, source) are kept: replacing them would drop the pod out of its parent.
    private static ImmutableArray<ResourcePropertySnapshot> Merge(ImmutableArray<ResourcePropertySnapshot> current, IReadOnlyList<ResourcePropertySnapshot> updates)
    {
        var names = updates.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        return [.. current.Where(p => !names.Contains(p.Name)), .. updates];
    }

    private sealed record PodListing(long Version, IReadOnlyList<V1Pod> Others, int Farm, int FarmReady);
}
