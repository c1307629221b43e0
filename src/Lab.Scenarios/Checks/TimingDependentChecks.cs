namespace OtelLab.Scenarios.Checks;

/// <summary>
/// The checks whose verdict depends on the lab keeping time: when the simulator falls behind its own schedule they
/// measure the simulator's overload, so the run reports them as not trustworthy instead of passed or failed.
/// </summary>
public static class TimingDependentChecks
{
    /// <summary>Check ids, each with what its verdict times.</summary>
    public static IReadOnlyDictionary<string, string> Ids { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["startup-budget"] = "start-up and the first scrape round against a wall-clock budget",
        ["sharding"] = "every target scraped by its owner within the first scrape round",
        ["keep-rates"] = "keep rates under tail_sampling's per-second rate limits",
        ["backends-receive"] = "the first data within dataWithin",
        ["backend-parity"] = "both backends agreeing within dataWithin",
        ["trace-complete"] = "traces complete within decision_wait",
        ["span-conservation"] = "spans accounted for within dataWithin and decision_wait",
        ["fault-loss"] = "loss during a fault window timed on the lab clock",
        ["send-failed-flat"] = "send failures from timeouts",
        // Both judge what reached Dynatrace and Datadog: a simulator behind its schedule delivers nothing in time, and
        // "no spans to measure" or "the issued credential never seen" is then its overload, not the pipeline's.
        ["enrichment"] = "spans reaching Dynatrace within dataWithin to measure coverage on",
        ["token-per-backend"] = "each backend seeing the issued credential within dataWithin",
    };

    public static bool Contains(string checkId) => Ids.ContainsKey(checkId);
}
