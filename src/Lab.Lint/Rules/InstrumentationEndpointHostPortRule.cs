using OtelLab.Model.Crds;

namespace OtelLab.Lint.Rules;

/// <summary>An Instrumentation pointing at the node address on a port no agent DaemonSet exposes as a hostPort.</summary>
public sealed class InstrumentationEndpointHostPortRule : LintRule
{
    public override string Id => "instrumentation-endpoint-no-hostport";

    public override string Title => "Node-address endpoint without a hostPort on the agent";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "daemonset mode adds no hostPort: only spec.ports[].hostPort is copied, so pods sending to the node IP reach the agent only if a " +
        "hostPort (or hostNetwork) is configured; otherwise the connection is refused (opentelemetry-operator " +
        "internal/manifests/collector/container.go copies spec.ports into the container ports).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, inst) in context.Manifests.Typed<Instrumentation>())
        {
            if (inst.Endpoint is null)
            {
                continue;
            }

            var match = InstrumentationEndpointVariableRule.VariablePattern().Match(inst.Endpoint);
            if (!match.Success || !IsNodeAddress(match.Groups["name"].Value, inst.Endpoint, match.Index))
            {
                continue;
            }

            var port = InstrumentationEndpointVariableRule.PortOf(inst.Endpoint);
            var agents = context.Collectors.Where(c => c.Collector.Mode == CollectorMode.DaemonSet).ToList();
            var reachable = agents.Any(a => a.Collector.HostNetwork || a.Collector.Ports.Any(p => p.HostPort == port));
            if (reachable)
            {
                continue;
            }

            var evidence = new List<string> { $"spec.exporter.endpoint = {inst.Endpoint} (node address, port {port})" };
            evidence.AddRange(agents.Count == 0
                ? ["no daemonset-mode OpenTelemetryCollector in these manifests"]
                : agents.Select(a => $"{a.Manifest.Display} (mode daemonset) hostPorts: {(a.Collector.Ports.Any(p => p.HostPort is not null) ? string.Join(", ", a.Collector.Ports.Where(p => p.HostPort is not null).Select(p => p.HostPort)) : "none")}, hostNetwork: {a.Collector.HostNetwork.ToString().ToLowerInvariant()}"));
            var agent = agents.FirstOrDefault();
            yield return Create(m.Display, inst.EndpointLocation,
                $"{m.Display}: endpoint {inst.Endpoint} targets the node address on port {port}, but no agent DaemonSet exposes hostPort {port}: connections will be refused",
                agent.Manifest is null
                    ? $"deploy a daemonset-mode collector with spec.ports: [{{name: otlp-http, port: {port}, hostPort: {port}}}]"
                    : $"add to {agent.Manifest.Display}: spec.ports: [{{name: otlp-http, port: {port}, hostPort: {port}}}]",
                evidence);
        }
    }

    private static bool IsNodeAddress(string variable, string endpoint, int index)
    {
        // The variable is the host when it follows the scheme directly.
        var before = endpoint[..index];
        return before.EndsWith("://", StringComparison.Ordinal) &&
               (variable == "OTEL_NODE_IP" || variable.Contains("NODE", StringComparison.OrdinalIgnoreCase) || variable.Contains("HOST", StringComparison.OrdinalIgnoreCase));
    }
}
