using OtelLab.Model.Collector;
using OtelLab.Model.Collector.Decoding;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime.Internal;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Collector.Runtime;

/// <summary>
/// The pipeline graph of one collector, built as upstream's service graph does (service/internal/graph/graph.go):
/// one receiver instance per receiver id, shared by every pipeline that lists it and fanning out to each pipeline's
/// first processor; processors per pipeline; one exporter instance per (exporter id, signal), shared by the pipelines
/// of that signal. Starts exporters → processors → receivers and shuts down in the reverse order, so buffered data
/// is flushed downstream before exporters stop (graph.StartAll / ShutdownAll walk the topological order).
/// </summary>
public sealed class CollectorService : IAsyncDisposable
{
    private static readonly string[] EmulatedSignals = ["traces", "metrics"];

    private readonly List<(string Kind, string Id, string? Signal, ICollectorComponent Component)> _receivers = [];
    private readonly List<(string Kind, string Id, string? Signal, ICollectorComponent Component)> _processors = [];
    private readonly List<(string Kind, string Id, string? Signal, ICollectorComponent Component)> _exporters = [];
    private readonly CollectorLog _log;
    private readonly MemoryGauge _memory;
    private int _state;
    private int _disposed;

    private CollectorService(CollectorConfig config, CollectorLog log, MemoryGauge memory)
    {
        _memory = memory;
        Config = config;
        _log = log;
    }

    public CollectorConfig Config { get; }

    /// <summary>Every built component with its kind (<c>receiver</c>, <c>processor</c>, <c>exporter</c>), id and signal.</summary>
    public IEnumerable<(string Kind, string Id, string? Signal, ICollectorComponent Component)> Components =>
        _receivers.Concat(_processors).Concat(_exporters);

    /// <summary>The built component of that id (and signal, for processors/exporters), or null.</summary>
    public ICollectorComponent? Find(string id, string? signal = null) =>
        Components.FirstOrDefault(c => c.Id == id && (signal is null || c.Signal is null || c.Signal == signal)).Component;

    /// <summary>
    /// Checks every configured component type against the distribution and the lab's factories and decodes its settings
    /// (in the image's mapstructure dialect), then builds the graph.
    /// Throws <see cref="CollectorStartException"/> with upstream's text.
    /// </summary>
    public static CollectorService Build(
        CollectorConfig config, ContainerContext container, CollectorDistribution distribution, IReadOnlyList<IComponentFactory> catalog,
        MetricRegistry telemetry, ExternalEndpoints egress, CollectorLog log, MemoryGauge? memory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(container);
        var dialect = MapstructureDialect.For(CollectorDistribution.VersionOf(container.Container.Image));
        var factories = ComponentTypes.Check(config, distribution, catalog, dialect);
        var service = new CollectorService(config, log, memory ?? new MemoryGauge());
        service.BuildGraph(container, factories, telemetry, egress);
        return service;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        _log.Info("Starting the collector pipelines", ("receivers", _receivers.Count), ("processors", _processors.Count), ("exporters", _exporters.Count));
        foreach (var (kind, id, signal, component) in _exporters.Concat(_processors).Concat(_receivers))
        {
            try
            {
                await component.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not CollectorStartException and not OperationCanceledException)
            {
                // upstream service.go: "cannot start pipelines: failed to start \"otlp\" receiver: listen tcp ...".
                throw new CollectorStartException($"cannot start pipelines: failed to start \"{id}\" {kind}: {e.Message}", e);
            }

            _log.Info("Component started", CollectorLog.Component(kind, id, signal));
        }

        _log.Info("Everything is ready. Begin running and processing data.");
    }

    /// <summary>Receivers first, exporters last, each flushing what it holds (upstream graph.ShutdownAll). Never throws.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        _log.Info("Starting shutdown...");
        foreach (var (kind, id, signal, component) in _receivers.Concat(_processors).Concat(_exporters))
        {
            try
            {
                await component.ShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.Error("Failed to shutdown component", CollectorLog.Component(kind, id, signal, ("error", e.Message)));
            }
        }

