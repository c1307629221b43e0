using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OtelLab.Model;
using OtelLab.Sim.Vault.Internal;

namespace OtelLab.Sim.Vault;

/// <summary>
/// Applies a scenario's <c>vault:</c> block through the Vault HTTP API with the root token, the way the guide's
/// step 2 does with the CLI (<c>vault policy write</c>, <c>vault write auth/kubernetes/role/…</c>,
/// <c>vault kv put</c>). Works against the lab's <see cref="VaultServer"/> or any dev-mode Vault. Secrets written as
/// <c>&lt;generated: …&gt;</c> get fresh vendor-shaped credentials, returned so the mock backends can accept
/// exactly them. A request Vault rejects throws <see cref="ManifestException"/> pointing at the block entry.
/// </summary>
public static class VaultSetup
{
    private const string UpperAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static Task<VaultSetupResult> ApplyAsync(VaultServer server, VaultBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        return ApplyAsync(server.Address, server.RootToken, block, cancellationToken);
    }

    public static async Task<VaultSetupResult> ApplyAsync(Uri address, string rootToken, VaultBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        using var client = new VaultHttpClient(address);

        foreach (var policy in block.Policies)
        {
            await SendAsync(client, rootToken, HttpMethod.Put, $"sys/policies/acl/{policy.Name}", new JsonObject { ["policy"] = policy.Hcl },
                policy.Location, $"policy {policy.Name}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var role in block.KubernetesRoles)
        {
            var body = new JsonObject
            {
                ["bound_service_account_names"] = JsonStrings.Array(role.BoundServiceAccountNames),
                ["bound_service_account_namespaces"] = JsonStrings.Array(role.BoundServiceAccountNamespaces),
                ["policies"] = JsonStrings.Array(role.Policies),
            };
            Set(body, "ttl", role.Ttl);
            Set(body, "max_ttl", role.MaxTtl);
            Set(body, "audience", role.Audience);
            await SendAsync(client, rootToken, HttpMethod.Post, $"auth/kubernetes/role/{role.Name}", body,
                role.Location, $"kubernetes role {role.Name}", cancellationToken).ConfigureAwait(false);
        }

        var generated = new List<GeneratedSecret>();
        foreach (var secret in block.Secrets)
        {
            var path = KvV2Backend.ApiPath(secret.Path);
            var data = new JsonObject();
            foreach (var field in secret.Fields)
            {
                var value = field.Value;
                if (field.Generate is { } kind)
                {
                    value = Generate(kind);
                    generated.Add(new GeneratedSecret(path, field.Key, kind, value));
                }

                data[field.Key] = value;
            }

            await SendAsync(client, rootToken, HttpMethod.Post, path, new JsonObject { ["data"] = data },
                secret.Location, $"secret {path}", cancellationToken).ConfigureAwait(false);
        }

        return new VaultSetupResult(generated);
    }

    /// <summary>A fresh credential of <paramref name="kind"/>'s shape.</summary>
    public static string Generate(GeneratedSecretKind kind) => kind switch
    {
        // Dynatrace API tokens: dt0c01.<24-char public part>.<64-char secret part>.
        GeneratedSecretKind.DynatraceApiToken =>
            $"dt0c01.{RandomNumberGenerator.GetString(UpperAlphanumerics, 24)}.{RandomNumberGenerator.GetString(UpperAlphanumerics, 64)}",
        GeneratedSecretKind.DatadogApiKey => RandomNumberGenerator.GetHexString(32, lowercase: true),
        GeneratedSecretKind.ServiceNowPassword => RandomNumberGenerator.GetString(UpperAlphanumerics + "abcdefghijklmnopqrstuvwxyz", 24),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static async Task SendAsync(VaultHttpClient client, string rootToken, HttpMethod method, string path, JsonObject body,
        SourceLocation location, string what, CancellationToken cancellationToken)
    {
        VaultApiResponse response;
        try
        {
            response = await client.SendAsync(method, path, rootToken, body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ManifestException(location, $"vault: {what}: Vault at {client.Address} is not reachable: {e.Message}",
                "start the lab's Vault first (or point at a running dev server)");
        }

        if (!response.IsSuccess)
        {
            throw new ManifestException(location, $"vault: {what}: Vault refused it: {string.Join("; ", response.Errors)} (HTTP {response.Status})",
                "fix this entry of the scenario's vault: block");
        }
    }

    private static void Set(JsonObject body, string key, string? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }
}
