using OtelLab.Sim.Collector.Telemetry;

namespace OtelLab.Sim.Collector.Receivers.Otlp.Internal;

/// <summary>
/// upstream receiverhelper/obsreport (receiver/receiverhelper/internal/metadata/generated_telemetry.go):
/// <c>otelcol_receiver_accepted_spans</c>, <c>otelcol_receiver_refused_spans</c> and the <c>_metric_points</c>
/// twins, labelled <c>receiver</c> (the id) and <c>transport</c> (<c>grpc</c>/<c>http</c>).
/// </summary>
internal sealed class ReceiverTelemetry(MetricRegistry registry, string receiver)
{
    private readonly CounterMetric _acceptedSpans = registry.Counter("otelcol_receiver_accepted_spans", "Number of spans successfully pushed into the pipeline.");
    private readonly CounterMetric _refusedSpans = registry.Counter("otelcol_receiver_refused_spans", "Number of spans that could not be pushed into the pipeline.");
    private readonly CounterMetric _acceptedPoints = registry.Counter("otelcol_receiver_accepted_metric_points", "Number of metric points successfully pushed into the pipeline.");
    private readonly CounterMetric _refusedPoints = registry.Counter("otelcol_receiver_refused_metric_points", "Number of metric points that could not be pushed into the pipeline.");

    public void Record(string signal, string transport, int items, bool accepted)
    {
        var counter = (signal, accepted) switch
        {
            ("traces", true) => _acceptedSpans,
            ("traces", false) => _refusedSpans,
            (_, true) => _acceptedPoints,
            _ => _refusedPoints,
        };
        counter.Add(items, new("receiver", receiver), new("transport", transport));
    }
}
