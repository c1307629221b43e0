using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// The per-endpoint exporter of <c>loadbalancing</c>: upstream builds an otlp exporter from <c>protocol.otlp</c> with its
/// <c>endpoint</c> replaced by the resolved backend (loadbalancingexporter factory.go <c>buildExporterConfig</c>), so a
/// backend gets exactly the otlp exporter's queue, retry and connection behaviour.
/// </summary>
public static class OtlpBackendExporter
{
    public static ITraceConsumer Create(string endpoint, ComponentCreateContext parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var settings = new YamlMappingNode();
        if (parent.Settings?.Children.TryGetValue(new YamlScalarNode("protocol"), out var protocol) == true
            && protocol is YamlMappingNode protocolMap
            && protocolMap.Children.TryGetValue(new YamlScalarNode("otlp"), out var otlp)
            && otlp is YamlMappingNode otlpMap)
        {
            foreach (var (key, value) in otlpMap.Children)
            {
                if (key.ToString() != "endpoint")
                {
                    settings.Add(key, value);
                }
            }
        }

        settings.Add("endpoint", endpoint);
        return new OtlpGrpcExporter(new ComponentCreateContext
        {
            Id = new ComponentId("otlp", endpoint),
            Kind = ComponentKind.Exporter,
            Signal = parent.Signal,
            Settings = settings,
            Config = parent.Config,
            Container = parent.Container,
            Telemetry = parent.Telemetry,
            Egress = parent.Egress,
            Memory = parent.Memory,
        });
    }
}
