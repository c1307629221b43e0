using OtelLab.Model;
using OtelLab.Model.Yaml;
using OtelLab.Sim.Vault.Internal;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Vault;

/// <summary>
/// The <c>vault:</c> block of a scenario.yaml — the guide's step 2 as data: ACL policies (HCL), Kubernetes auth
/// roles and KV v2 secrets. Bad input throws <see cref="ManifestException"/> with file:line and a fix; policy HCL
/// is checked here already, with positions mapped into the scenario file.
/// </summary>
public sealed record VaultBlock
{
    private static readonly string[] RoleKeys =
    [
        "bound_service_account_names", "bound_service_account_namespaces", "policies", "token_policies", "ttl", "token_ttl",
        "max_ttl", "token_max_ttl", "audience",
    ];

    public IReadOnlyList<VaultPolicySpec> Policies { get; init; } = [];

    public IReadOnlyList<VaultKubernetesRoleSpec> KubernetesRoles { get; init; } = [];

    public IReadOnlyList<VaultSecretSpec> Secrets { get; init; } = [];

    /// <summary>Reads the <c>vault:</c> block of <paramref name="scenarioFile"/>; null when the scenario has none.</summary>
    public static VaultBlock? Load(string scenarioFile) => Parse(scenarioFile, File.ReadAllText(scenarioFile));

