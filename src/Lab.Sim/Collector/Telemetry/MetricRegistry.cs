using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>
/// The lab's one registry of self-metrics, rendered as Prometheus text exposition: a collector's internal metrics
/// (<c>:8888/metrics</c>) and the Target Allocator's <c>opentelemetry_allocator_*</c>. Typed instruments
/// (<see cref="Counter"/>, <see cref="Gauge"/>, <see cref="Histogram"/>) or the by-name calls (<see cref="Set"/>,
/// <see cref="Add"/>, <see cref="Observe"/>, whose labels are sorted by name). Recording never throws.
/// Counters are rendered without the <c>_total</c> suffix by default (the v0.9x–v0.11x exposition the reference
/// documents); <see cref="RenderPrometheus"/> can add it, as newer collectors do.
/// </summary>
public sealed class MetricRegistry
{
    private readonly List<Metric> _metrics = [];
    private readonly Lock _lock = new();

    public CounterMetric Counter(string name, string help) => Register(new CounterMetric(name, help));

    /// <summary>The counter named <paramref name="name"/>, registered on first use: components of several pipelines share one (e.g. <c>otelcol_receiver_accepted_metric_points</c>).</summary>
    public CounterMetric CounterOrExisting(string name, string help)
    {
        lock (_lock)
        {
            if (_metrics.FirstOrDefault(m => m.Name == name) is CounterMetric existing)
            {
                return existing;
            }

            var counter = new CounterMetric(name, help);
            _metrics.Add(counter);
            return counter;
        }
    }

    public GaugeMetric Gauge(string name, string help) => Register(new GaugeMetric(name, help));

    public HistogramMetric Histogram(string name, string help, IReadOnlyList<double>? boundaries = null) =>
        Register(new HistogramMetric(name, help, boundaries ?? HistogramMetric.DefaultBoundaries));

    /// <summary>Sets a gauge series.</summary>
    public void Set(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Gauge(name, help).Record(value, Sorted(labels));

    /// <summary>Adds to a counter series (rendered with <c>_total</c> by <see cref="Render"/>).</summary>
    public void Add(string name, string help, double delta, params (string Name, string Value)[] labels) =>
        Counter(name, help).Add((long)delta, Sorted(labels));

    /// <summary>Records a histogram observation (bounds fixed by the first call for that name).</summary>
    public void Observe(string name, string help, double value, IReadOnlyList<double>? buckets, params (string Name, string Value)[] labels) =>
        Histogram(name, help, buckets).Record(value, Sorted(labels));

    /// <summary>The value of a gauge or counter series, or null when it was never recorded.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var key = Sorted(labels);
        return Find(name) switch
        {
            CounterMetric c when c.Has(key) => c.Value(key),
            GaugeMetric g when g.Has(key) => g.ValueOf(key),
            _ => null,
        };
    }

    /// <summary>The gauge named <paramref name="name"/>, or null when it was never registered.</summary>
    public GaugeMetric? FindGauge(string name) => Find(name) as GaugeMetric;

    /// <summary>The histogram named <paramref name="name"/>, or null when it was never registered.</summary>
    public HistogramMetric? FindHistogram(string name) => Find(name) as HistogramMetric;

    /// <summary>The counter named <paramref name="name"/>, or null when it was never registered.</summary>
    public CounterMetric? FindCounter(string name) => Find(name) as CounterMetric;

    /// <summary>The sum of a counter over every series (0 when it was never registered), e.g. all exporters' <c>otelcol_exporter_sent_spans</c>.</summary>
    public long CounterTotal(string name) => Find(name) is CounterMetric c ? c.Total : 0;

    /// <summary>The number of observations of a histogram series.</summary>
    public long Count(string name, params (string Name, string Value)[] labels) =>
        Find(name) is HistogramMetric h ? h.CountOf(Sorted(labels)) : 0;

    /// <summary>Every family sorted by name, counters with the <c>_total</c> suffix (the Target Allocator's exposition).</summary>
    public string Render() => RenderText(counterTotalSuffix: true, sorted: true);

    public string RenderPrometheus(bool counterTotalSuffix = false) => RenderText(counterTotalSuffix, sorted: false);

    private string RenderText(bool counterTotalSuffix, bool sorted)
    {
        var output = new StringBuilder();
        Metric[] metrics;
        lock (_lock)
        {
            metrics = sorted ? [.. _metrics.OrderBy(m => m.Name, StringComparer.Ordinal)] : [.. _metrics];
        }

        foreach (var metric in metrics)
        {
            var name = counterTotalSuffix && metric is CounterMetric ? metric.Name + "_total" : metric.Name;
            output.Append("# HELP ").Append(name).Append(' ').Append(metric.Help).Append('\n');
            output.Append("# TYPE ").Append(name).Append(' ').Append(metric.PrometheusType).Append('\n');
            metric.RenderSamples(output, name);
        }

        return output.ToString();
    }

    private Metric? Find(string name)
    {
        lock (_lock)
        {
            return _metrics.FirstOrDefault(m => m.Name == name);
        }
    }

    private static KeyValuePair<string, string>[] Sorted((string Name, string Value)[] labels) =>
        [.. labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => new KeyValuePair<string, string>(l.Name, l.Value))];

    private T Register<T>(T metric)
        where T : Metric
    {
        lock (_lock)
        {
            // Several components register the same instrument (one otelcol_exporter_sent_spans, a series per
            // exporter label): the first registration wins and later ones share it, as one OTel Meter would.
            var existing = _metrics.FirstOrDefault(m => m.Name == metric.Name);
            if (existing is T same)
            {
                return same;
            }

            if (existing is not null)
            {
                throw new InvalidOperationException($"metric {metric.Name} is already registered as a {existing.PrometheusType}");
            }

            _metrics.Add(metric);
        }

        return metric;
    }
}
