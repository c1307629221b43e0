using System.Globalization;
using System.Text.RegularExpressions;

namespace OtelLab.Scenarios.Loads;

/// <summary>
/// A pass/fail bound on a load run, in NBomber's words (<c>p99 &lt; 400 ms</c>, <c>fail rate &lt; 1 %</c>,
/// <c>RPS &gt; 50</c>) plus the pipeline's (<c>dropped == 0</c>, <c>refused == 0</c>, <c>keep-rate(error) == 100 %</c>,
/// <c>max queue &lt; 800</c>). A request threshold applies to every load scenario unless it names one
/// (<c>trace: p99 &lt; 400ms</c>). Values are normalised: latencies in ms, rates and shares as ratios 0..1.
/// </summary>
public sealed partial record LoadThreshold
{
    /// <summary>What the parser accepts, for error messages.</summary>
    public const string Accepted = "[SCENARIO:] p50|p75|p95|p99|mean|min|max < N ms|s; fail rate < N %; RPS > N; dropped == N; refused == N; "
        + "keep-rate(error|slow|baseline) >= N %; max queue < N (operators < <= > >= ==)";

    public required string Text { get; init; }

    /// <summary>The load scenario it is limited to (<c>trace</c>, <c>otlp</c>, <c>farm</c>), or null for all / the pipeline.</summary>
    public string? Scenario { get; init; }

    /// <summary>The measure: <c>p99</c>, <c>fail-rate</c>, <c>rps</c>, <c>dropped</c>, <c>refused</c>, <c>keep-rate(error)</c>, <c>max-queue</c>, …</summary>
    public required string Metric { get; init; }

    public required string Operator { get; init; }

    public required double Value { get; init; }

    /// <summary>Whether the measure comes from the pipeline's counters rather than the requests.</summary>
    public bool IsPipeline => Metric is "dropped" or "refused" or "max-queue" || Metric.StartsWith("keep-rate(", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="measured"/> (in the normalised unit) satisfies the bound.</summary>
    public bool Holds(double measured) => Operator switch
    {
        "<" => measured < Value,
        "<=" => measured <= Value,
        ">" => measured > Value,
        ">=" => measured >= Value,
        _ => Math.Abs(measured - Value) < 1e-9,
    };

    /// <summary>A measured value in this threshold's unit (ms for latency, % for shares).</summary>
    public string Format(double measured) => Metric switch
    {
        "fail-rate" => (measured * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %",
        _ when Metric.StartsWith("keep-rate(", StringComparison.Ordinal) => (measured * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %",
        "p50" or "p75" or "p95" or "p99" or "mean" or "min" or "max" => measured.ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        _ => measured.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public override string ToString() => Text;

    /// <summary>Parses one threshold; on failure <paramref name="error"/> names the text and what is accepted.</summary>
    public static bool TryParse(string text, out LoadThreshold? threshold, out string error)
    {
        threshold = null;
        error = "";
        var match = Grammar().Match(text ?? "");
        if (!match.Success)
        {
            error = $"'{text}' is not a threshold; accepted: {Accepted}";
            return false;
        }

        var metric = Regex.Replace(match.Groups["metric"].Value.Trim().ToLowerInvariant(), @"\s+", "-");
        var unit = match.Groups["unit"].Value.Trim().ToLowerInvariant();
        if (!double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            error = $"'{text}': {match.Groups["value"].Value} is not a number";
            return false;
        }

        var latency = metric is "p50" or "p75" or "p95" or "p99" or "mean" or "min" or "max";
        var share = metric is "fail-rate" || metric.StartsWith("keep-rate(", StringComparison.Ordinal);
        if (latency)
        {
            value = unit switch
            {
                "ms" or "" => value,
                "s" => value * 1000,
                _ => double.NaN,
            };
        }
        else if (share)
        {
            value = unit switch
            {
                "%" => value / 100,
                "" when value <= 1 => value,
                _ => double.NaN,
            };
        }
        else if (unit.Length > 0)
        {
            value = double.NaN;
        }

        if (double.IsNaN(value))
        {
            error = $"'{text}': {(latency ? "a latency takes ms or s" : share ? "a share takes % (or a ratio 0..1)" : $"{metric} is a count and takes no unit")}, not '{unit}'; accepted: {Accepted}";
            return false;
        }

        if (metric.StartsWith("keep-rate(", StringComparison.Ordinal) && metric is not ("keep-rate(error)" or "keep-rate(slow)" or "keep-rate(baseline)"))
        {
            error = $"'{text}': keep rates are by class: keep-rate(error), keep-rate(slow) or keep-rate(baseline)";
            return false;
        }

        threshold = new LoadThreshold
        {
            Text = text!.Trim(),
            Scenario = match.Groups["scenario"].Success ? match.Groups["scenario"].Value.Trim() : null,
            Metric = metric,
            Operator = match.Groups["op"].Value,
            Value = value,
        };
        return true;
    }

    [GeneratedRegex(@"^\s*(?:(?<scenario>[a-z][a-z0-9-]*)\s*:\s*)?(?<metric>p50|p75|p95|p99|mean|min|max|fail\s*rate|rps|dropped|refused|keep-rate\([a-z]+\)|max\s*queue)\s*(?<op><=|>=|==|<|>)\s*(?<value>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>ms|s|%)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
