using System.Text;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;

namespace OtelLab.Backends.Dynatrace.Internal;

/// <summary>
/// Dynatrace's OTLP metric ingest rules (backends.md; docs.dynatrace.com "About OTLP metrics ingest"):
/// delta counters/up-down counters, gauges, delta histograms accepted; cumulative monotonic sums, cumulative
/// histograms and summaries refused; points with more than 50 dimensions, an empty dimension key/value or a NaN value
/// refused. A refusal is per point and reported in the HTTP 200 response's partial_success.
/// </summary>
internal static class DynatraceMetricRules
{
    public const string MonotonicCumulativeSum = "UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM";
    public const string CumulativeHistogram = "UNSUPPORTED_METRIC_TYPE_CUMULATIVE_HISTOGRAM";
    public const string Summary = "UNSUPPORTED_METRIC_TYPE_SUMMARY";
    public const string DimensionCountExceeded = "DIMENSION_COUNT_EXCEEDED";
    public const string ValueInvalid = "VALUE_INVALID";
    public const string DimensionKeyOrValueEmpty = "DIMENSION_KEY_OR_VALUE_EMPTY";

    /// <summary>Dynatrace drops a point with more than 50 dimensions.</summary>
    public const int MaxDimensions = 50;

    /// <summary>Maximum data points per request (backends.md).</summary>
    public const int MaxDataPointsPerRequest = 15_000;

    /// <summary>The reason the whole metric is refused, or null when its points are judged one by one.</summary>
    public static string? MetricReason(Metric metric) => MetricReason(OtlpCapture.Shape(metric));

    /// <inheritdoc cref="MetricReason(Metric)"/>
    public static string? MetricReason((CapturedMetricType Type, CapturedTemporality Temporality, bool Monotonic) shape) => shape switch
    {
        (CapturedMetricType.Sum, CapturedTemporality.Cumulative, true) => MonotonicCumulativeSum,
        (CapturedMetricType.Histogram, CapturedTemporality.Cumulative, _) => CumulativeHistogram,
        // UNCONFIRMED: the reason code for a cumulative exponential histogram; Dynatrace documents only delta ones as supported.
        (CapturedMetricType.ExponentialHistogram, CapturedTemporality.Cumulative, _) => CumulativeHistogram,
        (CapturedMetricType.Summary, _, _) => Summary,
        _ => null,
    };

    /// <summary>
    /// True when every point of a metric the wire walk read is certainly accepted: no reason refuses the metric, no
    /// value is NaN, no point attribute is empty, and the dimensions stay within the limit even if none of a point's
    /// keys were among the <paramref name="inheritedKeysAtMost"/> resource and scope keys. False does not mean refused:
    /// such a metric is decoded and judged point by point (<see cref="PointReason"/>).
    /// </summary>
    public static bool AcceptsWhole(in OtlpMetricsWire.MetricFacts metric, int inheritedKeysAtMost) =>
        MetricReason((metric.Type, metric.Temporality, metric.IsMonotonic)) is null
        && !metric.AnyNaN
        && !metric.AnyEmptyAttribute
        && inheritedKeysAtMost + metric.MostPointAttributes <= MaxDimensions;

    /// <summary>
    /// The reason one point is refused, or null. Dimensions are the union of point, scope and resource attribute keys
    /// (Dynatrace flattens the three levels, point attributes winning on a name clash).
    /// </summary>
    public static string? PointReason(IReadOnlyList<KeyValue> pointAttributes, HashSet<string> inheritedKeys, double value)
    {
        if (double.IsNaN(value))
        {
            return ValueInvalid;
        }

        var dimensions = inheritedKeys.Count;
        foreach (var kv in pointAttributes)
        {
            if (kv.Key.Length == 0 || kv.Value is null || (kv.Value.ValueCase == AnyValue.ValueOneofCase.StringValue && kv.Value.StringValue.Length == 0))
            {
                return DimensionKeyOrValueEmpty;
            }

            if (!inheritedKeys.Contains(kv.Key))
            {
                dimensions++;
            }
        }

        return dimensions > MaxDimensions ? DimensionCountExceeded : null;
    }

    /// <summary>One line of the error message: <c>Unsupported metric: 'name' - Reason: CODE</c>.</summary>
    public static string Line(string metric, string reason) => $"Unsupported metric: '{metric}' - Reason: {reason}";

    /// <summary>The partial_success error_message, in Dynatrace's format (backends.md).</summary>
    public static string ErrorMessage(IEnumerable<(string Metric, string Reason)> refusals)
    {
        var text = new StringBuilder("The following issues were encountered while ingesting OTLP metrics:\nErrors:\n");
        foreach (var (metric, reason) in refusals)
        {
            text.Append(Line(metric, reason)).Append('\n');
        }

        return text.ToString();
    }
}
