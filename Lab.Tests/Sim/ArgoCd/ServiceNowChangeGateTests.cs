using OtelLab.Tests.Support;
using System.Net.Http.Headers;
using k8s;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Backends.ServiceNow;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

/// <summary>The change gate end to end: commits in a real repository, the controller, the ServiceNow mock, and a CAB member approving over HTTP.</summary>
[Trait("Category", "Lab")]
public sealed class ServiceNowChangeGateTests
{
    private const string Path = "clusters/eks-prod/otel";
    private const string Password = "vault-issued-0f9c";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_commit_waits_for_its_change_request_rejected_never_syncs_approved_syncs_and_closes()
    {
        // Given: the mock instance, a client as the CAB would use it, and the controller gated on it
        await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", Password).Build();
        await snow.StartAsync(Ct);
        using var cab = new HttpClient { BaseAddress = snow.BaseAddress };
        cab.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:" + Password)));
        using var gateHttp = new HttpClient();
        await using var h = await ControllerHarness.StartAsync(scale: 20);
        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "1"));
        var first = h.Repo.Commit("settings v1");
        h.Start(new ServiceNowChangeGate(gateHttp, snow.BaseAddress, "argocd", Password)).Add(ControllerHarness.App());

        // When: nobody approved yet
        var held = await h.Controller.WaitForAsync("otel-pipeline", s => s.Conditions.Any(c => c.Type == "ChangeGate"), Timeout, Ct);

        // Then: OutOfSync, nothing applied, one change request in Assess with approval requested
        Assert.Equal("OutOfSync", held.SyncStatus);
        Assert.Null(held.OperationState);
        var request = await ChangeAsync(cab, first);
        Assert.Equal(("-4", "requested"), ((string?)request["state"], (string?)request["approval"]));

        // When: approved through the Table API
        await DecideAsync(cab, request, "approved");
        var synced = await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.OperationState?.Revision == first, Timeout, Ct);
        Assert.Equal("Succeeded", synced.OperationState!.Phase);
        var closed = await WaitForAsync(cab, first, r => (string?)r["state"] == "3");
        Assert.Equal("successful", (string?)closed["close_code"]);
        Assert.Contains("ConfigMap/settings Synced", (string?)closed["close_notes"], StringComparison.Ordinal);

        // When: a second commit under the path is rejected
        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "2"));
        var rejected = h.Repo.Commit("settings v2");
        h.Controller.Refresh("otel-pipeline");
        var second = await WaitForAsync(cab, rejected, r => (string?)r["approval"] == "requested");
        Assert.Contains("config.yaml | 2 +-", (string?)second["description"], StringComparison.Ordinal);
        await DecideAsync(cab, second, "rejected");
        await h.Controller.WaitForAsync("otel-pipeline", s => s.Conditions.Any(c => c.Message.Contains("rejected", StringComparison.Ordinal)), Timeout, Ct);
        var rejectedAt = h.Clock.GetUtcNow();
        var later = await h.Controller.WaitForAsync("otel-pipeline", _ => h.Clock.GetUtcNow() - rejectedAt > TimeSpan.FromSeconds(30), Timeout, Ct);

        // Then: never synced — the live object keeps the approved value
        Assert.Equal(first, later.OperationState!.Revision);
        Assert.Equal(("OutOfSync", rejected), (later.SyncStatus, later.Revision));
        Assert.Equal("1", (await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct)).Data["v"]);

        // When: a third commit is approved
        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "3"));
        var third = h.Repo.Commit("settings v3");
        h.Controller.Refresh("otel-pipeline");
        await DecideAsync(cab, await WaitForAsync(cab, third, r => (string?)r["approval"] == "requested"), "approved");
        await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.OperationState?.Revision == third, Timeout, Ct);

        Assert.Equal("3", (await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct)).Data["v"]);
        Assert.Equal(3, snow.ChangeRequests.Count);
    }

    private static async Task<JsonObject> ChangeAsync(HttpClient cab, string revision)
    {
        var list = await cab.GetFromJsonAsync<JsonObject>(new Uri($"api/now/table/change_request?sysparm_query=short_descriptionLIKE{revision[..7]}", UriKind.Relative), Ct);
        return list!["result"]!.AsArray().Single()!.AsObject();
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient cab, string revision, Func<JsonObject, bool> condition)
    {
        // Polls the API as a client would (the gate's own cadence is the controller's); bounded by the test timeout.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(Timeout);
        while (true)
        {
            var list = await cab.GetFromJsonAsync<JsonObject>(new Uri($"api/now/table/change_request?sysparm_query=short_descriptionLIKE{revision[..7]}", UriKind.Relative), cts.Token);
            if (list!["result"]!.AsArray().OfType<JsonObject>().FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            await Task.Yield();
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            await poll.WaitForNextTickAsync(cts.Token);
        }
    }

    private static async Task DecideAsync(HttpClient cab, JsonObject change, string state)
    {
        var approvers = await cab.GetFromJsonAsync<JsonObject>(new Uri($"api/now/table/sysapproval_approver?sysparm_query=document_id={change["sys_id"]}^state=requested", UriKind.Relative), Ct);
        var approver = approvers!["result"]!.AsArray().Single()!;
        using var response = await cab.PatchAsJsonAsync(new Uri($"api/now/table/sysapproval_approver/{approver["sys_id"]}", UriKind.Relative), new { state, comments = "CAB" }, Ct);
        response.EnsureSuccessStatusCode();
    }
}
