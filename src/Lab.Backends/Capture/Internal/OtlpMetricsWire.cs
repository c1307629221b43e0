using System.Text.Unicode;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OtelLab.Model.Protobuf;

namespace OtelLab.Backends.Capture.Internal;

/// <summary>
/// Walks the bytes of an OTLP <c>ExportMetricsServiceRequest</c> (opentelemetry-proto metrics.proto) and lists its
/// resources, scopes and metrics with what an ingest needs to judge a metric — its name, shape, point count and the
/// facts its point rules look at — without decoding the points into objects; each metric is listed with its exact bytes,
/// which decode as one <c>Metric</c>. A field whose wire type does not match its declaration is skipped as an unknown
/// field, as the generated decoders do. A request a decoder would read by merging (a singular message given twice) or
/// with a string that is not UTF-8 (which the decoder refuses: "String is invalid UTF-8") is not walked: the caller
/// decodes it.
/// </summary>
internal static class OtlpMetricsWire
{
    private const int Varint = 0, Fixed64 = 1, Length = 2;

    private const int MaxValueDepth = 32;

    public readonly record struct ResourceEntry(Resource? Resource, string SchemaUrl);

    public readonly record struct ScopeEntry(int Resource, InstrumentationScope? Scope);

    public readonly record struct MetricEntry(int Scope, int Start, int Length, MetricFacts Facts);

    /// <summary>
    /// One metric as the walk read it. <see cref="MostPointAttributes"/> counts attribute entries (a key given twice
    /// counts twice); <see cref="AnyNaN"/>: a number point's double or a histogram's sum is NaN;
    /// <see cref="AnyEmptyAttribute"/>: an attribute (of a point) has an empty key, no value or an empty string value.
    /// </summary>
    public readonly record struct MetricFacts(
        string Name,
        string Unit,
        CapturedMetricType Type,
        CapturedTemporality Temporality,
        bool IsMonotonic,
        int PointCount,
        int MostPointAttributes,
        bool AnyNaN,
        bool AnyEmptyAttribute);

