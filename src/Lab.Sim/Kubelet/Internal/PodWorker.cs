using System.Net;
using k8s.Models;
using OtelLab.Sim.Cluster;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>One pod on a node: init containers in order, then the app containers, and the pod status they add up to.</summary>
internal sealed class PodWorker
{
    private readonly Kubelet _kubelet;
    private readonly SimulatedCluster _cluster;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ContainerWorker> _init;
    private readonly List<ContainerWorker> _containers;
    private Task _run = Task.CompletedTask;
    private bool _initialized;

    public PodWorker(Kubelet kubelet, SimulatedCluster cluster, V1Pod pod)
    {
        _kubelet = kubelet;
        _cluster = cluster;
        Pod = pod;
        _init = (pod.Spec.InitContainers ?? []).Select(c => new ContainerWorker(this, c, init: true)).ToList();
        _containers = (pod.Spec.Containers ?? []).Select(c => new ContainerWorker(this, c, init: false)).ToList();
    }

    public V1Pod Pod { get; }

    public KubeletOptions Options => _kubelet.Options;

    public TimeProvider Time => _cluster.Time;

    public IEnumerable<ContainerWorker> Containers => _init.Concat(_containers);

    public void Start() => _run = RunAsync();

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    public IContainerRuntime? RuntimeFor(string image) => _kubelet.RuntimeFor(image);

    public ContainerContext ContextFor(V1Container container, ContainerWorker worker, int restarts)
    {
        var current = _cluster.Get<V1Pod>(Pod.Metadata.NamespaceProperty, Pod.Metadata.Name) ?? Pod;
        return new ContainerContext
        {
            Cluster = _cluster,
            Pod = current,
            Container = container,
            Environment = Options.Environment.Resolve(current, container),
            PodAddress = IPAddress.Parse(current.Status.PodIP),
            NodeName = _kubelet.NodeName,
            NodeAddress = _kubelet.NodeAddress,
            Resolver = _kubelet.Resolver,
            Time = Time,
            Log = worker.Log,
            Readiness = worker.Readiness,
            RestartCount = restarts,
            ComponentApi = Options.ComponentApi,
        };
    }

    public void Event(string type, string reason, string message) =>
        _cluster.RecordEvent("Pod", Pod.Metadata.NamespaceProperty, Pod.Metadata.Name, type, reason, message, "kubelet");

    /// <summary>Asks the kubelet to write this pod's status soon (coalesced with other pods' into one API call).</summary>
    public void PublishStatusSoon()
    {
        if (!_stop.IsCancellationRequested)
        {
            _kubelet.MarkDirty(this);
        }
    }

    /// <summary>The pod with the status its containers add up to now, or null when the pod is gone.</summary>
    public V1Pod? BuildStatus()
    {
        var current = _cluster.Get<V1Pod>(Pod.Metadata.NamespaceProperty, Pod.Metadata.Name);
        if (current is null || current.Metadata.Uid != Pod.Metadata.Uid)
        {
            return null;
        }

        var copy = k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(current));
        var now = Time.GetUtcNow().UtcDateTime;
        var statuses = _containers.Select(c => c.Status()).ToList();
        var initStatuses = _init.Select(c => c.Status()).ToList();
        var ready = _initialized && statuses.All(s => s.Ready == true);
        var terminal = Pod.Spec.RestartPolicy is "Never" && statuses.Count > 0 && statuses.All(s => s.State.Terminated is not null);
        copy.Status.Phase = terminal
            ? statuses.All(s => s.State.Terminated!.ExitCode == 0) ? "Succeeded" : "Failed"
            : statuses.Any(s => s.State.Running is not null || s.LastState?.Terminated is not null || s.State.Terminated is not null) ? "Running" : "Pending";
        copy.Status.StartTime ??= now;
        copy.Status.ContainerStatuses = statuses;
        copy.Status.InitContainerStatuses = initStatuses.Count == 0 ? null : initStatuses;
        copy.Status.Conditions =
        [
            Condition(current, "PodScheduled", true, now),
            Condition(current, "Initialized", _initialized, now),
            Condition(current, "ContainersReady", ready, now),
            Condition(current, "Ready", ready, now),
        ];
        return copy;
    }

    private static V1PodCondition Condition(V1Pod current, string type, bool value, DateTime now)
    {
        var status = value ? "True" : "False";
        var previous = current.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            LastTransitionTime = previous?.Status == status ? previous.LastTransitionTime : now,
        };
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        foreach (var init in _init)
        {
            var code = await init.RunAsync(_stop.Token).ConfigureAwait(false);
            if (_stop.IsCancellationRequested || code != 0)
            {
                PublishStatusSoon();
                return;
            }
        }

        _initialized = true;
        PublishStatusSoon();
        await Task.WhenAll(_containers.Select(c => c.RunAsync(_stop.Token))).ConfigureAwait(false);
        PublishStatusSoon();
    }
}
