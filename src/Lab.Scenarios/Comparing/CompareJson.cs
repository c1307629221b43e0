using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.Lint;

namespace OtelLab.Scenarios.Comparing;

/// <summary>A <see cref="CompareReport"/> as JSON for machines: the lint diff, the checks side by side, and both runs' measurements.</summary>
public static class CompareJson
{
    public static string Write(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = new JsonObject
        {
            ["scenario"] = report.Scenario,
            ["base"] = report.Base,
            ["head"] = report.Head,
            ["verdict"] = report.Regressed ? "blocks" : "passes",
            ["regressions"] = new JsonArray([.. report.Regressions.Select(r => (JsonNode)r)]),
            ["introduced"] = List(report.Lint.Introduced),
            ["fixed"] = List(report.Lint.Fixed),
            ["unchanged"] = List(report.Lint.Unchanged),
        };
        if (report.Checks is not null)
        {
            o["checks"] = new JsonArray([.. report.CheckRows.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Head.Id,
                ["base"] = r.Base?.Outcome.ToString(),
                ["head"] = r.Head.Outcome.ToString(),
                ["baseSummary"] = r.Base?.Summary,
                ["headSummary"] = r.Head.Summary,
                ["introduced"] = new JsonArray([.. FindingsDiff.Of(r.Base?.Findings ?? [], r.Head.Findings).Introduced.Select(f => (JsonNode)$"{f.RuleId}: {f.Message}")]),
            })]);
        }

        if (report.BaseRun is { } b && report.HeadRun is { } h)
        {
            o["measured"] = new JsonObject
            {
                ["targets"] = new JsonObject
                {
                    ["onBoth"] = report.TargetsOnBoth,
                    ["moved"] = report.Moved.Count,
                    ["examples"] = new JsonArray([.. report.Moved.Take(CompareTables.MovedExamples).Select(m => (JsonNode)new JsonObject { ["target"] = m.Target, ["from"] = m.From, ["to"] = m.To })]),
                },
                ["base"] = Run(b),
                ["head"] = Run(h),
            };
        }

        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }

    private static JsonObject Run(RunMeasurement run) => new()
    {
        ["targets"] = run.Assignments.Count,
        ["keepRates"] = new JsonArray([.. run.KeepRates.Select(k => (JsonNode)new JsonObject { ["class"] = k.Class, ["traces"] = k.Traces, ["kept"] = k.Kept })]),
        ["tiers"] = new JsonArray([.. run.Tiers.Select(t => (JsonNode)new JsonObject
        {
            ["tier"] = t.Tier, ["pods"] = t.Pods, ["receivedSpans"] = t.ReceivedSpans, ["sentSpans"] = t.SentSpans, ["receivedPoints"] = t.ReceivedPoints, ["sentPoints"] = t.SentPoints,
        })]),
        ["backends"] = new JsonArray([.. run.Backends.Select(x => (JsonNode)new JsonObject
        {
            ["backend"] = x.Backend, ["acceptedSpans"] = x.AcceptedSpans, ["acceptedMetricPoints"] = x.AcceptedMetricPoints, ["acceptedLogRecords"] = x.AcceptedLogRecords,
            ["rejectedItems"] = x.RejectedItems, ["rejectedRequests"] = x.RejectedRequests,
        })]),
        ["sendFailures"] = new JsonArray([.. run.SendFailures.Select(e => (JsonNode)new JsonObject { ["collector"] = e.Collector, ["exporter"] = e.Exporter, ["spans"] = e.Spans, ["points"] = e.Points })]),
        ["sendFailedSinceReady"] = run.SendFailedSinceReady,
        ["load"] = new JsonObject
        {
            ["ranSeconds"] = run.LoadRan.TotalSeconds,
            ["plannedSeconds"] = run.LoadPlanned.TotalSeconds,
            ["scenarios"] = new JsonArray([.. run.Load.Select(l => (JsonNode)new JsonObject
            {
                ["scenario"] = l.Scenario, ["step"] = l.Step, ["requests"] = l.Total.Count, ["ok"] = l.Total.Ok, ["fail"] = l.Total.Fail, ["rps"] = l.Total.Rps,
                ["p50Ms"] = l.Total.P50Ms, ["p75Ms"] = l.Total.P75Ms, ["p95Ms"] = l.Total.P95Ms, ["p99Ms"] = l.Total.P99Ms, ["maxMs"] = l.Total.MaxMs,
                ["statusCodes"] = new JsonObject([.. l.Total.StatusCodes.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]),
            })]),
            ["thresholds"] = new JsonArray([.. run.Thresholds.Select(t => (JsonNode)new JsonObject
            {
                ["threshold"] = t.Threshold.Text, ["scope"] = t.Scope, ["passed"] = t.Passed, ["measured"] = t.Measured, ["note"] = t.Note,
            })]),
        },
    };

    private static JsonArray List(IEnumerable<Finding> findings) => new([.. findings.Select(f => (JsonNode)new JsonObject
    {
        ["ruleId"] = f.RuleId,
        ["severity"] = f.Severity.ToString().ToLowerInvariant(),
        ["object"] = f.Object,
        ["location"] = f.Location.ToString(),
        ["message"] = f.Message,
        ["evidence"] = new JsonArray([.. f.Evidence.Select(e => (JsonNode)e)]),
    })]);
}
