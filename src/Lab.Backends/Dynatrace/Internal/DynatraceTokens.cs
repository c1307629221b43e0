using System.Security.Cryptography;
using System.Text;

namespace OtelLab.Backends.Dynatrace.Internal;

/// <summary>The tokens a mock Dynatrace accepts, kept only as SHA-256 hashes with their scopes.</summary>
internal sealed class DynatraceTokens
{
    private readonly List<(byte[] Hash, HashSet<string> Scopes)> _tokens = [];

    public DynatraceTokens(IEnumerable<(string Token, IReadOnlyList<string> Scopes)> tokens)
    {
        foreach (var (token, scopes) in tokens)
        {
            _tokens.Add((Hash(token), new HashSet<string>(scopes, StringComparer.Ordinal)));
        }
    }

    /// <summary>The scopes of a known token, or null for an unknown one (constant-time compare per candidate).</summary>
    public IReadOnlySet<string>? ScopesOf(string token)
    {
        var hash = Hash(token);
        IReadOnlySet<string>? found = null;
        foreach (var (candidate, scopes) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = scopes;
            }
        }

        return found;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
