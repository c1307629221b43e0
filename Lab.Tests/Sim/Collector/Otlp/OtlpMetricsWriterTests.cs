using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Otlp;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Tests.Sim.Collector.Otlp;

/// <summary>
/// The direct writer must put on the wire exactly what the protobuf object graph would: the bytes are compared with
/// Google.Protobuf's own serialization of <see cref="OtlpConverter.FromPoints"/> over populations of points covering
/// every kind, temporality, value shape and attribute type, including the defaults proto3 omits or keeps.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OtlpMetricsWriterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 50)]
    [InlineData(3, 400)]
    [InlineData(4, 2_000)]
    public void WritesTheBytesGoogleProtobufWritesForTheSamePoints(int seed, int count)
    {
        var points = Population(new Random(seed), count);

        var expected = OtlpConverter.FromPoints(points).ToByteArray();
        var written = OtlpMetricsWriter.Write(points);

        Assert.Equal(expected.Length, written.Length);
        Assert.True(expected.AsSpan().SequenceEqual(written), $"first difference at byte {FirstDifference(expected, written)} of {expected.Length}");
        Assert.Equal(points.Count, OtlpConverter.ToPoints(ExportMetricsServiceRequest.Parser.ParseFrom(written)).Count);
    }

    [Fact]
    public void WritesAnEmptyRequestForNoPoints() => Assert.Empty(OtlpMetricsWriter.Write([]));

    private static int FirstDifference(byte[] a, byte[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return Math.Min(a.Length, b.Length);
    }

    private static List<MetricPoint> Population(Random random, int count)
    {
        var resources = new[]
        {
            TelemetryResource.Empty,
            new TelemetryResource(Attributes(random, 4)),
            new TelemetryResource(Attributes(random, 12)),
        };
        var scopes = new[] { string.Empty, "otelcol/prometheusreceiver", "io.opentelemetry.jvm" };
        var names = new[] { "http_requests_total", "up", "jvm.memory.used", "rpc.server.duration", string.Empty };
        var points = new List<MetricPoint>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = (MetricKind)random.Next(4);
            var point = new MetricPoint
            {
                Name = names[random.Next(names.Length)],
                Description = random.Next(3) == 0 ? string.Empty : "Total number of requests ✓",
                Unit = random.Next(2) == 0 ? string.Empty : "ms",
                Kind = kind,
                Temporality = (AggregationTemporality)random.Next(3),
                IsMonotonic = random.Next(2) == 0,
                Resource = resources[random.Next(resources.Length)],
                ScopeName = scopes[random.Next(scopes.Length)],
                Attributes = Attributes(random, random.Next(0, 16)),
                StartTimeUnixNano = random.Next(4) == 0 ? 0 : (ulong)random.NextInt64(1, long.MaxValue),
                TimeUnixNano = random.Next(8) == 0 ? 0 : (ulong)random.NextInt64(1, long.MaxValue),
                Value = random.Next(5) switch { 0 => 0D, 1 => -0D, 2 => double.NaN, _ => random.NextDouble() * 1e6 - 5e5 },
                Count = random.Next(4) == 0 ? 0 : (ulong)random.Next(1, 100_000),
            };
            if (kind == MetricKind.Histogram)
            {
                var bounds = random.Next(0, 12);
                point = point with
                {
                    ExplicitBounds = [.. Enumerable.Range(0, bounds).Select(b => b * 2.5)],
                    BucketCounts = bounds == 0 && random.Next(2) == 0 ? [] : [.. Enumerable.Range(0, bounds + 1).Select(_ => (ulong)random.Next(0, 1000))],
                };
            }
            else if (kind == MetricKind.Summary)
            {
                point = point with { Quantiles = [.. Enumerable.Range(0, random.Next(0, 5)).Select(q => (q * 0.25, random.Next(3) == 0 ? 0D : random.NextDouble()))] };
            }

            points.Add(point);
        }

        return points;
    }

    private static Dictionary<string, AttributeValue> Attributes(Random random, int count, int depth = 0)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = random.Next(20) == 0 ? string.Empty : $"k8s.label.{i}.{new string('x', random.Next(0, 200))}";
            attributes[key] = Value(random, depth);
        }

        return attributes;
    }

    private static AttributeValue Value(Random random, int depth) => random.Next(depth < 2 ? 9 : 7) switch
    {
        0 => AttributeValue.FromString(string.Empty),
        1 => AttributeValue.FromString("checkout-7d9f — ünïcode " + random.Next()),
        2 => AttributeValue.FromBool(random.Next(2) == 0),
        3 => AttributeValue.FromInt(random.Next(3) switch { 0 => 0, 1 => -random.NextInt64(), _ => random.NextInt64() }),
        4 => AttributeValue.FromDouble(random.Next(2) == 0 ? 0D : random.NextDouble()),
        5 => AttributeValue.FromBytes([.. Enumerable.Range(0, random.Next(0, 40)).Select(b => (byte)b)]),
        6 => AttributeValue.Empty,
        7 => AttributeValue.FromArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))]),
        _ => AttributeValue.FromMap(Attributes(random, random.Next(0, 4), depth + 1)),
    };
}
