namespace OtelLab.Sim.Vault.Internal;

/// <summary>A service token. <see cref="Ttl"/> zero means it never expires (the root token).</summary>
internal sealed record TokenEntry
{
    public required string Id { get; init; }

    public required string Accessor { get; init; }

    public required IReadOnlyList<string> Policies { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required TimeSpan Ttl { get; init; }

    public required string Path { get; init; }

    public required string DisplayName { get; init; }

    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    public DateTimeOffset? ExpiresAt => Ttl > TimeSpan.Zero ? IssuedAt + Ttl : null;
}
