using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Sim.Operator;

/// <summary>
/// What the operator creates for a collector with <c>targetAllocator.enabled</c>: ConfigMap, Deployment (container
/// <c>ta-container</c>, port 8080 <c>http</c>), Service (port 80 <c>targetallocation</c> → <c>http</c>) and, unless
/// <c>targetAllocator.serviceAccount</c> is set, ServiceAccount — all named <c>&lt;n&gt;-targetallocator</c>.
/// upstream: internal/manifests/targetallocator/{configmap,deployment,container,service,serviceaccount,volume,annotations}.go,
/// internal/manifests/manifestutils/labels.go (TASelectorLabels).
/// </summary>
public static class TargetAllocatorManifests
{
    public const string ContainerName = "ta-container";
    public const string ConfigKey = "targetallocator.yaml";
    public const string ConfigVolume = "ta-internal";

    public static IReadOnlyList<object> Build(OpenTelemetryCollector c, V1ObjectMeta crMeta, OperatorOptions options, Dictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(crMeta);
        ArgumentNullException.ThrowIfNull(options);
        var ta = c.TargetAllocator;
        var name = OperatorLabels.Truncate($"{c.Name}-targetallocator", 63);
        var image = ta.Image ?? options.TargetAllocatorImage;
        var labels = OperatorLabels.Common(c.Namespace, c.Name, crMeta.Labels, name, ta.Image, OperatorLabels.ComponentTargetAllocator);
        var selector = OperatorLabels.TargetAllocatorSelector(c.Namespace, c.Name, crMeta.Labels);
        var configYaml = ConfigText(c, config);
        var serviceAccount = string.IsNullOrEmpty(ta.ServiceAccount) ? name : ta.ServiceAccount;

        var objects = new List<object>
        {
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = c.Namespace, Labels = labels, Annotations = crMeta.Annotations },
                Data = new Dictionary<string, string> { [ConfigKey] = configYaml },
            },
        };

        if (string.IsNullOrEmpty(ta.ServiceAccount))
        {
            objects.Add(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = c.Namespace, Labels = labels } });
        }

        var container = new V1Container
        {
            Name = ContainerName,
            Image = image,
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }],
            Env = [new V1EnvVar { Name = "OTELCOL_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } }],
            VolumeMounts = [new V1VolumeMount { Name = ConfigVolume, MountPath = "/conf" }],
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = 8080 } },
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/livez", Port = 8080 } },
        };

        objects.Add(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = c.Namespace, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = ta.Replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = labels,
                        Annotations = new Dictionary<string, string>
                        {
                            ["opentelemetry-targetallocator-config/hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configYaml))),
                        },
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = serviceAccount,
                        Containers = [container],
                        Volumes =
                        [
                            new V1Volume
                            {
                                Name = ConfigVolume,
                                ConfigMap = new V1ConfigMapVolumeSource { Name = name, Items = [new V1KeyToPath { Key = ConfigKey, Path = ConfigKey }] },
                            },
                        ],
                        DnsPolicy = "ClusterFirst",
                    },
                },
            },
        });

        objects.Add(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = c.Namespace, Labels = labels },
            Spec = new V1ServiceSpec
            {
                Selector = selector,
                Ports = [new V1ServicePort { Name = "targetallocation", Port = 80, TargetPort = "http", Protocol = "TCP" }],
            },
        });
        return objects;
    }

    /// <summary>
    /// <c>targetallocator.yaml</c>: allocation_strategy, collector_selector (the collector's selector labels),
    /// config (global + scrape_configs from the collector's prometheus receiver), filter_strategy, prometheus_cr.
    /// Marshalled like yaml.v2 (upstream configmap.go), so the text matches the operator's.
    /// </summary>
    public static string ConfigText(OpenTelemetryCollector c, Dictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(config);
        var ta = c.TargetAllocator;
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        var promConfig = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (PrometheusRewrite.GlobalConfig(config) is { Count: > 0 } global)
        {
            promConfig["global"] = ConfigTree.Copy(global);
        }

        if (PrometheusRewrite.ScrapeConfigs(config) is { Count: > 0 } scrapeConfigs)
        {
            promConfig["scrape_configs"] = scrapeConfigs;
        }

        if (promConfig.Count > 0)
        {
            root["config"] = promConfig;
        }

        root["collector_selector"] = LabelSelector(OperatorLabels.Selector(c.Namespace, c.Name, OperatorLabels.ComponentCollector));
        root["allocation_strategy"] = string.IsNullOrEmpty(ta.AllocationStrategy) ? AllocationStrategy.ConsistentHashing : ta.AllocationStrategy;
        root["filter_strategy"] = ta.FilterStrategy;
        if (ta.PrometheusCR.Enabled)
        {
            var cr = new Dictionary<string, object?>(StringComparer.Ordinal) { ["enabled"] = true };
            if (!string.IsNullOrEmpty(ta.PrometheusCR.ScrapeInterval))
            {
                cr["scrape_interval"] = GoDuration(ta.PrometheusCR.ScrapeInterval);
            }

            cr["service_monitor_selector"] = ta.PrometheusCR.ServiceMonitorSelector is null ? null : LabelSelector(ta.PrometheusCR.ServiceMonitorSelector);
            cr["pod_monitor_selector"] = ta.PrometheusCR.PodMonitorSelector is null ? null : LabelSelector(ta.PrometheusCR.PodMonitorSelector);
            cr["scrape_config_selector"] = null;
            cr["probe_selector"] = null;
            root["prometheus_cr"] = cr;
        }

        return GoYaml.Serialize(root);
    }

    // yaml.v2 marshals a *metav1.LabelSelector struct by lower-cased field names (no yaml tags), in field order.
    private static GoStructMap LabelSelector(IReadOnlyDictionary<string, string> matchLabels) => new()
    {
        ["matchlabels"] = matchLabels.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal),
        ["matchexpressions"] = new List<object?>(),
    };

    /// <summary>A metav1.Duration as yaml.v2 writes time.Duration: Go's String() (<c>30s</c>, <c>1m0s</c>, <c>1h0m0s</c>).</summary>
    internal static string GoDuration(string text)
    {
        if (!global::OtelLab.Model.Go.GoDuration.TryParse(text, out var d, out _))
        {
            return text;
        }

        if (d == TimeSpan.Zero)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (d.TotalHours >= 1)
        {
            sb.Append(((long)d.TotalHours).ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (d.TotalMinutes >= 1)
        {
            sb.Append(d.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = d.Seconds + (d.Milliseconds / 1000.0);
        sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
