using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>A monotonic sum (OTel <c>Int64Counter</c>) with one series per label set.</summary>
public sealed class CounterMetric : Metric
{
    private readonly Dictionary<string, (KeyValuePair<string, string>[] Labels, long Value)> _series = [];
    private readonly Lock _lock = new();

    internal CounterMetric(string name, string help)
        : base(name, help)
    {
    }

    public override string PrometheusType => "counter";

    public void Add(long value, params KeyValuePair<string, string>[] labels)
    {
        var key = LabelKey(labels);
        lock (_lock)
        {
            _series[key] = _series.TryGetValue(key, out var s) ? (s.Labels, s.Value + value) : (labels, value);
        }
    }

    /// <summary>The value of one series (0 when it was never incremented).</summary>
    public long Value(params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(LabelKey(labels), out var s) ? s.Value : 0;
        }
    }

    /// <summary>The sum over every series.</summary>
    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _series.Values.Sum(s => s.Value);
            }
        }
    }

    /// <summary>Every series with its labels and value (a copy): what an exporter of these counters reads.</summary>
    public IReadOnlyList<(IReadOnlyList<KeyValuePair<string, string>> Labels, long Value)> Series()
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
                AppendSample(output, renderedName, labels, value.ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}
