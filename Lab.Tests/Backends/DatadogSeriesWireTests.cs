using Google.Protobuf;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Datadog.Internal;
using OtelLab.Backends.Datadog.Protocol;
using static OtelLab.Backends.Datadog.Protocol.MetricPayload.Types;
using static OtelLab.Tests.Backends.ProtobufWire;

namespace OtelLab.Tests.Backends;

/// <summary>The mock Datadog captures series from a walk of the payload's bytes: what it keeps must be what decoding the payload gives.</summary>
[Trait("Category", "Unit")]
public sealed class DatadogSeriesWireTests
{
    private static readonly OtlpCapture.Origin Origin = new("datadog", CredentialFingerprint.None, DateTimeOffset.UnixEpoch, "127.0.0.1");

    [Fact]
    public void A_population_of_payloads_is_captured_as_decoding_captures_it_with_each_series_bytes_as_received()
    {
        // Given 400 payloads of series with and without host resources and service tags, every type, units, points
        var random = new Random(20261207);
        var series = 0;
        for (var i = 0; i < 400; i++)
        {
            var payload = RandomPayload(random);
            var bytes = payload.ToByteArray();

            // When the walk captures them, and decoding does
            var walked = DatadogCapture.Series(bytes, bytes.Length, Origin);
            var decoded = DatadogCapture.Series(MetricPayload.Parser.ParseFrom(bytes), Origin);

            // Then both capture the same series, and the walk keeps the bytes the payload carried for each
            AssertSameCapture(decoded, walked, $"payload {i}");
            for (var s = 0; s < payload.Series.Count; s++)
            {
                Assert.Equal(payload.Series[s].ToByteArray(), walked[s].EncodedDatadogSeries);
            }

            series += walked.Count;
        }

        Assert.True(series > 1000, $"{series} series in the population");
    }

    [Fact]
    public void Payloads_encoded_unlike_a_marshaller_writes_them_are_captured_as_decoding_captures_them()
    {
        var one = new MetricSeries { Metric = "system.cpu", Type = MetricType.Gauge, Unit = "percent" };
        one.Tags.Add("env:lab");
        one.Tags.Add("service:checkout");
        one.Resources.Add(new Resource { Type = "host", Name = "node-1" });
        one.Points.Add(new MetricPoint { Value = 1, Timestamp = 1_700_000_000 });

        // Unknown fields of every wire type, a field with a wire type not its declared one, a metric name and a
        // resource type given twice (the last wins), fields out of order.
        var unknown = Concat(Varint(90, 5), Length(91, [1, 2, 3]), Fixed32(92), Fixed64(93));
        var odd = Concat(Length(4, one.Points[0].ToByteArray()), unknown, Length(2, "first.name"u8.ToArray()), Varint(2, 7), one.ToByteArray(),
            Length(1, Concat(Length(1, "other"u8.ToArray()), Length(2, "n"u8.ToArray()), Length(1, "host"u8.ToArray()))));
        var bytes = Concat(unknown, Length(1, odd), Length(1, one.ToByteArray()));

        var walked = DatadogCapture.Series(bytes, bytes.Length, Origin);
        AssertSameCapture(DatadogCapture.Series(MetricPayload.Parser.ParseFrom(bytes), Origin), walked, "odd payload");
        Assert.Equal(2, walked.Count);
    }

    [Fact]
    public void A_payload_the_decoder_refuses_is_refused_the_same_way()
    {
        var one = new MetricSeries { Metric = "m" };
        one.Tags.Add("service:x");
        var good = new MetricPayload();
        good.Series.Add(one);
        var bytes = good.ToByteArray();
        var badTag = bytes.ToArray();
        badTag[^1] = 0xff; // the tag's last character: not UTF-8
        var badPoint = Length(1, Concat(Length(2, "m"u8.ToArray()), Length(4, [0x09, 0, 0]))); // a point whose double is cut short

        foreach (var (name, body) in new[] { ("truncated", bytes[..^2]), ("a tag that is not UTF-8", badTag), ("a point cut short", badPoint) })
        {
            var decoderError = Record.Exception(() => MetricPayload.Parser.ParseFrom(body));
            Assert.IsType<InvalidProtocolBufferException>(decoderError);
            var error = Record.Exception(() => DatadogCapture.Series(body, body.Length, Origin));
            Assert.True(error is InvalidProtocolBufferException, $"{name}: {error?.GetType().Name ?? "no error"}, the decoder: {decoderError.Message}");
        }
    }

    private static MetricPayload RandomPayload(Random random)
    {
        var payload = new MetricPayload();
        for (var s = random.Next(0, 8); s > 0; s--)
        {
            var series = new MetricSeries
            {
                Metric = "lab.metric." + random.Next(30),
                Type = (MetricType)random.Next(0, 5),
                Unit = random.Next(3) == 0 ? "" : "byte",
                SourceTypeName = random.Next(4) == 0 ? "otlp" : "",
                Interval = random.Next(3) == 0 ? 10 : 0,
            };
            for (var r = random.Next(0, 3); r > 0; r--)
            {
                series.Resources.Add(new Resource { Type = random.Next(3) == 0 ? "container" : "host", Name = random.Next(4) == 0 ? "" : "node-" + random.Next(3) });
            }

            for (var t = random.Next(0, 6); t > 0; t--)
            {
                series.Tags.Add(random.Next(4) switch
                {
                    0 => "service:svc-" + random.Next(3),
                    1 => "service:",
                    2 => "env:lab",
                    _ => "k8s.pod.name:pod-" + random.Next(9),
                });
            }

            for (var p = random.Next(0, 5); p > 0; p--)
            {
                series.Points.Add(new MetricPoint { Value = random.Next(10) == 0 ? double.NaN : random.NextDouble(), Timestamp = 1_700_000_000 + p });
            }

            payload.Series.Add(series);
        }

        return payload;
    }

    private static void AssertSameCapture(List<CapturedMetric> expected, List<CapturedMetric> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} series captured, decoding captures {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var at = $"{what}, series {i} ({e.Name})";
            Assert.Equal((e.Name, e.Type, e.Temporality, e.Unit, e.PointCount), (a.Name, a.Type, a.Temporality, a.Unit, a.PointCount));
            Assert.True(e.Resource.ServiceName == a.Resource.ServiceName && e.Resource.Attributes.SequenceEqual(a.Resource.Attributes),
                $"{at}: resource {a.Resource.ServiceName} [{string.Join(",", a.Resource.Attributes)}], decoding gives {e.Resource.ServiceName} [{string.Join(",", e.Resource.Attributes)}]");
            var (ep, ap) = (e.Points, a.Points);
            Assert.True(ep.Count == ap.Count, $"{at}: {ap.Count} points, decoding keeps {ep.Count}");
            for (var p = 0; p < ep.Count; p++)
            {
                Assert.True(ep[p].TimeUnixNano == ap[p].TimeUnixNano && ep[p].Value.Equals(ap[p].Value) && ep[p].Attributes.SequenceEqual(ap[p].Attributes), $"{at}: point {p} differs");
            }
        }
    }
}
