namespace OtelLab.Sim.Vault.Internal;

/// <summary>A Kubernetes auth role. upstream: vault-plugin-auth-kubernetes path_role.go roleStorageEntry.</summary>
internal sealed record KubernetesRole
{
    public IReadOnlyList<string> ServiceAccountNames { get; init; } = [];

    public IReadOnlyList<string> ServiceAccountNamespaces { get; init; } = [];

    public IReadOnlyList<string> TokenPolicies { get; init; } = [];

    public TimeSpan TokenTtl { get; init; }

    public TimeSpan TokenMaxTtl { get; init; }

    public string Audience { get; init; } = string.Empty;

    public bool TokenNoDefaultPolicy { get; init; }
}
