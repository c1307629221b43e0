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

            results.AddRange(Requests(t, scenarios));
        }

        return results;
    }

    /// <summary>
    /// Only the request thresholds among <paramref name="thresholds"/> (NBomber's, per load scenario), for a run whose
    /// pipeline was not read over the load's window (<c>compare</c> judges each side's load this way).
    /// </summary>
    public static IReadOnlyList<ThresholdResult> EvaluateRequests(IReadOnlyList<LoadThreshold> thresholds, IReadOnlyList<ScenarioStatsSnapshot> scenarios)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(scenarios);
        return [.. thresholds.Where(t => !t.IsPipeline).SelectMany(t => Requests(t, scenarios))];
    }

    private static IEnumerable<ThresholdResult> Requests(LoadThreshold t, IReadOnlyList<ScenarioStatsSnapshot> scenarios)
    {
        var scoped = scenarios.Where(s => t.Scenario is null || s.Scenario == t.Scenario).ToList();
        if (scoped.Count == 0)
        {
            yield return new ThresholdResult(t, t.Scenario ?? "load", null, false, $"no load scenario {(t.Scenario is null ? "" : "named " + t.Scenario + " ")}ran (scenarios: {string.Join(", ", scenarios.Select(s => s.Scenario))})");
            yield break;
        }

        foreach (var s in scoped)
        {
            var stats = s.Total;
            if (stats.Count == 0)
            {
                yield return new ThresholdResult(t, s.Scenario, null, false, "no request finished: nothing to measure");
                continue;
            }

            var measured = Request(t.Metric, stats);
            yield return new ThresholdResult(t, s.Scenario, measured, t.Holds(measured));
        }
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