        _log.Info("Shutdown complete.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var (_, _, _, component) in Components)
        {
            await component.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void BuildGraph(ContainerContext container, ComponentTypes factories, MetricRegistry telemetry, ExternalEndpoints egress)
    {
        var exporters = new Dictionary<(ComponentId, string), ICollectorComponent>();
        var traceEntries = new Dictionary<ComponentId, List<ITraceConsumer>>();
        var metricEntries = new Dictionary<ComponentId, List<IMetricConsumer>>();
        var receiverSignals = new Dictionary<ComponentId, string>();

        // upstream service/internal/graph: a connector is an exporter of the pipelines that list it under exporters and a
        // receiver of those that list it under receivers; what it emits fans out to every pipeline it receives for.
        // The output lists fill as the receiving pipelines are built (in any order), so they are read at consume time.
        var connectorTraces = new Dictionary<ComponentId, List<ITraceConsumer>>();
        var connectorMetrics = new Dictionary<ComponentId, List<IMetricConsumer>>();
        List<ITraceConsumer> TracesOut(ComponentId id) => connectorTraces.TryGetValue(id, out var l) ? l : connectorTraces[id] = [];
        List<IMetricConsumer> MetricsOut(ComponentId id) => connectorMetrics.TryGetValue(id, out var l) ? l : connectorMetrics[id] = [];
        foreach (var pipeline in Config.Pipelines)
        {
            if (!EmulatedSignals.Contains(pipeline.Signal))
            {
                _log.Warn("Pipeline not emulated by the lab; it is skipped", ("pipeline", pipeline.Id.ToString()));
                continue;
            }

            var downstream = new List<ICollectorComponent>();
            foreach (var exporterRef in pipeline.Exporters)
            {
                var key = (exporterRef.Id, pipeline.Signal);
                if (!exporters.TryGetValue(key, out var exporter))
                {
                    exporter = Config.Connectors.ContainsKey(exporterRef.Id)
                        ? Create(ComponentKind.Connector, exporterRef.Id, pipeline.Signal, container, factories, telemetry, egress,
                            new FanOut(TracesOut(exporterRef.Id), []), new FanOut([], MetricsOut(exporterRef.Id)))
                        : Create(ComponentKind.Exporter, exporterRef.Id, pipeline.Signal, container, factories, telemetry, egress, null, null);
                    exporters[key] = exporter;
                    _exporters.Add(("exporter", exporterRef.Id.ToString(), pipeline.Signal, exporter));
                }

                downstream.Add(exporter);
            }

            var nextTraces = FanOut.Traces([.. downstream.OfType<ITraceConsumer>()]);
            var nextMetrics = FanOut.Metrics([.. downstream.OfType<IMetricConsumer>()]);
            for (var i = pipeline.Processors.Count - 1; i >= 0; i--)
            {
                var id = pipeline.Processors[i].Id;
                var processor = Create(ComponentKind.Processor, id, pipeline.Signal, container, factories, telemetry, egress, nextTraces, nextMetrics);
                _processors.Insert(0, ("processor", id.ToString(), pipeline.Signal, processor));
                nextTraces = processor as ITraceConsumer;
                nextMetrics = processor as IMetricConsumer;
            }

            foreach (var receiverRef in pipeline.Receivers)
            {
                if (Config.Connectors.ContainsKey(receiverRef.Id))
                {
                    if (pipeline.Signal == "traces" && nextTraces is not null)
                    {
                        TracesOut(receiverRef.Id).Add(nextTraces);
                    }
                    else if (pipeline.Signal == "metrics" && nextMetrics is not null)
                    {
                        MetricsOut(receiverRef.Id).Add(nextMetrics);
                    }

                    continue;
                }

                receiverSignals.TryAdd(receiverRef.Id, pipeline.Signal);
                if (pipeline.Signal == "traces" && nextTraces is not null)
                {
                    (traceEntries.TryGetValue(receiverRef.Id, out var l) ? l : traceEntries[receiverRef.Id] = []).Add(nextTraces);
                }
                else if (pipeline.Signal == "metrics" && nextMetrics is not null)
                {
                    (metricEntries.TryGetValue(receiverRef.Id, out var l) ? l : metricEntries[receiverRef.Id] = []).Add(nextMetrics);
                }
            }
        }

        foreach (var (id, signal) in receiverSignals)
        {
            var receiver = Create(ComponentKind.Receiver, id, signal, container, factories, telemetry, egress,
                FanOut.Traces(traceEntries.GetValueOrDefault(id) ?? []), FanOut.Metrics(metricEntries.GetValueOrDefault(id) ?? []));
            _receivers.Add(("receiver", id.ToString(), null, receiver));
        }
    }

    private ICollectorComponent Create(
        ComponentKind kind, ComponentId id, string signal, ContainerContext container, ComponentTypes factories, MetricRegistry telemetry,
        ExternalEndpoints egress, ITraceConsumer? nextTraces, IMetricConsumer? nextMetrics)
    {
        var factory = factories.For(kind, id);
        if (!factory.Signals.Contains(signal))
        {
            // upstream: "failed to create \"x\" exporter for data type \"logs\": telemetry type is not supported".
            throw new CollectorStartException(
                $"failed to build pipelines: failed to create \"{id}\" {kind.ToString().ToLowerInvariant()} for data type \"{signal}\": telemetry type is not supported");
        }

        return factory.Create(new ComponentCreateContext
        {
            Id = id,
            Kind = kind,
            Signal = signal,
            Settings = Config.ByKind(kind)[id].Settings,
            Config = Config,
            Container = container,
            Telemetry = telemetry,
            NextTraces = nextTraces,
            NextMetrics = nextMetrics,
            Egress = egress,
            Memory = _memory,
        });
    }
}
