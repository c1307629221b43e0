using OtelLab.Tests.Support;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s.Models;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>The wire formats themselves, over HTTPS: discovery negotiation, OpenAPI hashes, Table watches.</summary>
[Trait("Category", "Lab")]
public sealed class ApiServerHttpTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private HttpClient Client() => ApiServerHttp.Client(fixture.Server);

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Discovery_is_aggregated_only_when_the_client_asks_for_it()
    {
        using var http = Client();
        var ct = TestContext.Current.CancellationToken;

        using var aggregated = new HttpRequestMessage(HttpMethod.Get, "/apis");
        aggregated.Headers.TryAddWithoutValidation("Accept", $"{AggregatedV2},application/json");
        using var v2 = await http.SendAsync(aggregated, ct);
        var legacy = JsonNode.Parse(await http.GetStringAsync("/apis", ct))!;

        // client-go decides the parse by the reply's Content-Type (discovery_client.go ContentTypeIsGVK)
        Assert.Equal(AggregatedV2, v2.Content.Headers.NonValidated["Content-Type"].ToString());
        var groups = JsonNode.Parse(await v2.Content.ReadAsStringAsync(ct))!["items"]!.AsArray().Select(g => (string?)g!["metadata"]!["name"]).ToList();
        Assert.Contains("apps", groups);
        Assert.Contains("opentelemetry.io", groups);
        Assert.Equal("APIGroupList", (string?)legacy["kind"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_legacy_resource_list_names_the_scale_subresource_as_autoscaling_v1_scale()
    {
        using var http = Client();

        var list = JsonNode.Parse(await http.GetStringAsync("/apis/apps/v1", TestContext.Current.CancellationToken))!;

        var scale = list["resources"]!.AsArray().Single(r => (string?)r!["name"] == "deployments/scale")!;
        Assert.Equal(("autoscaling", "v1", "Scale"), ((string?)scale["group"], (string?)scale["version"], (string?)scale["kind"]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task An_openapi_v3_document_is_immutable_under_its_hash_and_a_stale_hash_redirects()
    {
        using var http = ApiServerHttp.Client(fixture.Server, allowRedirect: false);
        var ct = TestContext.Current.CancellationToken;
        var root = JsonNode.Parse(await http.GetStringAsync("/openapi/v3", ct))!;
        var url = (string)root["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;

        using var current = await http.GetAsync(url, ct);
        using var stale = await http.GetAsync("/openapi/v3/apis/apps/v1?hash=0000", ct);

        Assert.Equal("public, immutable", current.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.MovedPermanently, stale.StatusCode);
        Assert.Equal(url, stale.Headers.Location!.OriginalString);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_table_watch_sends_column_definitions_with_the_first_event_only()
    {
        using var http = Client();
        var ct = TestContext.Current.CancellationToken;
        var name = "table-" + Guid.NewGuid().ToString("N")[..8];
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3D{name}");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));

        fixture.Cluster.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" } });
        fixture.Cluster.Delete("ConfigMap", "default", name);
        var added = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
        var deleted = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;

        Assert.Equal(("ADDED", "Table"), ((string?)added["type"], (string?)added["object"]!["kind"]));
        Assert.Equal(["Name", "Data", "Age"], added["object"]!["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(name, (string?)added["object"]!["rows"]![0]!["cells"]![0]);
        Assert.Equal("DELETED", (string?)deleted["type"]);
        Assert.Null(deleted["object"]!["columnDefinitions"]);
    }
}
