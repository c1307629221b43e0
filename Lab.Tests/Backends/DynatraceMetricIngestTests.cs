using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Dynatrace.Internal;
using static OtelLab.Tests.Backends.ProtobufWire;

namespace OtelLab.Tests.Backends;

/// <summary>
/// The mock Dynatrace judges a metrics request from a walk of its bytes and decodes only the metrics the walk cannot
/// vouch for: its verdict must be the one decoding every metric gives, for every request.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DynatraceMetricIngestTests
{
    private static readonly OtlpCapture.Origin Origin = new("dynatrace", CredentialFingerprint.None, DateTimeOffset.UnixEpoch, "127.0.0.1");

    [Fact]
    public void A_population_of_requests_gets_the_verdict_decoding_gives_and_most_metrics_are_not_decoded()
    {
        // Given 600 requests of every metric shape, with refusable points (NaN, empty keys and values, missing values,
        // more than 50 dimensions) mixed in at a few per cent each
        var random = new Random(20261207);
        int metrics = 0, decoded = 0, refusals = 0, partly = 0;
        for (var i = 0; i < 600; i++)
        {
            var request = RandomRequest(random);
            var bytes = request.ToByteArray();

            // When it is judged from the walk and by decoding it whole
            var walked = DynatraceMetricIngest.Judge(bytes, bytes.Length, Origin);
            var expected = DynatraceMetricIngest.JudgeDecoded(ExportMetricsServiceRequest.Parser.ParseFrom(bytes), Origin);

            // Then the verdicts are the same
            AssertSameVerdict(expected, walked, $"request {i}");
            metrics += expected.Decoded;
            decoded += walked.Decoded;
            refusals += expected.Refusals.Count;
            partly += expected.Accepted.Count(m => m.EncodedOtlp is null);
        }

        // and the population exercised both ways: refusals and partly accepted metrics happened, and the walk decoded
        // only a minority of the metrics (each refusable case is a few per cent of points; a metric with a refusable
        // point, a refused type or too many attributes for the walk's bound is decoded).
        Assert.True(refusals > 50, $"{refusals} refusals in the population: the generator does not exercise the rules");
        Assert.True(partly > 10, $"{partly} partly accepted metrics in the population");
        Assert.True(decoded > 0 && decoded < metrics * 0.5, $"{decoded} of {metrics} metrics decoded");
    }

    [Fact]
    public void What_a_delta_converting_collector_sends_is_judged_without_decoding_and_kept_as_received()
    {
        // Given a request of delta sums, gauges and delta histograms with a dozen resource attributes
        var random = new Random(7);
        var request = new ExportMetricsServiceRequest();
        var rm = new ResourceMetrics { Resource = OtlpPayloads.Service("checkout", extraAttributes: 11), SchemaUrl = "https://opentelemetry.io/schemas/1.26.0" };
        var sm = new ScopeMetrics { Scope = new InstrumentationScope { Name = "otelcol/prometheusreceiver" } };
        for (var m = 0; m < 30; m++)
        {
            sm.Metrics.Add(RandomMetric(random, (m % 3) switch { 0 => Shape.DeltaSum, 1 => Shape.Gauge, _ => Shape.DeltaHistogram }, refusable: false));
        }

        rm.ScopeMetrics.Add(sm);
        request.ResourceMetrics.Add(rm);
        var bytes = request.ToByteArray();

        // When it is judged
        var verdict = DynatraceMetricIngest.Judge(bytes, bytes.Length, Origin);

        // Then every metric is accepted whole, none decoded, and each keeps the bytes the request carried for it
        Assert.Equal(0, verdict.Decoded);
        Assert.Empty(verdict.Refusals);
        Assert.Equal(30, verdict.Accepted.Count);
        for (var m = 0; m < 30; m++)
        {
            Assert.Equal(sm.Metrics[m].ToByteArray(), verdict.Accepted[m].EncodedOtlp);
        }

        AssertSameVerdict(DynatraceMetricIngest.JudgeDecoded(request, Origin), verdict, "collector request");
    }

    [Fact]
    public void Requests_encoded_unlike_a_marshaller_writes_them_get_the_decoders_verdict()
    {
        var random = new Random(11);
        var metric = RandomMetric(random, Shape.DeltaSum, refusable: false);
        var other = RandomMetric(random, Shape.Gauge, refusable: false);
        var resource = OtlpPayloads.Service("payments", extraAttributes: 2);
        var scope = new InstrumentationScope { Name = "lab" };
        scope.Attributes.Add(OtlpPayloads.Attribute("scope.key", "v"));

        // The resource and schema URL after the scopes; unknown fields of every wire type at every level; a field whose
        // wire type is not its declared one (name as a varint: an unknown field to the decoder); a metric whose data
        // oneof is given twice (the decoder merges the two sums); the data oneof given as two members (the last wins).
        var unknown = Concat(Varint(90, 5), Length(91, [1, 2, 3]), Fixed32(92), Fixed64(93));
        var oddMetric = Concat(metric.ToByteArray(), unknown, Varint(1, 42));
        var mergedMetric = Concat(metric.ToByteArray(), Length(7, metric.Sum.ToByteArray()));
        var replacedMetric = Concat(other.ToByteArray(), Length(7, metric.Sum.ToByteArray()));
        byte[] Request(params byte[][] metrics)
        {
            var sm = Concat([Length(1, scope.ToByteArray()), .. metrics.Select(m => Length(2, m)), unknown]);
            var rm = Concat(Length(2, sm), unknown, Length(1, resource.ToByteArray()), Length(3, "https://schema"u8.ToArray()));
            return Concat(unknown, Length(1, rm));
        }

        foreach (var (name, bytes, walkedWhole) in new[]
        {
            ("reordered, with unknown and mistyped fields", Request(oddMetric, other.ToByteArray()), true),
            ("a sum given twice", Request(mergedMetric), false),
            ("a gauge replaced by a sum", Request(replacedMetric), false),
            ("an attribute value nested 40 deep", Request(GaugeWithValue(Nested(40))), false),
        })
        {
            var verdict = DynatraceMetricIngest.Judge(bytes, bytes.Length, Origin);
            var expected = DynatraceMetricIngest.JudgeDecoded(ExportMetricsServiceRequest.Parser.ParseFrom(bytes), Origin);
            AssertSameVerdict(expected, verdict, name);
            Assert.True(walkedWhole == (verdict.Decoded == 0), $"{name}: {verdict.Decoded} metrics decoded");
        }
    }

    [Fact]
    public void A_request_the_decoder_refuses_is_refused_the_same_way()
    {
        var random = new Random(13);
        var good = new ExportMetricsServiceRequest();
        var rm = new ResourceMetrics { Resource = OtlpPayloads.Service("payments") };
        var sm = new ScopeMetrics();
        sm.Metrics.Add(RandomMetric(random, Shape.DeltaHistogram, refusable: false));
        rm.ScopeMetrics.Add(sm);
        good.ResourceMetrics.Add(rm);
        var bytes = good.ToByteArray();

        var badKey = new KeyValue { Key = "k", Value = new AnyValue { StringValue = "v" } }.ToByteArray();
        badKey[2] = 0xff; // the key's one byte: not UTF-8
        var point = Concat(Length(7, badKey), Fixed64(4));
        var withBadKey = Length(1, Length(2, Length(2, Concat(Length(1, "m"u8.ToArray()), Length(5, Length(1, point))))));
        var histogramPoint = Concat(Fixed64(4), Length(6, new byte[7]));
        var withShortBuckets = Length(1, Length(2, Length(2, Concat(Length(1, "h"u8.ToArray()), Length(9, Concat(Length(1, histogramPoint), Varint(2, 1)))))));

        foreach (var (name, body) in new[]
        {
            ("truncated", bytes[..^3]),
            ("an attribute key that is not UTF-8", withBadKey),
            ("packed bucket counts of 7 bytes", withShortBuckets),
            ("an attribute value nested 100,000 deep (past the decoder's recursion limit, and deep enough to exhaust a stack)", Length(1, Length(2, Length(2, GaugeWithValue(Nested(100_000)))))),
        })
        {
            var decoderError = Record.Exception(() => ExportMetricsServiceRequest.Parser.ParseFrom(body));
            Assert.IsType<InvalidProtocolBufferException>(decoderError);
            var error = Record.Exception(() => DynatraceMetricIngest.Judge(body, body.Length, Origin));
            Assert.True(error is InvalidProtocolBufferException, $"{name}: {error?.GetType().Name ?? "no error"}, the decoder: {decoderError.Message}");
        }
    }

    /// <summary>An AnyValue holding an array holding an AnyValue … <paramref name="depth"/> times, around a string.</summary>
    private static byte[] Nested(int depth)
    {
        // Written outside in, each level's lengths computed from the inside first (nesting by concatenation would copy
        // the whole value once per level).
        var core = Length(1, "x"u8.ToArray());
        var sizes = new long[depth + 1];
        sizes[0] = core.Length;
        for (var i = 1; i <= depth; i++)
        {
            var array = 1 + VarintSize(sizes[i - 1]) + sizes[i - 1];
            sizes[i] = 1 + VarintSize(array) + array;
        }

        var output = new MemoryStream((int)sizes[depth]);
        for (var i = depth; i >= 1; i--)
        {
            output.Write(Length(5, [])[..1]);
            output.Write(VarintBytes(1 + VarintSize(sizes[i - 1]) + sizes[i - 1]));
            output.Write(Length(1, [])[..1]);
            output.Write(VarintBytes(sizes[i - 1]));
        }

        output.Write(core);
        return output.ToArray();
    }

    private static int VarintSize(long value) => VarintBytes(value).Length;

    private static byte[] VarintBytes(long value) => Varint(1, (ulong)value)[1..];

    /// <summary>A gauge of one point whose one attribute has <paramref name="value"/> (an encoded AnyValue).</summary>
    private static byte[] GaugeWithValue(byte[] value) =>
        Concat(Length(1, "nested"u8.ToArray()), Length(5, Length(1, Concat(Length(7, Concat(Length(1, "k"u8.ToArray()), Length(2, value))), Fixed64(4)))));

    private enum Shape
    {
        Gauge,
        DeltaSum,
        CumulativeSum,
        CumulativeNonMonotonicSum,
        DeltaHistogram,
        CumulativeHistogram,
        DeltaExponentialHistogram,
        Summary,
        NoData,
    }

    private static readonly string[] Keys = ["service.name", "host.name", "k8s.pod.name", "http.route", "code", "le", "method", "extra.0", "extra.1", "zone"];

    private static ExportMetricsServiceRequest RandomRequest(Random random)
    {
        var request = new ExportMetricsServiceRequest();
        for (var r = random.Next(1, 4); r > 0; r--)
        {
            var rm = new ResourceMetrics { SchemaUrl = random.Next(3) == 0 ? "https://opentelemetry.io/schemas/1.26.0" : "" };
            if (random.Next(8) > 0)
            {
                rm.Resource = OtlpPayloads.Service("svc-" + random.Next(4), extraAttributes: random.Next(4) == 0 ? random.Next(30, 50) : random.Next(0, 12));
            }

            for (var s = random.Next(1, 3); s > 0; s--)
            {
                var sm = new ScopeMetrics();
                if (random.Next(3) > 0)
                {
                    sm.Scope = new InstrumentationScope { Name = "scope" };
                    for (var a = random.Next(0, 3); a > 0; a--)
                    {
                        sm.Scope.Attributes.Add(OtlpPayloads.Attribute(Keys[random.Next(Keys.Length)], "s"));
                    }
                }

                for (var m = random.Next(0, 7); m > 0; m--)
                {
                    sm.Metrics.Add(RandomMetric(random, (Shape)random.Next(Enum.GetValues<Shape>().Length), refusable: true));
                }

                rm.ScopeMetrics.Add(sm);
            }

            request.ResourceMetrics.Add(rm);
        }

        return request;
    }

    private static Metric RandomMetric(Random random, Shape shape, bool refusable)
    {
        var metric = new Metric { Name = "lab_metric_" + random.Next(20), Unit = random.Next(2) == 0 ? "s" : "", Description = random.Next(4) == 0 ? "what it counts" : "" };
        var points = random.Next(refusable ? 0 : 1, 5);
        if (random.Next(10) == 0)
        {
            metric.Metadata.Add(OtlpPayloads.Attribute("prometheus.type", "counter"));
        }

        switch (shape)
        {
            case Shape.Gauge:
                metric.Gauge = new Gauge();
                metric.Gauge.DataPoints.AddRange(Enumerable.Range(0, points).Select(_ => NumberPoint(random, refusable)));
                break;
            case Shape.DeltaSum or Shape.CumulativeSum or Shape.CumulativeNonMonotonicSum:
                metric.Sum = new Sum
                {
                    AggregationTemporality = shape == Shape.DeltaSum ? AggregationTemporality.Delta : AggregationTemporality.Cumulative,
                    IsMonotonic = shape != Shape.CumulativeNonMonotonicSum && random.Next(4) > 0,
                };
                metric.Sum.DataPoints.AddRange(Enumerable.Range(0, points).Select(_ => NumberPoint(random, refusable)));
                break;
            case Shape.DeltaHistogram or Shape.CumulativeHistogram:
                metric.Histogram = new Histogram { AggregationTemporality = shape == Shape.DeltaHistogram ? AggregationTemporality.Delta : AggregationTemporality.Cumulative };
                for (var p = 0; p < points; p++)
                {
                    var point = new HistogramDataPoint { TimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)p, Count = 4 };
                    if (random.Next(5) > 0)
                    {
                        point.Sum = refusable && random.Next(30) == 0 ? double.NaN : random.NextDouble() * 10;
                    }

                    point.BucketCounts.Add([1, 3]);
                    point.ExplicitBounds.Add(0.5);
                    point.Attributes.AddRange(Attributes(random, refusable));
                    metric.Histogram.DataPoints.Add(point);
                }

                break;
            case Shape.DeltaExponentialHistogram:
                metric.ExponentialHistogram = new ExponentialHistogram { AggregationTemporality = random.Next(3) == 0 ? AggregationTemporality.Cumulative : AggregationTemporality.Delta };
                for (var p = 0; p < points; p++)
                {
                    var point = new ExponentialHistogramDataPoint { Count = 3, Scale = 2, Positive = new ExponentialHistogramDataPoint.Types.Buckets { Offset = -1 } };
                    point.Positive.BucketCounts.Add([1, 2]);
                    if (random.Next(4) > 0)
                    {
                        point.Sum = refusable && random.Next(30) == 0 ? double.NaN : 2.5;
                    }

                    point.Attributes.AddRange(Attributes(random, refusable));
                    metric.ExponentialHistogram.DataPoints.Add(point);
                }

                break;
            case Shape.Summary:
                metric.Summary = new Summary();
                for (var p = 0; p < points; p++)
                {
                    var point = new SummaryDataPoint { Count = 2, Sum = 1.5 };
                    point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = 0.7 });
                    point.Attributes.AddRange(Attributes(random, refusable));
                    metric.Summary.DataPoints.Add(point);
                }

                break;
        }

        return metric;
    }

    private static NumberDataPoint NumberPoint(Random random, bool refusable)
    {
        var point = new NumberDataPoint { TimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)random.Next(1000) };
        if (random.Next(3) == 0)
        {
            point.AsInt = random.Next(100);
        }
        else
        {
            point.AsDouble = refusable && random.Next(30) == 0 ? double.NaN : random.NextDouble() * 100;
        }

        if (random.Next(10) == 0)
        {
            var exemplar = new Exemplar { AsDouble = 1, TimeUnixNano = 5 };
            exemplar.FilteredAttributes.Add(OtlpPayloads.Attribute("trace.note", random.Next(2) == 0 ? "" : "x"));
            point.Exemplars.Add(exemplar);
        }

        point.Attributes.AddRange(Attributes(random, refusable));
        return point;
    }

    private static IEnumerable<KeyValue> Attributes(Random random, bool refusable)
    {
        var count = refusable && random.Next(25) == 0 ? random.Next(45, 56) : random.Next(0, 6);
        for (var a = 0; a < count; a++)
        {
            var key = a < Keys.Length && random.Next(2) == 0 ? Keys[random.Next(Keys.Length)] : "attr." + a;
            var roll = refusable ? random.Next(200) : 199;
            yield return roll switch
            {
                0 => OtlpPayloads.Attribute("", "v"),
                1 => new KeyValue { Key = key },
                2 => OtlpPayloads.Attribute(key, ""),
                3 => new KeyValue { Key = key, Value = new AnyValue { IntValue = 3 } },
                4 => new KeyValue { Key = key, Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "" } } } } },
                _ => OtlpPayloads.Attribute(key, "v" + random.Next(3)),
            };
        }
    }

    private static void AssertSameVerdict(MetricsVerdict expected, MetricsVerdict actual, string what)
    {
        Assert.True(expected.TotalPoints == actual.TotalPoints, $"{what}: {actual.TotalPoints} points, decoding counts {expected.TotalPoints}");
        Assert.True(expected.Refusals.SequenceEqual(actual.Refusals), $"{what}: refusals [{string.Join("; ", actual.Refusals)}], decoding gives [{string.Join("; ", expected.Refusals)}]");
        Assert.True(expected.Accepted.Count == actual.Accepted.Count, $"{what}: {actual.Accepted.Count} metrics accepted, decoding accepts {expected.Accepted.Count}");
        for (var i = 0; i < expected.Accepted.Count; i++)
        {
            var (e, a) = (expected.Accepted[i], actual.Accepted[i]);
            var at = $"{what}, accepted metric {i} ({e.Name})";
            Assert.Equal((e.Name, e.Type, e.Temporality, e.IsMonotonic, e.Unit, e.PointCount), (a.Name, a.Type, a.Temporality, a.IsMonotonic, a.Unit, a.PointCount));
            Assert.Equal((e.Resource.ServiceName, e.Resource.SchemaUrl, e.Resource.PeerAddress), (a.Resource.ServiceName, a.Resource.SchemaUrl, a.Resource.PeerAddress));
            Assert.True(e.Resource.Attributes.SequenceEqual(a.Resource.Attributes), $"{at}: resource attributes differ");
            var (ep, ap) = (e.Points, a.Points);
            Assert.True(ep.Count == ap.Count, $"{at}: {ap.Count} points, decoding keeps {ep.Count}");
            for (var p = 0; p < ep.Count; p++)
            {
                Assert.True(ep[p].TimeUnixNano == ap[p].TimeUnixNano && ep[p].Value.Equals(ap[p].Value) && ep[p].Count == ap[p].Count
                    && ep[p].Attributes.SequenceEqual(ap[p].Attributes), $"{at}: point {p} differs");
            }
        }
    }
}
