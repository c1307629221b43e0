using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Cluster;

namespace OtelLab.AppHost.Hosting;

/// <summary>
/// A cluster's pods in the dashboard, one resource per pod, kept current from the cluster interface's pod watch:
/// state from the phase and readiness (kubectl's STATUS when not ready), restarts, node, images, and a command that
/// reads each container's log into the resource's console. It needs only <see cref="ICluster"/>, so the same code shows
/// k3s's pods and the simulated cluster's.
/// </summary>
internal sealed class ClusterPodResources(ICluster cluster, ResourceNotificationService notifications, ResourceLoggerService loggers, string? parent = null, TimeProvider? time = null)
{
    public const string LogsCommand = "pod-logs";

    /// <summary>Lines of each container's log the logs command reads.</summary>
    public const int LogTail = 200;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, PodResource> _resources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The resource name shown for each pod (<c>namespace/name</c> → name), for what the dashboard lists.</summary>
    public IReadOnlyDictionary<string, string> Shown
    {
        get
        {
            lock (_gate)
            {
                return _resources.ToDictionary(kv => kv.Key, kv => kv.Value.Name, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Follows the watch until cancelled; an API error is logged on the parent resource and the watch started over.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in cluster.WatchPodsAsync(cancellationToken).ConfigureAwait(false))
                {
                    await ApplyAsync(e).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // An API error (the server restarting, a dropped connection, an unreadable event) must not end the view:
                // it is said on the parent's console (or the cluster's when there is none) and the watch starts over.
                loggers.GetLogger(parent ?? "cluster").LogWarning("pod watch failed ({Error}: {Message}); watching again in {Seconds} s", e.GetType().Name, e.Message, RetryAfter.TotalSeconds);
            }

            await Task.Delay(RetryAfter, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ApplyAsync(PodEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Type == WatchEventType.Deleted)
        {
            PodResource? gone;
            lock (_gate)
            {
                _resources.Remove(e.Key, out gone);
            }

            if (gone is not null)
            {
                await notifications.PublishUpdateAsync(gone, s => s with
                {
                    State = new("Deleted", KnownResourceStateStyles.Info),
                    StopTimeStamp = _time.GetUtcNow().UtcDateTime,
                    IsHidden = true,
                }).ConfigureAwait(false);
            }

            return;
        }

        var (resource, isNew) = ResourceFor(e);
        if (isNew)
        {
            await notifications.PublishUpdateAsync(resource, s => s with
            {
                ResourceType = "Pod",
                // The dashboard nests a resource under the one this property names (as ClusterResourcePublisher does).
                Properties = parent is null ? [] : [new("resource.parentName", parent)],
                Relationships = parent is null ? [] : [new(parent, "Parent")],
            }).ConfigureAwait(false);
        }

        var pod = e.Pod;
        await notifications.PublishUpdateAsync(resource, s => s with
        {
            State = StateOf(pod),
            CreationTimeStamp = pod.Metadata.CreationTimestamp,
            StartTimeStamp = pod.Status?.StartTime,
            Properties = Merge(s.Properties, PropertiesOf(pod)),
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// kubectl get pods' view as a resource state: Running (green) when Ready, the STATUS column's reason otherwise,
    /// an error style when waiting will not help (<see cref="PodStatus.IsFailing"/>), Finished/Failed for ended pods.
    /// </summary>
    internal static ResourceStateSnapshot StateOf(V1Pod pod) =>
        pod.Status?.Phase == "Succeeded" ? new(KnownResourceStates.Finished, KnownResourceStateStyles.Success)
        : pod.Status?.Phase == "Failed" ? new(KnownResourceStates.Exited, KnownResourceStateStyles.Error)
        : PodStatus.IsReady(pod) ? new(KnownResourceStates.Running, KnownResourceStateStyles.Success)
        : PodStatus.IsFailing(pod) ? new(PodStatus.Describe(pod), KnownResourceStateStyles.Error)
        : new(PodStatus.Describe(pod), KnownResourceStateStyles.Info);

    internal static IReadOnlyList<ResourcePropertySnapshot> PropertiesOf(V1Pod pod) =>
    [
        Property("pod.namespace", "Namespace", pod.Metadata.NamespaceProperty ?? "default"),
        Property("pod.phase", "Phase", pod.Status?.Phase ?? "Pending"),
        Property("pod.ready", "Ready", $"{(pod.Status?.ContainerStatuses ?? []).Count(c => c.Ready)}/{pod.Spec.Containers.Count}"),
        Property("pod.restarts", "Restarts", PodStatus.Restarts(pod).ToString(CultureInfo.InvariantCulture)),
        Property("pod.node", "Node", pod.Spec.NodeName ?? "-"),
        Property("pod.ip", "Pod IP", pod.Status?.PodIP ?? "-"),
        Property("pod.image", "Image", string.Join(", ", pod.Spec.Containers.Select(c => c.Image))),
        Property("pod.status", "Status", PodStatus.Describe(pod)),
    ];

    // Aspire resource names are letters, digits and single hyphens; a pod name is a DNS subdomain (dots allowed) and
    // the same name can exist in two namespaces, so a clash takes the namespace as a suffix.
    private (PodResource Resource, bool IsNew) ResourceFor(PodEvent e)
    {
        lock (_gate)
        {
            if (_resources.TryGetValue(e.Key, out var existing))
            {
                return (existing, false);
            }

            var ns = e.Pod.Metadata.NamespaceProperty ?? "default";
            var name = ResourceName(e.Pod.Metadata.Name);
            if (_resources.Values.Any(r => r.Name == name))
            {
                name = ResourceName($"{e.Pod.Metadata.Name}-{ns}");
            }

            var resource = new PodResource(name);
            var pod = e.Pod.Metadata.Name;
            resource.Annotations.Add(new ResourceCommandAnnotation(LogsCommand, "Container logs",
                _ => ResourceCommandState.Enabled,
                ctx => ReadLogsAsync(resource, ns, pod, ctx.CancellationToken),
                $"Reads the last {LogTail} lines of each container's log through the cluster's API into the console.",
                null, null, "DocumentText", null, true));
            _resources[e.Key] = resource;
            return (resource, true);
        }
    }

    private async Task<ExecuteCommandResult> ReadLogsAsync(PodResource resource, string ns, string pod, CancellationToken cancellationToken)
    {
        var logger = loggers.GetLogger(resource);
        var containers = (await cluster.PodsAsync(ns, string.Empty, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(p => p.Metadata.Name == pod)?.Spec.Containers.Select(c => c.Name).ToList();
        if (containers is null)
        {
            return CommandResults.Failure($"pod {ns}/{pod} is gone");
        }

        var failed = new StringBuilder();
        foreach (var container in containers)
        {
            try
            {
                var log = await cluster.LogsAsync(ns, pod, container, LogTail, cancellationToken).ConfigureAwait(false);
                foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    logger.LogInformation("[{Container}] {Line}", container, line.TrimEnd('\r'));
                }
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                failed.Append(CultureInfo.InvariantCulture, $"{container}: {e.Message}; ");
            }
        }

        return failed.Length == 0 ? CommandResults.Success() : CommandResults.Failure(failed.ToString().TrimEnd(' ', ';'));
    }

    internal static string ResourceName(string podName)
    {
        var chars = podName.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray();
        var name = new string(chars);
        while (name.Contains("--", StringComparison.Ordinal))
        {
            name = name.Replace("--", "-", StringComparison.Ordinal);
        }

        name = name.Trim('-');
        name = name.Length > 0 && char.IsAsciiLetter(name[0]) ? name : "pod-" + name;
        return name.Length <= 64 ? name : name[..64].TrimEnd('-');
    }

    private static ResourcePropertySnapshot Property(string name, string displayName, object value) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true };

    private static ImmutableArray<ResourcePropertySnapshot> Merge(ImmutableArray<ResourcePropertySnapshot> current, IReadOnlyList<ResourcePropertySnapshot> updates)
    {
        var names = updates.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        return [.. current.Where(p => !names.Contains(p.Name)), .. updates];
    }
}
