namespace OtelLab.Lint.Internal;

/// <summary>
/// Vault Agent Injector annotations on a pod: each <c>agent-inject-secret-NAME</c> renders a file
/// <c>/vault/secrets/NAME</c>, from <c>agent-inject-template-NAME</c> when given.
/// </summary>
internal static class VaultTemplates
{
    private const string SecretPrefix = "vault.hashicorp.com/agent-inject-secret-";
    private const string TemplatePrefix = "vault.hashicorp.com/agent-inject-template-";

    public static IEnumerable<(string File, string? Template)> Files(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue("vault.hashicorp.com/agent-inject", out var inject) || inject != "true")
        {
            yield break;
        }

        foreach (var (key, _) in annotations)
        {
            if (key.StartsWith(SecretPrefix, StringComparison.Ordinal))
            {
                var name = key[SecretPrefix.Length..];
                annotations.TryGetValue(TemplatePrefix + name, out var template);
                yield return ($"/vault/secrets/{name}", template);
            }
        }
    }

    /// <summary>The rendered file whose template sets variable <paramref name="variable"/> (<c>export X=…</c> or <c>X=…</c>).</summary>
    public static string? FileDefining(IReadOnlyDictionary<string, string> annotations, string variable) =>
        Files(annotations).FirstOrDefault(f => f.Template is not null &&
            (f.Template.Contains($"export {variable}=", StringComparison.Ordinal) ||
             f.Template.Contains($"{variable}=", StringComparison.Ordinal))).File;
}
