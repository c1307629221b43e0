using OtelLab.Load.Simulations;

namespace OtelLab.Scenarios.Loads;

/// <summary>Judges thresholds against a run: request measures per load scenario (NBomber's), pipeline measures once over the window.</summary>
public static class LoadThresholds
{
    public static IReadOnlyList<ThresholdResult> Evaluate(IReadOnlyList<LoadThreshold> thresholds, IReadOnlyList<ScenarioStatsSnapshot> scenarios, PipelineWindow pipeline)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(pipeline);
        var results = new List<ThresholdResult>();
        foreach (var t in thresholds)
        {
            if (t.IsPipeline)
            {
                results.Add(Pipeline(t, pipeline));
                continue;
            }

            var scoped = scenarios.Where(s => t.Scenario is null || s.Scenario == t.Scenario).ToList();
            if (scoped.Count == 0)
            {
                results.Add(new ThresholdResult(t, t.Scenario ?? "load", null, false, $"no load scenario {(t.Scenario is null ? "" : "named " + t.Scenario + " ")}ran (scenarios: {string.Join(", ", scenarios.Select(s => s.Scenario))})"));
                continue;
            }

            foreach (var s in scoped)
            {
                var stats = s.Total;
                if (stats.Count == 0)
                {
                    results.Add(new ThresholdResult(t, s.Scenario, null, false, "no request finished: nothing to measure"));
                    continue;
                }

                var measured = Request(t.Metric, stats);
                results.Add(new ThresholdResult(t, s.Scenario, measured, t.Holds(measured)));
            }
        }

        return results;
    }

    /// <summary>A request measure of NBomber's stats, in the threshold's normalised unit.</summary>
    public static double Request(string metric, StepStatsSnapshot stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return metric switch
        {
            "p50" => stats.P50Ms,
            "p75" => stats.P75Ms,
            "p95" => stats.P95Ms,
            "p99" => stats.P99Ms,
            "mean" => stats.MeanMs,
            "min" => stats.MinMs,
            "max" => stats.MaxMs,
            "fail-rate" => stats.FailRate,
            "rps" => stats.Rps,
            _ => throw new ArgumentException($"{metric} is not a request measure", nameof(metric)),
        };
    }

    private static ThresholdResult Pipeline(LoadThreshold t, PipelineWindow pipeline)
    {
        switch (t.Metric)
        {
            case "dropped":
                return new ThresholdResult(t, "pipeline", pipeline.Dropped, t.Holds(pipeline.Dropped));
            case "refused":
                return new ThresholdResult(t, "pipeline", pipeline.Refused, t.Holds(pipeline.Refused));
            case "max-queue":
                var size = pipeline.MaxQueue?.Size ?? 0;
                return new ThresholdResult(t, pipeline.MaxQueue is { } q ? $"pipeline ({q.Exporter})" : "pipeline", size, t.Holds(size));
            default:
                var @class = t.Metric["keep-rate(".Length..^1];
                var row = pipeline.KeepRates.FirstOrDefault(k => k.Class == @class);
                return row is null || row.Traces == 0
                    ? new ThresholdResult(t, "pipeline", null, false, $"no {@class} trace was decided by tail_sampling in the window")
                    : new ThresholdResult(t, "pipeline", row.Rate, t.Holds(row.Rate));
        }
    }
}
