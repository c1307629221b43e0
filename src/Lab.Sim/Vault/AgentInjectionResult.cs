namespace OtelLab.Sim.Vault;

/// <summary>
/// What the Vault Agent init container achieved for a pod. When <see cref="InitSucceeded"/> is false the real pod
/// would sit in <c>Init</c> (the agent retries forever) or never be admitted; <see cref="Reason"/> says why.
/// </summary>
public sealed record AgentInjectionResult
{
    /// <summary>The injector acted on the pod (<c>vault.hashicorp.com/agent-inject</c> is true).</summary>
    public required bool Injected { get; init; }

    public required bool InitSucceeded { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyList<InjectedFile> Files { get; init; } = [];

    /// <summary>The policies on the token the agent obtained (empty when login failed).</summary>
    public IReadOnlyList<string> TokenPolicies { get; init; } = [];

    public static AgentInjectionResult NotInjected { get; } = new() { Injected = false, InitSucceeded = true };
}
