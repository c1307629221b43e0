using OtelLab.Model;

namespace OtelLab.Sim.Vault;

/// <summary>
/// A secret of the scenario's <c>vault.secrets</c>: its KV v2 data path and fields. A field whose value is
/// <c>&lt;generated: …&gt;</c> gets a lab-generated credential at setup (<see cref="VaultSecretField.Generate"/>).
/// </summary>
public sealed record VaultSecretSpec(string Path, IReadOnlyList<VaultSecretField> Fields, SourceLocation Location);
