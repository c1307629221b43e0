namespace OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;

/// <summary>
/// Where the backends come from (upstream resolver interface: start, shutdown, onChange). Implementations publish the
/// full, sorted endpoint list whenever it changes.
/// </summary>
internal abstract class BackendResolver
{
    public event Action<IReadOnlyList<string>>? Changed;

    public abstract string Name { get; }

    public IReadOnlyList<string> Endpoints { get; private set; } = [];

    public abstract Task StartAsync(CancellationToken cancellationToken);

    public virtual Task ShutdownAsync() => Task.CompletedTask;

    /// <summary>Publishes <paramref name="endpoints"/> (sorted ordinal, as upstream's sort.Strings) if they differ.</summary>
    protected void Publish(IEnumerable<string> endpoints)
    {
        var sorted = endpoints.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        lock (this)
        {
            if (sorted.SequenceEqual(Endpoints))
            {
                return;
            }

            Endpoints = sorted;
        }

        Changed?.Invoke(sorted);
    }
}
