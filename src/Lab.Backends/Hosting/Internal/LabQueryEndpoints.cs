using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Capture.Internal;
using OtelLab.Backends.Faults;

namespace OtelLab.Backends.Hosting.Internal;

/// <summary>
/// The lab's JSON query API on a backend's own host, under /lab/: what arrived, from whom, with which
/// credential (masked), and what was rejected — for scenario assertions and the dashboard. Fault controls too.
/// </summary>
internal static class LabQueryEndpoints
{
    public const string Prefix = "/lab";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Map(WebApplication app, CaptureStore store, BackendFaults faults)
    {
        app.MapGet(Prefix + "/summary", context => WriteAsync(context, store.Summary()));
        app.MapGet(Prefix + "/traces/{traceId}", context =>
        {
            var id = (string)context.Request.RouteValues["traceId"]!;
            return WriteAsync(context, store.SpansOfTrace(id).Select(SpanView.Of).ToList());
        });
        app.MapGet(Prefix + "/spans", context =>
        {
            var service = context.Request.Query["service"].ToString();
            var spans = service.Length == 0 ? store.Spans() : store.SpansOfService(service);
            return WriteAsync(context, Tail(spans, context).Select(SpanView.Of).ToList());
        });
        app.MapGet(Prefix + "/metrics", context =>
        {
            var name = context.Request.Query["name"].ToString();
            var metrics = name.Length == 0 ? store.Metrics() : store.MetricsNamed(name);
            return WriteAsync(context, Tail(metrics, context).Select(MetricView.Of).ToList());
        });
        app.MapGet(Prefix + "/logs", context => WriteAsync(context, Tail(store.Logs(), context).Select(LogView.Of).ToList()));
        app.MapGet(Prefix + "/rejections", context => WriteAsync(context, store.Rejections().Select(r => new
        {
            r.Backend, r.Signal, r.HttpStatus, r.Reason, r.Detail, r.ItemName, r.ItemCount, r.ServiceName, Credential = r.Credential.Masked, r.At,
        }).ToList()));
        app.MapGet(Prefix + "/credentials", context => WriteAsync(context, store.Credentials()));
        app.MapGet(Prefix + "/export/{signal}", context =>
        {
            var signal = (string)context.Request.RouteValues["signal"]!;
            Func<CaptureStore, string>? render = signal switch
            {
                "traces" => OtlpJsonExport.Traces,
                "metrics" => OtlpJsonExport.Metrics,
                "logs" => OtlpJsonExport.Logs,
                _ => null,
            };
            if (render is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status200OK, render(store));
        });
        app.MapGet(Prefix + "/faults", context => WriteAsync(context, faults.Current));
        app.MapDelete(Prefix + "/faults", context =>
        {
            faults.Clear();
            return WriteAsync(context, faults.Current);
        });
        // POST /lab/faults?kind=unavailable|throttled|slow|refuse&seconds=30&retryAfter=5&delayMs=6000
        app.MapPost(Prefix + "/faults", SetFaultAsync(faults));
    }

    private static RequestDelegate SetFaultAsync(BackendFaults faults) => async context =>
    {
        var query = context.Request.Query;
        var kind = query["kind"].ToString();
        var period = TimeSpan.FromSeconds(Number(query["seconds"], 30));
        var retryAfter = TimeSpan.FromSeconds(Number(query["retryAfter"], 0));
        try
        {
            switch (kind)
            {
                case "unavailable":
                    faults.Unavailable(period, retryAfter > TimeSpan.Zero ? retryAfter : null);
                    break;
                case "throttled":
                    faults.Throttle(period, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
                    break;
                case "slow":
                    faults.Slow(period, TimeSpan.FromMilliseconds(Number(query["delayMs"], 6000)));
                    break;
                case "refuse":
                    // Answer first: the listener that carries this response is about to close.
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                    await context.Response.CompleteAsync().ConfigureAwait(false);
                    _ = faults.RefuseConnectionsAsync(period);
                    return;
                default:
                    await IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status400BadRequest, """{"error":"kind must be unavailable, throttled, slow or refuse"}""").ConfigureAwait(false);
                    return;
            }
        }
        catch (ArgumentOutOfRangeException e)
        {
            await IngestResponses.WriteJsonTextAsync(context, StatusCodes.Status400BadRequest, JsonSerializer.Serialize(new { error = e.Message }, Json)).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, faults.Current).ConfigureAwait(false);
    };

    private static double Number(Microsoft.Extensions.Primitives.StringValues value, double fallback) =>
        double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private static IEnumerable<T> Tail<T>(IReadOnlyList<T> items, HttpContext context)
    {
        var limit = (int)Number(context.Request.Query["limit"], 1000);
        return items.Skip(Math.Max(0, items.Count - Math.Max(0, limit)));
    }

    private static Task WriteAsync<T>(HttpContext context, T value)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, Json, context.RequestAborted);
    }

    private static Dictionary<string, string> Attributes(IReadOnlyList<OpenTelemetry.Proto.Common.V1.KeyValue> attributes)
    {
        var result = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        foreach (var kv in attributes)
        {
            result[kv.Key] = OtlpCapture.Text(kv.Value);
        }

        return result;
    }

    private sealed record SpanView(
        string TraceId, string SpanId, string ParentSpanId, string Service, string Name, int Kind, CapturedStatus Status,
        ulong StartUnixNano, long DurationNanos, string DatadogResource, string Credential,
        Dictionary<string, string> Attributes, Dictionary<string, string> ResourceAttributes)
    {
        public static SpanView Of(CapturedSpan s) => new(
            s.TraceIdHex, s.SpanIdHex, s.ParentSpanIdHex, s.ServiceName, s.Name, s.Kind, s.Status, s.StartUnixNano, s.DurationNanos,
            s.DatadogResource, s.Resource.Credential.Masked, LabQueryEndpoints.Attributes(s.Attributes), LabQueryEndpoints.Attributes(s.Resource.Attributes));
    }

    private sealed record PointView(ulong TimeUnixNano, double Value, ulong Count, Dictionary<string, string> Attributes);

    private sealed record MetricView(
        string Name, string Service, CapturedMetricType Type, CapturedTemporality Temporality, bool Monotonic, string Unit, string Credential, List<PointView> Points)
    {
        public static MetricView Of(CapturedMetric m) => new(
            m.Name, m.ServiceName, m.Type, m.Temporality, m.IsMonotonic, m.Unit, m.Resource.Credential.Masked,
            [.. m.Points.Select(p => new PointView(p.TimeUnixNano, p.Value, p.Count, LabQueryEndpoints.Attributes(p.Attributes)))]);
    }

    private sealed record LogView(ulong TimeUnixNano, string Service, string Severity, string Body, string TraceId, string Credential, Dictionary<string, string> Attributes)
    {
        public static LogView Of(CapturedLog l) => new(
            l.TimeUnixNano, l.ServiceName, l.SeverityText, l.Body, l.TraceId == 0 ? "" : l.TraceId.ToString("x32", CultureInfo.InvariantCulture),
            l.Resource.Credential.Masked, LabQueryEndpoints.Attributes(l.Attributes));
    }
}
