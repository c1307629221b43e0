using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtelLab.Model;
using OtelLab.Sim.Vault;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// The ServiceNow integration user the change gate logs in with, read from the lab's Vault (KV v2
/// <c>GET /v1/secret/data/…</c>, fields <c>username</c> and <c>password</c>) as the gate's own client would: the
/// scenario's vault block writes them (<c>password: "&lt;generated: servicenow password&gt;"</c>). The password is never
/// logged or put in an exception.
/// </summary>
public static class ServiceNowCredentials
{
    public static async Task<(string User, string Password)> ReadAsync(VaultServer vault, string path, SourceLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(vault.Address, "v1/" + path.TrimStart('/')));
        request.Headers.Add("X-Vault-Token", vault.RootToken);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false) : null;
        var data = body?["data"]?["data"];
        if ((string?)data?["username"] is not { Length: > 0 } user || (string?)data?["password"] is not { Length: > 0 } password)
        {
            throw new ManifestException(location, $"gitops.changeGate.servicenow: Vault has no username and password at {path} ({(int)response.StatusCode})",
                "write them in the scenario's vault block, e.g. secret/data/argocd/servicenow: { username: argocd-change-gate, password: \"<generated: servicenow password>\" }");
        }

        return (user, password);
    }
}
