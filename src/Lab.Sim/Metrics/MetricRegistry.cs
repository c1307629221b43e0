using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Metrics;

/// <summary>
/// A small thread-safe registry of gauges, counters and histograms with labels, rendered as Prometheus text
/// exposition 0.0.4. Emulated components use it for their self-metrics (e.g. the TA's
/// <c>opentelemetry_allocator_*</c>). Recording never throws.
/// </summary>
public sealed class MetricRegistry
{
    /// <summary>The OpenTelemetry SDK's default explicit bucket bounds, used when an instrument sets none.</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly object _gate = new();
    private readonly Dictionary<string, Family> _families = new(StringComparer.Ordinal);

    /// <summary>Sets a gauge.</summary>
    public void Set(string name, string help, double value, params (string Name, string Value)[] labels) =>
        Update(name, help, "gauge", labels, series => series.Value = value);

    /// <summary>Adds to a counter (rendered with the <c>_total</c> suffix).</summary>
    public void Add(string name, string help, double delta, params (string Name, string Value)[] labels) =>
        Update(name, help, "counter", labels, series => series.Value += delta);

    /// <summary>Records a histogram observation.</summary>
    public void Observe(string name, string help, double value, IReadOnlyList<double>? buckets, params (string Name, string Value)[] labels) =>
        Update(name, help, "histogram", labels, series =>
        {
            var bounds = buckets ?? DefaultBuckets;
            series.Bounds ??= [.. bounds];
            series.BucketCounts ??= new long[bounds.Count];
            for (var i = 0; i < series.Bounds.Length; i++)
            {
                if (value <= series.Bounds[i])
                {
                    series.BucketCounts[i]++;
                }
            }

            series.Sum += value;
            series.Count++;
        });

    /// <summary>The current value of a gauge or counter series, or null when it was never recorded.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        lock (_gate)
        {
            return _families.TryGetValue(name, out var family) && family.Series.TryGetValue(Key(labels), out var series)
                ? series.Value
                : null;
        }
    }

    /// <summary>The number of observations of a histogram series.</summary>
    public long Count(string name, params (string Name, string Value)[] labels)
    {
        lock (_gate)
        {
            return _families.TryGetValue(name, out var family) && family.Series.TryGetValue(Key(labels), out var series)
                ? series.Count
                : 0;
        }
    }

    /// <summary>Renders every family as Prometheus text exposition 0.0.4, families and series sorted.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                var exposed = family.Type == "counter" ? family.Name + "_total" : family.Name;
                text.Append("# HELP ").Append(exposed).Append(' ').Append(family.Help).Append('\n');
                text.Append("# TYPE ").Append(exposed).Append(' ').Append(family.Type).Append('\n');
                foreach (var (key, series) in family.Series.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    if (family.Type != "histogram")
                    {
                        text.Append(exposed).Append(key).Append(' ').Append(Format(series.Value)).Append('\n');
                        continue;
                    }

                    for (var i = 0; i < series.Bounds!.Length; i++)
                    {
                        text.Append(family.Name).Append("_bucket").Append(WithLe(key, Format(series.Bounds[i])))
                            .Append(' ').Append(series.BucketCounts![i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }

                    text.Append(family.Name).Append("_bucket").Append(WithLe(key, "+Inf")).Append(' ')
                        .Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    text.Append(family.Name).Append("_sum").Append(key).Append(' ').Append(Format(series.Sum)).Append('\n');
                    text.Append(family.Name).Append("_count").Append(key).Append(' ')
                        .Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private void Update(string name, string help, string type, (string Name, string Value)[] labels, Action<Series> update)
    {
        lock (_gate)
        {
            if (!_families.TryGetValue(name, out var family))
            {
                family = new Family(name, help, type);
                _families[name] = family;
            }

            var key = Key(labels);
            if (!family.Series.TryGetValue(key, out var series))
            {
                series = new Series();
                family.Series[key] = series;
            }

            update(series);
        }
    }

    private static string Key((string Name, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return "";
        }

        if (labels.Length > 1)
        {
            // Small arrays: an allocation-free insertion sort by name.
            for (var i = 1; i < labels.Length; i++)
            {
                for (var j = i; j > 0 && string.CompareOrdinal(labels[j - 1].Name, labels[j].Name) > 0; j--)
                {
                    (labels[j - 1], labels[j]) = (labels[j], labels[j - 1]);
                }
            }
        }

        var text = new StringBuilder("{");
        foreach (var (labelName, labelValue) in labels)
        {
            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(labelName).Append("=\"").Append(Escape(labelValue)).Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string WithLe(string key, string le) =>
        key.Length == 0 ? $"{{le=\"{le}\"}}" : key[..^1] + $",le=\"{le}\"}}";

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private sealed class Family(string name, string help, string type)
    {
        public string Name { get; } = name;

        public string Help { get; } = help;

        public string Type { get; } = type;

        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Series
    {
        public double Value { get; set; }

        public double[]? Bounds { get; set; }

        public long[]? BucketCounts { get; set; }

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
