using OtelLab.Model.Collector;
using OtelLab.Sim.Collector.Exporters.LoadBalancing.Internal;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// Builds <c>loadbalancing</c> exporters (contrib; upstream exporter/loadbalancingexporter config.go/factory.go).
/// The per-endpoint exporter is upstream's otlp exporter configured from <c>protocol.otlp</c>; the lab takes it as a
/// seam (<paramref name="subExporter"/>: endpoint <c>host:port</c> and this component's context → a trace consumer)
/// so that the runtime wires its otlp exporter in.
/// </summary>
public sealed class LoadBalancingFactory(Func<string, ComponentCreateContext, ITraceConsumer>? subExporter = null) : IComponentFactory
{
    public string Type => "loadbalancing";

    public ComponentKind Kind => ComponentKind.Exporter;

    public IReadOnlySet<string> Signals { get; } = new HashSet<string>(StringComparer.Ordinal) { "traces" };

    public ICollectorComponent Create(ComponentCreateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = new ComponentSettings(context);
        var routingKey = s.String(s.Root, "routing_key", "routing_key") ?? "traceID";
        if (routingKey is not ("traceID" or "service"))
        {
            // upstream: "unsupported routing_key: %s" (attributes/resource/metric/streamID are not emulated for traces).
            throw s.Error(ComponentSettings.Child(s.Root, "routing_key"), $"unsupported routing_key: {routingKey}");
        }

        var resolverNode = s.Mapping(s.Root, "resolver", "resolver");
        var configured = resolverNode?.Children.Keys.Select(k => k.ToString()).Where(k => ComponentSettings.Child(resolverNode, k) is not null).ToList() ?? [];
        if (configured.Count == 0)
        {
            throw s.Error(resolverNode, "no resolvers specified for the exporter"); // upstream errNoResolver
        }

        if (configured.Count > 1)
        {
            throw s.Error(resolverNode, "only one resolver should be specified"); // upstream errMultipleResolversProvided
        }

        var build = subExporter
            ?? throw new CollectorStartException($"{context.Id}: the lab's loadbalancing exporter needs its per-endpoint otlp exporter wired in (LoadBalancingFactory(subExporter))");
        BackendResolver resolver;
        LoadBalancingExporter? exporter = null;
        void Log(string level, string message) => exporter?.Log(level, message);
        switch (configured[0])
        {
            case "static":
                var hostnames = s.Strings(s.Mapping(resolverNode, "static", "resolver.static"), "hostnames", "resolver.static.hostnames");
                if (hostnames.Count == 0)
                {
                    throw s.Error(resolverNode, "no endpoints specified for the static resolver");
                }

                resolver = new StaticBackendResolver(hostnames);
                break;
            case "dns":
                var dns = s.Mapping(resolverNode, "dns", "resolver.dns");
                var hostname = s.String(dns, "hostname", "resolver.dns.hostname");
                if (string.IsNullOrEmpty(hostname))
                {
                    throw s.Error(dns, "no hostname specified to resolve the backends");
                }

                resolver = new DnsBackendResolver(context.Container, hostname, s.String(dns, "port", "resolver.dns.port"), s.Duration(dns, "interval", "resolver.dns.interval") ?? TimeSpan.FromSeconds(5), m => Log("warn", m));
                break;
            case "k8s":
                var k8s = s.Mapping(resolverNode, "k8s", "resolver.k8s");
                var service = s.String(k8s, "service", "resolver.k8s.service");
                if (string.IsNullOrEmpty(service))
                {
                    throw s.Error(k8s, "no service specified to resolve the backends");
                }

                var ports = s.Strings(k8s, "ports", "resolver.k8s.ports").Select(int.Parse).ToList();
                resolver = new K8sBackendResolver(context.Container, service, ports.Count == 0 ? [4317] : ports, m => Log("error", m));
                break;
            default:
                throw s.Error(resolverNode, $"resolver '{configured[0]}' is not emulated by the lab (static, dns, k8s)");
        }

        exporter = new LoadBalancingExporter(context, routingKey, resolver, endpoint => build(endpoint, context));
        return exporter;
    }
}
