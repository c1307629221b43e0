using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtelLab.Scenarios.Cluster;
using OtelLab.Sim.Vault;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// The scenario's <c>vault:</c> block (the guide's step 2) written into k3s's Vault — the Helm chart's dev server —
/// through its HTTP API over a port-forward: the Kubernetes auth method and its config, the ACL policies, the roles,
/// and the KV v2 secrets, the generated credentials being the ones the in-cluster backends accept. The requests'
/// bodies carry the credentials: they go only over the port-forward, never to a log or a file.
/// </summary>
internal static class K3sVault
{
    /// <summary>The dev server's root token (hashicorp/vault-helm values.yaml: server.dev.devRootToken "root").</summary>
    public const string DevRootToken = "root";

    public const int Port = 8200;

    /// <summary>The dev server's pod: the chart's StatefulSet <c>vault</c> (labels of templates/server-statefulset.yaml).</summary>
    public const string ServerSelector = "app.kubernetes.io/name=vault,component=server";

    /// <summary>One Vault API request: method, path under /v1/, JSON body.</summary>
    public sealed record Request(HttpMethod Method, string Path, JsonObject Body);

    /// <summary>
    /// The requests that set the block up, in order (Vault API: sys/auth, auth/kubernetes/config and role,
    /// sys/policies/acl, KV v2 data). In-cluster, the Kubernetes auth method reviews tokens with Vault's own service
    /// account and CA when no reviewer JWT is configured (Vault docs, Kubernetes auth: "Use local service account
    /// token as the reviewer JWT").
    /// </summary>
    public static IReadOnlyList<Request> Requests(VaultBlock block, string dynatraceToken, string datadogApiKey, string serviceNowPassword)
    {
        ArgumentNullException.ThrowIfNull(block);
        var requests = new List<Request>
        {
            new(HttpMethod.Post, "sys/auth/kubernetes", new JsonObject { ["type"] = "kubernetes" }),
            new(HttpMethod.Post, "auth/kubernetes/config", new JsonObject { ["kubernetes_host"] = "https://kubernetes.default.svc" }),
        };
        requests.AddRange(block.Policies.Select(p => new Request(HttpMethod.Put, $"sys/policies/acl/{p.Name}", new JsonObject { ["policy"] = p.Hcl })));
        foreach (var role in block.KubernetesRoles)
        {
            var body = new JsonObject
            {
                ["bound_service_account_names"] = new JsonArray([.. role.BoundServiceAccountNames.Select(n => JsonValue.Create(n))]),
                ["bound_service_account_namespaces"] = new JsonArray([.. role.BoundServiceAccountNamespaces.Select(n => JsonValue.Create(n))]),
                ["policies"] = new JsonArray([.. role.Policies.Select(n => JsonValue.Create(n))]),
            };
            foreach (var (key, value) in new[] { ("ttl", role.Ttl), ("max_ttl", role.MaxTtl), ("audience", role.Audience) })
            {
                if (value is not null)
                {
                    body[key] = value;
                }
            }

            requests.Add(new(HttpMethod.Post, $"auth/kubernetes/role/{role.Name}", body));
        }

        foreach (var secret in block.Secrets)
        {
            var data = new JsonObject();
            foreach (var field in secret.Fields)
            {
                data[field.Key] = field.Generate switch
                {
                    GeneratedSecretKind.DynatraceApiToken => dynatraceToken,
                    GeneratedSecretKind.DatadogApiKey => datadogApiKey,
                    GeneratedSecretKind.ServiceNowPassword => serviceNowPassword,
                    _ => field.Value,
                };
            }

            requests.Add(new(HttpMethod.Post, secret.Path, new JsonObject { ["data"] = data })); // secret/data/…: KV v2's data path
        }

        return requests;
    }

    /// <summary>Sends <see cref="Requests"/> to the Vault pod through a port-forward; a refused request names its path and status, never its body.</summary>
    public static async Task SeedAsync(ICluster cluster, string ns, IReadOnlyList<Request> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(requests);
        var pods = await cluster.PodsAsync(ns, ServerSelector, cancellationToken).ConfigureAwait(false);
        var pod = pods.FirstOrDefault(p => p.Status?.Phase == "Running") ?? throw new InvalidOperationException($"no Running Vault server pod in {ns} ({ServerSelector}) to write the scenario's vault block into");
        await using var forward = await cluster.PortForwardAsync(ns, pod.Metadata.Name, Port, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{forward.LocalEndpoint}/v1/") };
        http.DefaultRequestHeaders.Add("X-Vault-Token", DevRootToken);
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(request.Method, request.Path) { Content = JsonContent.Create(request.Body) };
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var alreadyEnabled = request.Path == "sys/auth/kubernetes" && response.StatusCode == System.Net.HttpStatusCode.BadRequest; // "path is already in use"
            if (!response.IsSuccessStatusCode && !alreadyEnabled)
            {
                throw new InvalidOperationException($"Vault refused {request.Method} /v1/{request.Path}: {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }
}