    /// <summary>Reads the <c>vault:</c> block from scenario YAML text; <paramref name="file"/> names it in errors.</summary>
    public static VaultBlock? Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException(new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column),
                $"invalid YAML: {(e.InnerException ?? e).Message}", "check indentation and quoting near this position");
        }

        var reader = new YamlReader(file);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        var vault = reader.Mapping(root, "vault", "vault");
        return vault is null ? null : Read(reader, vault);
    }

    private static VaultBlock Read(YamlReader reader, YamlMappingNode vault)
    {
        foreach (var key in vault.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is not ("policies" or "kubernetesRoles" or "secrets"))
            {
                throw new ManifestException(reader.At(key), $"vault.{key.Value}: unknown key", "vault: takes policies, kubernetesRoles and secrets");
            }
        }

        return new VaultBlock
        {
            Policies = Entries(reader, vault, "policies").Select(e => ReadPolicy(reader, e.Key, e.Value)).ToList(),
            KubernetesRoles = Entries(reader, vault, "kubernetesRoles").Select(e => ReadRole(reader, e.Key, e.Value)).ToList(),
            Secrets = Entries(reader, vault, "secrets").Select(e => ReadSecret(reader, e.Key, e.Value)).ToList(),
        };
    }

    private static IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(YamlReader reader, YamlMappingNode vault, string name)
    {
        var map = reader.Mapping(vault, name, $"vault.{name}");
        return map is null ? [] : map.Children.Select(kv => ((YamlScalarNode)kv.Key, kv.Value));
    }

    private static VaultPolicySpec ReadPolicy(YamlReader reader, YamlScalarNode key, YamlNode value)
    {
        var path = $"vault.policies.{key.Value}";
        if (value is not YamlScalarNode { Value: { Length: > 0 } hcl } scalar)
        {
            throw reader.TypeError(value, path, "the policy's HCL text (path \"…\" { capabilities = [...] })");
        }

        if (HclPolicyParser.TryParse(key.Value!, hcl, out var error) is null)
        {
            // Block scalars (|, >) start on the line after the indicator: map the HCL line into the file.
            var block = scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded;
            var hclLine = HclLine(error);
            var at = reader.At(value);
            var location = block && hclLine > 0 ? at with { Line = at.Line + hclLine, Column = 0 } : at;
            throw new ManifestException(location, $"{path}: {error}",
                "policies are HCL blocks: path \"secret/data/…\" { capabilities = [\"read\"] }; capabilities: create, read, update, delete, list, sudo, patch, deny");
        }

        return new VaultPolicySpec(key.Value!, hcl, reader.At(key));
    }

    private static VaultKubernetesRoleSpec ReadRole(YamlReader reader, YamlScalarNode key, YamlNode value)
    {
        var path = $"vault.kubernetesRoles.{key.Value}";
        if (value is not YamlMappingNode role)
        {
            throw reader.TypeError(value, path, "a mapping of role parameters");
        }

        foreach (var k in role.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!RoleKeys.Contains(k.Value, StringComparer.Ordinal))
            {
                throw new ManifestException(reader.At(k), $"{path}.{k.Value}: unknown role parameter",
                    "known parameters: " + string.Join(", ", RoleKeys));
            }
        }

        var names = List(reader, role, "bound_service_account_names", path);
        var namespaces = List(reader, role, "bound_service_account_namespaces", path);
        if (names.Count == 0)
        {
            throw new ManifestException(reader.At(key), $"{path}: bound_service_account_names is required",
                "list the ServiceAccounts allowed to log in, e.g. [otel-gateway-collector]");
        }

        if (namespaces.Count == 0)
        {
            throw new ManifestException(reader.At(key), $"{path}: bound_service_account_namespaces is required",
                "list the namespaces of those ServiceAccounts, e.g. [observability]");
        }

        return new VaultKubernetesRoleSpec
        {
            Name = key.Value!,
            BoundServiceAccountNames = names,
            BoundServiceAccountNamespaces = namespaces,
            Policies = [.. List(reader, role, "policies", path), .. List(reader, role, "token_policies", path)],
            Ttl = Duration(reader, role, "ttl", path) ?? Duration(reader, role, "token_ttl", path),
            MaxTtl = Duration(reader, role, "max_ttl", path) ?? Duration(reader, role, "token_max_ttl", path),
            Audience = reader.String(role, "audience", $"{path}.audience"),
            Location = reader.At(key),
        };
    }

    private static VaultSecretSpec ReadSecret(YamlReader reader, YamlScalarNode key, YamlNode value)
    {
        var path = $"vault.secrets.{key.Value}";
        if (value is not YamlMappingNode fields || fields.Children.Count == 0)
        {
            throw reader.TypeError(value, path, "a mapping of secret keys to values, e.g. { token: \"<generated: dynatrace api token>\" }");
        }

        var list = new List<VaultSecretField>();
        foreach (var (k, v) in fields.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? string.Empty;
            if (v is not YamlScalarNode { Value: { } text })
            {
                throw reader.TypeError(v, $"{path}.{name}", "a string");
            }

            list.Add(text.StartsWith("<generated:", StringComparison.Ordinal) && text.EndsWith('>')
                ? new VaultSecretField(name, null, Generator(reader, v, text, $"{path}.{name}"), reader.At(v))
                : new VaultSecretField(name, text, null, reader.At(v)));
        }

        return new VaultSecretSpec(key.Value!, list, reader.At(key));
    }

    private static GeneratedSecretKind Generator(YamlReader reader, YamlNode node, string text, string path)
    {
        var what = text["<generated:".Length..^1].Trim().ToLowerInvariant();
        return what switch
        {
            _ when what.Contains("dynatrace", StringComparison.Ordinal) => GeneratedSecretKind.DynatraceApiToken,
            _ when what.Contains("datadog", StringComparison.Ordinal) => GeneratedSecretKind.DatadogApiKey,
            _ when what.Contains("servicenow", StringComparison.Ordinal) => GeneratedSecretKind.ServiceNowPassword,
            _ => throw new ManifestException(reader.At(node), $"{path}: unknown generated credential \"{what}\"",
                "use <generated: dynatrace api token>, <generated: datadog api key> or <generated: servicenow password>"),
        };
    }

    private static List<string> List(YamlReader reader, YamlMappingNode role, string key, string path)
    {
        var node = YamlReader.Child(role, key);
        return node is YamlScalarNode { Value: { } single } && !YamlReader.IsNull(node)
            ? [.. single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [.. reader.StringList(role, key, $"{path}.{key}")];
    }

    private static string? Duration(YamlReader reader, YamlMappingNode role, string key, string path)
    {
        var text = reader.String(role, key, $"{path}.{key}");
        if (text is not null && !VaultDuration.TryParse(text, out _, out var error))
        {
            throw new ManifestException(reader.At(YamlReader.Child(role, key)!), $"{path}.{key}: {error}",
                "write a duration such as 1h, 30m or 3600 (seconds)");
        }

        return text;
    }

    private static int HclLine(string error)
    {
        var at = error.IndexOf("At ", StringComparison.Ordinal);
        var line = error.IndexOf(" on line ", StringComparison.Ordinal);
        if (at >= 0 && int.TryParse(error.AsSpan(at + 3).ToString().Split(':')[0], out var l1))
        {
            return l1;
        }

        return line >= 0 && int.TryParse(error[(line + 9)..].Split(' ', ':')[0], out var l2) ? l2 : 0;
    }
}
