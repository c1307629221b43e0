using OtelLab.Model;

namespace OtelLab.Sim.Vault;

/// <summary>
/// A role of the scenario's <c>vault.kubernetesRoles</c> (what <c>vault write auth/kubernetes/role/NAME …</c> takes).
/// <see cref="Ttl"/> is kept as written (<c>1h</c>, <c>3600</c>); Vault parses it.
/// </summary>
public sealed record VaultKubernetesRoleSpec
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> BoundServiceAccountNames { get; init; }

    public required IReadOnlyList<string> BoundServiceAccountNamespaces { get; init; }

    public IReadOnlyList<string> Policies { get; init; } = [];

    public string? Ttl { get; init; }

    public string? MaxTtl { get; init; }

    public string? Audience { get; init; }

    public required SourceLocation Location { get; init; }
}
