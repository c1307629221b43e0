using System.Globalization;
using k8s.Models;
using OtelLab.Load.Requests;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Internal;

/// <summary>
/// Carries a scenario's <c>load.errorRatio</c> / <c>load.slowRatio</c> to the front service's process
/// (<see cref="SampleServiceKnobs"/>'s <c>ERROR_RATIO</c>/<c>SLOW_RATIO</c>) as lab-only env on top of its pod's env,
/// so the user's Deployment stays as written (<c>kubectl apply</c> of the scenario's manifests reports it unchanged)
/// and its first pods already run with them; a value the pod's own env sets wins. Errors and delays are injected at
/// the front service only: a trace's class (error, slow, normal) is decided once, at its root, and the scenario's
/// ratios are the traces' ratios.
/// </summary>
internal static class LoadShapeKnobs
{
    /// <summary>The knobs for one container: the front service's pods (label <c>app=&lt;load.services[0]&gt;</c>), first container.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(LoadSpec load, V1Pod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        if (load.Services.Count == 0 || (load.ErrorRatio <= 0 && load.SlowRatio <= 0)
            || pod.Metadata?.Labels?.TryGetValue("app", out var app) != true || app != load.Services[0]
            || pod.Spec?.Containers?.FirstOrDefault()?.Name != container.Name)
        {
            return [];
        }

        return
        [
            KeyValuePair.Create(SampleServiceKnobs.ErrorRatio, load.ErrorRatio.ToString(CultureInfo.InvariantCulture)),
            KeyValuePair.Create(SampleServiceKnobs.SlowRatio, load.SlowRatio.ToString(CultureInfo.InvariantCulture)),
        ];
    }
}
