using System.Security.Cryptography;
using System.Text;

namespace OtelLab.Backends.Capture;

/// <summary>
/// A credential as the lab may keep it: a short prefix plus a SHA-256 fingerprint, never the secret itself.
/// Two fingerprints of the same token are equal, so scenarios can assert "the token the backend saw is the one
/// Vault issued" by fingerprinting the expected token the same way.
/// </summary>
public readonly record struct CredentialFingerprint(string Masked, string Sha256Prefix)
{
    /// <summary>The fingerprint recorded when a request carried no credential at all.</summary>
    public static CredentialFingerprint None { get; } = new("(none)", "");

    public static CredentialFingerprint Of(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return None;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        var hex = Convert.ToHexStringLower(hash[..4]);
        // Show at most 4 characters, and none of a short secret (a quarter of it would be too much).
        var shown = secret.Length >= 16 ? secret[..4] : "";
        return new CredentialFingerprint($"{shown}****(sha256:{hex})", hex);
    }

    public override string ToString() => Masked;
}
