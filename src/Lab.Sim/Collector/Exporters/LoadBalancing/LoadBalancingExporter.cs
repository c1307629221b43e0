using System.Globalization;
using System.Text;
using OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Telemetry;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// The contrib <c>loadbalancing</c> exporter for traces: splits each batch by routing key (<c>traceID</c>: every span
/// of a trace to one backend; <c>service</c>: by the resource's service.name), maps the key on upstream's consistent
/// hashing ring over the resolver's endpoints, and hands each part to that endpoint's sub-exporter (an otlp exporter
/// upstream, created through the injected factory here). When the resolver's list changes, the ring is rebuilt and
/// sub-exporters are created for new endpoints and shut down for removed ones (upstream loadbalancer.go onBackendChanges).
/// </summary>
public sealed class LoadBalancingExporter : ICollectorComponent, ITraceConsumer
{
    private readonly ComponentCreateContext _context;
    private readonly string _routingKey;
    private readonly Func<string, ITraceConsumer> _subExporter;
    private readonly Dictionary<string, ITraceConsumer> _exporters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly GaugeMetric _numBackends;
    private readonly CounterMetric _dropped;
    private HashRing _ring = new([]);

    internal LoadBalancingExporter(ComponentCreateContext context, string routingKey, BackendResolver resolver, Func<string, ITraceConsumer> subExporter)
    {
        _context = context;
        _routingKey = routingKey;
        Resolver = resolver;
        _subExporter = subExporter;
        _numBackends = SharedGauge(context.Telemetry);
        _dropped = SharedCounters.Get(context.Telemetry, "otelcol_exporter_send_failed_spans", "Number of spans in failed attempts to send to destination.");
        resolver.Changed += OnBackendChanges;
    }

    internal BackendResolver Resolver { get; }

    /// <summary>The current backends, sorted (what the ring was built from).</summary>
    public IReadOnlyList<string> Backends
    {
        get
        {
            lock (_gate)
            {
                return _ring.Endpoints;
            }
        }
    }

    /// <summary>Spans that could not be routed (no backend yet) or whose sub-exporter failed.</summary>
    public long FailedSpans => _dropped.Value(ExporterLabel);

    // upstream: exporterhelper's obsreport labels every otelcol_exporter_* series with the component id (exporter="loadbalancing").
    private KeyValuePair<string, string> ExporterLabel => new("exporter", _context.Id.ToString());

    public Task StartAsync(CancellationToken cancellationToken) => Resolver.StartAsync(cancellationToken);

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await Resolver.ShutdownAsync().ConfigureAwait(false);
        List<ITraceConsumer> exporters;
        lock (_gate)
        {
            exporters = [.. _exporters.Values];
            _exporters.Clear();
        }

        foreach (var e in exporters.OfType<ICollectorComponent>())
        {
            await e.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync(CancellationToken.None));

    public async ValueTask ConsumeAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        HashRing ring;
        Dictionary<string, ITraceConsumer> exporters;
        lock (_gate)
        {
            ring = _ring;
            exporters = new Dictionary<string, ITraceConsumer>(_exporters, StringComparer.Ordinal);
        }

        var byEndpoint = new Dictionary<string, List<TraceSpan>>(StringComparer.Ordinal);
        Span<byte> id = stackalloc byte[TraceId.Size];
        foreach (var span in spans)
        {
            string endpoint;
            if (_routingKey == "service")
            {
                endpoint = ring.EndpointFor(Encoding.UTF8.GetBytes(span.ServiceName));
            }
            else
            {
                span.TraceId.WriteBytes(id);
                endpoint = ring.EndpointFor(id);
            }

            if (!byEndpoint.TryGetValue(endpoint, out var list))
            {
                byEndpoint[endpoint] = list = [];
            }

            list.Add(span);
        }

        foreach (var (endpoint, part) in byEndpoint)
        {
            if (!exporters.TryGetValue(endpoint, out var exporter))
            {
                // upstream trace_exporter.go: "couldn't find the exporter for the endpoint %q" (the data is lost).
                Fail(part.Count, $"couldn't find the exporter for the endpoint \"{endpoint}\"");
                continue;
            }

            try
            {
                await exporter.ConsumeAsync(part, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(part.Count, ex.Message);
            }
        }
    }

    private void Fail(int spans, string error)
    {
        _dropped.Add(spans, ExporterLabel);
        Log("error", $"Exporting failed. Dropping data.\t{{\"error\": \"{error.Replace("\"", "\\\"", StringComparison.Ordinal)}\", \"dropped_items\": {spans}}}");
    }

    private void OnBackendChanges(IReadOnlyList<string> endpoints)
    {
        var ring = new HashRing(endpoints);
        List<ITraceConsumer> removed;
        List<ITraceConsumer> added = [];
        lock (_gate)
        {
            if (ring.SameAs(_ring))
            {
                return;
            }

            foreach (var endpoint in endpoints.Where(e => !_exporters.ContainsKey(e)))
            {
                // upstream loadbalancer.go addMissingExporters: endpointWithPort appends the default OTLP port 4317.
                var exporter = _subExporter(endpoint.Contains(':', StringComparison.Ordinal) ? endpoint : endpoint + ":4317");
                _exporters[endpoint] = exporter;
                added.Add(exporter);
            }

            var gone = _exporters.Keys.Where(k => !endpoints.Contains(k)).ToList();
            removed = gone.Select(k => _exporters[k]).ToList();
            foreach (var k in gone)
            {
                _exporters.Remove(k);
            }

            _ring = ring;
        }

        _numBackends.Record(endpoints.Count);
        foreach (var component in added.OfType<ICollectorComponent>())
        {
            _ = component.StartAsync(CancellationToken.None);
        }

        foreach (var component in removed.OfType<ICollectorComponent>())
        {
            _ = component.ShutdownAsync(CancellationToken.None);
        }
    }

    internal void Log(string level, string message)
    {
        var at = _context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _context.Container.Log.Write($"{at}\t{level}\tloadbalancingexporter\t{message}");
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MetricRegistry, GaugeMetric> Gauges = [];

    private static GaugeMetric SharedGauge(MetricRegistry registry)
    {
        lock (Gauges)
        {
            if (!Gauges.TryGetValue(registry, out var gauge))
            {
                gauge = registry.Gauge("otelcol_loadbalancer_num_backends", "Current number of backends in use.");
                Gauges.Add(registry, gauge);
            }

            return gauge;
        }
    }
}
