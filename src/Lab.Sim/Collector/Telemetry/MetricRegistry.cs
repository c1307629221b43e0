using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>
/// A collector's internal metrics, rendered as Prometheus text exposition like <c>:8888/metrics</c>.
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

    public string RenderPrometheus(bool counterTotalSuffix = false)
    {
        var output = new StringBuilder();
        Metric[] metrics;
        lock (_lock)
        {
            metrics = [.. _metrics];
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
