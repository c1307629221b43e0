namespace OtelLab.Sim.Vault;

/// <summary>What <see cref="VaultSetup"/> wrote: the generated credentials, by Vault path and key.</summary>
public sealed record VaultSetupResult(IReadOnlyList<GeneratedSecret> Generated)
{
    /// <summary>The generated value at <paramref name="vaultPath"/> / <paramref name="key"/>.</summary>
    public GeneratedSecret Get(string vaultPath, string key) =>
        Generated.FirstOrDefault(g => g.VaultPath == vaultPath && g.Key == key)
        ?? throw new KeyNotFoundException($"no generated secret at {vaultPath}#{key}");

    public IEnumerable<GeneratedSecret> OfKind(GeneratedSecretKind kind) => Generated.Where(g => g.Kind == kind);
}
