using System.Text.Json;
using OtelLab.Model.Go;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Sim.Collector.Receivers.Prometheus.Internal;

/// <summary>
/// Reads the TA's answers: <c>/scrape_configs</c> (a map of job → Prometheus scrape config as JSON) and an http_sd
/// response (<c>[{"targets":[…],"labels":{…}}]</c>; upstream: prometheus discovery/http/http.go).
/// </summary>
internal static class TargetAllocatorJson
{
    public static IReadOnlyList<ScrapeConfig> ScrapeConfigs(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var configs = new List<ScrapeConfig>();
        foreach (var job in doc.RootElement.EnumerateObject())
        {
            var o = job.Value;
            configs.Add(new ScrapeConfig
            {
                JobName = Str(o, "job_name") ?? job.Name,
                ScrapeInterval = Duration(o, "scrape_interval") ?? TimeSpan.FromMinutes(1),
                ScrapeTimeout = Duration(o, "scrape_timeout") ?? TimeSpan.FromSeconds(10),
                MetricsPath = Str(o, "metrics_path") ?? "/metrics",
                Scheme = Str(o, "scheme") ?? "http",
                HonorLabels = o.TryGetProperty("honor_labels", out var h) && h.ValueKind == JsonValueKind.True,
                RelabelConfigs = Relabels(o, "relabel_configs"),
                MetricRelabelConfigs = Relabels(o, "metric_relabel_configs"),
            });
        }

        return configs;
    }

    public static IReadOnlyList<(IReadOnlyList<string> Targets, IReadOnlyList<KeyValuePair<string, string>> Labels)> HttpSd(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var groups = new List<(IReadOnlyList<string>, IReadOnlyList<KeyValuePair<string, string>>)>();
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return groups;
        }

        foreach (var group in doc.RootElement.EnumerateArray())
        {
            IReadOnlyList<string> targets = group.TryGetProperty("targets", out var t) && t.ValueKind == JsonValueKind.Array
                ? [.. t.EnumerateArray().Select(x => x.GetString() ?? string.Empty)]
                : [];
            IReadOnlyList<KeyValuePair<string, string>> labels = group.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object
                ? [.. l.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? string.Empty))]
                : [];
            groups.Add((targets, labels));
        }

        return groups;
    }

    private static IReadOnlyList<RelabelConfig> Relabels(JsonElement o, string key)
    {
        if (!o.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. array.EnumerateArray().Select(r => new RelabelConfig
        {
            SourceLabels = r.TryGetProperty("source_labels", out var s) ? [.. s.EnumerateArray().Select(x => x.GetString() ?? string.Empty)] : [],
            Separator = Str(r, "separator") ?? ";",
            Regex = Str(r, "regex") is { } regex ? new RelabelRegex(regex) : RelabelRegex.Default,
            Modulus = r.TryGetProperty("modulus", out var m) ? m.GetUInt64() : 0,
            TargetLabel = Str(r, "target_label") ?? string.Empty,
            Replacement = Str(r, "replacement") ?? "$1",
            Action = Str(r, "action") is { } action ? RelabelConfig.ParseAction(action) : RelabelAction.Replace,
        })];
    }

    private static string? Str(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static TimeSpan? Duration(JsonElement o, string key) =>
        Str(o, key) is { } text && GoDuration.TryParse(text, out var d, out _) ? d : null;
}
