using k8s.Models;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>OTLP receivers exposed beyond the cluster (LoadBalancer / NodePort Services, collector ingress).</summary>
public sealed class OtlpExposedRule : LintRule
{
    private static readonly int[] OtlpPorts = [4317, 4318];

    public override string Id => "otlp-exposed-outside-cluster";

    public override string Title => "OTLP receiver exposed beyond the cluster";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "Anyone who reaches an OTLP receiver can write telemetry into both backends under the pipeline's tokens. Receivers should be " +
        "reachable only by the workloads that send to them, and any external exposure should terminate TLS and authenticate at the edge " +
        "(https://opentelemetry.io/docs/security/config-best-practices/).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, svc) in context.Manifests.Typed<V1Service>())
        {
            var type = svc.Spec?.Type ?? "ClusterIP";
            if (type is not ("LoadBalancer" or "NodePort"))
            {
                continue;
            }

            var exposed = (svc.Spec?.Ports ?? []).Where(p => OtlpPorts.Contains(p.Port) || (p.Name?.Contains("otlp", StringComparison.OrdinalIgnoreCase) ?? false)).ToList();
            if (exposed.Count > 0)
            {
                yield return Create(m.Display, m.LocationOf("spec", "type"),
                    $"{m.Display} is type {type} and exposes OTLP port(s) {string.Join(", ", exposed.Select(p => p.Port))} outside the cluster",
                    "use type: ClusterIP (in-cluster only); if external ingest is required, put TLS and a WAF at the edge in front of it",
                    [$"spec.type = {type}", .. exposed.Select(p => $"port {p.Name ?? "?"} {p.Port}")]);
            }
        }

        foreach (var (m, c) in context.Collectors)
        {
            var ingressType = (m.Find("spec", "ingress", "type") as YamlScalarNode)?.Value;
            if (!string.IsNullOrEmpty(ingressType))
            {
                yield return Create(m.Display, m.LocationOf("spec", "ingress", "type"),
                    $"{m.Display} creates an {ingressType} for its receivers: OTLP is reachable from outside the cluster",
                    "remove spec.ingress, or terminate TLS with authentication (and a WAF) at the edge",
                    [$"spec.ingress.type = {ingressType}"]);
            }

            var serviceType = (m.Find("spec", "serviceType") as YamlScalarNode)?.Value ?? (YamlReader.Child(m.Find("spec") as YamlMappingNode, "service") is YamlMappingNode s ? (YamlReader.Child(s, "type") as YamlScalarNode)?.Value : null);
            if (serviceType is "LoadBalancer" or "NodePort")
            {
                yield return Create(m.Display, m.LocationOf("spec", "serviceType"),
                    $"{m.Display} sets its Service type to {serviceType}: OTLP is reachable from outside the cluster",
                    "keep the collector Service ClusterIP",
                    [$"service type = {serviceType}"]);
            }
        }
    }
}
