using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Sim.Operator.Internal;

namespace OtelLab.Sim.Operator;

/// <summary>
/// What the operator creates for an OpenTelemetryCollector (operator.md §4):
/// ConfigMap <c>&lt;n&gt;-collector-&lt;hash8&gt;</c> (key <c>collector.yaml</c>), ServiceAccount <c>&lt;n&gt;-collector</c> unless
/// <c>spec.serviceAccount</c> is set, Services <c>&lt;n&gt;-collector</c> (ports inferred from receivers; daemonset →
/// <c>internalTrafficPolicy: Local</c>), <c>&lt;n&gt;-collector-headless</c>, <c>&lt;n&gt;-collector-monitoring</c>, and the
/// Deployment / StatefulSet / DaemonSet <c>&lt;n&gt;-collector</c> with container <c>otc-container</c>. Sidecar mode
/// yields only the ConfigMap and ServiceAccount (injection is not modelled yet).
/// upstream: internal/manifests/collector/{configmap,serviceaccount,service,deployment,statefulset,daemonset,container,volume}.go,
/// internal/manifests/manifestutils/annotations.go (PodAnnotations).
/// </summary>
public static partial class CollectorManifests
{
    public const string ContainerName = "otc-container";
    public const string ConfigKey = "collector.yaml";
    public const string ConfigVolume = "otc-internal";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex PortNamePattern();

    /// <summary>The defaulted config tree, its hash and rendered text, and the objects to create.</summary>
    public static CollectorRender Render(OpenTelemetryCollector collector, V1ObjectMeta crMeta, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(crMeta);
        ArgumentNullException.ThrowIfNull(options);
        var tree = ConfigTree.From(collector.Config.Root) as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        ConfigDefaults.Apply(tree);
        var hash = ConfigHash.Compute(tree);
        var rendered = CollectorConfigText.Render(tree, collector.TargetAllocator.Enabled ? $"{collector.Name}-targetallocator" : null);
        return new CollectorRender(tree, hash, rendered, Build(collector, crMeta, options, tree, hash, rendered));
    }

