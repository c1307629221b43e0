using System.Text;
using k8s.Models;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>
/// The resource attributes and service identity the webhook computes for a container, ported from upstream sdk.go
/// (createResourceMap, addParentResourceLabels, chooseServiceName, chooseServiceVersion, chooseServiceNamespace,
/// createServiceInstanceId, resourceMapToStr). Attribute keys are semconv v1.7.0's.
/// </summary>
internal static class ResourceMap
{
    public const string NamespaceName = "k8s.namespace.name";
    public const string ContainerName = "k8s.container.name";
    public const string PodName = "k8s.pod.name";
    public const string PodUid = "k8s.pod.uid";
    public const string NodeName = "k8s.node.name";
    public const string ReplicaSetName = "k8s.replicaset.name";
    public const string DeploymentName = "k8s.deployment.name";
    public const string StatefulSetName = "k8s.statefulset.name";
    public const string DaemonSetName = "k8s.daemonset.name";
    public const string JobName = "k8s.job.name";
    public const string CronJobName = "k8s.cronjob.name";
    public const string ServiceName = "service.name";
    public const string ServiceVersion = "service.version";
    public const string ServiceNamespace = "service.namespace";
    public const string ServiceInstanceId = "service.instance.id";

    // upstream: pkg/constants LabelAppName / LabelAppVersion, read only with spec.defaults.useLabelsForResourceAttributes.
    private static readonly string[] AppNameLabels = ["app.kubernetes.io/instance", "app.kubernetes.io/name"];
    private static readonly string[] AppVersionLabels = ["app.kubernetes.io/version"];

    /// <summary>upstream createResourceMap: CR attributes &lt; Kubernetes attributes &lt; pod annotations; keys already in the container's OTEL_RESOURCE_ATTRIBUTES are left out.</summary>
    public static Dictionary<string, string> Create(InstrumentationCr inst, string ns, V1Pod pod, V1Container container, IWorkloadOwners owners, MutationLog log)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var idx = EnvList.IndexOf(container.Env ?? [], SdkEnv.ResourceAttributes);
        if (idx > -1)
        {
            foreach (var kv in (container.Env![idx].Value ?? string.Empty).Split(','))
            {
                var parts = kv.Trim().Split('=');
                if (parts.Length == 2)
                {
                    existing.Add(parts[0]);
                }
            }
        }

