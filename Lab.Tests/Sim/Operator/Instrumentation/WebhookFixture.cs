using k8s;
using k8s.Models;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Operator.Instrumentation;
using InstrumentationCr = OtelLab.Model.Crds.Instrumentation;

namespace OtelLab.Tests.Sim.Operator.Instrumentation;

/// <summary>Builds the webhook's inputs the way a cluster would present them at pod CREATE.</summary>
internal static class WebhookFixture
{
    /// <summary>The pod-template-hash the tests give ReplicaSets (the real one is an FNV hash of the template).</summary>
    public const string TemplateHash = "7d9f8c6b5";

    public static InstrumentationCr InstrumentationFrom(string yaml, string ns = "default")
    {
        var set = ManifestLoader.LoadText("instrumentation.yaml", yaml, ns);
        Assert.Empty(set.Errors);
        return set.Typed<InstrumentationCr>().Single().Model;
    }

    public static V1Deployment Deployment(string yaml)
    {
        var set = ManifestLoader.LoadText("deployment.yaml", yaml);
        Assert.Empty(set.Errors);
        return set.Typed<V1Deployment>().Single().Model;
    }

    public static V1Namespace Namespace(string name, IDictionary<string, string>? annotations = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Annotations = annotations } };

    /// <summary>
    /// The pod the ReplicaSet controller submits for <paramref name="deployment"/>: no name yet (generateName), the
    /// template's labels (+ pod-template-hash) and annotations, owned by the ReplicaSet, unscheduled. The owners index
    /// knows the ReplicaSet and that it belongs to the Deployment.
    /// </summary>
    public static (V1Pod Pod, InMemoryWorkloadOwners Owners) PodFor(V1Deployment deployment)
    {
        var ns = deployment.Metadata.NamespaceProperty ?? "default";
        var rsName = $"{deployment.Metadata.Name}-{TemplateHash}";
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = rsName,
                NamespaceProperty = ns,
                OwnerReferences = [Owner("apps/v1", "Deployment", deployment.Metadata.Name)],
            },
        };
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            ["pod-template-hash"] = TemplateHash,
        };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = rsName + "-",
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [Owner("apps/v1", "ReplicaSet", rsName)],
            },
            Spec = template.Spec,
        };
        return (pod, new InMemoryWorkloadOwners().Add(rs));
    }

    public static V1OwnerReference Owner(string apiVersion, string kind, string name) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = $"{name}-uid", Controller = true };

    public static V1Pod Pod(string ns, string name, IDictionary<string, string>? annotations, params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Annotations = annotations },
        Spec = new V1PodSpec { Containers = containers.ToList() },
    };

    public static V1Container Container(string name, string image = "app:latest", params V1EnvVar[] env) =>
        new() { Name = name, Image = image, Env = env.Length == 0 ? null : env.ToList() };

    public static PodMutationResult Mutate(
        V1Pod pod,
        V1Namespace ns,
        IReadOnlyList<InstrumentationCr> instrumentations,
        IWorkloadOwners? owners = null,
        PodMutatorOptions? options = null) =>
        new PodMutator(options).Mutate(pod, new PodMutationContext
        {
            Namespace = ns,
            Instrumentations = instrumentations,
            Owners = owners ?? InMemoryWorkloadOwners.Empty,
        });

    /// <summary>One line per env var, in order: <c>NAME=value</c> or <c>NAME&lt;-fieldPath</c> for a Downward API field.</summary>
    public static string[] Env(V1Container container) =>
        (container.Env ?? []).Select(e => e.ValueFrom?.FieldRef is { } f ? $"{e.Name}<-{f.FieldPath}" : $"{e.Name}={e.Value}").ToArray();

    public static V1Container Container(this PodMutationResult result, string name) =>
        result.Pod.Spec.Containers.Single(c => c.Name == name);
}
