using System.CommandLine;
using OtelLab.AppHost.Commands.Sampling;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>sampling --config FILE --traces FILE.json</c>: what the tail_sampling processor(s) in a collector config or
/// OpenTelemetryCollector manifest decide for each trace of an OTLP/JSON file, with every policy's vote.
/// </summary>
internal static class SamplingCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config")
        {
            Description = "A collector config YAML, or manifests with an OpenTelemetryCollector CR (v1beta1 or v1alpha1).",
            Required = true,
        };
        var traces = new Option<string>("--traces")
        {
            Description = "OTLP/JSON traces (ExportTraceServiceRequest; several requests one after another are fine).",
            Required = true,
        };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "csv", "json");
        var processor = new Option<string?>("--processor") { Description = "Evaluate only this processor, e.g. tail_sampling/errors." };

        var command = new Command("sampling", "Show which traces the tail_sampling processor keeps, and why (each policy's vote).");
        command.Options.Add(config);
        command.Options.Add(traces);
        command.Options.Add(format);
        command.Options.Add(processor);
        command.SetAction((parse, ct) => Task.FromResult(Run(
            parse.GetValue(config)!, parse.GetValue(traces)!, parse.GetValue(format) ?? "text", parse.GetValue(processor), stdout, stderr)));
        return command;
    }

    private static int Run(string configPath, string tracesPath, string format, string? processorId, TextWriter stdout, TextWriter stderr)
    {
        if (!TryLoadDefinitions(configPath, processorId, stderr, out var definitions)
            || !TryLoadTraces(tracesPath, stderr, out var spans))
        {
            return LabCli.ExitUsage;
        }

        var evaluations = new List<ProcessorEvaluation>();
        foreach (var definition in definitions)
        {
            var clock = new ReplayClock();
            TailSamplingPolicySet policies;
            try
            {
                policies = TailSamplingPolicySet.Create(definition.Config, clock);
            }
            catch (TailSamplingConfigException ex)
            {
                return Usage(stderr, configPath, ex);
            }

            evaluations.Add(new ProcessorEvaluation(definition, Replay(spans, definition.Config, policies, clock)));
        }

        if (definitions.Count > 1 && processorId is null)
        {
            stderr.WriteLine($"note: {definitions.Count} tail_sampling processors found; evaluating each: {string.Join("; ", definitions.Select(d => d.DisplayName))} (pick one with --processor)");
        }

        switch (format)
        {
            case "csv":
                SamplingReportWriter.WriteCsv(stdout, evaluations);
                break;
            case "json":
                SamplingReportWriter.WriteJson(stdout, evaluations);
                break;
            default:
                SamplingReportWriter.WriteText(stdout, evaluations);
                break;
        }

        SamplingReportWriter.WriteSummary(stderr, configPath, evaluations);
        return 0;
    }

    // Traces are decided in the order upstream would take them — decision_wait (whole seconds) after their first span —
    // with the lab clock at that instant, so rate budgets see them spaced as their timestamps say; reported in input order.
    private static List<TraceEvaluation> Replay(IReadOnlyList<TraceSpan> spans, TailSamplingConfig config, TailSamplingPolicySet policies, ReplayClock clock)
    {
        var traces = spans.GroupBy(s => s.TraceId).Select(g => (Id: g.Key, Spans: (IReadOnlyList<TraceSpan>)[.. g])).ToList();
        var verdicts = new Dictionary<TraceId, TraceVerdict>();
        foreach (var (id, traceSpans) in traces.OrderBy(t => DecisionInstant(t.Spans, config)))
        {
            clock.Now = DecisionInstant(traceSpans, config);
            verdicts[id] = policies.Decide(id, traceSpans);
        }

        return [.. traces.Select(t => new TraceEvaluation(t.Id, t.Spans, verdicts[t.Id]))];
    }

    private static DateTimeOffset DecisionInstant(IReadOnlyList<TraceSpan> spans, TailSamplingConfig config) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(spans.Min(s => s.StartTimeUnixNano) / 100)).AddSeconds(config.DecisionBatches);

    private static bool TryLoadDefinitions(string path, string? processorId, TextWriter stderr, out IReadOnlyList<TailSamplingDefinition> definitions)
    {
        definitions = [];
        if (!File.Exists(path))
        {
            stderr.WriteLine($"error: {path}: file not found (--config takes a collector config YAML or a manifest with an OpenTelemetryCollector)");
            return false;
        }

        try
        {
            definitions = TailSamplingDefinitions.Parse(File.ReadAllText(path));
        }
        catch (TailSamplingConfigException ex)
        {
            Usage(stderr, path, ex);
            return false;
        }

        if (definitions.Count == 0)
        {
            stderr.WriteLine($"error: {path}: no tail_sampling processor found (looked for processors: tail_sampling[/NAME] in a collector config or in an OpenTelemetryCollector's spec.config)");
            stderr.WriteLine("  fix: point --config at the file that declares the tail_sampling processor");
            return false;
        }

        if (processorId is not null)
        {
            var all = definitions;
            definitions = [.. all.Where(d => d.ComponentId == processorId)];
            if (definitions.Count == 0)
            {
                stderr.WriteLine($"error: {path}: no processor {processorId}; found: {string.Join(", ", all.Select(d => d.DisplayName))}");
                return false;
            }
        }

        return true;
    }

    private static bool TryLoadTraces(string path, TextWriter stderr, out IReadOnlyList<TraceSpan> spans)
    {
        spans = [];
        if (!File.Exists(path))
        {
            stderr.WriteLine($"error: {path}: file not found (--traces takes OTLP/JSON traces)");
            return false;
        }

        try
        {
            spans = OtlpJsonTraceReader.Read(File.ReadAllBytes(path));
        }
        catch (OtlpJsonFormatException ex)
        {
            var where = ex.Line > 0 ? $"{path}:{ex.Line}:{ex.Column}" : path;
            stderr.WriteLine($"error: {where}: {ex.Message}");
            stderr.WriteLine("  fix: --traces must be OTLP/JSON, e.g. {\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"<32 hex>\",\"spanId\":\"<16 hex>\"}]}]}]}");
            return false;
        }

        if (spans.Count == 0)
        {
            stderr.WriteLine($"error: {path}: no spans found");
            return false;
        }

        return true;
    }

    private static int Usage(TextWriter stderr, string path, TailSamplingConfigException ex)
    {
        var where = ex.Line > 0 ? $"{path}:{ex.Line}:{ex.Column}" : path;
        stderr.WriteLine($"error: {where}: {ex.Message}");
        if (ex.Fix is not null)
        {
            stderr.WriteLine($"  fix: {ex.Fix}");
        }

        return LabCli.ExitUsage;
    }
}
