using OtelLab.Model.Secrets;

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

        return new CredentialFingerprint(CredentialMask.Mask(secret), CredentialMask.Sha256Prefix(secret));
    }

    public override string ToString() => Masked;
}
