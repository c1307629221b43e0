namespace OtelLab.Tests.Sim.Collector.Exporters.LoadBalancing;

/// <summary>
/// The cluster objects a loadbalancing exporter's <c>k8s</c> resolver reads: a gateway Deployment behind a headless
/// Service (its Endpoints are what the resolver watches), and the Role that lets the exporter's ServiceAccount
/// (<c>obs/otel</c>, the component harness's pod) read Endpoints.
/// </summary>
internal static class GatewayFleetManifests
{
    public static string Gateways(int replicas, string collectorVersion) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: gateway, namespace: obs}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: gateway}}
          template:
            metadata: {labels: {app: gateway}}
            spec: {containers: [{name: otc, image: "otel/opentelemetry-collector-contrib:{{{collectorVersion}}}"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: gateway-headless, namespace: obs}
        spec: {clusterIP: None, selector: {app: gateway}, ports: [{name: otlp, port: 4317}]}
        """;

    public const string EndpointsRbac = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: lb, namespace: obs}
        rules: [{apiGroups: [""], resources: [endpoints], verbs: [get, list, watch]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: lb, namespace: obs}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lb}
        subjects: [{kind: ServiceAccount, name: otel, namespace: obs}]
        """;
}
