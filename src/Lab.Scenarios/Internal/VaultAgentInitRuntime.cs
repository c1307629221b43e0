using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios.Internal;

/// <summary>
/// The container runtime the lab's kubelets use: before a pod annotated <c>vault.hashicorp.com/agent-inject</c> runs
/// anything, the Vault Agent init step renders its secrets into the pod's folder (as the injected
/// <c>vault-agent-init</c> container runs first in a real pod); then the first runtime that can run the image
/// starts it. A failed injection is a start failure: the kubelet backs off and retries, as the pod would sit in Init.
/// upstream: hashicorp/vault-k8s agent-inject (the init container is prepended to the pod's init containers).
/// </summary>
internal sealed class VaultAgentInitRuntime(
    IReadOnlyList<IContainerRuntime> runtimes,
    AgentInjector injector,
    Func<string, string, string> podRoot) : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, Task<AgentInjectionResult>> _byPodUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VaultInjection> _results = new(StringComparer.Ordinal);

    /// <summary>The latest injection per pod (namespace/name).</summary>
    public IReadOnlyList<VaultInjection> Injections => [.. _results.Values.OrderBy(i => i.Namespace, StringComparer.Ordinal).ThenBy(i => i.Pod, StringComparer.Ordinal)];

    public bool CanRun(string image) => runtimes.Any(r => r.CanRun(image));

    public async Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        var pod = context.Pod;
        if (pod.Metadata.Annotations?.TryGetValue("vault.hashicorp.com/agent-inject", out var inject) == true && inject == "true")
        {
            var result = await _byPodUid.GetOrAdd(pod.Metadata.Uid, _ => InjectAsync(pod, context.PodAddress, cancellationToken)).ConfigureAwait(false);
            if (!result.InitSucceeded)
            {
                // Retry on the next start (the agent retries), not from a cached failure.
                _byPodUid.TryRemove(pod.Metadata.Uid, out _);
                context.Log.Write("vault-agent-init: " + result.Reason);
                throw new InvalidOperationException("vault-agent-init did not complete: " + result.Reason);
            }
        }

        var runtime = runtimes.First(r => r.CanRun(context.Container.Image));
        return await runtime.StartAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AgentInjectionResult> InjectAsync(V1Pod pod, IPAddress podAddress, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        var result = await injector.InjectAsync(new AgentInjectionRequest
        {
            Namespace = ns,
            PodName = name,
            ServiceAccount = pod.Spec.ServiceAccountName ?? "default",
            Annotations = pod.Metadata.Annotations?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? [],
            PodRoot = podRoot(ns, name),
            PodIp = podAddress,
        }, cancellationToken).ConfigureAwait(false);
        _results[$"{ns}/{name}"] = new VaultInjection(ns, name, pod.Spec.ServiceAccountName ?? "default", result);
        return result;
    }
}
