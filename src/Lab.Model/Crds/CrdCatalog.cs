using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Model.Crds.Internal;

namespace OtelLab.Model.Crds;

/// <summary>
/// The CustomResourceDefinitions the lab knows, read from the files embedded under <c>Crds/Schemas/</c> (their
/// provenance is in that folder's README): the OpenTelemetry Operator chart 0.74.2's three CRDs, the operator
/// v0.113.0's TargetAllocator CRD, and stand-ins for the Prometheus Operator's monitors.
/// </summary>
/// <remarks>
/// Instances are shared: treat them as read-only (the simulated cluster stores copies of their metadata only).
/// </remarks>
public static class CrdCatalog
{
    private static readonly Lazy<IReadOnlyList<V1CustomResourceDefinition>> Chart = new(() =>
    [
        Load("crd-opentelemetrycollector.yaml"),
        Load("crd-opentelemetryinstrumentation.yaml"),
        Load("crd-opentelemetry.io_opampbridges.yaml"),
    ]);

    private static readonly Lazy<V1CustomResourceDefinition> TargetAllocator = new(() => Load("opentelemetry.io_targetallocators-v0.113.0.yaml"));

    private static readonly Lazy<V1CustomResourceDefinition> Applications = new(() => Load("argoproj.io_applications-v3.6.0.yaml"));

    private static readonly Lazy<IReadOnlyList<V1CustomResourceDefinition>> Monitors = new(() =>
    [
        SchemalessMonitor("ServiceMonitor", "servicemonitors", "smon"),
        SchemalessMonitor("PodMonitor", "podmonitors", "pmon"),
    ]);

    /// <summary>What the operator chart 0.74.2 installs: opentelemetrycollectors (v1alpha1, v1beta1), instrumentations, opampbridges.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> OperatorChart0742 => Chart.Value;

    /// <summary>targetallocators.opentelemetry.io from the operator v0.113.0 (used behind the operator gate <c>operator.collector.targetallocatorcr</c>, upstream pkg/featuregate/featuregate.go; not in chart 0.74.2).</summary>
    public static V1CustomResourceDefinition TargetAllocatorV0113 => TargetAllocator.Value;

    /// <summary>
    /// applications.argoproj.io from Argo CD v3.6.0 (the release the lab's Argo CD emulation follows): served when a
    /// scenario delivers through an Argo CD Application, as installing Argo CD would.
    /// </summary>
    public static V1CustomResourceDefinition ArgoCdApplications => Applications.Value;

    /// <summary>
    /// servicemonitors and podmonitors.monitoring.coreos.com: names and scope as the Prometheus Operator's CRDs, with
    /// a schema that preserves every field (their real schemas are not among the lab's reference files).
    /// </summary>
    public static IReadOnlyList<V1CustomResourceDefinition> PrometheusOperatorMonitors => Monitors.Value;

    /// <summary>The lab's default set: the chart's CRDs, the TargetAllocator CRD and the monitors.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> LabDefault => [.. OperatorChart0742, TargetAllocatorV0113, .. PrometheusOperatorMonitors];

    /// <summary>
    /// The CRDs a cluster serves after a scenario's declared install (<see cref="Install.InstallSpec.InstalledCrds"/>):
    /// exactly the declared charts' CRDs — with their real schemas where the lab embeds them, as schema-less stand-ins
    /// (every field preserved) otherwise — plus the Prometheus Operator's monitors, which the guide's cluster already
    /// runs. Null (nothing declared) keeps <see cref="LabDefault"/>.
    /// </summary>
    public static IReadOnlyList<V1CustomResourceDefinition> ForInstall(IReadOnlyList<Install.ChartCrd>? installed)
    {
        if (installed is null)
        {
            return LabDefault;
        }

        var known = LabDefault.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal);
        var served = new List<V1CustomResourceDefinition>();
        foreach (var crd in installed)
        {
            served.Add(known.TryGetValue(crd.Name, out var real)
                ? real
                : Schemaless(crd.Group, crd.Kind, crd.Name.Split('.')[0], null, crd.Versions,
                    // apiextensions: cluster-scoped kinds of the pinned charts are the Cluster* ones (cert-manager's ClusterIssuer).
                    crd.Kind.StartsWith("Cluster", StringComparison.Ordinal) ? "Cluster" : "Namespaced", category: null, requireSpec: false));
        }

        foreach (var monitor in PrometheusOperatorMonitors.Where(m => served.All(c => c.Metadata.Name != m.Metadata.Name)))
        {
            served.Add(monitor);
        }

        return served;
    }

    private static V1CustomResourceDefinition Load(string file)
    {
        var assembly = typeof(CrdCatalog).Assembly;
        using var stream = assembly.GetManifestResourceStream($"OtelLab.Model.Crds.Schemas.{file}")
            ?? throw new InvalidOperationException($"the CRD file {file} is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var json = CrdYaml.Read(file, reader.ReadToEnd());
        return KubernetesJson.Deserialize<V1CustomResourceDefinition>(json.ToJsonString());
    }

    private static V1CustomResourceDefinition SchemalessMonitor(string kind, string plural, string shortName) =>
        Schemaless("monitoring.coreos.com", kind, plural, shortName, ["v1"], "Namespaced", "prometheus-operator", requireSpec: true);

    private static V1CustomResourceDefinition Schemaless(string group, string kind, string plural, string? shortName, IReadOnlyList<string> versions, string scope, string? category, bool requireSpec)
    {
        var names = new JsonObject
        {
            ["kind"] = kind,
            ["listKind"] = kind + "List",
            ["plural"] = plural,
            ["singular"] = kind.ToLowerInvariant(),
        };
        if (shortName is not null)
        {
            names["shortNames"] = new JsonArray(shortName);
        }

        if (category is not null)
        {
            names["categories"] = new JsonArray(category);
        }

        var served = new JsonArray();
        for (var i = 0; i < versions.Count; i++)
        {
            var version = new JsonObject
            {
                ["name"] = versions[i],
                ["served"] = true,
                ["storage"] = i == versions.Count - 1,
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["apiVersion"] = new JsonObject { ["type"] = "string" },
                            ["kind"] = new JsonObject { ["type"] = "string" },
                            ["metadata"] = new JsonObject { ["type"] = "object" },
                            ["spec"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                            ["status"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                        },
                    },
                },
            };
            if (requireSpec)
            {
                ((JsonObject)version["schema"]!["openAPIV3Schema"]!)["required"] = new JsonArray("spec");
            }

            served.Add(version);
        }

        var json = new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = group,
                ["scope"] = scope,
                ["names"] = names,
                ["versions"] = served,
            },
        };
        return KubernetesJson.Deserialize<V1CustomResourceDefinition>(json.ToJsonString());
    }
}
