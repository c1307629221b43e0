using System.Globalization;
using OtelLab.Model.Crds;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation.Internal;

namespace OtelLab.Sim.TargetAllocation.Discovery;

/// <summary>
/// The scrape configs the TA generates from ServiceMonitors and PodMonitors with prometheus-operator's config generator
/// (upstream: prometheus-operator pkg/prometheus/promcfg.go generateServiceMonitorConfig / generatePodMonitorConfig,
/// called by the TA's internal/watcher/promOperator.go): one job per endpoint named
/// <c>serviceMonitor/&lt;ns&gt;/&lt;name&gt;/&lt;index&gt;</c>, kubernetes_sd role <c>endpoints</c> (ServiceMonitor) or
/// <c>pod</c> (PodMonitor) in the monitor's namespaces, and the generated relabelings: keep on the selector's labels,
/// keep on the port, then the namespace/service/pod/container/job/endpoint target labels, then the monitor's own
/// relabelings. The sharding pair (hashmod on <c>__address__</c> modulus shards, keep <c>$(SHARD)</c>) is left out: the
/// TA renders one shard, for which it keeps everything.
/// </summary>
public static class MonitorScrapeConfigs
{
    private const string ServiceLabel = "__meta_kubernetes_service_label_";
    private const string ServiceLabelPresent = "__meta_kubernetes_service_labelpresent_";
    private const string PodLabel = "__meta_kubernetes_pod_label_";
    private const string PodLabelPresent = "__meta_kubernetes_pod_labelpresent_";

    /// <summary>The jobs of one monitor; <paramref name="defaultInterval"/> is the TA's <c>prometheusCR.scrapeInterval</c>.</summary>
    public static IReadOnlyList<ScrapeConfig> For(PrometheusMonitor monitor, TimeSpan defaultInterval)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var isService = monitor.Kind == "ServiceMonitor";
        IReadOnlyList<string> namespaces = monitor.AnyNamespace ? [] : monitor.NamespaceNames.Count > 0 ? monitor.NamespaceNames : [monitor.Namespace];
        var configs = new List<ScrapeConfig>();
        for (var i = 0; i < monitor.Endpoints.Count; i++)
        {
            var endpoint = monitor.Endpoints[i];
            var relabel = new List<RelabelConfig>
            {
                // upstream initRelabelings: keep the original job name for later relabelings.
                new() { SourceLabels = ["job"], TargetLabel = "__tmp_prometheus_job_name" },
            };
            if (!isService)
            {
                // upstream: PodMonitors drop pods in a terminal phase.
                relabel.Add(new() { Action = RelabelAction.Drop, SourceLabels = ["__meta_kubernetes_pod_phase"], Regex = new RelabelRegex("(Failed|Succeeded)") });
            }

            foreach (var (key, value) in monitor.Selector.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var name = Internal.MetaLabels.Sanitize(key);
                relabel.Add(new()
                {
                    Action = RelabelAction.Keep,
                    SourceLabels = isService ? [ServiceLabel + name, ServiceLabelPresent + name] : [PodLabel + name, PodLabelPresent + name],
                    Regex = new RelabelRegex($"({value});true"),
                });
            }

            // upstream prometheus-operator pkg/prometheus/promcfg.go: set-based requirements become relabel rules after
            // the exact matches — In keeps and NotIn drops "(v1|v2);true" over label + labelpresent, Exists keeps and
            // DoesNotExist drops "true" over labelpresent.
            foreach (var expression in monitor.SelectorExpressions)
            {
                var name = Internal.MetaLabels.Sanitize(expression.Key);
                var label = (isService ? ServiceLabel : PodLabel) + name;
                var present = (isService ? ServiceLabelPresent : PodLabelPresent) + name;
                var keep = expression.Operator is "In" or "Exists";
                relabel.Add(expression.Operator is "In" or "NotIn"
                    ? new() { Action = keep ? RelabelAction.Keep : RelabelAction.Drop, SourceLabels = [label, present], Regex = new RelabelRegex($"({string.Join('|', expression.Values)});true") }
                    : new() { Action = keep ? RelabelAction.Keep : RelabelAction.Drop, SourceLabels = [present], Regex = new RelabelRegex("true") });
            }

            if (!string.IsNullOrEmpty(endpoint.Port))
            {
                relabel.Add(new()
                {
                    Action = RelabelAction.Keep,
                    SourceLabels = [isService ? "__meta_kubernetes_endpoint_port_name" : "__meta_kubernetes_pod_container_port_name"],
                    Regex = new RelabelRegex(endpoint.Port),
                });
            }
            else if (!string.IsNullOrEmpty(endpoint.TargetPort))
            {
                var numeric = int.TryParse(endpoint.TargetPort, NumberStyles.None, CultureInfo.InvariantCulture, out _);
                relabel.Add(new()
                {
                    Action = RelabelAction.Keep,
                    SourceLabels = [numeric ? "__meta_kubernetes_pod_container_port_number" : "__meta_kubernetes_pod_container_port_name"],
                    Regex = new RelabelRegex(endpoint.TargetPort),
                });
            }

            if (isService)
            {
                relabel.Add(TargetKind("Node", "node"));
                relabel.Add(TargetKind("Pod", "pod"));
            }

            relabel.Add(new() { SourceLabels = ["__meta_kubernetes_namespace"], TargetLabel = "namespace" });
            if (isService)
            {
                relabel.Add(new() { SourceLabels = ["__meta_kubernetes_service_name"], TargetLabel = "service" });
            }

            relabel.Add(new() { SourceLabels = ["__meta_kubernetes_pod_name"], TargetLabel = "pod" });
            relabel.Add(new() { SourceLabels = ["__meta_kubernetes_pod_container_name"], TargetLabel = "container" });
            relabel.Add(isService
                ? new() { SourceLabels = ["__meta_kubernetes_service_name"], TargetLabel = "job", Replacement = "${1}" }
                : new() { TargetLabel = "job", Replacement = $"{monitor.Namespace}/{monitor.Name}" });
            var portName = endpoint.Port ?? endpoint.TargetPort;
            if (!string.IsNullOrEmpty(portName))
            {
                relabel.Add(new() { TargetLabel = "endpoint", Replacement = portName });
            }

            relabel.AddRange(PrometheusConfigYaml.RelabelConfigs(endpoint.Relabelings));
            configs.Add(new ScrapeConfig
            {
                JobName = monitor.JobName(i),
                ScrapeInterval = ParseInterval(endpoint.Interval) ?? defaultInterval,
                MetricsPath = string.IsNullOrEmpty(endpoint.Path) ? "/metrics" : endpoint.Path,
                Scheme = string.IsNullOrEmpty(endpoint.Scheme) ? "http" : endpoint.Scheme,
                RelabelConfigs = relabel,
                MetricRelabelConfigs = PrometheusConfigYaml.RelabelConfigs(endpoint.MetricRelabelings),
                KubernetesSdConfigs = [new KubernetesSdConfig(isService ? "endpoints" : "pod", namespaces)],
            });
        }

        return configs;
    }

    private static RelabelConfig TargetKind(string kind, string label) => new()
    {
        SourceLabels = ["__meta_kubernetes_endpoint_address_target_kind", "__meta_kubernetes_endpoint_address_target_name"],
        Regex = new RelabelRegex($"{kind};(.*)"),
        Replacement = "${1}",
        TargetLabel = label,
    };

    private static TimeSpan? ParseInterval(string? text) =>
        !string.IsNullOrEmpty(text) && global::OtelLab.Model.Go.GoDuration.TryParse(text, out var d, out _) ? d : null;
}
