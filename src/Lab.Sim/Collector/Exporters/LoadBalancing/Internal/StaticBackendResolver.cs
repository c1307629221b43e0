namespace OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;

/// <summary>upstream resolver_static.go: the configured hostnames, sorted, published once at start.</summary>
internal sealed class StaticBackendResolver(IReadOnlyList<string> hostnames) : BackendResolver
{
    public override string Name => "static";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Publish(hostnames);
        return Task.CompletedTask;
    }
}
