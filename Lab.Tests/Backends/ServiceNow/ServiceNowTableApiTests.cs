using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Backends.ServiceNow;

namespace OtelLab.Tests.Backends.ServiceNow;

/// <summary>The mock's Table API driven over HTTP as a real client would (basic auth, JSON, the result envelope).</summary>
[Trait("Category", "Component")]
public sealed class ServiceNowTableApiTests : IAsyncLifetime
{
    private const string Password = "s3cr3t-from-vault";
    private readonly ServiceNowInstance _snow = new ServiceNowInstanceBuilder().WithUser("argocd", Password).Build();
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _snow.StartAsync(Ct);
        _http.BaseAddress = _snow.BaseAddress;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:" + Password)));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private async Task<JsonObject> CreateAsync(string description)
    {
        using var response = await _http.PostAsJsonAsync("api/now/table/change_request", new { short_description = description, impact = 3 }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var record = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["result"]!.AsObject();
        Assert.Equal($"{_snow.BaseAddress}api/now/table/change_request/{record["sys_id"]}", response.Headers.Location!.ToString());
        return record;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_with_servicenows_body()
    {
        using var anonymous = new HttpClient { BaseAddress = _snow.BaseAddress };
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "api/now/table/change_request");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:wrong")));

        using var none = await anonymous.GetAsync(new Uri("api/now/table/change_request", UriKind.Relative), Ct);
        using var bad = await anonymous.SendAsync(wrong, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Basic realm=\"Service-now\"", none.Headers.WwwAuthenticate.ToString());
        var body = JsonNode.Parse(await none.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("User Not Authenticated", (string?)body["error"]!["message"]);
        Assert.Equal("failure", (string?)body["status"]);
        Assert.DoesNotContain(Password, await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_change_is_New_not_requested_with_a_chg_number_and_string_values()
    {
        var record = await CreateAsync("first");

        Assert.Equal("CHG0001000", (string?)record["number"]);
        Assert.Equal(ChangeRequestValues.New, (string?)record["state"]);
        Assert.Equal("not requested", (string?)record["approval"]);
        Assert.Equal("3", (string?)record["impact"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)record["sys_id"]);
        var (status, got) = await SendAsync(HttpMethod.Get, $"api/now/table/change_request/{record["sys_id"]}?sysparm_fields=number,state");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["number", "state"], got!["result"]!.AsObject().Select(kv => kv.Key).Order());
        var (missing, body) = await SendAsync(HttpMethod.Get, "api/now/table/change_request/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("No Record found", (string?)body!["error"]!["message"]);
        var (invalid, _) = await SendAsync(HttpMethod.Get, "api/now/table/incident_typo");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
    }

    [Fact]
    public async Task Sysparm_query_supports_and_or_like_startswith_orderby_and_paging()
    {
        var a = await CreateAsync("Argo CD sync of otel-pipeline");
        var b = await CreateAsync("Argo CD sync of payments");
        await CreateAsync("unrelated");

        using var or = await _http.GetAsync(new Uri($"api/now/table/change_request?sysparm_query=number={a["number"]}^ORnumber={b["number"]}^ORDERBYDESCnumber", UriKind.Relative), Ct);
        var orResult = (await or.Content.ReadFromJsonAsync<JsonObject>(Ct))!["result"]!.AsArray();
        Assert.Equal([(string?)b["number"], (string?)a["number"]], orResult.Select(r => (string?)r!["number"]));
        Assert.Equal("2", or.Headers.GetValues("X-Total-Count").Single());

        using var like = await _http.GetAsync(new Uri("api/now/table/change_request?sysparm_query=short_descriptionLIKEotel^ORshort_descriptionSTARTSWITHunrel", UriKind.Relative), Ct);
        Assert.Equal(2, (await like.Content.ReadFromJsonAsync<JsonObject>(Ct))!["result"]!.AsArray().Count);

        using var page = await _http.GetAsync(new Uri("api/now/table/change_request?sysparm_limit=1&sysparm_offset=1&sysparm_query=ORDERBYnumber", UriKind.Relative), Ct);
        Assert.Equal([(string?)b["number"]], (await page.Content.ReadFromJsonAsync<JsonObject>(Ct))!["result"]!.AsArray().Select(r => (string?)r!["number"]));
        Assert.Equal("3", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Contains("sysparm_offset=2", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);

        using var plain = await _http.GetAsync(new Uri($"api/now/table/change_request?number={a["number"]}", UriKind.Relative), Ct);
        Assert.Single((await plain.Content.ReadFromJsonAsync<JsonObject>(Ct))!["result"]!.AsArray());
    }

    [Fact]
    public async Task Assess_requests_approval_and_the_approver_decides_scheduled_or_new()
    {
        var approved = await CreateAsync("to approve");
        var rejected = await CreateAsync("to reject");
        foreach (var c in new[] { approved, rejected })
        {
            var (s, assessed) = await SendAsync(HttpMethod.Patch, $"api/now/table/change_request/{c["sys_id"]}", new { state = "-4" });
            Assert.Equal(HttpStatusCode.OK, s);
            Assert.Equal("requested", (string?)assessed!["result"]!["approval"]);
        }

        async Task DecideAsync(JsonObject change, string state)
        {
            var (_, list) = await SendAsync(HttpMethod.Get, $"api/now/table/sysapproval_approver?sysparm_query=document_id={change["sys_id"]}");
            var approver = list!["result"]!.AsArray().Single()!;
            Assert.Equal("requested", (string?)approver["state"]);
            var (s, _) = await SendAsync(HttpMethod.Patch, $"api/now/table/sysapproval_approver/{approver["sys_id"]}", new { state, comments = "CAB decision" });
            Assert.Equal(HttpStatusCode.OK, s);
        }

        await DecideAsync(approved, "approved");
        await DecideAsync(rejected, "rejected");

        var (_, a) = await SendAsync(HttpMethod.Get, $"api/now/table/change_request/{approved["sys_id"]}");
        var (_, r) = await SendAsync(HttpMethod.Get, $"api/now/table/change_request/{rejected["sys_id"]}");
        Assert.Equal((ChangeRequestValues.Scheduled, "approved"), ((string?)a!["result"]!["state"], (string?)a["result"]!["approval"]));
        Assert.Equal((ChangeRequestValues.New, "rejected"), ((string?)r!["result"]!["state"], (string?)r["result"]!["approval"]));
    }

    [Fact]
    public async Task Closing_needs_close_code_and_notes_and_work_notes_go_to_the_journal()
    {
        var change = await CreateAsync("to close");
        var path = $"api/now/table/change_request/{change["sys_id"]}";

        var (refused, error) = await SendAsync(HttpMethod.Patch, path, new { state = "3" });
        var (closed, record) = await SendAsync(HttpMethod.Patch, path, new { state = "3", close_code = "successful", close_notes = "synced", work_notes = "sync Succeeded" });

        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("close_code", (string?)error!["error"]!["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, closed);
        Assert.Equal(("3", "successful", string.Empty), ((string?)record!["result"]!["state"], (string?)record["result"]!["close_code"], (string?)record["result"]!["work_notes"]));
        var (_, journal) = await SendAsync(HttpMethod.Get, $"api/now/table/sys_journal_field?sysparm_query=element_id={change["sys_id"]}^element=work_notes");
        Assert.Equal(["sync Succeeded"], journal!["result"]!.AsArray().Select(j => (string?)j!["value"]));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _snow.DisposeAsync();
    }
}
