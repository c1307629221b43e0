using k8s;
using k8s.Models;
using OtelLab.Load.Requests;
using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Internal;

/// <summary>
/// Carries a scenario's <c>load.errorRatio</c> / <c>load.slowRatio</c> to the front service's Deployment as its own
/// knobs (<see cref="SampleServiceKnobs.WithLoadShape"/>) before the manifests are applied, so its first pods already
/// run with them. Errors and delays are injected at the front service only: a trace's class (error, slow, normal) is
/// decided once, at its root, and the scenario's ratios are the traces' ratios.
/// </summary>
internal static class LoadShapeKnobs
{
    /// <summary>
    /// The manifests with the front service's Deployment (template label <c>app=&lt;load.services[0]&gt;</c>) carrying
    /// the knobs (a copy: the loaded manifests are left as written); unchanged when the load names no service or asks
    /// for neither errors nor slow requests. <paramref name="changed"/> names the Deployments that got them.
    /// </summary>
    public static ManifestSet Apply(ManifestSet manifests, LoadSpec load, out IReadOnlyList<string> changed)
    {
        changed = [];
        if (load.Services.Count == 0 || (load.ErrorRatio <= 0 && load.SlowRatio <= 0))
        {
            return manifests;
        }

        var front = load.Services[0];
        var names = new List<string>();
        var objects = manifests.Objects.Select(m =>
        {
            if (m.Typed is not V1Deployment deployment || deployment.Spec?.Template?.Metadata?.Labels?.TryGetValue("app", out var app) != true || app != front)
            {
                return m;
            }

            // A deep copy through the Kubernetes JSON model, like the API server's own round trip.
            var copy = KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(deployment));
            SampleServiceKnobs.WithLoadShape(copy, load.ErrorRatio, load.SlowRatio);
            names.Add(m.Display);
            return new ManifestObject { ApiVersion = m.ApiVersion, Kind = m.Kind, Name = m.Name, Namespace = m.Namespace, Location = m.Location, Root = m.Root, Typed = copy };
        }).ToList();
        changed = names;
        return names.Count == 0 ? manifests : new ManifestSet { Objects = objects, Errors = manifests.Errors, Files = manifests.Files };
    }
}
