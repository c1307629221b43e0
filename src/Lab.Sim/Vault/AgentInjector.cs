using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OtelLab.Sim.Vault.Internal;
using OtelLab.Sim.Vault.Internal.Templates;

namespace OtelLab.Sim.Vault;

/// <summary>
/// The Vault Agent Injector plus the <c>vault-agent-init</c> container it adds, for one pod: reads the pod's
/// <c>vault.hashicorp.com/*</c> annotations, logs in to Vault with the pod's ServiceAccount token through the
/// Kubernetes auth method, reads each secret, renders its template (consul-template's Go text/template subset) and
/// writes the file under the pod's stand-in volume with mode 0644. Failures never throw: they come back per file,
/// with Vault's words (secrets masked), and <see cref="AgentInjectionResult.InitSucceeded"/> false — where a real
/// pod would stay in <c>Init</c> while the agent retries.
/// upstream: hashicorp/vault-k8s agent-inject (annotations, default template, /vault/secrets), hashicorp/vault
/// command/agent (auto-auth kubernetes, exit_after_auth for the init container), consul-template
/// (vault.read dependency: KV v2 "data/" prefix, "no secret exists at"; template file perms 0644).
/// </summary>
public sealed class AgentInjector(Uri vaultAddress, ServiceAccountTokenIssuer serviceAccounts, ILoggerFactory? loggerFactory = null)
{
    private const int MaxRenderPasses = 8;
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AgentInjector>();

    public async Task<AgentInjectionResult> InjectAsync(AgentInjectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var annotations = AgentAnnotations.Read(request.Annotations);
        var pod = $"{request.Namespace}/{request.PodName}";
        if (annotations.Error is not null)
        {
            // The injector's webhook refuses the pod: it is never created.
            var denied = $"admission webhook \"vault.hashicorp.com\" denied the request: {annotations.Error}";
            _logger.LogWarning("vault-agent-injector: pod {Pod}: {Reason}", pod, denied);
            return new AgentInjectionResult { Injected = false, InitSucceeded = false, Reason = denied };
        }

        if (!annotations.Inject)
        {
            return AgentInjectionResult.NotInjected;
        }

        var redactor = new SecretText.Redactor();
        using var client = new VaultHttpClient(vaultAddress, request.PodIp);
        var jwt = serviceAccounts.Issue(request.Namespace, request.ServiceAccount);
        var login = await LoginAsync(client, annotations, jwt, cancellationToken).ConfigureAwait(false);
        if (login.Token is null)
        {
            var reason = $"error authenticating: {login.Error}";
            _logger.LogWarning("vault-agent-init: pod {Pod} (serviceaccount {ServiceAccount}, role {Role}): {Reason}",
                pod, request.ServiceAccount, annotations.Role, reason);
            var failed = annotations.Secrets.Select(s => FileResult(request, s, InjectedFileStatus.Failed, "not rendered: " + reason)).ToList();
            return new AgentInjectionResult { Injected = true, InitSucceeded = false, Reason = reason, Files = failed };
        }

        redactor.Add(login.Token);
        var files = new List<InjectedFile>();
        var cache = new Dictionary<string, (object? Secret, string? Error)>(StringComparer.Ordinal);
        foreach (var secret in annotations.Secrets)
        {
            var file = await RenderAsync(client, login.Token, request, secret, cache, redactor, cancellationToken).ConfigureAwait(false);
            files.Add(file);
            if (file.Status == InjectedFileStatus.Rendered)
            {
                _logger.LogInformation("vault-agent-init: pod {Pod}: rendered {File} ({Bytes} bytes)", pod, file.ContainerPath, file.Bytes);
            }
            else
            {
                _logger.LogWarning("vault-agent-init: pod {Pod}: {File}: {Error}", pod, file.ContainerPath, file.Error);
            }
        }

        var firstFailure = files.FirstOrDefault(f => f.Status == InjectedFileStatus.Failed);
        return new AgentInjectionResult
        {
            Injected = true,
            InitSucceeded = firstFailure is null,
            Reason = firstFailure is null ? null : $"{firstFailure.ContainerPath}: {firstFailure.Error}",
            Files = files,
            TokenPolicies = login.Policies,
        };
    }

