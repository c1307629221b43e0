using System.Globalization;
using System.Text.Json;

namespace OtelLab.AppHost.Commands.Sampling;

/// <summary>Renders the <c>sampling</c> verb's per-trace decisions (stdout) and summary (stderr).</summary>
internal static class SamplingReportWriter
{
    public static void WriteText(TextWriter output, IReadOnlyList<ProcessorEvaluation> evaluations)
    {
        foreach (var evaluation in evaluations)
        {
            if (evaluations.Count > 1)
            {
                output.WriteLine($"== {evaluation.Definition.DisplayName}");
            }

            output.WriteLine($"{"TRACE",-32}  {"DECISION",-10}  {"SPANS",5}  {"ROOT",-28}  VOTES");
            foreach (var t in evaluation.Traces)
            {
                var root = Shorten($"{t.Root.ServiceName} {t.Root.Name}".Trim(), 28);
                var votes = string.Join(' ', t.VotesInConfigOrder(evaluation.PolicyNames).Select(v => $"{v.Policy}={v.Vote}"));
                output.WriteLine($"{t.TraceId}  {t.Verdict.Final,-10}  {t.Spans.Count,5}  {root,-28}  {votes}");
            }
        }
    }

    public static void WriteCsv(TextWriter output, IReadOnlyList<ProcessorEvaluation> evaluations)
    {
        var several = evaluations.Count > 1;
        output.WriteLine(several ? "processor,trace_id,decision,policies" : "trace_id,decision,policies");
        foreach (var evaluation in evaluations)
        {
            foreach (var t in evaluation.Traces)
            {
                var policies = string.Join(';', t.VotesInConfigOrder(evaluation.PolicyNames).Select(v => $"{v.Policy}={v.Vote}"));
                var row = $"{t.TraceId},{t.Verdict.Final},{Csv(policies)}";
                output.WriteLine(several ? $"{Csv(evaluation.Definition.DisplayName)},{row}" : row);
            }
        }
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<ProcessorEvaluation> evaluations)
    {
        var document = evaluations.Select(e => new
        {
            processor = e.Definition.ComponentId,
            owner = e.Definition.Owner,
            line = e.Definition.Line,
            kept = e.Kept,
            votesOn = e.Definition.Config.Policies.ToDictionary(p => p.Name, PolicyExplanation.Of),
            traces = e.Traces.Select(t => new
            {
                traceId = t.TraceId.ToString(),
                decision = t.Verdict.Final.ToString(),
                sampledBy = t.Verdict.SampledBy,
                spans = t.Spans.Count,
                policies = t.VotesInConfigOrder(e.PolicyNames).ToDictionary(v => v.Policy, v => v.Vote),
            }),
        });
        output.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
    }

    public static void WriteSummary(TextWriter error, string configPath, IReadOnlyList<ProcessorEvaluation> evaluations)
    {
        foreach (var e in evaluations)
        {
            var config = e.Definition.Config;
            var n = config.DecisionBatches;
            error.WriteLine($"{e.Definition.DisplayName} ({configPath}:{e.Definition.Line}): decision_wait {config.DecisionWait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (decided {n}-{n + 1} s after a trace's first span), num_traces {config.NumTraces}");
            var traces = e.Traces.Count;
            var spans = e.Traces.Sum(t => t.Spans.Count);
            error.WriteLine($"  kept {e.Kept} of {traces} traces ({Percent(e.Kept, traces)}), {e.SpansKept} of {spans} spans; each trace evaluated complete, as if decision_wait elapsed with all its spans on one instance");
            var width = Math.Max(8, e.PolicyNames.Count == 0 ? 0 : e.PolicyNames.Max(p => p.Length));
            foreach (var policy in config.Policies)
            {
                var votes = e.Traces
                    .Select(t => t.VotesInConfigOrder([policy.Name]).Single().Vote)
                    .GroupBy(v => v)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} {g.Count()}");
                var decisive = e.Traces.Count(t => t.Verdict.SampledBy == policy.Name);
                error.WriteLine($"  {policy.Name.PadRight(width)}  {string.Join(", ", votes)}; first Sampled vote of {decisive} kept trace(s)");
                error.WriteLine($"  {string.Empty.PadRight(width)}    votes on {PolicyExplanation.Of(policy)}");
            }

            foreach (var note in config.Policies.Where(p => p.Type == "composite").SelectMany(PolicyExplanation.CompositeTraps))
            {
                error.WriteLine($"  note: {note}");
            }

            if (config.Policies.Any(PolicyExplanation.IsTimeBased))
            {
                error.WriteLine("  note: rate budgets (rate_limiting, bytes_limiting, composite) are spent in decision order: each trace decided decision_wait after its first span's start time, on the lab clock");
            }

            if (e.Definition.Replicas > 1)
            {
                // reference collector.md: every span of a trace must reach one instance (contrib#4758, #27014).
                error.WriteLine($"  note: {e.Definition.Owner} runs {e.Definition.Replicas} replicas: unless a loadbalancing exporter tier routes spans by traceID to them, each replica decides on partial traces and these keep rates do not hold");
            }

            if (e.PolicyNames.Count == 0)
            {
                error.WriteLine("  warning: no policies: every trace is NotSampled (upstream keeps nothing)");
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
