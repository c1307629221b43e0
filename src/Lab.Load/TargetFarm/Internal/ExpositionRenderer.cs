using System.Globalization;
using System.Text;

namespace OtelLab.Load.TargetFarm.Internal;

/// <summary>
/// Renders one full HTTP response (headers and a Prometheus text exposition 0.0.4 body) for a shape and churn cycle.
/// Every target of a farm serves the same bytes, so a scrape costs a buffer copy, not a render.
/// </summary>
internal static class ExpositionRenderer
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Pods of a farm run one TargetFarm each: they share the cycle-0 response instead of rendering it 9,000 times.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(TargetShape, bool), byte[]> InitialResponses = new();

    public static byte[] Render(TargetShape shape, long cycle, bool keepAlive) =>
        cycle == 0 ? InitialResponses.GetOrAdd((shape, keepAlive), key => RenderNew(key.Item1, 0, key.Item2)) : RenderNew(shape, cycle, keepAlive);

    private static byte[] RenderNew(TargetShape shape, long cycle, bool keepAlive)
    {
        var body = new StringBuilder(shape.SeriesPerTarget * (64 + (shape.LabelCount * 40)));
        var labels = new StringBuilder();
        for (var l = 0; l < shape.LabelCount; l++)
        {
            labels.Append(CultureInfo.InvariantCulture, $"label_key_{l}=\"label_val_{l}\",");
        }

        var constant = labels.ToString();
        for (var m = 0; m < shape.MetricCount; m++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"lab_metric_{m}");
            body.Append("# HELP ").Append(name).Append(" A tasty metric morsel (avalanche-like).\n");
            body.Append("# TYPE ").Append(name).Append(" gauge\n");
            for (var s = 0; s < shape.SeriesCount; s++)
            {
                body.Append(name).Append('{').Append(constant)
                    .Append(CultureInfo.InvariantCulture, $"cycle_id=\"{cycle}\",series_id=\"{s}\"}} {Value(m, s, cycle)}\n");
            }
        }

        var payload = Encoding.UTF8.GetBytes(body.ToString());
        var headers = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 200 OK\r\nContent-Type: {ContentType}\r\nContent-Length: {payload.Length}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n"));
        return [.. headers, .. payload];
    }

    public static byte[] Status(int code, string reason) => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {reason.Length + 1}\r\nConnection: close\r\n\r\n{reason}\n"));

    private static long Value(int metric, int series, long cycle) => ((metric * 31) + (series * 17) + (cycle * 7)) % 100;
}