    private static List<object> Build(OpenTelemetryCollector c, V1ObjectMeta crMeta, OperatorOptions options, Dictionary<string, object?> tree, string hash, string rendered)
    {
        var name = $"{c.Name}-collector";
        var ns = c.Namespace;

        // upstream labels use spec.image as written: no image → version "latest", even though the container gets the default image.
        Dictionary<string, string> Labels(string objectName) =>
            OperatorLabels.Common(ns, c.Name, crMeta.Labels, objectName, c.Image, OperatorLabels.ComponentCollector);
        var annotations = crMeta.Annotations is null ? null : new Dictionary<string, string>(crMeta.Annotations);
        var cmName = OperatorLabels.Truncate($"{name}-{hash[..8]}", 63);

        var objects = new List<object>
        {
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = cmName, NamespaceProperty = ns, Labels = Labels(name), Annotations = annotations },
                Data = new Dictionary<string, string> { [ConfigKey] = rendered },
            },
        };

        if (string.IsNullOrEmpty(c.ServiceAccount))
        {
            objects.Add(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = Labels(name), Annotations = annotations } });
        }

        if (c.Mode == CollectorMode.Sidecar)
        {
            return objects;
        }

        var selector = OperatorLabels.Selector(ns, c.Name, OperatorLabels.ComponentCollector);
        var servicePorts = ServicePorts(c, tree);
        if (servicePorts.Count > 0)
        {
            var baseLabels = Labels(name);
            baseLabels["operator.opentelemetry.io/collector-service-type"] = "base";
            objects.Add(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = baseLabels, Annotations = annotations },
                Spec = new V1ServiceSpec
                {
                    Selector = selector,
                    Ports = servicePorts,
                    InternalTrafficPolicy = c.Mode == CollectorMode.DaemonSet ? "Local" : "Cluster",
                },
            });

            var headless = $"{name}-headless";
            var headlessLabels = Labels(headless);
            headlessLabels["app.kubernetes.io/name"] = name;
            headlessLabels["operator.opentelemetry.io/collector-headless-service"] = "Exists";
            headlessLabels["operator.opentelemetry.io/collector-service-type"] = "headless";
            var headlessAnnotations = new Dictionary<string, string>(annotations ?? new Dictionary<string, string>())
            {
                ["service.beta.openshift.io/serving-cert-secret-name"] = $"{headless}-tls",
            };
            objects.Add(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = headless, NamespaceProperty = ns, Labels = headlessLabels, Annotations = headlessAnnotations },
                Spec = new V1ServiceSpec
                {
                    Selector = selector,
                    Ports = servicePorts,
                    ClusterIP = "None",
                    InternalTrafficPolicy = c.Mode == CollectorMode.DaemonSet ? "Local" : "Cluster",
                },
            });
        }

        var monitoring = $"{name}-monitoring";
        var monitoringLabels = Labels(monitoring);
        monitoringLabels["operator.opentelemetry.io/collector-monitoring-service"] = "Exists";
        monitoringLabels["operator.opentelemetry.io/collector-service-type"] = "monitoring";
        objects.Add(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = monitoring, NamespaceProperty = ns, Labels = monitoringLabels, Annotations = annotations },
            Spec = new V1ServiceSpec
            {
                Selector = selector,
                Ports = [new V1ServicePort { Name = "monitoring", Port = ComponentPorts.MetricsPort(tree), Protocol = "TCP" }],
            },
        });

        var template = PodTemplate(c, crMeta, options, tree, hash, cmName, Labels(name));
        var workloadMeta = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = Labels(name), Annotations = annotations };
        var labelSelector = new V1LabelSelector { MatchLabels = selector };
        objects.Add(c.Mode switch
        {
            CollectorMode.StatefulSet => new V1StatefulSet
            {
                Metadata = workloadMeta,
                Spec = new V1StatefulSetSpec
                {
                    Replicas = c.Replicas,
                    Selector = labelSelector,
                    ServiceName = $"{name}-headless",
                    PodManagementPolicy = "Parallel",
                    Template = template,
                },
            },
            CollectorMode.DaemonSet => new V1DaemonSet
            {
                Metadata = workloadMeta,
                Spec = new V1DaemonSetSpec { Selector = labelSelector, Template = template },
            },
            _ => new V1Deployment
            {
                Metadata = workloadMeta,
                Spec = new V1DeploymentSpec { Replicas = c.Replicas, Selector = labelSelector, Template = template },
            },
        });
        return objects;
    }

    private static V1PodTemplateSpec PodTemplate(OpenTelemetryCollector c, V1ObjectMeta crMeta, OperatorOptions options, Dictionary<string, object?> tree, string hash, string cmName, Dictionary<string, string> labels)
    {
        // upstream PodAnnotations: spec.podAnnotations, then the CR's annotations (not overriding), the default
        // prometheus.io/* scrape annotations (with the marker), and the config hash.
        var podAnnotations = new Dictionary<string, string>(c.PodAnnotations, StringComparer.Ordinal);
        foreach (var (k, v) in crMeta.Annotations ?? new Dictionary<string, string>())
        {
            podAnnotations.TryAdd(k, v);
        }

        var stamped = false;
        foreach (var (k, v) in new[] { ("prometheus.io/scrape", "true"), ("prometheus.io/port", "8888"), ("prometheus.io/path", "/metrics") })
        {
            stamped |= podAnnotations.TryAdd(k, v);
        }

        if (stamped)
        {
            podAnnotations["collector.opentelemetry.io/prometheus-annotations-added"] = "true";
        }

        podAnnotations["opentelemetry-operator-config/sha256"] = hash;

        var env = new List<V1EnvVar>(c.Env)
        {
            new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        };
        if (c.TargetAllocator.Enabled)
        {
            // upstream container.go: every collector scrapes only what the TA assigned, so SHARD is fixed at 0.
            env.Add(new V1EnvVar { Name = "SHARD", Value = "0" });
        }

        var container = new V1Container
        {
            Name = ContainerName,
            Image = c.Image ?? options.CollectorImage,
            Args = [$"--config=/conf/{ConfigKey}"],
            Ports = ContainerPorts(c, tree),
            Env = env,
            EnvFrom = c.EnvFrom.Count == 0 ? null : [.. c.EnvFrom],
            VolumeMounts = [new V1VolumeMount { Name = ConfigVolume, MountPath = "/conf" }],
        };

        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = podAnnotations },
            Spec = new V1PodSpec
            {
                ServiceAccountName = c.EffectiveServiceAccount,
                Containers = [container],
                Volumes =
                [
                    new V1Volume
                    {
                        Name = ConfigVolume,
                        ConfigMap = new V1ConfigMapVolumeSource { Name = cmName, Items = [new V1KeyToPath { Key = ConfigKey, Path = ConfigKey }] },
                    },
                ],
                HostNetwork = c.HostNetwork ? true : null,
                DnsPolicy = c.HostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst",
            },
        };
    }

    // upstream service.go: spec.ports first, then inferred ports not clashing by number (dropped) or name (renamed port-N).
    private static List<V1ServicePort> ServicePorts(OpenTelemetryCollector c, Dictionary<string, object?> tree)
    {
        var inferred = ComponentPorts.ServicePorts(tree);
        if (c.Ports.Count == 0)
        {
            return inferred;
        }

        var numbers = c.Ports.Select(p => (p.Port, p.Protocol)).ToHashSet();
        var names = c.Ports.Select(p => p.Name ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        var result = c.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, Protocol = p.Protocol }).ToList();
        foreach (var p in inferred)
        {
            if (numbers.Contains((p.Port, p.Protocol ?? "TCP")))
            {
                continue;
            }

            if (names.Contains(p.Name))
            {
                var fallback = $"port-{p.Port.ToString(CultureInfo.InvariantCulture)}";
                if (names.Contains(fallback))
                {
                    continue;
                }

                p.Name = fallback;
            }

            result.Add(p);
        }

        return result;
    }

    // upstream container.go getConfigContainerPorts: inferred ports (names truncated to 15, invalid ones dropped),
    // "metrics" on the telemetry port, then spec.ports by name — the only source of hostPort. Sorted by name.
    private static List<V1ContainerPort> ContainerPorts(OpenTelemetryCollector c, Dictionary<string, object?> tree)
    {
        var ports = new Dictionary<string, V1ContainerPort>(StringComparer.Ordinal);
        foreach (var p in ComponentPorts.ServicePorts(tree))
        {
            var name = OperatorLabels.Truncate(p.Name, 15);
            if (name.Length == 0 || !PortNamePattern().IsMatch(name) || !name.Any(char.IsLetter) || name.Contains("--", StringComparison.Ordinal))
            {
                continue;
            }

            ports[name] = new V1ContainerPort { Name = name, ContainerPort = p.Port, Protocol = p.Protocol };
        }

        ports["metrics"] = new V1ContainerPort { Name = "metrics", ContainerPort = ComponentPorts.MetricsPort(tree), Protocol = "TCP" };
        foreach (var p in c.Ports)
        {
            ports[p.Name ?? string.Empty] = new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = p.Protocol, HostPort = p.HostPort };
        }

        return [.. ports.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }
}

/// <summary>The operator's view of one collector: defaulted config, its hash, the rendered <c>collector.yaml</c>, the objects.</summary>
public sealed record CollectorRender(Dictionary<string, object?> Config, string Hash, string CollectorYaml, IReadOnlyList<object> Objects);
