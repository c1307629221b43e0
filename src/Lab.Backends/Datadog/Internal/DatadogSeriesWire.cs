using System.Text;
using System.Text.Unicode;
using OtelLab.Model.Protobuf;

namespace OtelLab.Backends.Datadog.Internal;

/// <summary>
/// Walks the bytes of a Datadog <c>MetricPayload</c> (agent-payload metrics.proto: series 1 → MetricSeries {resources 1
/// {type 1, name 2}, metric 2, tags 3, points 4 {value 1, timestamp 2}, type 5, unit 6, source_type_name 7,
/// interval 8}) and lists each series with what the capture keeps of it and its exact bytes, without decoding the tags
/// and points into objects. A field whose wire type does not match its declaration is skipped as an unknown field, as
/// the generated decoder does; a payload with a string that is not UTF-8 (which the decoder refuses) is not walked.
/// </summary>
internal static class DatadogSeriesWire
{
    private const int Length = 2;

    /// <summary>One series: its metric, type, unit, first <c>host</c> resource, first <c>service:</c> tag, points.</summary>
    public readonly record struct SeriesEntry(string Metric, int Type, string Unit, string? Host, string? Service, int Points, int Start, int Length);

    /// <summary>Lists the payload's series in order; false (list partly filled) when the payload must be decoded instead.</summary>
    public static bool TryWalk(ReadOnlySpan<byte> payload, List<SeriesEntry> series)
    {
        try
        {
            var r = new ProtobufReader(payload);
            while (r.Next())
            {
                if (r.Field == 1 && r.WireType == Length)
                {
                    var one = r.Message();
                    if (!TrySeries(one, out var entry))
                    {
                        return false;
                    }

                    series.Add(entry with { Start = one.Start, Length = one.End - one.Start });
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

    private static bool TrySeries(ProtobufReader s, out SeriesEntry entry)
    {
        entry = default;
        string metric = "", unit = "";
        string? host = null, service = null;
        int type = 0, points = 0;
        while (s.Next())
        {
            switch (s.Field, s.WireType)
            {
                case (1, Length):
                    if (!TryResource(s.Message(), ref host))
                    {
                        return false;
                    }

                    break;
                case (2, Length):
                    if (!s.TryString(out metric))
                    {
                        return false;
                    }

                    break;
                case (3, Length):
                    var tag = s.Bytes();
                    if (!Utf8.IsValid(tag))
                    {
                        return false;
                    }

                    if (service is null && tag.StartsWith("service:"u8))
                    {
                        service = Encoding.UTF8.GetString(tag["service:".Length..]);
                    }

                    break;
                case (4, Length):
                    points++;
                    var point = s.Message();
                    while (point.Next())
                    {
                        point.Skip();
                    }

                    break;
                case (5, 0):
                    type = (int)s.Varint();
                    break;
                case (6, Length):
                    if (!s.TryString(out unit))
                    {
                        return false;
                    }

                    break;
                case (7, Length):
                    if (!Utf8.IsValid(s.Bytes()))
                    {
                        return false;
                    }

                    break;
                default: s.Skip(); break;
            }
        }

        entry = new SeriesEntry(metric, type, unit, host, service, points, 0, 0);
        return true;
    }

    // Resource: type 1, name 2 (the last of each wins, as a decoder reads them); the first with type "host" names the host.
    private static bool TryResource(ProtobufReader resource, ref string? host)
    {
        string type = "", name = "";
        while (resource.Next())
        {
            switch (resource.Field, resource.WireType)
            {
                case (1, Length):
                    if (!resource.TryString(out type))
                    {
                        return false;
                    }

                    break;
                case (2, Length):
                    if (!resource.TryString(out name))
                    {
                        return false;
                    }

                    break;
                default: resource.Skip(); break;
            }
        }

        if (host is null && type == "host")
        {
            host = name;
        }

        return true;
    }
}
