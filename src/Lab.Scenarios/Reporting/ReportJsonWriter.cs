using System.Text.Json;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Scenarios.Reporting;

/// <summary>A run as JSON for machines: scenario, verdict, start-up time, resources, checks with figures and findings, backends.</summary>
public static class ReportJsonWriter
{
    public static string Write(ScenarioRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", run.Scenario);
            json.WriteString("description", run.Description);
            json.WriteString("verdict", run.Verdict);
            json.WriteString("startedAt", run.StartedAt);
            json.WriteNumber("durationSeconds", Math.Round(run.Duration.TotalSeconds, 3));
            if (run.StartupTime is { } startup)
            {
                json.WriteNumber("startupSeconds", Math.Round(startup.TotalSeconds, 3));
            }
            else
            {
                json.WriteNull("startupSeconds");
            }

            json.WriteStartArray("resources");
            foreach (var r in run.Resources)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteString("kind", r.Kind);
                json.WriteString("state", r.State.ToString());
                json.WriteString("reason", r.Reason);
                json.WriteStartArray("waitsFor");
                r.Dependencies.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
                if (r.ReadyAfter is { } ready)
                {
                    json.WriteNumber("readyAfterMs", Math.Round(ready.TotalMilliseconds, 1));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteHealth(json, run.SimulationHealth);
            json.WriteStartArray("checks");
            foreach (var c in run.Checks)
            {
                WriteCheck(json, c);
            }

            json.WriteEndArray();
            json.WriteStartArray("backends");
            foreach (var b in run.Backends)
            {
                json.WriteStartObject();
                json.WriteString("backend", b.Backend);
                json.WriteNumber("acceptedSpans", b.AcceptedSpans);
                json.WriteNumber("acceptedMetricPoints", b.AcceptedMetricPoints);
                json.WriteNumber("acceptedLogRecords", b.AcceptedLogRecords);
                json.WriteNumber("rejectedItems", b.RejectedItems);
                json.WriteNumber("rejectedRequests", b.RejectedRequests);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("summary");
            json.WriteNumber("checks", run.Checks.Count);
            json.WriteNumber("passed", run.Checks.Count(c => c.Outcome == CheckOutcome.Pass));
            json.WriteNumber("failed", run.Checks.Count(c => c.Outcome == CheckOutcome.Fail));
            json.WriteNumber("skipped", run.Checks.Count(c => c.Outcome == CheckOutcome.Skipped));
            json.WriteNumber("untrustworthy", run.Checks.Count(c => c.Outcome == CheckOutcome.Untrustworthy));
            json.WriteNumber("findings", run.Findings.Count());
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    // The simulator's own health: whether the run's timing verdicts can be trusted, and the figures that say so.
    private static void WriteHealth(Utf8JsonWriter json, Health.SimulationHealthSummary? h)
    {
        if (h is null)
        {
            json.WriteNull("simulationHealth");
            return;
        }

        json.WriteStartObject("simulationHealth");
        json.WriteString("state", h.Degraded ? "degraded" : "healthy");
        json.WriteString("summary", h.Describe());
        json.WriteNumber("secondsSampled", h.Samples);
        json.WriteNumber("secondsBehind", h.BehindSamples);
        json.WriteNumber("behindByMs", Math.Round(h.BehindBy.TotalMilliseconds, 1));
        json.WriteNumber("worstTimerLatenessMs", Math.Round(h.WorstTimerLateness.TotalMilliseconds, 1));
        json.WriteNumber("timerLatenessLimitMs", Math.Round(h.LatenessLimit.TotalMilliseconds, 1));
        json.WriteNumber("worstScrapeSlotWaitMs", Math.Round(h.WorstScrapeSlotWait.TotalMilliseconds, 1));
        json.WriteNumber("worstExportQueueWaitMs", Math.Round(h.WorstExportQueueWait.TotalMilliseconds, 1));
        json.WriteNumber("slotWaitLimitMs", Math.Round(h.SlotWaitLimit.TotalMilliseconds, 1));
        json.WriteNumber("worstThreadPoolProbeDelayMs", Math.Round(h.WorstThreadPoolProbeDelay.TotalMilliseconds, 1));
        json.WriteNumber("maxPendingWorkItems", h.MaxPendingWorkItems);
        json.WriteNumber("meanCoresBusy", Math.Round(h.MeanCoresBusy, 3));
        json.WriteNumber("gcPauseShare", Math.Round(h.GcPauseShare, 4));
        json.WriteStartArray("worstBreaches");
        h.WorstBreaches.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter json, CheckResult c)
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        json.WriteString("title", c.Title);
        json.WriteString("outcome", c.Outcome.ToString().ToLowerInvariant());
        json.WriteString("summary", c.Summary);
        json.WriteNumber("durationSeconds", Math.Round(c.Duration.TotalSeconds, 3));
        json.WriteStartArray("figures");
        foreach (var f in c.Figures)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteNumber("value", f.Value);
            json.WriteString("unit", f.Unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (c.Transcript.Count > 0)
        {
            json.WriteStartArray("transcript");
            c.Transcript.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteStartArray("findings");
        foreach (var f in c.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.RuleId);
            json.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
            json.WriteString("object", f.Object);
            json.WriteString("file", f.Location.File);
            json.WriteNumber("line", f.Location.Line);
            json.WriteString("message", f.Message);
            json.WriteStartArray("evidence");
            f.Evidence.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteString("why", f.Why);
            json.WriteString("fix", f.Fix);
            if (f.MeasuredHealthy is { } healthy)
            {
                json.WriteBoolean("measuredHealthy", healthy);
            }
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
