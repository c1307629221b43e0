using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>An explicit-bucket histogram (OTel <c>Int64Histogram</c>) with one series per label set.</summary>
public sealed class HistogramMetric : Metric
{
    /// <summary>The OTel SDK's default explicit bucket boundaries (used when metadata.yaml names none).</summary>
    public static readonly IReadOnlyList<double> DefaultBoundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly double[] _bounds;
    private readonly Dictionary<string, Series> _series = [];
    private readonly Lock _lock = new();

    internal HistogramMetric(string name, string help, IReadOnlyList<double> bounds)
        : base(name, help)
    {
        _bounds = [.. bounds];
    }

    public override string PrometheusType => "histogram";

    public void Record(long value, params KeyValuePair<string, string>[] labels) => Record((double)value, labels);

    public void Record(double value, params KeyValuePair<string, string>[] labels)
    {
        var key = LabelKey(labels);
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var s))
            {
                s = new Series(labels, new long[_bounds.Length + 1]);
                _series[key] = s;
            }

            var bucket = Array.FindIndex(_bounds, b => value <= b);
            s.Buckets[bucket < 0 ? _bounds.Length : bucket]++;
            s.Count++;
            s.Sum += value;
        }
    }

    /// <summary>How many values one series recorded.</summary>
    public long CountOf(params KeyValuePair<string, string>[] labels)
    {
        lock (_lock)
        {
            return _series.TryGetValue(LabelKey(labels), out var s) ? s.Count : 0;
        }
    }

    /// <summary>How many values were recorded over every series.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _series.Values.Sum(s => s.Count);
            }
        }
    }

    /// <summary>The sum of the values recorded over every series.</summary>
    public double Sum
    {
        get
        {
            lock (_lock)
            {
                return _series.Values.Sum(s => s.Sum);
            }
        }
    }

    internal override void RenderSamples(StringBuilder output, string renderedName)
    {
        lock (_lock)
        {
            foreach (var s in _series.Values)
            {
                long cumulative = 0;
                for (var i = 0; i <= _bounds.Length; i++)
                {
                    cumulative += s.Buckets[i];
                    var le = i < _bounds.Length ? Format(_bounds[i]) : "+Inf";
                    AppendSample(output, renderedName + "_bucket", s.Labels, cumulative.ToString(CultureInfo.InvariantCulture), new("le", le));
                }

                AppendSample(output, renderedName + "_sum", s.Labels, Format(s.Sum));
                AppendSample(output, renderedName + "_count", s.Labels, s.Count.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private sealed class Series(KeyValuePair<string, string>[] labels, long[] buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;

        public long[] Buckets { get; } = buckets;

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
