using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace OtelLab.Sim.Operator.Internal;

/// <summary>
/// The ports the operator infers from the enabled receivers (and a prometheus exporter), sorted by name.
/// upstream: internal/components/receivers/helpers.go (registry: otlp grpc 4317 / http 4318 with appProtocol
/// grpc/http, single-port receivers, scrapers and prometheus without ports), internal/components/multi_endpoint.go,
/// internal/naming/port.go (PortName: "/" and "_" → "-", "port-N" when not a valid DNS label), apis/v1beta1/config.go
/// (getPortsForComponentKinds sorts by name).
/// </summary>
internal static partial class ComponentPorts
{
    private static readonly Dictionary<string, (int Port, string? AppProtocol)> SinglePort = new(StringComparer.Ordinal)
    {
        ["carbon"] = (2003, null),
        ["collectd"] = (8081, null),
        ["fluentforward"] = (8006, null),
        ["influxdb"] = (8086, null),
        ["opencensus"] = (55678, null),
        ["sapm"] = (7276, null),
        ["signalfx"] = (9943, null),
        ["splunk_hec"] = (8088, null),
        ["wavefront"] = (2003, null),
        ["zipkin"] = (9411, "http"),
    };

    private static readonly HashSet<string> NoPorts = new(StringComparer.Ordinal)
    {
        "prometheus", "k8s_cluster", "k8s_events", "k8sobjects", "kubeletstats", "hostmetrics", "filelog", "prometheus_simple",
        "httpcheck", "redis", "postgresql", "mysql", "jmx", "docker_stats",
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    /// <summary>Service ports from enabled receivers and exporters.</summary>
    public static List<V1ServicePort> ServicePorts(Dictionary<string, object?> config)
    {
        var ports = new List<V1ServicePort>();
        var receivers = ConfigTree.Map(config, "receivers") ?? [];
        foreach (var id in ConfigDefaults.EnabledReceivers(config))
        {
            var settings = receivers.GetValueOrDefault(id) as Dictionary<string, object?>;
            var type = id.Split('/')[0];
            if (NoPorts.Contains(type))
            {
                continue;
            }

            if (type == "otlp")
            {
                var protocols = ConfigTree.Map(settings, "protocols") ?? [];
                foreach (var (protocol, defaultPort) in ConfigDefaults.OtlpProtocols)
                {
                    if (protocols.TryGetValue(protocol, out var p))
                    {
                        var port = PortOf((p as Dictionary<string, object?>)?.GetValueOrDefault("endpoint") as string) ?? defaultPort;
                        ports.Add(Port(PortName($"{id}-{protocol}", port), port, protocol));
                    }
                }
            }
            else if (SinglePort.TryGetValue(type, out var known))
            {
                var port = PortOf(settings?.GetValueOrDefault("endpoint") as string) ?? known.Port;
                ports.Add(Port(PortName(id, port), port, known.AppProtocol));
            }
            else if (PortOf(settings?.GetValueOrDefault("endpoint") as string) is { } port)
            {
                ports.Add(Port(PortName(id, port), port, null));
            }
        }

        var exporters = ConfigTree.Map(config, "exporters") ?? [];
        foreach (var id in ConfigDefaults.EnabledExporters(config).Where(e => e.Split('/')[0] == "prometheus"))
        {
            var port = PortOf((exporters.GetValueOrDefault(id) as Dictionary<string, object?>)?.GetValueOrDefault("endpoint") as string) ?? 8889;
            ports.Add(Port(PortName(id, port), port, null));
        }

        return [.. ports.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The metrics port of the collector's own telemetry (the default reader, or metrics.address).</summary>
    public static int MetricsPort(Dictionary<string, object?> config)
    {
        var metrics = ConfigTree.Map(ConfigTree.Map(ConfigTree.Map(config, "service"), "telemetry"), "metrics");
        if (PortOf(metrics?.GetValueOrDefault("address") as string) is { } port)
        {
            return port;
        }

        var prometheus = (metrics?.GetValueOrDefault("readers") as List<object?>)?
            .OfType<Dictionary<string, object?>>()
            .Select(r => ConfigTree.Map(ConfigTree.Map(ConfigTree.Map(r, "pull"), "exporter"), "prometheus"))
            .FirstOrDefault(p => p is not null);
        return prometheus?.GetValueOrDefault("port") is long p && p > 0 ? (int)p : 8888;
    }

    internal static string PortName(string name, int port)
    {
        if (name.Length > 63)
        {
            return $"port-{port.ToString(CultureInfo.InvariantCulture)}";
        }

        var candidate = name.Replace('/', '-').Replace('_', '-');
        return DnsLabel().IsMatch(candidate) ? candidate : $"port-{port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static V1ServicePort Port(string name, int port, string? appProtocol) => new()
    {
        Name = name,
        Port = port,
        TargetPort = port,
        Protocol = "TCP",
        AppProtocol = appProtocol,
    };

    // upstream GetPortNumOrDefault: the number after the last ':' when it parses; env references (${env:PORT}) do not.
    private static int? PortOf(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }

        var colon = endpoint.LastIndexOf(':');
        return colon >= 0 && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : null;
    }
}
