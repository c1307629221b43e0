using System.Text.RegularExpressions;
using k8s.Models;
using OtelLab.Model.Secrets;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>Credentials written as literal values in manifests.</summary>
public sealed partial class LiteralCredentialRule : LintRule
{
    [GeneratedRegex(@"(^|[_\-.])(api[_\-]?key|token|password|passwd|secret|authorization|dd-api-key|api-token|bearer)$", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveKey();

    [GeneratedRegex("(TOKEN|API_KEY|APIKEY|SECRET|PASSWORD|PASSWD)", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveEnv();

    public override string Id => "literal-credential";

    public override string Title => "Credential as a literal value in a manifest";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "A token in a manifest lives in git and in every `kubectl get -o yaml`; the guide's rule is that backend credentials come from " +
        "Vault at runtime and never touch git (the guide, Security notes).";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var (path, node) in Scalars(c.Config.Root, string.Empty))
            {
                var key = path[(path.LastIndexOf('.') + 1)..];
                var value = node.Value ?? string.Empty;
                if (!SensitiveKey().IsMatch(key) || value.Length == 0 || value.Contains("${", StringComparison.Ordinal) ||
                    key.Equals("auth_type", StringComparison.Ordinal) || IsSchemeOnly(value))
                {
                    continue;
                }

                yield return Create(m.Display, c.Config.LocationOf(node),
                    $"{m.Display}: {path} holds a literal credential ({CredentialMask.Mask(value)})",
                    "remove it from git, rotate it, and read it at runtime: ${file:/vault/secrets/<name>} from a Vault Agent template (or ${env:X} from a secretKeyRef)",
                    [$"{path} = {CredentialMask.Mask(value)}"]);
            }

            foreach (var e in c.Env.Where(e => e.Value is { Length: > 0 } && SensitiveEnv().IsMatch(e.Name)))
            {
                yield return Create(m.Display, m.LocationOf("spec", "env"),
                    $"{m.Display}: env {e.Name} has a literal value ({CredentialMask.Mask(e.Value)})",
                    $"use valueFrom.secretKeyRef or a Vault Agent template instead of value for {e.Name}",
                    [$"spec.env {e.Name} = {CredentialMask.Mask(e.Value)}"]);
            }
        }

        foreach (var w in context.Workloads)
        {
            foreach (var container in w.Template.Spec?.Containers ?? [])
            {
                foreach (var e in (container.Env ?? []).Where(e => e.Value is { Length: > 0 } && SensitiveEnv().IsMatch(e.Name)))
                {
                    yield return Create(w.Manifest.Display, w.Manifest.LocationOf("spec", "template", "spec", "containers"),
                        $"{w.Manifest.Display}: container {container.Name} env {e.Name} has a literal value ({CredentialMask.Mask(e.Value)})",
                        $"use valueFrom.secretKeyRef or a Vault Agent template for {e.Name}",
                        [$"{container.Name}.env {e.Name} = {CredentialMask.Mask(e.Value)}"]);
                }
            }
        }

        foreach (var (m, s) in context.Manifests.Typed<V1Secret>())
        {
            var keys = (s.Data?.Keys ?? Enumerable.Empty<string>()).Concat(s.StringData?.Keys ?? Enumerable.Empty<string>()).ToList();
            if (keys.Count > 0)
            {
                yield return Create(m.Display, m.Location,
                    $"{m.Display} commits {keys.Count} secret value(s) ({string.Join(", ", keys)}) to the manifests",
                    "keep secrets out of git: Vault Agent injection, External Secrets or Sealed Secrets",
                    [$"keys: {string.Join(", ", keys)}"], Severity.Warning);
            }
        }
    }

    private static bool IsSchemeOnly(string value) =>
        value.Trim() is "Api-Token" or "Bearer" or "Basic";

    private static IEnumerable<(string Path, YamlScalarNode Node)> Scalars(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "?";
                    foreach (var x in Scalars(v, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return x;
                    }
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    foreach (var x in Scalars(seq.Children[i], $"{path}[{i}]"))
                    {
                        yield return x;
                    }
                }

                break;
            case YamlScalarNode s:
                yield return (path, s);
                break;
        }
    }
}
