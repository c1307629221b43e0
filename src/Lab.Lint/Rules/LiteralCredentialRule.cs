using System.Text.RegularExpressions;
using k8s.Models;
using OtelLab.Model.Secrets;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>Credentials written as literal values in manifests.</summary>
public sealed partial class LiteralCredentialRule : LintRule
{
    [GeneratedRegex("(TOKEN|API_KEY|APIKEY|SECRET|PASSWORD|PASSWD)", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveEnv();

    public override string Id => "literal-credential";

    public override string Title => "Credential as a literal value in a manifest";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "A token in a manifest lives in git and in every `kubectl get -o yaml`. The collector types credential fields as " +
        "configopaque.String so they are never printed (opentelemetry-collector config/configopaque), and reads them at start from " +
        "${env:X} or ${file:/path} (https://opentelemetry.io/docs/collector/configuration/#environment-variables; " +
        "opentelemetry-collector confmap/provider/fileprovider): the value then comes from a Secret or a Vault Agent file at runtime.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c) in context.Collectors)
        {
            foreach (var (path, node) in Credentials(c.Config.Root, string.Empty))
            {
                var masked = CredentialMask.Mask(node.Value!);
                yield return Create(m.Display, c.Config.LocationOf(node),
                    $"{m.Display}: {path} holds a literal credential ({masked})",
                    "remove it from git, rotate it, and read it at runtime: ${file:/vault/secrets/<name>} from a Vault Agent template (or ${env:X} from a secretKeyRef)",
                    [$"{path} = {masked}"]);
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

    /// <summary>Scalars of the config that hold a literal credential, by field name or, in headers, by the value's shape.</summary>
    private static IEnumerable<(string Path, YamlScalarNode Node)> Credentials(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlMappingNode map:
                // headers_setter style: headers: [{key: X-Api-Key, value: …}]
                if (YamlReader.Child(map, "key") is YamlScalarNode { Value: { } header } && YamlReader.Child(map, "value") is YamlScalarNode value &&
                    path.Contains("headers", StringComparison.Ordinal) && IsLiteralCredential($"headers.{header}", value))
                {
                    yield return ($"{path}.value", value);
                    yield break;
                }

                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "?";
                    foreach (var x in Credentials(v, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return x;
                    }
                }

                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    foreach (var x in Credentials(seq.Children[i], $"{path}[{i}]"))
                    {
                        yield return x;
                    }
                }

                break;
            case YamlScalarNode s when IsLiteralCredential(path, s):
                yield return (path, s);
                break;
        }
    }

    private static bool IsLiteralCredential(string path, YamlScalarNode node)
    {
        var value = node.Value ?? string.Empty;
        if (!CredentialFields.IsLiteral(value))
        {
            return false;
        }

        var inHeaders = path.Split('.') is { Length: > 1 } segments && segments[^2] == "headers";
        return CredentialFields.IsCredentialPath(path) || (inHeaders && CredentialFields.LooksLikeToken(value));
    }
}
