using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>A last-value gauge (OTel <c>Int64Gauge</c>), unlabelled or with one series per label set.</summary>
public sealed class GaugeMetric : Metric
{
    private readonly Dictionary<string, (KeyValuePair<string, string>[] Labels, long Value)> _series = [];
    private readonly Lock _lock = new();

    internal GaugeMetric(string name, string help)
        : base(name, help)
    {
    }

    public override string PrometheusType => "gauge";

    /// <summary>The unlabelled series' value (0 when never recorded).</summary>
    public long Value => ValueOf();

    public void Record(long value) => Record(value, []);

    public void Record(long value, params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            _series[LabelKey(labels)] = (labels, value);
        }
    }

    /// <summary>The value of one series (0 when never recorded).</summary>
    public long ValueOf(params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(LabelKey(labels), out var s) ? s.Value : 0;
        }
    }

    internal override void RenderSamples(StringBuilder output, string renderedName)
    {
        lock (_lock)
        {
            foreach (var (labels, value) in _series.Values)
            {
                AppendSample(output, renderedName, labels, value.ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
