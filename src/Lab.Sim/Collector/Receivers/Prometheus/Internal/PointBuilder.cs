using OtelLab.Model.Go;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// Turns one scrape's samples into OTLP-shaped points like the receiver's transaction does (upstream:
/// prometheusreceiver internal/transaction.go, metricfamily.go): counters become cumulative monotonic sums,
/// gauges and untyped samples gauges, <c>_bucket</c>/<c>_sum</c>/<c>_count</c> families histograms and summaries.
/// The start time of a cumulative series is the time it was first seen by this scrape loop (upstream's start-time
/// adjustment when the target exposes no <c>_created</c>); target labels other than job/instance become point
/// attributes.
/// </summary>
internal sealed class PointBuilder(TelemetryResource resource, IReadOnlyList<KeyValuePair<string, string>> targetLabels, string scopeName, bool honorLabels = false)
{
    private TelemetryResource Resource => resource;

    private string Scope => scopeName;

    private readonly Dictionary<string, ulong> _startTimes = new(StringComparer.Ordinal);

    /// <param name="dropped">Called for a sample dropped as upstream's transaction drops it (its metric name and the reason).</param>
    public List<MetricPoint> Build(List<ExpositionSample> samples, Dictionary<string, string> types, ulong now, Action<string, string>? dropped = null)
    {
        var points = new List<MetricPoint>(samples.Count);
        var histograms = new Dictionary<string, HistogramParts>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var (family, suffix) = Family(sample.Name, types);
            var type = types.GetValueOrDefault(family, "untyped");
            if (type is "histogram" or "summary")
            {
                var key = family + "\xff" + SeriesKey(sample.Labels, skip: type == "histogram" ? "le" : "quantile");
                if (!histograms.TryGetValue(key, out var parts))
                {
                    histograms[key] = parts = new HistogramParts(family, type, [.. sample.Labels.Where(l => l.Key is not ("le" or "quantile"))]);
                }

                // upstream transaction.Append: a sample addSeries refuses (metricfamily.go getBoundary: a bucket whose le
                // strconv.ParseFloat cannot read) is logged, "failed to add datapoint", and dropped; the scrape goes on.
                if (parts.Add(suffix, sample) is { } refused)
                {
                    dropped?.Invoke(sample.Name, refused);
                }

                continue;
            }

            var isCounter = type == "counter";
            points.Add(new MetricPoint
            {
                Name = sample.Name,
                Kind = isCounter ? MetricKind.Sum : MetricKind.Gauge,
                Temporality = isCounter ? AggregationTemporality.Cumulative : AggregationTemporality.Unspecified,
                IsMonotonic = isCounter,
                Resource = resource,
                ScopeName = scopeName,
                Attributes = Attributes(sample.Labels),
                StartTimeUnixNano = isCounter ? StartTime(sample.Name + "\xff" + SeriesKey(sample.Labels, null), now) : 0,
                TimeUnixNano = now,
                Value = sample.Value,
            });
        }

        foreach (var (key, parts) in histograms)
        {
            points.Add(parts.ToPoint(this, StartTime(key, now), now));
        }

