using System.Text.Json.Nodes;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// The change advisory board as a ServiceNow Table API client: finds the approver record a change request waits on
/// (<c>sysapproval_approver</c>, state requested) and approves or rejects it, the way an approver's client does.
/// </summary>
public sealed class ChangeBoard(HttpClient http, Uri instance, string user, string password)
{
    private readonly OtelLab.Sim.ArgoCd.ServiceNowTableClient _table = new(http, instance, user, password);

    /// <summary>The change requests waiting for approval: (approver sys_id, change sys_id), oldest first.</summary>
    public async Task<IReadOnlyList<(string Approver, string Change)>> PendingAsync(CancellationToken cancellationToken)
    {
        var list = await SendAsync(HttpMethod.Get, "api/now/table/sysapproval_approver?sysparm_query=state=requested", null, cancellationToken).ConfigureAwait(false);
        return (list["result"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(a => ((string?)a["sys_id"] ?? string.Empty, (string?)a["document_id"] ?? string.Empty)).ToList();
    }

    /// <summary>Approves or rejects through the approver record; returns the change request as it is then.</summary>
    public async Task<JsonObject> DecideAsync(string approver, string change, bool approve, string comment, CancellationToken cancellationToken)
    {
        await SendAsync(HttpMethod.Patch, $"api/now/table/sysapproval_approver/{approver}", new JsonObject { ["state"] = approve ? "approved" : "rejected", ["comments"] = comment }, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(change, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> ChangeAsync(string change, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, $"api/now/table/change_request/{change}", null, cancellationToken).ConfigureAwait(false))["result"] as JsonObject ?? [];

    public async Task<IReadOnlyList<JsonObject>> ChangesAsync(CancellationToken cancellationToken) =>
        [.. ((await SendAsync(HttpMethod.Get, "api/now/table/change_request", null, cancellationToken).ConfigureAwait(false))["result"] as JsonArray ?? []).OfType<JsonObject>()];

    private Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        _table.SendAsync(method, path, body, cancellationToken);
}
