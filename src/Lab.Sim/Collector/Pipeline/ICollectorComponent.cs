namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// A built component of a running collector (upstream <c>component.Component</c>). Receivers, processors and exporters
/// also implement <see cref="Traces.ITraceConsumer"/> and/or <see cref="Metrics.IMetricConsumer"/> for the signals
/// they take. Start failing (throwing <see cref="CollectorStartException"/>) ends the collector with upstream's error in the
/// container log, which the kubelet turns into CrashLoopBackOff.
/// </summary>
public interface ICollectorComponent : IAsyncDisposable
{
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops accepting data and flushes what is buffered (upstream <c>Shutdown</c>: receivers first, exporters last).</summary>
    Task ShutdownAsync(CancellationToken cancellationToken);
}
