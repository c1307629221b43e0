using System.Net;
using System.Net.Sockets;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;

/// <summary>
/// upstream resolver_dns.go: resolves <c>hostname</c> through the pod's resolver (the simulated cluster DNS: a
/// headless Service answers with its ready pod IPs) at start and every <c>interval</c> (default 5s); each address
/// becomes <c>ip</c>, or <c>ip:port</c> when <c>port</c> is configured (IPv6 bracketed); a failed lookup logs
/// <c>failed to resolve</c> and keeps the previous backends.
/// </summary>
internal sealed class DnsBackendResolver(ContainerContext container, string hostname, string? port, TimeSpan interval, Action<string> warn) : BackendResolver
{
    private ITimer? _timer;

    public override string Name => "dns";

    public int Resolutions { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Resolve();
        _timer = container.Time.CreateTimer(_ => Resolve(), null, interval, interval);
        return Task.CompletedTask;
    }

    public override Task ShutdownAsync()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    private void Resolve()
    {
        Resolutions++;
        var addresses = container.Resolver.Resolve(hostname, container.ResolverContext);
        if (addresses.Count == 0)
        {
            // Go's resolver: "lookup <host> on <server>: no such host"
            warn($"failed to resolve\t{{\"error\": \"lookup {hostname}: no such host\"}}");
            return;
        }

        Publish(addresses.Select(Format));
    }

    private string Format(IPAddress ip)
    {
        var host = ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return string.IsNullOrEmpty(port) ? host : host + ":" + port;
    }
}
