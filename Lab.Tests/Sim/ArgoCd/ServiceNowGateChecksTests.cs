using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Backends.ServiceNow;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

/// <summary>
/// The change gate with the lab's checks: the request opens in New (nobody can approve), the checks' result arrives
/// as a work note, and only then does the request move to Assess and ask for approval — read back through the mock's
/// Table API as a client would.
/// </summary>
[Trait("Category", "Component")]
public sealed class ServiceNowGateChecksTests
{
    private const string Password = "vault-issued-7d21";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approval_is_requested_only_after_the_checks_result_is_a_work_note_on_the_change_request()
    {
        // Given the mock, a client, and a gate whose checks finish when the test says so
        await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", Password).Build();
        await snow.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = snow.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:" + Password)));
        using var gateHttp = new HttpClient();
        var checks = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        const string Revision = "4e72d4ab104304fb720cd5ecee901a081bf5b9b9";
        const string Note = "Lab checks for 4e72d4a: FAIL (otel-lab test of the scenario synced from this revision, 21.3 s); 20 pass, 1 fail\n- FAIL dynatrace-metric-rejections: dynatrace rejected 9";
        var asked = new TaskCompletionSource<GateRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gate = new ServiceNowChangeGate(gateHttp, snow.BaseAddress, "argocd", Password)
        {
            // (the gate starts its checks in the background: the test waits for them to be asked, never assumes it)
            Checks = (r, _) =>
            {
                asked.TrySetResult(r);
                return checks.Task;
            },
        };
        var request = new GateRequest("otel-pipeline", "clusters/eks-prod/otel", Revision, "1b657ea00000000000000000000000000000000", "gateway: drop cumulativetodelta", " 12-otel-gateway.yaml | 2 +-");

        // When the gate reviews the revision while its checks run
        var held = await gate.ReviewAsync(request, Ct);

        // Then it waits for them: the request is New, approval not requested, no approver record, a note says why
        Assert.Equal(GateVerdict.Pending, held.Verdict);
        Assert.Equal(Revision, (await asked.Task.WaitAsync(Timeout, Ct)).Revision);
        Assert.Contains("waiting for the lab's checks of 4e72d4a", held.Message, StringComparison.Ordinal);
        var change = await SingleChangeAsync(client);
        Assert.Equal(("-5", "not requested"), ((string?)change["state"], (string?)change["approval"]));
        Assert.Empty(await ListAsync(client, $"sysapproval_approver?sysparm_query=document_id={(string?)change["sys_id"]}"));
        Assert.Contains(await NotesAsync(client, change), n => n.Contains("The lab's checks for 4e72d4a are running", StringComparison.Ordinal));

        // When the checks finish
        checks.SetResult(Note);
        var until = DateTime.UtcNow + Timeout;
        var decision = held;
        while (!decision.Message.Contains("approval: requested", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            decision = await gate.ReviewAsync(request, Ct);
        }

        // Then their result is a work note and approval is requested (Assess, one approver record)
        Assert.Contains("approval: requested, state: -4", decision.Message, StringComparison.Ordinal);
        change = await SingleChangeAsync(client);
        Assert.Contains(Note, await NotesAsync(client, change));
        Assert.Single(await ListAsync(client, $"sysapproval_approver?sysparm_query=document_id={(string?)change["sys_id"]}"));
    }

    [Fact]
    public async Task Checks_that_cannot_run_say_why_in_a_work_note_and_approval_is_still_requested()
    {
        await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", Password).Build();
        await snow.StartAsync(Ct);
        using var client = new HttpClient { BaseAddress = snow.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:" + Password)));
        using var gateHttp = new HttpClient();
        await using var gate = new ServiceNowChangeGate(gateHttp, snow.BaseAddress, "argocd", Password)
        {
            Checks = (_, _) => Task.FromException<string>(new InvalidOperationException("otel-lab test exited 1 without a report")),
        };
        var request = new GateRequest("otel-pipeline", "clusters/eks-prod/otel", "4e72d4ab104304fb720cd5ecee901a081bf5b9b9", "1b657ea00000000000000000000000000000000", "change", "");

        var until = DateTime.UtcNow + Timeout;
        var decision = await gate.ReviewAsync(request, Ct);
        while (!decision.Message.Contains("approval: requested", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            decision = await gate.ReviewAsync(request, Ct);
        }

        Assert.Contains("approval: requested", decision.Message, StringComparison.Ordinal);
        Assert.Contains("The lab's checks for 4e72d4a could not run: otel-lab test exited 1 without a report", await NotesAsync(client, await SingleChangeAsync(client)));
    }

    [Fact]
    public async Task Stopping_the_gate_ends_checks_that_never_finish_and_ignore_the_token()
    {
        // Given a gate whose checks for a revision never finish and do not observe cancellation
        await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", Password).Build();
        await snow.StartAsync(Ct);
        using var gateHttp = new HttpClient();
        var never = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new ServiceNowChangeGate(gateHttp, snow.BaseAddress, "argocd", Password)
        {
            Checks = (_, _) =>
            {
                asked.TrySetResult();
                return never.Task;
            },
        };
        var request = new GateRequest("otel-pipeline", "clusters/eks-prod/otel", "4e72d4ab104304fb720cd5ecee901a081bf5b9b9", "1b657ea00000000000000000000000000000000", "change", "");
        Assert.Equal(GateVerdict.Pending, (await gate.ReviewAsync(request, Ct)).Verdict);
        await asked.Task.WaitAsync(Timeout, Ct);

        // When the gate stops (the lab shuts down), Then it does so at once rather than waiting on the checks forever
        await gate.DisposeAsync().AsTask().WaitAsync(Timeout, Ct);
    }

    private static async Task<JsonObject> SingleChangeAsync(HttpClient client) => Assert.Single(await ListAsync(client, "change_request"));

    private static async Task<IReadOnlyList<string>> NotesAsync(HttpClient client, JsonObject change) =>
        [.. (await ListAsync(client, $"sys_journal_field?sysparm_query=element_id={(string?)change["sys_id"]}^element=work_notes")).Select(n => (string?)n["value"] ?? string.Empty)];

    private static async Task<IReadOnlyList<JsonObject>> ListAsync(HttpClient client, string query)
    {
        var body = JsonNode.Parse(await client.GetStringAsync(new Uri("api/now/table/" + query, UriKind.Relative), Ct))!;
        return [.. body["result"]!.AsArray().OfType<JsonObject>()];
    }
}
