namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// The Vault Agent Injector's reading of a pod's annotations: whether to inject, the role, and one
/// <see cref="AgentSecret"/> per <c>agent-inject-secret-NAME</c> with its template, file name and mount path.
/// upstream: hashicorp/vault-k8s agent-inject/agent/agent.go (secrets(): name after the prefix, lower-cased unless
/// preserve-secret-case; template/file/secret-volume-path looked up by the raw name; inject() uses
/// strconv.ParseBool), agent/config.go (DefaultTemplate; destination MountPath/NAME or Join(MountPath, FILE)),
/// agent/container_volume.go (secretVolumePath "/vault/secrets"), agent.go Validate ("no Vault role found").
/// </summary>
internal sealed record AgentAnnotations(bool Inject, string? Error, string Role, string AuthPath, IReadOnlyList<AgentSecret> Secrets)
{
    public const string Prefix = "vault.hashicorp.com/";
    public const string DefaultMountPath = "/vault/secrets";

    public const string DefaultTemplate = "{{ with secret \"%s\" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}";

    private const string InjectKey = Prefix + "agent-inject";
    private const string SecretKey = Prefix + "agent-inject-secret-";
    private const string TemplateKey = Prefix + "agent-inject-template-";
    private const string FileKey = Prefix + "agent-inject-file-";
    private const string VolumePathKey = Prefix + "secret-volume-path";
    private const string PreserveCaseKey = Prefix + "preserve-secret-case";

    public static AgentAnnotations Read(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(InjectKey, out var raw))
        {
            return new AgentAnnotations(false, null, string.Empty, string.Empty, []);
        }

        var inject = ParseBool(raw);
        if (inject is null)
        {
            return new AgentAnnotations(false, $"error checking if should inject: strconv.ParseBool: parsing \"{raw}\": invalid syntax",
                string.Empty, string.Empty, []);
        }

        var role = annotations.GetValueOrDefault(Prefix + "role", string.Empty);
        var authPath = annotations.GetValueOrDefault(Prefix + "auth-path", "auth/kubernetes").Trim('/');
        var mountPath = annotations.GetValueOrDefault(VolumePathKey, DefaultMountPath);
        var secrets = new List<AgentSecret>();
        foreach (var (key, path) in annotations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!key.Contains(SecretKey, StringComparison.Ordinal))
            {
                continue;
            }

            var rawName = key.Replace(SecretKey, string.Empty, StringComparison.Ordinal);
            var preserve = ParseBool(annotations.GetValueOrDefault(PreserveCaseKey + "-" + rawName)
                                     ?? annotations.GetValueOrDefault(PreserveCaseKey) ?? "false") == true;
            var name = preserve ? rawName : rawName.ToLowerInvariant();
            if (name.Length == 0)
            {
                continue;
            }

            var template = annotations.GetValueOrDefault(TemplateKey + rawName);
            var secretMount = annotations.GetValueOrDefault(VolumePathKey + "-" + rawName, mountPath);
            var file = annotations.GetValueOrDefault(FileKey + rawName);
            var destination = string.IsNullOrEmpty(file) ? $"{secretMount}/{name}" : JoinPath(secretMount, file);
            secrets.Add(new AgentSecret(name, path, string.IsNullOrEmpty(template) ? DefaultTemplate.Replace("%s", path, StringComparison.Ordinal) : template, destination));
        }

        var error = inject.Value && role.Length == 0 ? "error validating agent configuration: no Vault role found" : null;
        return new AgentAnnotations(inject.Value, error, role, authPath, secrets);
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>Go's filepath.Join for slash paths: join and clean (".", "..", duplicate slashes).</summary>
    private static string JoinPath(string left, string right)
    {
        var parts = new List<string>();
        foreach (var segment in (left + "/" + right).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return "/" + string.Join('/', parts);
    }
}
