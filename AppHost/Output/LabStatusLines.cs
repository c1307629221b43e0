using System.Globalization;
using OtelLab.Lint;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Scenarios.Resources;

namespace OtelLab.AppHost.Output;

/// <summary>The live view as plain periodic lines (output is not a terminal: CI logs, pipes, tests).</summary>
internal static class LabStatusLines
{
    public static IEnumerable<string> Format(LabSnapshot s)
    {
        var at = s.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var running = s.Resources.Count(r => r.State == ResourceState.Running);
        var failed = s.Resources.Where(r => r.State is ResourceState.Failed or ResourceState.Blocked).Select(r => r.Name).ToList();
        yield return $"[{at}] resources {running}/{s.Resources.Count} running{(failed.Count > 0 ? " (failed/blocked: " + string.Join(", ", failed) + ")" : "")}" +
                     $" | pods {s.Pods.Count(p => p.Ready)}/{s.Pods.Count} ready";
        yield return $"[{at}] shards: " + FirstRound(s) + (s.Shards.Count == 0 ? "no data (no Target Allocator runtime plugged in)" :
            string.Join(", ", s.Shards.Select(x => $"{x.Replica} {x.Targets} targets/{x.Series} series (last scrape {x.LastScrape?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"})")));
        yield return $"[{at}] spans/s: " + (s.Tiers.Count == 0 ? "no data (no collector runtime plugged in)" :
            string.Join(", ", s.Tiers.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Tier} in {t.ReceivedPerSecond:0.#} out {t.SentPerSecond:0.#} (failed so far: {t.SendFailed})"))));
        yield return $"[{at}] keep rates: " + (s.KeepRates.Count == 0 ? "no data" :
            string.Join(", ", s.KeepRates.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Class} {k.Rate:P1} ({k.Kept}/{k.Traces})"))));
        yield return $"[{at}] backends: " + string.Join(" | ", s.Backends.Select(b =>
            string.Create(CultureInfo.InvariantCulture, $"{b.Backend} {b.AcceptedSpans} spans {b.AcceptedMetricPoints} points ({b.IngestPerSecond:0.#}/s) rejected {b.RejectedItems} items/{b.RejectedRequests} requests")));
        if (s.Health is { } h)
        {
            yield return $"[{at}] " + Health(h);
        }

        yield return $"[{at}] findings: {s.Findings.Count(f => f.Severity == Severity.Error)} error(s), {s.Findings.Count(f => f.Severity == Severity.Warning)} warning(s)" +
                     (s.Findings.Count > 0 ? " — " + string.Join("; ", s.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.RuleId).Distinct()) : "");
    }

    /// <summary>The simulator's health in one line: verdict, timeScale and the signals it is judged by.</summary>
    public static string Health(Scenarios.Health.HealthSample h) =>
        string.Create(CultureInfo.InvariantCulture, $"simulator: {(h.State == Scenarios.Health.SimulationHealthState.Healthy ? "healthy" : "BEHIND")} at timeScale {h.Scale:0.##}")
        + $" | timers late max {F(h.TimerLatenessMax)} | scrape slot wait {F(h.ScrapeSlotWaitMean)} (max {F(h.ScrapeSlotWaitMax)}) | export queue wait {F(h.ExportQueueWaitMean)}"
        + string.Create(CultureInfo.InvariantCulture, $" | thread pool {h.PendingWorkItems:N0} queued, {h.ThreadPoolThreads} threads, probe {F(h.ThreadPoolProbeDelay)} | {h.CoresBusy:0.00} cores | GC {h.GcPauseShare:P1}")
        + (h.Breaches.Count > 0 ? " — " + string.Join("; ", h.Breaches) : "");

    private static string F(TimeSpan t) => Scenarios.Health.SimulationHealthSummary.Format(t);

    /// <summary>The first scrape round's progress (the start-up counts it), or nothing without a farm.</summary>
    public static string FirstRound(LabSnapshot s) => s.FarmProgress.Targets <= 0 ? "" : s.FirstScrapeRound is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"first scrape round complete at {t.TotalSeconds:0.0} s; ")
        : string.Create(CultureInfo.InvariantCulture, $"first scrape round {s.FarmProgress.Scraped:N0}/{s.FarmProgress.Targets:N0} farm targets; ");
}
