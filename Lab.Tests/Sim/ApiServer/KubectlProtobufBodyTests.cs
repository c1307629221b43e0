using OtelLab.Tests.Support;
using System.Text.Json.Nodes;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// kubectl 1.32+ sends typed writes as <c>application/vnd.kubernetes.protobuf</c> (client-go rest UseProtobufAsDefault);
/// the API server decodes the <c>k8s\0</c> envelope for ConfigMap, Secret and Namespace and answers JSON, which kubectl reads.
/// </summary>
[Trait("Category", "Lab")]
public sealed class KubectlProtobufBodyTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_1_32_creates_a_configmap_a_secret_and_a_namespace_over_protobuf()
    {
        var cm = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "configmap", "pb-cm", "-n", "payments", "--from-literal=mode=fast", "-v=8");
        var secret = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "secret", "generic", "pb-secret", "-n", "payments", "--from-literal=token=s3cr3t");
        var ns = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "namespace", "pb-ns");

        Assert.True(cm.ExitCode == 0, cm.Err);
        Assert.Equal("configmap/pb-cm created", cm.Out.Trim());
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", cm.Err, StringComparison.Ordinal);
        Assert.True(secret.ExitCode == 0, secret.Err);
        Assert.Equal("secret/pb-secret created", secret.Out.Trim());
        Assert.True(ns.ExitCode == 0, ns.Err);
        Assert.Equal("namespace/pb-ns created", ns.Out.Trim());

        var data = JsonNode.Parse((await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "configmap", "pb-cm", "-n", "payments", "-o", "json")).Out)!;
        var token = (await Kubectl.RunAsync(fixture, Kubectl.Default, "get", "secret", "pb-secret", "-n", "payments", "-o", "jsonpath={.data.token}")).Out;
        Assert.Equal("fast", (string?)data["data"]!["mode"]);
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8.ToArray()), token);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_kind_the_sim_does_not_decode_from_protobuf_is_refused_with_a_415_naming_the_workaround()
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(fixture, Kubectl.Default, "create", "deployment", "pb-deploy", "-n", "payments", "--image=nginx");
        var json = await Kubectl.RunAsync(fixture, Kubectl.Version(31), "create", "deployment", "pb-deploy-31", "-n", "payments", "--image=nginx");

        Assert.Equal(1, code);
        Assert.Contains("decodes protobuf bodies of v1 ConfigMap, Secret and Namespace only, not apps/v1 Deployment", stderr, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.Err);
        Assert.Equal("deployment.apps/pb-deploy-31 created", json.Out.Trim());
        Assert.Empty(stdout);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_protobuf_body_without_the_magic_is_a_400()
    {
        using var http = ApiServerHttp.Client(fixture.Server);
        using var content = new ByteArrayContent([1, 2, 3, 4, 5]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.kubernetes.protobuf");

        using var reply = await http.PostAsync("/api/v1/namespaces/default/configmaps", content, TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(400, (int)reply.StatusCode);
        Assert.Equal("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", (string?)status["message"]);
    }
}
