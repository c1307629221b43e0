using k8s.Models;
using OtelLab.Sim.Collector.Runtime;

namespace OtelLab.Scenarios.Checks.Internal;

/// <summary>A collector pod of the running lab: the pod, its emulated collector (null while it is not running) and its container log.</summary>
internal sealed record CollectorPod(V1Pod Pod, CollectorInstance? Instance, IReadOnlyList<string> Log)
{
    /// <summary>The operator names the collector container <c>otc-container</c> (upstream: operator internal/naming/main.go).</summary>
    public const string Container = "otc-container";

    public string Name => $"{Pod.Metadata.NamespaceProperty}/{Pod.Metadata.Name}";

    /// <summary>The restarts kubelet counted for the collector container.</summary>
    public int Restarts => Pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == Container)?.RestartCount ?? 0;

    /// <summary>Every collector pod of the lab, with the instance the collector runtimes know for it.</summary>
    public static IReadOnlyList<CollectorPod> Of(SimLab lab) =>
        [.. lab.Pods()
            .Where(p => p.Spec?.Containers?.Any(c => c.Name == Container) == true)
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => new CollectorPod(
                p,
                lab.CollectorOf(p.Metadata.NamespaceProperty, p.Metadata.Name),
                lab.ContainerLog(p.Metadata.NamespaceProperty, p.Metadata.Name, Container)?.Lines() ?? []))];

    /// <summary>A log line fit for a report: at most 300 characters and no generated credential in clear.</summary>
    public static string Quote(string line, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            line = line.Replace(secret, Model.Secrets.CredentialMask.Mask(secret), StringComparison.Ordinal);
        }

        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
