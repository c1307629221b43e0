using k8s.Models;
using OtelLab.Model.Manifests;

namespace OtelLab.Lint;

/// <summary>Something that creates pods: its own metadata and the pod template the pods are created from.</summary>
public sealed record PodWorkload(ManifestObject Manifest, V1ObjectMeta Metadata, V1PodTemplateSpec Template)
{
    public string Namespace => Manifest.Namespace ?? "default";

    public static IEnumerable<PodWorkload> From(ManifestSet manifests)
    {
        foreach (var m in manifests.Objects)
        {
            var w = m.Typed switch
            {
                V1Deployment d => new PodWorkload(m, d.Metadata, d.Spec?.Template ?? new V1PodTemplateSpec()),
                V1StatefulSet s => new PodWorkload(m, s.Metadata, s.Spec?.Template ?? new V1PodTemplateSpec()),
                V1DaemonSet ds => new PodWorkload(m, ds.Metadata, ds.Spec?.Template ?? new V1PodTemplateSpec()),
                V1ReplicaSet rs => new PodWorkload(m, rs.Metadata, rs.Spec?.Template ?? new V1PodTemplateSpec()),
                V1Pod p => new PodWorkload(m, p.Metadata, new V1PodTemplateSpec { Metadata = p.Metadata, Spec = p.Spec }),
                _ => null,
            };
            if (w is not null)
            {
                yield return w;
            }
        }
    }
}