    private static async Task<(string? Token, IReadOnlyList<string> Policies, string? Error)> LoginAsync(
        VaultHttpClient client, AgentAnnotations annotations, string jwt, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(HttpMethod.Put, annotations.AuthPath + "/login", token: null,
                new JsonObject { ["role"] = annotations.Role, ["jwt"] = jwt }, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess || response.Body?["auth"]?["client_token"] is not JsonValue token)
            {
                return (null, [], response.Describe());
            }

            var policies = response.Body["auth"]?["policies"] is JsonArray list ? list.Select(p => p?.ToString() ?? string.Empty).ToList() : [];
            return (token.ToString(), policies, null);
        }
        catch (HttpRequestException e)
        {
            return (null, [], $"Put \"{client.Address}v1/{annotations.AuthPath}/login\": {e.Message}");
        }
    }

    private async Task<InjectedFile> RenderAsync(VaultHttpClient client, string token, AgentInjectionRequest request, AgentSecret secret,
        Dictionary<string, (object? Secret, string? Error)> cache, SecretText.Redactor redactor, CancellationToken cancellationToken)
    {
        GoTextTemplate template;
        try
        {
            template = GoTextTemplate.Parse(secret.Template, ["secret"]);
        }
        catch (TemplateException e)
        {
            return FileResult(request, secret, InjectedFileStatus.Failed, redactor.Redact(e.Message));
        }

        // consul-template renders, collects the secrets it still lacks, fetches them and renders again.
        for (var pass = 0; pass < MaxRenderPasses; pass++)
        {
            var missing = new List<string>();
            string? fetchError = null;
            string output;
            try
            {
                output = template.Execute(null, new Dictionary<string, TemplateFunction>
                {
                    ["secret"] = args => SecretFunction(args, cache, missing, ref fetchError),
                });
            }
            catch (TemplateException e)
            {
                return FileResult(request, secret, InjectedFileStatus.Failed, redactor.Redact(e.Message));
            }

            if (fetchError is not null)
            {
                return FileResult(request, secret, InjectedFileStatus.Failed, redactor.Redact(fetchError));
            }

            if (missing.Count == 0)
            {
                return await WriteAsync(request, secret, output, redactor, cancellationToken).ConfigureAwait(false);
            }

            foreach (var path in missing.Distinct(StringComparer.Ordinal))
            {
                cache[path] = await ReadSecretAsync(client, token, path, redactor, cancellationToken).ConfigureAwait(false);
            }
        }

        return FileResult(request, secret, InjectedFileStatus.Failed, "template kept asking for new secrets; giving up");
    }

    private static object? SecretFunction(IReadOnlyList<object?> args, Dictionary<string, (object? Secret, string? Error)> cache,
        List<string> missing, ref string? fetchError)
    {
        if (args.Count != 1 || args[0] is not string requested)
        {
            throw new TemplateException("the lab's Vault Agent reads secrets only: use {{ secret \"PATH\" }}");
        }

        var path = KvV2Backend.ApiPath(requested);
        if (!cache.TryGetValue(path, out var entry))
        {
            missing.Add(path);
            return null;
        }

        fetchError ??= entry.Error;
        return entry.Secret;
    }

    private static async Task<(object? Secret, string? Error)> ReadSecretAsync(VaultHttpClient client, string token, string path,
        SecretText.Redactor redactor, CancellationToken cancellationToken)
    {
        VaultApiResponse response;
        try
        {
            response = await client.SendAsync(HttpMethod.Get, path, token, body: null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return (null, $"vault.read({path}): Get \"{client.Address}v1/{path}\": {e.Message}");
        }

        if (response.Status == 404)
        {
            return (null, $"vault.read({path}): no secret exists at {path}");
        }

        if (!response.IsSuccess || response.Body is null)
        {
            return (null, $"vault.read({path}): {response.Describe()}");
        }

        foreach (var value in Leaves(response.Body["data"]))
        {
            redactor.Add(value);
        }

        // consul-template's dependency.Secret, as the template sees it.
        var body = response.Body;
        return (new GoStruct("*dependency.Secret",
        [
            new("RequestID", body["request_id"]?.ToString() ?? string.Empty),
            new("LeaseID", body["lease_id"]?.ToString() ?? string.Empty),
            new("LeaseDuration", GoValue.FromJson(body["lease_duration"])),
            new("Renewable", body["renewable"] is JsonValue r && r.TryGetValue<bool>(out var renewable) && renewable),
            new("Data", GoValue.FromJson(body["data"])),
            new("Warnings", GoValue.FromJson(body["warnings"])),
            new("Auth", null),
            new("WrapInfo", null),
        ]), null);
    }

    private static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(kv => Leaves(kv.Value)),
        JsonArray array => array.SelectMany(Leaves),
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static async Task<InjectedFile> WriteAsync(AgentInjectionRequest request, AgentSecret secret, string content,
        SecretText.Redactor redactor, CancellationToken cancellationToken)
    {
        var hostPath = HostPath(request, secret);
        if (hostPath is null)
        {
            return FileResult(request, secret, InjectedFileStatus.Failed, $"destination {secret.ContainerPath} is outside the pod's volumes");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(hostPath)!);
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
            await File.WriteAllBytesAsync(hostPath, bytes, cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                // consul-template writes rendered files 0644 unless the template sets perms.
                File.SetUnixFileMode(hostPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            return FileResult(request, secret, InjectedFileStatus.Rendered, null) with { Bytes = bytes.Length };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileResult(request, secret, InjectedFileStatus.Failed, redactor.Redact(e.Message));
        }
    }

    private static string? HostPath(AgentInjectionRequest request, AgentSecret secret)
    {
        var root = Path.GetFullPath(request.PodRoot);
        var full = Path.GetFullPath(Path.Combine(root, secret.ContainerPath.TrimStart('/')));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    private static InjectedFile FileResult(AgentInjectionRequest request, AgentSecret secret, InjectedFileStatus status, string? error) => new()
    {
        Name = secret.Name,
        VaultPath = secret.VaultPath,
        ContainerPath = secret.ContainerPath,
        HostPath = HostPath(request, secret) ?? string.Empty,
        Status = status,
        Error = error,
    };
}
