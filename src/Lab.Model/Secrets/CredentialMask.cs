using System.Security.Cryptography;
using System.Text;

namespace OtelLab.Model.Secrets;

/// <summary>
/// The one way the lab shows a credential: an auth scheme if present, at most the first 4 characters (none of a
/// secret shorter than 16) and a short SHA-256, so two masked values can be compared without revealing either.
/// </summary>
public static class CredentialMask
{
    private static readonly string[] Schemes = ["Api-Token ", "Bearer ", "Basic "];

    public static string Mask(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var scheme = Schemes.FirstOrDefault(s => secret.StartsWith(s, StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        var value = secret[scheme.Length..];
        var shown = value.Length >= 16 ? value[..4] : string.Empty;
        return $"{scheme}{shown}****(sha256:{Sha256Prefix(value)})";
    }

    /// <summary>The first 8 hex digits of the SHA-256 of the UTF-8 value.</summary>
    public static string Sha256Prefix(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..4]);
    }
}