        var res = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in inst.ResourceAttributes)
        {
            if (!existing.Contains(k))
            {
                res[k] = v;
            }
        }

        var meta = pod.Metadata ?? new V1ObjectMeta();
        var k8s = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NamespaceName] = ns,
            [ContainerName] = container.Name ?? string.Empty,
            // The pod name is empty when the pod comes from a template (generateName): upstream then uses the env var.
            [PodName] = meta.Name ?? string.Empty,
            [PodUid] = meta.Uid ?? string.Empty,
            [NodeName] = pod.Spec?.NodeName ?? string.Empty,
            [ServiceInstanceId] = ServiceInstanceIdFor(meta, ns, $"$({SdkEnv.PodName})", container.Name ?? string.Empty),
        };
        AddParentLabels(inst.AddK8sUidAttributes, ns, meta, k8s, owners, log);
        foreach (var (k, v) in k8s)
        {
            if (!existing.Contains(k) && v.Length > 0)
            {
                res[k] = v;
            }
        }

        foreach (var (k, v) in meta.Annotations ?? new Dictionary<string, string>())
        {
            if (k.StartsWith(InstrumentationAnnotations.ResourceAttributePrefix, StringComparison.Ordinal))
            {
                var key = k[InstrumentationAnnotations.ResourceAttributePrefix.Length..];
                if (!existing.Contains(key) && key != ServiceName)
                {
                    res[key] = v;
                }
            }
        }

        var serviceNamespace = LabelOrAnnotation(meta, inst.UseLabelsForResourceAttributes, ServiceNamespace, []) ?? ns;
        if (serviceNamespace.Length > 0 && !existing.Contains(ServiceNamespace))
        {
            res[ServiceNamespace] = serviceNamespace;
        }

        return res;
    }

    /// <summary>
    /// upstream chooseServiceName: annotation <c>resource.opentelemetry.io/service.name</c>, (labels), Deployment,
    /// ReplicaSet, StatefulSet, DaemonSet, CronJob, Job, pod name, container name.
    /// </summary>
    public static string ServiceNameFor(V1Pod pod, bool useLabels, IReadOnlyDictionary<string, string> resources, V1Container container)
    {
        if (LabelOrAnnotation(pod.Metadata, useLabels, ServiceName, AppNameLabels) is { } name)
        {
            return name;
        }

        foreach (var key in new[] { DeploymentName, ReplicaSetName, StatefulSetName, DaemonSetName, CronJobName, JobName, PodName })
        {
            if (resources.TryGetValue(key, out var v) && v.Length > 0)
            {
                return v;
            }
        }

        return container.Name ?? string.Empty;
    }

    /// <summary>upstream chooseServiceVersion: annotation, (label <c>app.kubernetes.io/version</c>), the image tag/digest.</summary>
    public static string? ServiceVersionFor(V1Pod pod, bool useLabels, V1Container container) =>
        LabelOrAnnotation(pod.Metadata, useLabels, ServiceVersion, AppVersionLabels) ?? ImageReference.ServiceVersion(container.Image);

    /// <summary>upstream resourceMapToStr: keys sorted (byte order), <c>k=v</c> joined with commas.</summary>
    public static string Format(IReadOnlyDictionary<string, string> res)
    {
        var sb = new StringBuilder();
        foreach (var k in res.Keys.Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(k).Append('=').Append(res[k]);
        }

        return sb.ToString();
    }

    // upstream createServiceInstanceId: the annotation (never labels), else <ns>.<pod>.<container> when all are known.
    private static string ServiceInstanceIdFor(V1ObjectMeta meta, string ns, string podName, string containerName)
    {
        if (LabelOrAnnotation(meta, false, ServiceInstanceId, []) is { } id)
        {
            return id;
        }

        return ns.Length > 0 && podName.Length > 0 && containerName.Length > 0 ? $"{ns}.{podName}.{containerName}" : string.Empty;
    }

    // upstream chooseLabelOrAnnotation: annotation resource.opentelemetry.io/<attribute>, then (opt-in) the labels.
    private static string? LabelOrAnnotation(V1ObjectMeta? meta, bool useLabels, string attribute, string[] labels)
    {
        if (meta?.Annotations?.TryGetValue(InstrumentationAnnotations.ResourceAttributePrefix + attribute, out var v) == true && v.Length > 0)
        {
            return v;
        }

        if (useLabels)
        {
            foreach (var label in labels)
            {
                if (meta?.Labels?.TryGetValue(label, out var l) == true && l.Length > 0)
                {
                    return l;
                }
            }
        }

        return null;
    }

    // upstream addParentResourceLabels: walk owner references; ReplicaSet → its Deployment, Job → its CronJob.
    private static void AddParentLabels(bool uid, string ns, V1ObjectMeta meta, Dictionary<string, string> resources, IWorkloadOwners owners, MutationLog log)
    {
        foreach (var owner in meta.OwnerReferences ?? [])
        {
            var kind = owner.Kind?.ToLowerInvariant();
            if (kind is not ("replicaset" or "deployment" or "statefulset" or "daemonset" or "job" or "cronjob"))
            {
                continue;
            }

            Set(resources, kind, owner, uid);
            var parent = kind switch
            {
                "replicaset" => Lookup(owners.GetReplicaSet(ns, owner.Name), kind, owner.Name, ns, log),
                "job" => Lookup(owners.GetJob(ns, owner.Name), kind, owner.Name, ns, log),
                _ => null,
            };
            if (parent is not null)
            {
                AddParentLabels(uid, ns, parent, resources, owners, log);
            }
        }
    }

    private static void Set(Dictionary<string, string> resources, string kind, V1OwnerReference owner, bool uid)
    {
        resources[$"k8s.{kind}.name"] = owner.Name ?? string.Empty;
        if (uid)
        {
            resources[$"k8s.{kind}.uid"] = owner.Uid ?? string.Empty;
        }
    }

    // upstream retries the get with a backoff (~20 steps) and then logs; the owner's own owners are then unknown.
    private static V1ObjectMeta Lookup(V1ObjectMeta? found, string kind, string name, string ns, MutationLog log)
    {
        if (found is null)
        {
            // controller-runtime's cache reports NotFound with the Kind as resource: `ReplicaSet.apps "x" not found`.
            var resource = kind == "job" ? "Job.batch" : "ReplicaSet.apps";
            log.Error($"failed to get {kind}", $"{resource} \"{name}\" not found ({kind}={name}, namespace={ns})");
        }

        return found ?? new V1ObjectMeta();
    }
}
