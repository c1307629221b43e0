using System.Net;

namespace OtelLab.Sim.Vault;

/// <summary>The pod the Vault Agent init container runs in.</summary>
public sealed record AgentInjectionRequest
{
    public required string PodName { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The pod's <c>spec.serviceAccountName</c>; its token is what the agent logs in with.</summary>
    public required string ServiceAccount { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    /// <summary>The lab's stand-in for the pod's volumes: <c>/vault/secrets/dt</c> is written to <c>PodRoot/vault/secrets/dt</c>.</summary>
    public required string PodRoot { get; init; }

    /// <summary>When set, connections to Vault come from this address (the pod IP), as they would in a cluster.</summary>
    public IPAddress? PodIp { get; init; }
}
