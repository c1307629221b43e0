using System.Globalization;
using k8s.Models;

namespace OtelLab.Load.Requests;

/// <summary>
/// The sample services' own error and latency knobs (<c>ERROR_RATIO</c> 0..1, <c>ADDED_LATENCY_MS</c>), set on a
/// Deployment's container env so the rollout gives new pods the settings (what <c>kubectl set env</c> does).
/// </summary>
public static class SampleServiceKnobs
{
    public const string ErrorRatio = "ERROR_RATIO";
    public const string AddedLatencyMs = "ADDED_LATENCY_MS";

    /// <summary>Per-request probability (0..1) of an extra <see cref="SlowLatencyMs"/> delay (checkout).</summary>
    public const string SlowRatio = "SLOW_RATIO";

    /// <summary>The delay of a slow request; the service's default (600 ms) is over the guide's 500 ms latency policy.</summary>
    public const string SlowLatencyMs = "SLOW_LATENCY_MS";

    /// <summary>Sets (or replaces) the knobs on the named container (the first when null) of the Deployment's template.</summary>
    public static V1Deployment With(V1Deployment deployment, double errorRatio, int addedLatencyMs, string? container = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (errorRatio is < 0 or > 1 || addedLatencyMs < 0)
        {
            throw new ArgumentException($"ERROR_RATIO must be within [0, 1] (got {errorRatio}) and ADDED_LATENCY_MS >= 0 (got {addedLatencyMs})");
        }

        var env = EnvOf(deployment, container);
        Set(env, ErrorRatio, errorRatio.ToString(CultureInfo.InvariantCulture));
        Set(env, AddedLatencyMs, addedLatencyMs.ToString(CultureInfo.InvariantCulture));
        return deployment;
    }

    /// <summary>
    /// Sets the per-request error and slow probabilities (a scenario's <c>load.errorRatio</c> / <c>load.slowRatio</c>)
    /// on the named container (the first when null), leaving the fixed <c>ADDED_LATENCY_MS</c> and the slow delay to
    /// the service's own settings.
    /// </summary>
    public static V1Deployment WithLoadShape(V1Deployment deployment, double errorRatio, double slowRatio, string? container = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (errorRatio is < 0 or > 1 || slowRatio is < 0 or > 1)
        {
            throw new ArgumentException($"ERROR_RATIO and SLOW_RATIO must be within [0, 1] (got {errorRatio} and {slowRatio})");
        }

        var env = EnvOf(deployment, container);
        Set(env, ErrorRatio, errorRatio.ToString(CultureInfo.InvariantCulture));
        Set(env, SlowRatio, slowRatio.ToString(CultureInfo.InvariantCulture));
        return deployment;
    }

    private static IList<V1EnvVar> EnvOf(V1Deployment deployment, string? container)
    {
        var target = deployment.Spec.Template.Spec.Containers.FirstOrDefault(c => container is null || c.Name == container)
            ?? throw new ArgumentException($"deployment {deployment.Metadata.Name} has no container {container}");
        return target.Env ??= [];
    }

    private static void Set(IList<V1EnvVar> env, string name, string value)
    {
        var existing = env.FirstOrDefault(e => e.Name == name);
        if (existing is null)
        {
            env.Add(new V1EnvVar { Name = name, Value = value });
        }
        else
        {
            existing.Value = value;
            existing.ValueFrom = null;
        }
    }
}
