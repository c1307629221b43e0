using System.Globalization;
using OtelLab.Sim.Collector.Metrics;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Runtime;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters;

/// <summary>
/// The <c>debug</c> exporter: writes what it receives into the container log. upstream: exporter/debugexporter
/// (verbosity basic: one line "Traces" with resource spans and spans counts; normal: plus one line per span
/// (trace id, span id, name); detailed: every span with its attributes). upstream builds it with the queue and retry off (the push never
/// fails), but still counts <c>otelcol_exporter_sent_*</c> through the helper.
/// </summary>
public sealed class DebugExporter : QueuedRetryExporter
{
    private readonly string _verbosity;

    public DebugExporter(ComponentCreateContext context)
        : base(context, queueAndRetryByDefault: false)
    {
        var settings = new ComponentSettings(context.Id, context.Settings);
        _verbosity = settings.String("verbosity", "basic")!;
        if (_verbosity is not ("basic" or "normal" or "detailed"))
        {
            throw settings.Error($"'verbosity' unrecognized verbosity level: \"{_verbosity}\"");
        }
    }

    protected override Task<ExportResult> PushTracesAsync(IReadOnlyList<TraceSpan> spans, CancellationToken cancellationToken)
    {
        var resources = spans.Select(s => s.Resource).Distinct().Count();
        Log.Info("Traces", CollectorLog.Component("exporter", Context.Id.ToString(), "traces", ("resource spans", resources), ("spans", spans.Count)));
        if (_verbosity != "basic")
        {
            foreach (var s in spans)
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"{s.ServiceName} {s.TraceId} {s.SpanId:x16} {s.Name}");
                if (_verbosity == "detailed")
                {
                    line += string.Create(CultureInfo.InvariantCulture, $" kind={s.Kind} status={s.Status} start={s.StartTimeUnixNano} end={s.EndTimeUnixNano} ")
                        + string.Join(' ', s.Resource.Attributes.Concat(s.Attributes).Select(a => $"{a.Key}={a.Value}"));
                }

                Context.Container.Log.Write(line);
            }
        }

        return Task.FromResult(ExportResult.Success);
    }

    protected override Task<ExportResult> PushMetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        var resources = points.Select(p => p.Resource).Distinct().Count();
        Log.Info("Metrics", CollectorLog.Component("exporter", Context.Id.ToString(), "metrics",
            ("resource metrics", resources), ("metrics", points.Select(p => p.Name).Distinct().Count()), ("data points", points.Count)));
        if (_verbosity != "basic")
        {
            foreach (var p in points)
            {
                Context.Container.Log.Write(string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Kind} {p.Value} ")
                    + string.Join(' ', p.Attributes.Select(a => $"{a.Key}={a.Value}")));
            }
        }

        return Task.FromResult(ExportResult.Success);
    }
}
