namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// Every component type the lab emulates. Which of them a collector may use is decided by its image's distribution
/// (<see cref="OtelLab.Model.Collector.CollectorDistribution"/>), as upstream builds each distribution from a manifest.
/// One line per factory.
/// </summary>
public static class ComponentCatalog
{
    public static IReadOnlyList<IComponentFactory> All { get; } =
    [
        new Receivers.Otlp.OtlpReceiverFactory(),
        new Processors.Batch.BatchProcessorFactory(),
        new Processors.MemoryLimiter.MemoryLimiterProcessorFactory(),
        new Processors.TailSampling.TailSamplingProcessorFactory(),
        Exporters.ExporterFactory.Otlp,
        Exporters.ExporterFactory.OtlpHttp,
        Exporters.ExporterFactory.Debug,
        new Processors.K8sAttributes.K8sAttributesFactory(),
        new Processors.ResourceDetection.ResourceDetectionFactory(),
        new Processors.Filter.FilterFactory(),
        new Processors.CumulativeToDelta.CumulativeToDeltaFactory(),
        new Exporters.LoadBalancing.LoadBalancingFactory(Exporters.LoadBalancing.OtlpBackendExporter.Create),
        new Receivers.Prometheus.PrometheusReceiverFactory(),
        new Exporters.Datadog.DatadogExporterFactory(),
        new Connectors.Datadog.DatadogConnectorFactory(),
    ];
}
