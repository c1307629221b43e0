using System.Security.Cryptography;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Issues and looks up tokens on the server's clock. An expired token is gone: looking it up returns null, which
/// the request handler turns into 403 <c>permission denied</c>. upstream: vault/token_store.go (service tokens
/// carry the <c>hvs.</c> prefix since Vault 1.10; the expiration manager revokes a token when its TTL ends).
/// </summary>
internal sealed class TokenStore(TimeProvider time)
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TokenEntry Create(IReadOnlyList<string> policies, TimeSpan ttl, string path, string displayName,
        IReadOnlyDictionary<string, string>? meta = null, string? id = null)
    {
        var entry = new TokenEntry
        {
            Id = id ?? "hvs." + RandomString(24),
            Accessor = RandomString(24),
            Policies = policies,
            IssuedAt = time.GetUtcNow(),
            Ttl = ttl,
            Path = path,
            DisplayName = displayName,
            Meta = meta,
        };
        lock (_lock)
        {
            _tokens[entry.Id] = entry;
        }

        return entry;
    }

    public TokenEntry? Lookup(string id)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(id, out var entry))
            {
                return null;
            }

            if (entry.ExpiresAt is { } expires && time.GetUtcNow() >= expires)
            {
                _tokens.Remove(id);
                return null;
            }

            return entry;
        }
    }

    private static string RandomString(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
