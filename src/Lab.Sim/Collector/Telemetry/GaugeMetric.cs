using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>A last-value gauge (OTel <c>Int64Gauge</c>), unlabelled or with one series per label set.</summary>
public sealed class GaugeMetric : Metric
{
    private readonly Dictionary<string, (KeyValuePair<string, string>[] Labels, double Value)> _series = [];
    private readonly Lock _lock = new();

    internal GaugeMetric(string name, string help)
        : base(name, help)
    {
    }

    public override string PrometheusType => "gauge";

    /// <summary>The unlabelled series' value (0 when never recorded).</summary>
    public long Value => (long)ValueOf();

    public void Record(long value) => Record(value, []);

    public void Record(long value, params KeyValuePair<string, string>[] labels) => Record((double)value, labels);

    public void Record(double value, params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            _series[LabelKey(labels)] = (labels, value);
        }
    }

    /// <summary>The value of one series (0 when never recorded).</summary>
    public double ValueOf(params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(LabelKey(labels), out var s) ? s.Value : 0;
        }
    }

    /// <summary>Every series with its labels and value (a copy): what an exporter of this gauge reads.</summary>
    public IReadOnlyList<(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)> Series()
    {
        lock (_lock)
        {
            return [.. _series.Values.Select(s => ((IReadOnlyList<KeyValuePair<string, string>>)s.Labels, s.Value))];
        }
    }

    internal bool Has(KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            return _series.ContainsKey(LabelKey(labels));
        }
    }

    internal override void RenderSamples(StringBuilder output, string renderedName)
    {
        lock (_lock)
        {
            foreach (var (labels, value) in _series.Values)
            {
                AppendSample(output, renderedName, labels, Format(value));
            }
        }
    }
}
