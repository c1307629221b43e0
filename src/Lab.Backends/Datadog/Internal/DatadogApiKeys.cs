using System.Security.Cryptography;
using System.Text;

namespace OtelLab.Backends.Datadog.Internal;

/// <summary>The API keys a mock Datadog accepts, kept only as SHA-256 hashes.</summary>
internal sealed class DatadogApiKeys(IEnumerable<string> keys)
{
    private readonly byte[][] _hashes = [.. keys.Select(Hash)];

    public bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var hash = Hash(key);
        var valid = false;
        foreach (var candidate in _hashes)
        {
            valid |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        }

        return valid;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
