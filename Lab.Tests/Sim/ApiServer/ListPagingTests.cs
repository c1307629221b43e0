using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.Cluster;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// <c>limit</c>/<c>continue</c> on lists as the API server pages from etcd (apiserver pkg/storage/continue.go,
/// etcd3/store.go GetList, etcd3/errors.go), on a cluster whose clock the test moves: pages of one list read the
/// first page's snapshot; once compacted, 410 Expired with an inconsistent token; kubectl --chunk-size and
/// KubernetesClient's paged list follow the tokens.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ListPagingTests : IAsyncLifetime
{
    private const string Namespace = "paging";
    private static readonly string[] Names = ["cm-a", "cm-b", "cm-c", "cm-d", "cm-e"];

    private readonly ManualTimeProvider _time = new();
    private readonly TempDirectory _dir = new();
    private SimulatedCluster _cluster = null!;
    private KubernetesApiServer _server = null!;
    private string _kubeconfig = "";

    public async ValueTask InitializeAsync()
    {
        _cluster = SimFixtures.NewCluster(nodes: 1, time: _time);
        await SimFixtures.ApplyYamlAsync(_cluster, $"apiVersion: v1\nkind: Namespace\nmetadata: {{ name: {Namespace} }}\n" +
            string.Concat(Names.Select(n => $"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: {n}, namespace: {Namespace}, labels: {{ tier: {(n is "cm-b" or "cm-d" ? "odd" : "even")} }} }}\ndata: {{ k: v }}\n")));
        _server = await KubernetesApiServer.StartAsync(_cluster);
        _kubeconfig = _server.WriteKubeconfig(Path.Combine(_dir.Path, "kubeconfig"));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Every_page_reads_the_first_pages_snapshot_and_the_last_has_no_continue()
    {
        using var http = Http();
        var first = await ListAsync(http, "limit=2");
        var rv = (string)first["metadata"]!["resourceVersion"]!;

        // A change between pages is not seen by the pages of a list that started before it.
        await SimFixtures.ApplyYamlAsync(_cluster, $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: cm-aa, namespace: {Namespace} }}\n");
        var second = await ListAsync(http, "limit=2&continue=" + Continue(first));
        var third = await ListAsync(http, "limit=2&continue=" + Continue(second));

        Assert.Equal(["cm-a", "cm-b"], Items(first));
        Assert.Equal(3, (long)first["metadata"]!["remainingItemCount"]!);
        Assert.Equal($"{{\"v\":\"meta.k8s.io/v1\",\"rv\":{rv},\"start\":\"cm-b\\u0000\"}}", Decode(Continue(first)));
        Assert.Equal(["cm-c", "cm-d"], Items(second));
        Assert.Equal(["cm-e"], Items(third));
        Assert.All(new[] { second, third }, page => Assert.Equal(rv, (string)page["metadata"]!["resourceVersion"]!));
        Assert.Null(third["metadata"]!["continue"]);
        Assert.Null(third["metadata"]!["remainingItemCount"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_token_for_a_compacted_snapshot_is_410_expired_with_a_token_that_goes_on_from_the_latest_state()
    {
        // Given a first page, then a change and the compaction interval passing
        using var http = Http();
        var first = await ListAsync(http, "limit=2");
        await SimFixtures.ApplyYamlAsync(_cluster, $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: cm-bb, namespace: {Namespace} }}\n");
        _time.Advance(TimeSpan.FromMinutes(5));

        // When the next page is asked for
        using var expired = await http.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps?limit=2&continue={Continue(first)}", TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await expired.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        // Then 410 Expired with etcd3's message, and its token (rv -1) resumes after cm-b on the latest state
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal(("Status", "Failure", "Expired", 410), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int)status["code"]!));
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response", (string?)status["message"], StringComparison.Ordinal);
        var inconsistent = Continue(status);
        Assert.Equal("{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"cm-b\\u0000\"}", Decode(inconsistent));
        var rest = await ListAsync(http, "limit=10&continue=" + inconsistent);
        Assert.Equal(["cm-bb", "cm-c", "cm-d", "cm-e"], Items(rest));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData("limit=2&continue=%%%", "invalid continue token: continue key is not valid: illegal base64 data")]
    [InlineData("limit=2&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJhIn0", "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")]
    [InlineData("limit=2&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mywic3RhcnQiOiIuLi94In0", "invalid continue token: continue key is not valid: ../x")]
    [InlineData("limit=2&resourceVersion=5&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mywic3RhcnQiOiJhIn0", "specifying resource version is not allowed when using continue")]
    [InlineData("limit=two", "strconv.ParseInt: parsing \"two\": invalid syntax")]
    public async Task A_bad_continue_or_limit_is_a_400_with_the_api_servers_message(string query, string message)
    {
        using var http = Http();

        using var reply = await http.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps?{query}", TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Equal(("BadRequest", message), ((string?)status["reason"], (string?)status["message"]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Resource_version_0_is_served_whole_as_the_watch_cache_does_and_selectors_page_without_a_remaining_count()
    {
        using var http = Http();

        var cached = await ListAsync(http, "limit=2&resourceVersion=0");
        var odd = await ListAsync(http, "limit=1&labelSelector=tier%3Dodd");

        Assert.Equal(Names, Items(cached));
        Assert.Null(cached["metadata"]!["continue"]);
        Assert.Equal(["cm-b"], Items(odd));
        Assert.Null(odd["metadata"]!["remainingItemCount"]);
        Assert.Equal(["cm-d"], Items(await ListAsync(http, "limit=1&labelSelector=tier%3Dodd&continue=" + Continue(odd))));
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(32)]
    [InlineData(27)]
    public async Task Kubectl_get_with_chunk_size_2_follows_the_continue_tokens(int minor)
    {
        var binary = minor == 32 ? Kubectl.Default : Kubectl.Version(minor);

        var (code, stdout, stderr) = await Kubectl.RunAsync(_kubeconfig, _dir.Path, binary, "get", "configmaps", "-n", Namespace, "--chunk-size=2", "-v=6", "-o", "name");

        Assert.True(code == 0, stderr);
        Assert.Equal(Names.Select(n => "configmap/" + n), stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("configmap/cm-", StringComparison.Ordinal)));
        Assert.Equal(2, stderr.Split('\n').Count(l => l.Contains("configmaps?continue=", StringComparison.Ordinal) && l.Contains("limit=2", StringComparison.Ordinal)));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_get_table_with_chunk_size_2_prints_one_table()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(_kubeconfig, _dir.Path, Kubectl.Default, "get", "configmaps", "-n", Namespace, "--chunk-size=2", "-l", "tier=even");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
        Assert.Equal(["cm-a", "cm-c", "cm-e"], lines.Skip(1).Select(l => l.Split(' ')[0]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task KubernetesClient_pages_a_list_with_limit_and_continue()
    {
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_kubeconfig));
        var ct = TestContext.Current.CancellationToken;
        var names = new List<string>();
        var pages = 0;
        string? next = null;
        do
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(Namespace, limit: 2, continueParameter: next, cancellationToken: ct);
            names.AddRange(page.Items.Select(c => c.Metadata.Name).Where(n => n.StartsWith("cm-", StringComparison.Ordinal)));
            next = page.Metadata.ContinueProperty;
            pages++;
        }
        while (next is not null);

        Assert.Equal(Names, names);
        Assert.True(pages >= 3, $"{pages} pages");
    }

    private HttpClient Http() => ApiServerHttp.Client(_server);

    private static async Task<JsonNode> ListAsync(HttpClient http, string query)
    {
        using var reply = await http.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps?{query}", TestContext.Current.CancellationToken);
        var body = await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(reply.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private static string Continue(JsonNode list) => (string?)list["metadata"]!["continue"] ?? throw new InvalidOperationException("no continue token");

    private static IEnumerable<string> Items(JsonNode list) =>
        list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Where(n => n.StartsWith("cm-", StringComparison.Ordinal));

    private static string Decode(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
    }
}
