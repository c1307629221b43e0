using OtelLab.Model;

namespace OtelLab.Sim.Vault;

/// <summary>A policy of the scenario's <c>vault.policies</c>: its name and HCL (what <c>vault policy write</c> takes).</summary>
public sealed record VaultPolicySpec(string Name, string Hcl, SourceLocation Location);
