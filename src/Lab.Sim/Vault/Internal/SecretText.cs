namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Keeps credentials out of logs, exceptions and results: <see cref="Mask"/> shows at most the first 4 characters
/// and a short SHA-256 so two masked values can still be compared; <see cref="Redactor"/> scrubs known values out of
/// free text (Vault error messages, template errors) before it leaves the Vault emulation.
/// </summary>
internal static class SecretText
{
    public static string Mask(string secret) => Model.Secrets.CredentialMask.Mask(secret);

    /// <summary>Collects secret values as they are seen and replaces them in any text with their mask.</summary>
    public sealed class Redactor
    {
        private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public void Add(string? secret)
        {
            // Very short values ("1", "true") would mangle unrelated text; they are not credentials.
            if (secret is { Length: >= 6 })
            {
                lock (_lock)
                {
                    _secrets.Add(secret);
                }
            }
        }

        public string Redact(string text)
        {
            lock (_lock)
            {
                // Longest first so a secret that contains another is masked whole.
                foreach (var secret in _secrets.OrderByDescending(s => s.Length))
                {
                    text = text.Replace(secret, Mask(secret), StringComparison.Ordinal);
                }
            }

            return text;
        }
    }
}