    /// <summary>Lists the request's parts in order; false (lists partly filled) when the request must be decoded instead.</summary>
    public static bool TryWalk(ReadOnlySpan<byte> request, List<ResourceEntry> resources, List<ScopeEntry> scopes, List<MetricEntry> metrics)
    {
        try
        {
            var r = new ProtobufReader(request);
            while (r.Next())
            {
                if (r.Field == 1 && r.WireType == Length)
                {
                    if (!TryResourceMetrics(r.Message(), request, resources, scopes, metrics))
                    {
                        return false;
                    }
                }
                else
                {
                    r.Skip();
                }
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static bool TryResourceMetrics(ProtobufReader rm, ReadOnlySpan<byte> request, List<ResourceEntry> resources, List<ScopeEntry> scopes, List<MetricEntry> metrics)
    {
        // The resource and the schema URL may follow the scopes on the wire: read them first.
        Resource? resource = null;
        var schemaUrl = "";
        var scan = rm;
        while (scan.Next())
        {
            switch (scan.Field, scan.WireType)
            {
                case (1, Length):
                    if (resource is not null)
                    {
                        return false;
                    }

                    resource = Resource.Parser.ParseFrom(scan.Bytes());
                    break;
                case (3, Length):
                    if (!scan.TryString(out schemaUrl))
                    {
                        return false;
                    }

                    break;
                default: scan.Skip(); break;
            }
        }

        resources.Add(new ResourceEntry(resource, schemaUrl));
        while (rm.Next())
        {
            if (rm.Field == 2 && rm.WireType == Length)
            {
                if (!TryScopeMetrics(rm.Message(), resources.Count - 1, scopes, metrics))
                {
                    return false;
                }
            }
            else
            {
                rm.Skip();
            }
        }

        return true;
    }

    private static bool TryScopeMetrics(ProtobufReader sm, int resource, List<ScopeEntry> scopes, List<MetricEntry> metrics)
    {
        InstrumentationScope? scope = null;
        var scan = sm;
        while (scan.Next())
        {
            if (scan.Field == 1 && scan.WireType == Length)
            {
                if (scope is not null)
                {
                    return false;
                }

                scope = InstrumentationScope.Parser.ParseFrom(scan.Bytes());
            }
            else
            {
                scan.Skip();
            }
        }

        scopes.Add(new ScopeEntry(resource, scope));
        while (sm.Next())
        {
            if (sm.Field == 2 && sm.WireType == Length)
            {
                var metric = sm.Message();
                if (!TryMetric(metric, out var facts))
                {
                    return false;
                }

                metrics.Add(new MetricEntry(scopes.Count - 1, metric.Start, metric.End - metric.Start, facts));
            }
            else
            {
                sm.Skip();
            }
        }

        return true;
    }

    private static bool TryMetric(ProtobufReader m, out MetricFacts facts)
    {
        facts = default;
        string name = "", unit = "";
        var data = default(ProtobufReader);
        var dataField = 0;
        while (m.Next())
        {
            switch (m.Field, m.WireType)
            {
                case (1, Length):
                    if (!m.TryString(out name))
                    {
                        return false;
                    }

                    break;
                case (3, Length):
                    if (!m.TryString(out unit))
                    {
                        return false;
                    }

                    break;
                case (2, Length):
                    if (!Utf8.IsValid(m.Bytes()))
                    {
                        return false;
                    }

                    break;
                case (12, Length):
                    if (!TryKeyValue(m.Message(), out _))
                    {
                        return false;
                    }

                    break;
                case (5 or 7 or 9 or 10 or 11, Length):
                    // The data oneof: a second member (or the same one again) would be merged or replace the first.
                    if (dataField != 0)
                    {
                        return false;
                    }

                    dataField = m.Field;
                    data = m.Message();
                    break;
                default: m.Skip(); break;
            }
        }

        var (type, pointAttributes, sumField) = dataField switch
        {
            5 => (CapturedMetricType.Gauge, 7, 0),
            7 => (CapturedMetricType.Sum, 7, 0),
            9 => (CapturedMetricType.Histogram, 9, 5),
            10 => (CapturedMetricType.ExponentialHistogram, 1, 5),
            11 => (CapturedMetricType.Summary, 7, 0),
            _ => (CapturedMetricType.Gauge, 0, 0),
        };
        var temporality = CapturedTemporality.Unspecified;
        var monotonic = false;
        int points = 0, mostAttributes = 0;
        bool anyNaN = false, anyEmpty = false;
        if (dataField != 0)
        {
            while (data.Next())
            {
                switch (data.Field, data.WireType)
                {
                    case (1, Length):
                        points++;
                        if (!TryPoint(data.Message(), dataField, pointAttributes, sumField, ref mostAttributes, ref anyNaN, ref anyEmpty))
                        {
                            return false;
                        }

                        break;
                    // Sum, Histogram and ExponentialHistogram: aggregation_temporality 2; Sum: is_monotonic 3.
                    case (2, Varint) when dataField is 7 or 9 or 10:
                        temporality = (CapturedTemporality)(int)data.Varint();
                        break;
                    case (3, Varint) when dataField == 7:
                        monotonic = data.Varint() != 0;
                        break;
                    default: data.Skip(); break;
                }
            }
        }

        facts = new MetricFacts(name, unit, type, temporality, monotonic, points, mostAttributes, anyNaN, anyEmpty);
        return true;
    }

    // NumberDataPoint: attributes 7, as_double 4, exemplars 5. HistogramDataPoint: attributes 9, sum 5, exemplars 8.
    // ExponentialHistogramDataPoint: attributes 1, sum 5, exemplars 11. SummaryDataPoint: attributes 7 (a summary is
    // refused whole; its values are not looked at).
    private static bool TryPoint(ProtobufReader p, int dataField, int attributesField, int sumField, ref int mostAttributes, ref bool anyNaN, ref bool anyEmpty)
    {
        var exemplarsField = dataField switch { 5 or 7 => 5, 9 => 8, 10 => 11, _ => 0 };
        var attributes = 0;
        while (p.Next())
        {
            if (p.Field == attributesField && p.WireType == Length)
            {
                attributes++;
                if (!TryKeyValue(p.Message(), out var empty))
                {
                    return false;
                }

                anyEmpty |= empty;
            }
            else if (p.WireType == Fixed64 && (dataField is 5 or 7 ? p.Field == 4 : p.Field == sumField && sumField != 0))
            {
                anyNaN |= double.IsNaN(p.Double());
            }
            else if (p.WireType == Length && dataField == 9 && p.Field is 6 or 7)
            {
                // bucket_counts (fixed64) and explicit_bounds (double), packed: whole 8-byte values, or the decoder refuses them.
                if (p.Bytes().Length % 8 != 0)
                {
                    return false;
                }
            }
            else if (p.WireType == Length && (dataField == 10 && p.Field is 8 or 9 || dataField == 11 && p.Field == 6))
            {
                // Buckets {offset 1, bucket_counts 2: packed varints}, ValueAtQuantile {quantile 1, value 2}: read through
                // so that a malformed one is refused as the decoder refuses it.
                var nested = p.Message();
                while (nested.Next())
                {
                    if (nested.Field == 2 && nested.WireType == Length && dataField == 10)
                    {
                        var packed = nested.Message();
                        while (!packed.AtEnd)
                        {
                            packed.Varint();
                        }
                    }
                    else
                    {
                        nested.Skip();
                    }
                }
            }
            else if (p.Field == exemplarsField && p.WireType == Length)
            {
                // Exemplar: filtered_attributes 7 (looked at only for their strings).
                var exemplar = p.Message();
                while (exemplar.Next())
                {
                    if (exemplar.Field == 7 && exemplar.WireType == Length)
                    {
                        if (!TryKeyValue(exemplar.Message(), out _))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        exemplar.Skip();
                    }
                }
            }
            else
            {
                p.Skip();
            }
        }

        mostAttributes = Math.Max(mostAttributes, attributes);
        return true;
    }

    // KeyValue: key 1, value 2. Empty: the key is empty, the value is missing, or its string_value is empty.
    private static bool TryKeyValue(ProtobufReader kv, out bool empty, int depth = 0)
    {
        var key = ReadOnlySpan<byte>.Empty;
        var values = 0;
        var emptyString = false;
        empty = false;
        while (kv.Next())
        {
            switch (kv.Field, kv.WireType)
            {
                case (1, Length):
                    key = kv.Bytes();
                    if (!Utf8.IsValid(key))
                    {
                        return false;
                    }

                    break;
                case (2, Length):
                    if (++values > 1 || !TryAnyValue(kv.Message(), out emptyString, depth))
                    {
                        return false;
                    }

                    break;
                default: kv.Skip(); break;
            }
        }

        empty = key.IsEmpty || values == 0 || emptyString;
        return true;
    }

    // AnyValue: string_value 1, array_value 5 (ArrayValue: values 1), kvlist_value 6 (KeyValueList: values 1). Values
    // nested deeper than any attribute a collector writes are left to the decoder, which bounds the depth it reads
    // (Google.Protobuf's recursion limit, 100 messages) where a walk without a bound would exhaust the stack.
    private static bool TryAnyValue(ProtobufReader value, out bool emptyString, int depth)
    {
        emptyString = false;
        if (depth > MaxValueDepth)
        {
            return false;
        }

        while (value.Next())
        {
            switch (value.Field, value.WireType)
            {
                case (1, Length):
                    var text = value.Bytes();
                    if (!Utf8.IsValid(text))
                    {
                        return false;
                    }

                    emptyString |= text.IsEmpty;
                    break;
                case (5 or 6, Length):
                    var kind = value.Field;
                    var list = value.Message();
                    while (list.Next())
                    {
                        if (list.Field != 1 || list.WireType != Length)
                        {
                            list.Skip();
                        }
                        else if (!(kind == 5 ? TryAnyValue(list.Message(), out _, depth + 1) : TryKeyValue(list.Message(), out _, depth + 1)))
                        {
                            return false;
                        }
                    }

                    break;
                default: value.Skip(); break;
            }
        }

        return true;
    }
}
