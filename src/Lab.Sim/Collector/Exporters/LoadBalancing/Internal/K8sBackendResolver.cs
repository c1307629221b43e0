using System.Globalization;
using k8s.Models;
using OtelLab.Model.Rbac;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;

/// <summary>
/// upstream resolver_k8s.go + resolver_k8s_handler.go (contrib v0.105.0, the version the lab's loadbalancing schema
/// pins: a client-go informer on core/v1 <c>Endpoints</c>, not EndpointSlices): watches the Endpoints of
/// <c>service</c> (<c>name.ns</c>; the pod's namespace when no <c>.ns</c>) through the API as the pod's
/// ServiceAccount; each ready address × each of <c>ports</c> (default [4317]) becomes <c>ip:port</c>. A refused list or
/// watch is logged and retried (client-go reflector). The API is the container's reader: the store in process, or
/// under watchOverWire the same informer type as the Target Allocator's and k8sattributes', over HTTP with the
/// ServiceAccount's token (upstream lists with a <c>metadata.name</c> field selector; the lab's informer watches the
/// namespace's Endpoints and picks the service's).
/// </summary>
internal sealed class K8sBackendResolver(ContainerContext container, string service, IReadOnlyList<int> ports, Action<string> error) : BackendResolver
{
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;
    private IClusterReader? _api;

    public override string Name => "k8s";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var dot = service.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? service : service[..dot];
        var ns = dot < 0 ? container.Pod.Metadata.NamespaceProperty ?? "default" : service[(dot + 1)..];
        var pod = container.Pod;
        var api = container.ApiFor(new RbacSubject(pod.Metadata.NamespaceProperty ?? "default", pod.Spec?.ServiceAccountName ?? "default"));
        _api = api;
        _watch = Task.Run(() => WatchAsync(api, name, ns, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public override async Task ShutdownAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _api?.Dispose();
    }

    private async Task WatchAsync(IClusterReader api, string name, string ns, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(800);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // reflector.go ListAndWatch: a list first (RBAC's list verb), then the watch.
                _ = await api.ListAsync("Endpoints", ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                await foreach (var e in api.Watch("Endpoints", ns, sendInitialEvents: true, cancellationToken).ConfigureAwait(false))
                {
                    if (e.Name != name)
                    {
                        continue;
                    }

                    var endpoints = e.Type == WatchEventType.Deleted ? null : (V1Endpoints)e.Object;
                    var ips = endpoints?.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip) ?? [];
                    Publish(ips.SelectMany(ip => ports.Select(p => ip + ":" + p.ToString(CultureInfo.InvariantCulture))));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterApiException ex)
            {
                error($"failed to list *v1.Endpoints: {ex.Message}");
                try
                {
                    await Task.Delay(backoff, container.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
