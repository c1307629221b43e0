using System.Globalization;
using System.Text;

namespace OtelLab.Load.TargetFarm.Pods;

/// <summary>
/// Generates the farm as Kubernetes manifests for N targets: Deployments of <see cref="ScrapeTargetContainerRuntime.Image"/>
/// (at most <see cref="PodsPerWorkload"/> pods each, spread over the nodes by the scheduler), one Service per workload
/// carrying the label the guide's ServiceMonitor selects (<c>app: api-gateway</c>, port <c>metrics</c>), so the TA's job
/// is <c>serviceMonitor/observability/api-gateway/0</c>. Optionally the ServiceMonitor itself, for scenarios that lack it.
/// </summary>
public static class FarmManifests
{
    /// <summary>Pods per workload (and so addresses per Endpoints object; Kubernetes truncates Endpoints above 1000).</summary>
    public const int PodsPerWorkload = 1000;

    /// <summary>The namespace the lab's farm runs in unless told otherwise.</summary>
    public const string Namespace = "farm";

    public static string Yaml(int targets, string ns = Namespace, string serviceLabel = "api-gateway", bool serviceMonitor = false, string monitorNamespace = "observability")
    {
        if (targets < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targets), targets, "a farm needs 0 or more targets");
        }

        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        var workloads = (targets + PodsPerWorkload - 1) / PodsPerWorkload;
        for (var w = 0; w < workloads; w++)
        {
            var replicas = Math.Min(PodsPerWorkload, targets - (w * PodsPerWorkload));
            var name = string.Create(CultureInfo.InvariantCulture, $"{serviceLabel}-{w}");
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {name}
                  namespace: {ns}
                spec:
                  replicas: {replicas}
                  selector:
                    matchLabels:
                      app.kubernetes.io/name: {name}
                  template:
                    metadata:
                      labels:
                        app.kubernetes.io/name: {name}
                        lab.otel/farm: "true"
                    spec:
                      containers:
                        - name: target
                          image: {ScrapeTargetContainerRuntime.Image}
                          ports:
                            - name: metrics
                              containerPort: 9100
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: {name}
                  namespace: {ns}
                  labels:
                    app: {serviceLabel}
                spec:
                  selector:
                    app.kubernetes.io/name: {name}
                  ports:
                    - name: metrics
                      port: 9100
                      targetPort: metrics

                """);
        }

        if (serviceMonitor)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: {serviceLabel}
                  namespace: {monitorNamespace}
                spec:
                  selector:
                    matchLabels:
                      app: {serviceLabel}
                  namespaceSelector:
                    any: true
                  endpoints:
                    - port: metrics
                      interval: 30s

                """);
        }

        return yaml.ToString();
    }
}
