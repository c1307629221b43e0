using OtelLab.Tests.Support;
using System.Text.Json.Nodes;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// <c>/openapi/v2</c> with the CRDs' schemas: gnostic protobuf for kubectl (what 1.27's <c>explain</c> reads), JSON
/// for a client that accepts only JSON (kube-openapi pkg/handler/handler.go negotiation).
/// </summary>
[Trait("Category", "Lab")]
public sealed class OpenApiV2Tests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    // kubectl 1.27 explains from OpenAPI v3 by default and from v2 with --output=plaintext-openapiv2 (pkg/cmd/explain/explain.go).
    private const string FromV2 = "--output=plaintext-openapiv2";

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_1_27_explains_a_collector_field_from_the_v2_document()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(27), "explain", "opentelemetrycollector.spec.mode", FromV2, "-v=6");

        // kubectl 1.27 explain (OpenAPI v2 path, pkg/explain/explain.go): KIND, VERSION, FIELD with its type, DESCRIPTION
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^KIND:\s+OpenTelemetryCollector$", stdout);
        Assert.Matches(@"(?m)^VERSION:\s+opentelemetry.io/v1beta1$", stdout);
        Assert.Matches(@"(?m)^FIELD:\s+mode <string>$", stdout);
        Assert.Matches(@"DESCRIPTION:\n\s+<empty>", stdout); // the chart's CRDs carry no descriptions (generated with maxDescLen=0)
        Assert.Matches(@"GET https://\S+/openapi/v2\S* 200 OK", stderr);
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(27)]
    [InlineData(32)]
    public async Task Kubectl_explains_a_collector_field_by_default(int minor)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Version(minor), "explain", "opentelemetrycollector.spec.mode");

        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^FIELD:\s+mode <string>$", stdout);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_1_27_explains_nested_objects_and_lists_and_the_v1alpha1_version()
    {
        var ports = await Kubectl.RunAsync(fixture, Kubectl.Version(27), "explain", "otelcol.spec.targetAllocator.prometheusCR", FromV2);
        var alpha = await Kubectl.RunAsync(fixture, Kubectl.Version(27), "explain", "opentelemetrycollectors.spec.config", "--api-version=opentelemetry.io/v1alpha1", FromV2);

        Assert.True(ports.ExitCode == 0, ports.Err);
        Assert.Matches(@"(?m)^RESOURCE:\s+prometheusCR <Object>$", ports.Out);
        Assert.Matches(@"(?m)^\s+scrapeInterval\t<string>$", ports.Out);
        Assert.True(alpha.ExitCode == 0, alpha.Err);
        Assert.Matches(@"(?m)^VERSION:\s+opentelemetry.io/v1alpha1$", alpha.Out);
        Assert.Matches(@"(?m)^FIELD:\s+config <string>$", alpha.Out);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_document_is_protobuf_when_asked_and_json_otherwise_with_the_crd_definitions()
    {
        using var http = ApiServerHttp.Client(fixture.Server);
        var ct = TestContext.Current.CancellationToken;
        using var proto = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        proto.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");

        using var protoReply = await http.SendAsync(proto, ct);
        var json = JsonNode.Parse(await http.GetStringAsync("/openapi/v2", ct))!;

        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", protoReply.Content.Headers.ContentType!.MediaType);
        var bytes = await protoReply.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(Convert.FromHexString("0a03322e30"), bytes[..5]); // field 1 (swagger) = "2.0"
        Assert.Equal("2.0", (string?)json["swagger"]);
        var collector = json["definitions"]!["io.opentelemetry.v1beta1.OpenTelemetryCollector"]!;
        Assert.Equal("OpenTelemetryCollector", (string?)collector["x-kubernetes-group-version-kind"]![0]!["kind"]);
        Assert.Equal("string", (string?)collector["properties"]!["spec"]!["properties"]!["mode"]!["type"]);
        Assert.NotNull(json["definitions"]!["io.opentelemetry.v1alpha1.OpenTelemetryCollector"]);
    }
}