        return points;
    }

    /// <summary>A gauge of the receiver's own per-scrape metrics (<c>up</c>, <c>scrape_duration_seconds</c>, …).</summary>
    public MetricPoint Synthetic(string name, double value, ulong now) => new()
    {
        Name = name,
        Kind = MetricKind.Gauge,
        Resource = resource,
        ScopeName = scopeName,
        Attributes = Attributes([]),
        TimeUnixNano = now,
        Value = value,
    };

    private Dictionary<string, AttributeValue> Attributes(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        // Indexed loops, no lambdas: this runs for every sample of every scrape, and enumerating the lists through
        // their interfaces (and a closure per label) allocated more than the attributes themselves.
        var attributes = new Dictionary<string, AttributeValue>(labels.Count + targetLabels.Count, StringComparer.Ordinal);
        for (var i = 0; i < targetLabels.Count; i++)
        {
            attributes[targetLabels[i].Key] = targetLabels[i].Value;
        }

        for (var i = 0; i < labels.Count; i++)
        {
            var (k, v) = labels[i];
            // upstream prometheus scrape.go mutateSampleLabels: without honor_labels the target's label wins and the
            // exposed one is kept as exported_<name>.
            if (!honorLabels && attributes.ContainsKey(k) && IsTargetLabel(k))
            {
                attributes["exported_" + k] = v;
                continue;
            }

            attributes[k] = v;
        }

        return attributes;
    }

    private bool IsTargetLabel(string name)
    {
        for (var i = 0; i < targetLabels.Count; i++)
        {
            if (targetLabels[i].Key == name)
            {
                return true;
            }
        }

        return false;
    }

    private ulong StartTime(string key, ulong now)
    {
        if (!_startTimes.TryGetValue(key, out var start))
        {
            _startTimes[key] = start = now;
        }

        return start;
    }

    private static (string Family, string Suffix) Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return (name, string.Empty);
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(name[..^suffix.Length]))
            {
                return (name[..^suffix.Length], suffix);
            }
        }

        return (name, string.Empty);
    }

    private static string SeriesKey(IReadOnlyList<KeyValuePair<string, string>> labels, string? skip) =>
        string.Join("\xfe", labels.Where(l => l.Key != skip).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private sealed class HistogramParts(string family, string type, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        private readonly SortedDictionary<double, double> _buckets = [];
        private readonly List<(double, double)> _quantiles = [];
        private double _sum;
        private double _count;

        /// <summary>Adds one sample of the family; the reason it cannot, as upstream's error reads, or null.</summary>
        public string? Add(string suffix, ExpositionSample sample)
        {
            switch (suffix)
            {
                case "_sum":
                    _sum = sample.Value;
                    break;
                case "_count":
                    _count = sample.Value;
                    break;
                case "_bucket" when sample.Labels.FirstOrDefault(l => l.Key == "le").Value is { } le:
                    if (!GoFloat.TryParse(le, out var bound))
                    {
                        return $"strconv.ParseFloat: parsing \"{le}\": invalid syntax";
                    }

                    _buckets[bound] = sample.Value;
                    break;
                default:
                    if (sample.Labels.FirstOrDefault(l => l.Key == "quantile").Value is { } q
                        && double.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var quantile))
                    {
                        _quantiles.Add((quantile, sample.Value));
                    }

                    break;
            }

            return null;
        }

        public MetricPoint ToPoint(PointBuilder builder, ulong start, ulong now)
        {
            var isHistogram = type == "histogram";
            var bounds = new List<double>();
            var counts = new List<ulong>();
            var previous = 0.0;
            foreach (var (bound, cumulative) in _buckets)
            {
                if (!double.IsPositiveInfinity(bound))
                {
                    bounds.Add(bound);
                }

                // Prometheus buckets are cumulative; OTLP bucket counts are per bucket.
                counts.Add((ulong)Math.Max(0, cumulative - previous));
                previous = cumulative;
            }

            if (isHistogram && !_buckets.ContainsKey(double.PositiveInfinity))
            {
                counts.Add((ulong)Math.Max(0, _count - previous));
            }

            return new MetricPoint
            {
                Name = family,
                Kind = isHistogram ? MetricKind.Histogram : MetricKind.Summary,
                Temporality = isHistogram ? AggregationTemporality.Cumulative : AggregationTemporality.Unspecified,
                Resource = builder.Resource,
                ScopeName = builder.Scope,
                Attributes = builder.Attributes(labels),
                StartTimeUnixNano = start,
                TimeUnixNano = now,
                Value = _sum,
                Count = (ulong)Math.Max(0, _count),
                ExplicitBounds = isHistogram ? bounds : [],
                BucketCounts = isHistogram ? counts : [],
                Quantiles = _quantiles,
            };
        }
    }
}
