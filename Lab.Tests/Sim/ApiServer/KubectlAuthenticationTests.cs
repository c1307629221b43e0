using System.Net;
using System.Text.Json.Nodes;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// Who may talk to the API server: https with the lab's CA and a token the cluster knows; nothing without credentials.
/// </summary>
[Trait("Category", "Lab")]
public sealed class KubectlAuthenticationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_request_without_credentials_is_401_Unauthorized()
    {
        using var http = ApiServerHttp.Client(fixture.Server, admin: false);

        using var reply = await http.GetAsync("/api/v1/namespaces/payments/pods", TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        // As an API server without anonymous auth answers. (kubectl itself never sends such a request over https: with
        // no credentials in the kubeconfig it prompts for a username on stdin, client-go clientcmd's interactive config.)
        Assert.Equal(HttpStatusCode.Unauthorized, reply.StatusCode);
        Assert.Equal(("Failure", "Unauthorized", "Unauthorized", 401), ((string?)status["status"], (string?)status["reason"], (string?)status["message"], (int?)status["code"]));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_with_a_token_the_cluster_does_not_know_is_told_to_log_in()
    {
        var stranger = Path.Combine(fixture.TempPath, "stranger.kubeconfig");
        var text = (await File.ReadAllTextAsync(fixture.KubeconfigPath, TestContext.Current.CancellationToken))
            .Replace(fixture.Server.AdminToken, "0123456789abcdef0123456789abcdef", StringComparison.Ordinal);
        await File.WriteAllTextAsync(stranger, text, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(stranger, fixture.TempPath, Kubectl.Default, "get", "pods", "-n", "payments");

        // What kubectl prints against a real cluster with an expired token: the 401 reaches it through discovery, whose
        // error is apimachinery's generic 401 message (errors.go NewGenericServerResponse), behind checkErr's prefix.
        Assert.True(code == 1, stdout + stderr);
        Assert.True(stderr.Contains("error: You must be logged in to the server (the server has asked for the client to provide credentials)", StringComparison.Ordinal), stderr);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Kubectl_refuses_the_server_without_the_labs_ca()
    {
        // Given the kubeconfig without its certificate-authority-data
        var untrusted = Path.Combine(fixture.TempPath, "untrusted.kubeconfig");
        var lines = (await File.ReadAllLinesAsync(fixture.KubeconfigPath, TestContext.Current.CancellationToken)).Where(l => !l.Contains("certificate-authority-data", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(untrusted, lines, TestContext.Current.CancellationToken);

        var (code, stdout, stderr) = await Kubectl.RunAsync(untrusted, fixture.TempPath, Kubectl.Default, "get", "pods", "-n", "payments");

        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("x509: certificate signed by unknown authority", stderr, StringComparison.Ordinal);
    }
}
