namespace OtelLab.Sim.Collector.Traces;

/// <summary>
/// The resource telemetry was reported under (OTLP <c>ResourceSpans/ResourceMetrics.resource</c>). Items read from one
/// <c>Resource*</c> share one instance, which is how upstream's per-resource checks are reproduced.
/// </summary>
public sealed class TelemetryResource
{
    public TelemetryResource(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        Attributes = attributes;
    }

    /// <summary>A resource with no attributes.</summary>
    public static TelemetryResource Empty { get; } = new(new Dictionary<string, AttributeValue>());

    public IReadOnlyDictionary<string, AttributeValue> Attributes { get; }

    /// <summary>The <c>service.name</c> resource attribute, or "" when absent.</summary>
    public string ServiceName => Attributes.TryGetValue("service.name", out var v) ? v.Str : string.Empty;

    /// <summary>A resource with just <c>service.name</c>, for tests and generators.</summary>
    public static TelemetryResource ForService(string serviceName) =>
        new(new Dictionary<string, AttributeValue> { ["service.name"] = serviceName });
}
