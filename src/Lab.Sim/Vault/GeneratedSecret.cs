using OtelLab.Sim.Vault.Internal;

namespace OtelLab.Sim.Vault;

/// <summary>
/// A credential the lab generated and stored in Vault, handed to the caller so a mock backend can accept exactly it.
/// <see cref="ToString"/> masks the value; read <see cref="Value"/> only to configure the backend.
/// </summary>
public sealed class GeneratedSecret(string vaultPath, string key, GeneratedSecretKind kind, string value)
{
    public string VaultPath { get; } = vaultPath;

    public string Key { get; } = key;

    public GeneratedSecretKind Kind { get; } = kind;

    public string Value { get; } = value;

    public string Masked => SecretText.Mask(Value);

    public override string ToString() => $"{VaultPath}#{Key} ({Kind}) = {Masked}";
}
