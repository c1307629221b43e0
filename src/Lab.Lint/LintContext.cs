using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using OtelLab.Model.Rbac;

namespace OtelLab.Lint;

/// <summary>What every rule reads: the manifests, RBAC over them, and the workloads that create pods.</summary>
public sealed class LintContext
{
    public LintContext(ManifestSet manifests, InstallSpec? install = null)
    {
        Manifests = manifests;
        Install = install ?? InstallSpec.None;
        Rbac = new RbacEvaluator(manifests);
        Workloads = PodWorkload.From(manifests).ToList();
    }

    public ManifestSet Manifests { get; }

    /// <summary>The Helm releases the deployment is installed with (none when the input declares no install).</summary>
    public InstallSpec Install { get; }

    public RbacEvaluator Rbac { get; }

    public IReadOnlyList<PodWorkload> Workloads { get; }

    public IEnumerable<(ManifestObject Manifest, OpenTelemetryCollector Collector)> Collectors => Manifests.Collectors;

    public bool HasServiceAccount(string ns, string name) =>
        Manifests.Typed<V1ServiceAccount>().Any(x => x.Manifest.Namespace == ns && x.Manifest.Name == name);

    /// <summary>
    /// The environment variable names the collector container has: <c>spec.env</c> plus what the operator adds
    /// (<see cref="OpenTelemetryCollector.OperatorEnvNames"/>). Null when <c>envFrom</c> makes it unknowable.
    /// </summary>
    public static IReadOnlySet<string>? CollectorEnv(OpenTelemetryCollector collector)
    {
        if (collector.EnvFrom.Count > 0)
        {
            return null;
        }

        return new HashSet<string>(collector.Env.Select(e => e.Name).Concat(collector.OperatorEnvNames), StringComparer.Ordinal);
    }
}
