using System.Diagnostics;
using System.Text;
using OtelLab.Model.Go;
using OtelLab.Sim.TargetAllocation.Http.Internal;

namespace OtelLab.Sim.TargetAllocation.Http;

/// <summary>
/// The TA HTTP API as pure request → response logic (upstream: TA internal/server/server.go), kept apart from the
/// socket so the exact bodies can be pinned. Routing works on the raw request target like gin with UseRawPath:
/// the <c>{job}</c> segment is the raw, still-escaped text, then <c>url.QueryUnescape</c>d.
/// <list type="bullet">
/// <item><c>/scrape_configs</c>: job → scrape config, sorted keys, no trailing newline (raw bytes write).</item>
/// <item><c>/jobs</c>: job → <c>{"_link":"/jobs/&lt;QueryEscape(job)&gt;/targets"}</c>, only jobs that have targets.</item>
/// <item><c>/jobs/{job}/targets</c>: every collector → <c>{"_link":"/debug/jobs/…/targets?collector_id=…","targets":[…]}</c>,
/// an empty collector with <c>[]</c>.</item>
/// <item><c>/jobs/{job}/targets?collector_id=X</c>: the http_sd list, <c>[]</c> when nothing is assigned.</item>
/// <item><c>/livez</c> 200; <c>/readyz</c> 200 once configs are loaded, else 503; <c>/metrics</c> Prometheus text.</item>
/// </list>
/// JSON bodies end with a newline (Go's json.Encoder). Target lists are ordered by target hash; upstream's order is
/// Go map order, i.e. unspecified. The HTML debug pages (<c>Accept: text/html</c>, <c>/debug/*</c>) are not emulated.
/// </summary>
public sealed class TargetAllocatorApi
{
    private const string Json = "application/json";
    private readonly TargetAllocator _allocator;

    // Each collector's http_sd list, as last rendered, with the allocator version it was rendered at: collectors poll
    // every refresh interval (three replicas × 9,000 targets' labels at scale), and while the allocation and the
    // targets' labels stay the same the answer is the same bytes. The version is read before rendering, so a list
    // rendered across an update is rendered again at the next request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Job, string Collector), (long Version, TargetAllocatorApiResponse Response)> _httpSd = new();

    public TargetAllocatorApi(TargetAllocator allocator)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        _allocator = allocator;
    }

    /// <summary>Answers a request given its method and raw target (path plus query, still escaped).</summary>
    public TargetAllocatorApiResponse Handle(string method, string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var started = Stopwatch.GetTimestamp();
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];
        var rawQuery = query < 0 ? "" : rawTarget[(query + 1)..];
        var (route, response) = method == "GET" ? Route(path, rawQuery) : ("", NotFound());
        // upstream PrometheusMiddleware records c.FullPath(), "" for unmatched routes.
        _allocator.Metrics.Observe(AllocatorMetricNames.HttpDuration, "Duration of received HTTP requests.",
            Stopwatch.GetElapsedTime(started).TotalSeconds, null, ("path", route));
        return response;
    }

    private (string Route, TargetAllocatorApiResponse Response) Route(string path, string rawQuery)
    {
        switch (path)
        {
            case "/scrape_configs":
                return (path, new(200, Json, ScrapeConfigJson.Render(_allocator.ScrapeConfigs)));
            case "/jobs":
                return (path, new(200, Json, Jobs()));
            case "/livez":
                return (path, new(200, null, ""));
            case "/readyz":
                return (path, new(_allocator.IsReady ? 200 : 503, null, ""));
            case "/metrics":
                return (path, new(200, "text/plain; version=0.0.4; charset=utf-8", _allocator.Metrics.Render()));
        }

        const string prefix = "/jobs/";
        const string suffix = "/targets";
        if (path.StartsWith(prefix, StringComparison.Ordinal) && path.EndsWith(suffix, StringComparison.Ordinal)
            && path.Length > prefix.Length + suffix.Length)
        {
            var rawJob = path[prefix.Length..^suffix.Length];
            if (!rawJob.Contains('/', StringComparison.Ordinal))
            {
                return ("/jobs/:job_id/targets", Targets(rawJob, rawQuery));
            }
        }

        return ("", NotFound());
    }

    private static TargetAllocatorApiResponse NotFound() => new(404, "text/plain", "404 page not found");

    private string Jobs()
    {
        var jobs = _allocator.Allocator.TargetItems().Values.Select(t => t.JobName).Distinct(StringComparer.Ordinal)
            .Select(job => KeyValuePair.Create(job, $"/jobs/{GoUrl.QueryEscape(job)}/targets"));
        var output = new StringBuilder();
        GoccyJson.Map(output, jobs, (o, link) => GoccyJson.String(o.Append("{\"_link\":"), link).Append('}'));
        return output.Append('\n').ToString();
    }

    private TargetAllocatorApiResponse Targets(string rawJob, string rawQuery)
    {
        if (!GoUrl.TryQueryUnescape(rawJob, out var job))
        {
            // upstream errorHandler: 500 with the JSON encoding of a Go error value, which is {}.
            return new(500, Json, "{}\n");
        }

        var output = new StringBuilder();
        var allocator = _allocator.Allocator;
        if (GoUrl.ParseQuery(rawQuery).TryGetValue("collector_id", out var ids))
        {
            var version = allocator.Version;
            if (_httpSd.TryGetValue((job, ids[0]), out var cached) && cached.Version == version)
            {
                return cached.Response;
            }

            var items = allocator.GetTargetsForCollectorAndJob(ids[0], job);
            GoccyJson.Array(output, items, TargetJson);
            var response = new TargetAllocatorApiResponse(200, Json, output.Append('\n').ToString());
            _httpSd[(job, ids[0])] = (version, response);
            return response;
        }

        var escapedJob = GoUrl.QueryEscape(job);
        GoccyJson.Map(output, allocator.Collectors().Keys.Select(name => KeyValuePair.Create(name, name)), (o, name) =>
        {
            o.Append("{\"_link\":");
            GoccyJson.String(o, $"/debug/jobs/{escapedJob}/targets?collector_id={name}");
            o.Append(",\"targets\":");
            GoccyJson.Array(o, allocator.GetTargetsForCollectorAndJob(name, job), TargetJson);
            o.Append('}');
        });
        return new(200, Json, output.Append('\n').ToString());
    }

    private static void TargetJson(StringBuilder output, TargetItem item)
    {
        output.Append("{\"targets\":[");
        GoccyJson.String(output, item.TargetUrl);
        output.Append("],\"labels\":");
        GoccyJson.Map(output, item.Labels.Select(l => KeyValuePair.Create(l.Name, l.Value)), (o, v) => GoccyJson.String(o, v));
        output.Append('}');
    }
}
