using System.Net;
using OtelLab.Model.Diagnostics;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.TargetAllocation.Discovery;
using OtelLab.Sim.TargetAllocation.Http;
using k8s.Models;

namespace OtelLab.Sim.TargetAllocation.Runtime;

/// <summary>
/// Runs the operator's target-allocator image in process: reads the rendered <c>targetallocator.yaml</c> from the
/// ConfigMap mounted at <c>/conf</c>, discovers collectors and targets through the API as the pod's ServiceAccount,
/// allocates on the upstream ticks (scaled by the kubelet's time scale) and serves the HTTP API on the pod IP :8080.
/// The container turns Ready once the scrape configs are loaded (upstream <c>/readyz</c>).
/// </summary>
public sealed class TargetAllocatorContainerRuntime : IContainerRuntime
{
    /// <summary>upstream TA listens on :8080.</summary>
    public const int Port = 8080;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TargetAllocator> _running = new(StringComparer.Ordinal);

    /// <summary>The allocator of each running TA pod, by pod name (for checks and benchmarks).</summary>
    public IReadOnlyDictionary<string, TargetAllocator> Running
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, TargetAllocator>(_running, StringComparer.Ordinal);
            }
        }
    }

    public bool CanRun(string image) => image?.Contains("target-allocator", StringComparison.Ordinal) == true;

    public async Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Pod;
        // Its watches, rebalancing timers and HTTP requests run for this pod (see ComponentCpu).
        var cpu = new ComponentCpu(pod.Metadata.Name);
        ComponentCpu.Enter(cpu);
        var config = TargetAllocatorConfigFile.Parse(ReadConfig(context));
        var ns = pod.Metadata.NamespaceProperty;
        var api = context.ApiFor(new RbacSubject(ns, pod.Spec.ServiceAccountName ?? "default"));
        var targets = new ClusterTargetSource(api, config.ScrapeConfigs, config.PrometheusCr, context.Log.Write);
        var collectors = new ClusterCollectorSource(api, ns, config.CollectorSelector, context.Log.Write);
        var allocator = new TargetAllocator(
            new TargetAllocatorOptions { AllocationStrategy = config.AllocationStrategy, FallbackStrategy = config.FallbackStrategy },
            [targets],
            collectors,
            context.Time) { Cpu = cpu };
        targets.Start();
        collectors.Start();
        allocator.Start();
        TargetAllocatorServer server;
        try
        {
            server = await TargetAllocatorServer.StartAsync(allocator, new IPEndPoint(context.PodAddress, Port), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            targets.Dispose();
            collectors.Dispose();
            api.Dispose();
            await allocator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        context.Log.Write($"Starting server... addr=\"{context.PodAddress}:{Port}\" allocation_strategy={config.AllocationStrategy}");
        context.Readiness.Set(allocator.IsReady);
        lock (_gate)
        {
            _running[pod.Metadata.Name] = allocator;
        }

        return new Process(this, pod.Metadata.Name, allocator, server, targets, collectors, api);
    }

    private static string ReadConfig(ContainerContext context)
    {
        var mount = context.Container.VolumeMounts?.FirstOrDefault(m => m.MountPath == "/conf")
            ?? throw new InvalidOperationException("target allocator container has no volume mounted at /conf");
        var volume = context.Pod.Spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)?.ConfigMap
            ?? throw new InvalidOperationException($"volume {mount.Name} is not a ConfigMap volume");
        var configMap = context.Cluster.Get<V1ConfigMap>(context.Pod.Metadata.NamespaceProperty, volume.Name)
            ?? throw new InvalidOperationException($"configmap \"{volume.Name}\" not found");
        return configMap.Data?.TryGetValue(TargetAllocatorConfigKey, out var text) == true
            ? text
            : throw new InvalidOperationException($"configmap \"{volume.Name}\" has no {TargetAllocatorConfigKey}");
    }

    private const string TargetAllocatorConfigKey = "targetallocator.yaml";

    private void Remove(string pod)
    {
        lock (_gate)
        {
            _running.Remove(pod);
        }
    }

    private sealed class Process(
        TargetAllocatorContainerRuntime runtime, string podName, TargetAllocator allocator, TargetAllocatorServer server,
        ClusterTargetSource targets, ClusterCollectorSource collectors, IClusterReader api) : IContainerProcess
    {
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stopped;

        public Task<int> Exited => _exited.Task;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await ShutdownAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

        private async Task ShutdownAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                await _exited.Task.ConfigureAwait(false);
                return;
            }

            // The exit is set even when a step throws: the kubelet stops, then disposes, and the second call waits on it.
            try
            {
                runtime.Remove(podName);
                targets.Dispose();
                collectors.Dispose();
                api.Dispose();
                await server.DisposeAsync().ConfigureAwait(false);
                await allocator.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _exited.TrySetResult(143);
            }
        }
    }
}
