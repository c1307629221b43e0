using OtelLab.Tests.Support;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>Bad requests get the API server's Status answers, never a crash: malformed bodies, media types, size, unknown kinds.</summary>
[Trait("Category", "Lab")]
public sealed class ApiServerBadInputTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData("{\"kind\": x}", "couldn't get version/kind; json parse error: invalid character 'x' looking for beginning of value")]
    [InlineData("{\"kind\":\"ConfigMap\"", "couldn't get version/kind; json parse error: unexpected end of JSON input")]
    public async Task Malformed_JSON_is_a_400_with_the_decoders_message(string body, string message)
    {
        var (code, status) = await PostAsync(body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal(message, (string?)status["message"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_YAML_body_is_decoded_and_malformed_YAML_is_a_400()
    {
        var (created, _) = await PostAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: \"1\"\n", "application/yaml");
        var (broken, status) = await PostAsync("apiVersion: v1\nkind: [ConfigMap\n", "application/yaml");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.BadRequest, broken);
        Assert.StartsWith("error converting YAML to JSON: yaml: line ", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_body_in_an_unknown_media_type_is_415()
    {
        var (code, status) = await PostAsync("name=x", "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Equal("UnsupportedMediaType", (string?)status["reason"]);
        Assert.StartsWith("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_body_over_3_MiB_is_413_and_one_just_under_is_read()
    {
        var padding = new string('x', 3 * 1024 * 1024);
        var (tooLarge, status) = await PostAsync($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"huge\"}},\"data\":{{\"a\":\"{padding}\"}}}}", "application/json");
        var (fits, _) = await PostAsync($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"large\"}},\"data\":{{\"a\":\"{padding[..(3 * 1024 * 1024 - 200)]}\"}}}}", "application/json");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.Equal(("RequestEntityTooLarge", "Request entity too large: limit is 3145728"), ((string?)status["reason"], (string?)status["message"]));
        Assert.Equal(HttpStatusCode.Created, fits);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_names_a_kind_the_server_does_not_serve_from_discovery()
    {
        var file = Path.Combine(fixture.TempPath, "widget.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec: {}\n", TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "apply", "-f", file);

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("no matches for kind \"Widget\" in version \"example.com/v1\"", stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_server_refuses_to_listen_beyond_loopback()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => OtelLab.Sim.ApiServer.KubernetesApiServer.StartAsync(fixture.Cluster, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0), TestContext.Current.CancellationToken));

        Assert.StartsWith("the lab binds loopback addresses only (127.0.0.0/8, ::1), not 0.0.0.0", refused.Message, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Code, JsonObject Status)> PostAsync(string body, string contentType)
    {
        using var http = ApiServerHttp.Client(fixture.Server);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync(ConfigMaps, content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }
}
