using OtelLab.Model;

namespace OtelLab.Sim.Vault;

/// <summary>One key of a secret: a literal <see cref="Value"/>, or a credential to <see cref="Generate"/>.</summary>
public sealed record VaultSecretField(string Key, string? Value, GeneratedSecretKind? Generate, SourceLocation Location);
