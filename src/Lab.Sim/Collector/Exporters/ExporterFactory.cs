using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;

namespace OtelLab.Sim.Collector.Exporters;

/// <summary>A factory for an exporter type built by a constructor (traces and metrics).</summary>
public sealed class ExporterFactory(string type, Func<ComponentCreateContext, ICollectorComponent> create) : IComponentFactory
{
    public static ExporterFactory Otlp { get; } = new("otlp", c => new OtlpGrpcExporter(c));

    public static ExporterFactory OtlpHttp { get; } = new("otlphttp", c => new OtlpHttpExporter(c));

    public static ExporterFactory Debug { get; } = new("debug", c => new DebugExporter(c));

    public string Type => type;

    public ComponentKind Kind => ComponentKind.Exporter;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces", "metrics" };

    public ICollectorComponent Create(ComponentCreateContext context) => create(context);
}
