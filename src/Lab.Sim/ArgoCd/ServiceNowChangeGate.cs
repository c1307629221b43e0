using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// The guide's change gate as a ServiceNow Table API client (the way the Azure Pipelines ServiceNow gate works:
/// create, poll <c>state</c>/<c>approval</c>, close with close_code, close_notes and work_notes): a revision under the
/// Application's path opens a normal <c>change_request</c> carrying the diff summary and moves it to Assess (which
/// requests approval); it is Approved once <c>approval</c> is approved, Rejected when rejected; after the sync the
/// request is closed with the result.
/// </summary>
public sealed class ServiceNowChangeGate(HttpClient http, Uri instance, string user, string password) : ISyncGate, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string SysId, string Number)> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _checks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ServiceNowTableClient _table = new(http, instance, user, password);

    /// <summary>An extra paragraph for each request's description (e.g. the lab's verdict for the revision).</summary>
    public Func<GateRequest, CancellationToken, Task<string>>? Verdict { get; init; }

    /// <summary>
    /// The lab's checks for a revision (a full run, slow: tens of seconds), run in the background once its request is
    /// open. The request stays New, so no approval can be given, until they finish: their result is then added as a
    /// work note and the request moves to Assess, which requests approval.
    /// </summary>
    public Func<GateRequest, CancellationToken, Task<string>>? Checks { get; init; }

    /// <summary>
    /// Whether the Application's first sync (nothing synced before) needs a change request too. The lab's scenarios
    /// bootstrap the repository at start and gate the commits that follow.
    /// </summary>
    public bool GateFirstSync { get; init; } = true;

    public async Task<GateDecision> ReviewAsync(GateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PreviousRevision is null && !GateFirstSync)
        {
            return new GateDecision(GateVerdict.Approved, "-", "first sync of the Application: not gated");
        }

        var key = Key(request);
        if (!_requests.TryGetValue(key, out var change))
        {
            var verdict = Verdict is null ? string.Empty : "\n\n" + await Verdict(request, cancellationToken).ConfigureAwait(false);
            var created = await SendAsync(HttpMethod.Post, "api/now/table/change_request", new JsonObject
            {
                ["short_description"] = $"Argo CD sync of {request.Application} to {request.Revision[..7]}: {request.Subject}",
                ["description"] = $"Application {request.Application}, path {request.Path}, {request.PreviousRevision?[..7] ?? "(none)"} → {request.Revision}\n\n{request.DiffSummary}{verdict}",
                ["type"] = "normal",
                ["category"] = "Software",
            }, cancellationToken).ConfigureAwait(false);
            change = ((string)created["sys_id"]!, (string)created["number"]!);
            if (Checks is null)
            {
                await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{change.SysId}", new JsonObject
                {
                    ["state"] = "-4",
                    ["work_notes"] = "Automated sync of this revision is held until the change is approved.",
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{change.SysId}", new JsonObject
                {
                    ["work_notes"] = $"Automated sync of this revision is held until the change is approved. The lab's checks for {request.Revision[..7]} are running; approval is requested when they finish.",
                }, cancellationToken).ConfigureAwait(false);
                _checks[key] = RunChecksAsync(request, change.SysId);
            }

            _requests[key] = change;
        }

        if (_checks.TryGetValue(key, out var checks) && !checks.IsCompleted)
        {
            return new GateDecision(GateVerdict.Pending, change.Number, $"waiting for the lab's checks of {request.Revision[..7]} before change request {change.Number} can be approved");
        }

        var current = await SendAsync(HttpMethod.Get, $"api/now/table/change_request/{change.SysId}?sysparm_fields=state,approval,number", null, cancellationToken).ConfigureAwait(false);
        return (string?)current["approval"] switch
        {
            "approved" => new GateDecision(GateVerdict.Approved, change.Number, $"change request {change.Number} approved"),
            "rejected" => new GateDecision(GateVerdict.Rejected, change.Number, $"change request {change.Number} rejected: revision {request.Revision[..7]} will not be synced"),
            var a => new GateDecision(GateVerdict.Pending, change.Number, $"waiting for change request {change.Number} to be approved (approval: {a}, state: {(string?)current["state"]})"),
        };
    }

    public async Task CompleteAsync(GateRequest request, OperationState result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        if (!_requests.TryGetValue(Key(request), out var change))
        {
            return;
        }

        var summary = $"sync {result.Phase}: {result.Message}\n" + string.Join("\n", result.Resources.Select(r => $"{r.Kind}/{r.Name} {r.Status} {r.Message}"));
        await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{change.SysId}", new JsonObject { ["state"] = "-1", ["work_notes"] = $"Argo CD sync of {request.Revision} started" }, cancellationToken).ConfigureAwait(false);
        await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{change.SysId}", new JsonObject
        {
            ["state"] = "3",
            ["close_code"] = result.Phase == "Succeeded" ? "successful" : "unsuccessful",
            ["close_notes"] = summary,
            ["work_notes"] = summary,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var run in _checks.Values)
        {
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    // The checks' result as a work note, then Assess (approval requested). A run that could not finish says why in the
    // note and still requests approval: the board decides without the checks rather than never.
    private async Task RunChecksAsync(GateRequest request, string sysId)
    {
        await Task.Yield();
        string note;
        try
        {
            // WaitAsync: stopping the gate ends the wait even when the checks do not observe the token.
            note = await Checks!(request, _stopping.Token).WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            note = $"The lab's checks for {request.Revision[..7]} could not run: {e.Message}";
        }

        try
        {
            await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{sysId}", new JsonObject { ["work_notes"] = note }, _stopping.Token).ConfigureAwait(false);
            await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{sysId}", new JsonObject { ["state"] = "-4" }, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the lab is stopping
        }
        catch (HttpRequestException)
        {
            // the mock stopped under the write (the lab is stopping)
        }
    }

    private static string Key(GateRequest r) => r.Application + "@" + r.Revision;

    // The Table API wraps a record in "result".
    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken) =>
        (await _table.SendAsync(method, path, body, cancellationToken).ConfigureAwait(false))["result"] as JsonObject ?? [];
}
