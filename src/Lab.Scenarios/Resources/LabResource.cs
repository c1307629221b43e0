using System.Diagnostics;

namespace OtelLab.Scenarios.Resources;

/// <summary>Starts a resource; returns what to dispose at shutdown (or null).</summary>
public delegate Task<IAsyncDisposable?> ResourceStart(ResourceContext context, CancellationToken cancellationToken);

/// <summary>Completes when the resource is healthy, or says why it is not (waits on a condition, never sleeps).</summary>
public delegate Task<HealthCheckResult> ResourceHealthCheck(ResourceContext context, CancellationToken cancellationToken);

/// <summary>
/// One resource of the lab (cluster, Vault, a backend, the operator …): plain data, like Aspire's resources.
/// Behaviour — ordering, health gates — is added with <see cref="LabResourceExtensions"/> and run by
/// <see cref="ResourceGraph"/>.
/// </summary>
[DebuggerDisplay("{Kind,nq} {Name,nq}")]
public sealed class LabResource
{
    private readonly List<LabResource> _waitFor = [];

    public required string Name { get; init; }

    /// <summary>cluster, dns, network, vault, backend, operator, node-agents, manifests, workloads …</summary>
    public required string Kind { get; init; }

    public required ResourceStart Start { get; init; }

    public ResourceHealthCheck? HealthCheck { get; internal set; }

    /// <summary>How long the health check may take before the resource is Failed.</summary>
    public TimeSpan HealthTimeout { get; internal set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<LabResource> WaitsFor => _waitFor;

    internal void AddWaitFor(LabResource other) => _waitFor.Add(other);
}
