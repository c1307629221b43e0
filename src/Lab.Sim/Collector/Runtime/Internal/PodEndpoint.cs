using System.Globalization;
using System.Net;
using OtelLab.Sim.Collector.Pipeline;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.Collector.Runtime.Internal;

/// <summary>
/// Maps a listener's configured <c>host:port</c> onto the pod: <c>0.0.0.0</c>, <c>::</c>, an empty host or the pod IP
/// bind the pod address; <c>localhost</c>/<c>127.0.0.1</c> bind it too but only accept connections from the pod itself
/// (what a loopback listener inside the pod's network namespace means). Any other address cannot be bound.
/// upstream: the default bind host changed from <c>0.0.0.0</c> to <c>localhost</c> in v0.104.0 (June 2024), when the
/// feature gate <c>component.UseLocalHostAsDefaultHost</c> became enabled by default (opentelemetry.io blog
/// "otel-collector-default-bind", CVE-2024-36129): an OTLP receiver with no endpoint listens on
/// <c>localhost:4317</c>/<c>localhost:4318</c> and is unreachable from other pods. That is why the operator's webhook
/// writes <c>0.0.0.0:&lt;port&gt;</c> for receivers that name no endpoint. Images older than 0.104 (or untagged, taken as
/// current) keep the old default.
/// </summary>
internal sealed record PodEndpoint(IPAddress Address, int Port, bool PodLocalOnly, string Configured)
{
    private static readonly Version LocalhostDefaultSince = new(0, 104, 0);

    public static PodEndpoint Parse(string? endpoint, int defaultPort, ContainerContext container)
    {
        var version = Model.Collector.CollectorDistribution.VersionOf(container.Container.Image);
        var defaultHost = version is not null && version < LocalhostDefaultSince ? "0.0.0.0" : "localhost";
        var text = string.IsNullOrEmpty(endpoint) ? $"{defaultHost}:{defaultPort.ToString(CultureInfo.InvariantCulture)}" : endpoint;
        var colon = text.LastIndexOf(':');
        var host = colon >= 0 ? text[..colon].Trim('[', ']') : text;
        var port = defaultPort;
        if (colon >= 0 && !int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out port))
        {
            throw new CollectorStartException($"listen tcp: address {text}: invalid port");
        }

        if (host is "" or "0.0.0.0" or "::")
        {
            return new PodEndpoint(container.PodAddress, port, false, text);
        }

        if (host is "localhost" or "127.0.0.1" or "::1")
        {
            return new PodEndpoint(container.PodAddress, port, true, text);
        }

        if (IPAddress.TryParse(host, out var ip) && ip.Equals(container.PodAddress))
        {
            return new PodEndpoint(container.PodAddress, port, false, text);
        }

        throw new CollectorStartException($"listen tcp {text}: bind: cannot assign requested address");
    }
}
